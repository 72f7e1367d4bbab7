// Types of ports.mjs, for the TypeScript tests and benchmarks that import it.
export declare const PORTS: Readonly<{
  postgres: number;
  kafkaBroker: number;
  kafkaController: number;
  schedulerGrpc: number;
  schedulerHealthz: number;
  schedulerMetrics: number;
  schedulerEtcdClient: number;
  schedulerEtcdPeer: number;
  jaegerOtlpGrpc: number;
  jaegerOtlpHttp: number;
  jaegerQuery: number;
  jaegerQueryGrpc: number;
  jaegerHealth: number;
}>;
export declare function portOpen(port: number, host?: string): Promise<boolean>;
export declare function freePort(): Promise<number>;
