// Ports: the fixed loopback ports of the local infrastructure, whether something listens on one,
// and a free one for whatever a script or benchmark starts on the side (sidecars, servers).
import { connect, createServer } from 'node:net';

/** Fixed loopback ports of the local infrastructure (see README.md). */
export const PORTS = Object.freeze({
  postgres: 54329,
  kafkaBroker: 19092,
  kafkaController: 19093,
  schedulerGrpc: 56006,
  schedulerHealthz: 58086,
  schedulerMetrics: 59096,
  schedulerEtcdClient: 52379,
  schedulerEtcdPeer: 52380,
  // Jaeger (the OTLP receiver and trace store for the tracing test): not its defaults 4317/4318/16686.
  jaegerOtlpGrpc: 54317,
  jaegerOtlpHttp: 54318,
  jaegerQuery: 56686,
  jaegerQueryGrpc: 56685,
  jaegerHealth: 53133,
});

/** True when something accepts TCP connections on 127.0.0.1:port. @param {number} port */
export function portOpen(port, host = '127.0.0.1') {
  return new Promise((resolvePromise) => {
    const socket = connect({ port, host });
    const done = (/** @type {boolean} */ ok) => {
      socket.destroy();
      resolvePromise(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * A TCP port on 127.0.0.1 nobody listens on right now.
 * @returns {Promise<number>}
 */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}
