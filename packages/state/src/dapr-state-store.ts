import { z } from 'zod';
import { assertSetOptions, assertStateKey, ConflictError, StateStoreError, type DeleteOptions, type SetOptions, type StateEntry, type StatePort } from './state-port.js';

export interface DaprStateStoreOptions {
  /** The sidecar's --dapr-http-port. */
  daprHttpPort: number;
  /** The state store component's name (deploy/dapr: "statestore"). */
  storeName: string;
  /** Sidecar host; default 127.0.0.1. */
  daprHost?: string;
  /** Timeout of one request to the sidecar; default 10 s. */
  fetchTimeoutMs?: number;
}

const BULK_BATCH = 100;

/** The bulk get answer: one item per key; `data` is the stored JSON, absent for a missing key. */
const BulkItems = z.array(z.object({ key: z.string(), data: z.unknown().optional(), etag: z.string().optional(), error: z.string().optional() }));

/** Dapr's error body: {"errorCode": "...", "message": "..."}. */
interface DaprError {
  errorCode?: string;
  message?: string;
}

/**
 * The state port over the Dapr state API (HTTP, /v1.0/state/<store>). Checked against daprd 1.16
 * with the state.postgresql v1 component:
 * - an etag mismatch answers 409 on save and delete (etags are PostgreSQL xmin values);
 * - "create only" is first-write concurrency without an etag, which that component runs as an
 *   insert that does nothing when the key exists, and reports as 500 "no item was updated".
 * Reads ask for strong consistency so a read after a write sees it.
 */
export class DaprStateStore implements StatePort {
  readonly kind = 'dapr';
  private readonly baseUrl: string;

  constructor(private readonly options: DaprStateStoreOptions) {
    this.baseUrl = `http://${options.daprHost ?? '127.0.0.1'}:${options.daprHttpPort}/v1.0/state/${encodeURIComponent(options.storeName)}`;
  }

  async get(key: string): Promise<StateEntry | null> {
    assertStateKey(key);
    const res = await this.request(`${this.keyUrl(key)}?consistency=strong`, { method: 'GET' });
    if (res.status === 204 || res.status === 404) return null;
    const text = await res.text();
    if (res.status !== 200) throw this.failure('get', key, res.status, text);
    const etag = res.headers.get('etag');
    if (!etag) throw new StateStoreError(`Dapr state store ${this.options.storeName} returned ${JSON.stringify(key)} without an ETag header`);
    return { value: JSON.parse(text) as unknown, etag };
  }

  /**
   * The bulk API (POST /v1.0/state/<store>/bulk), in batches of BULK_BATCH keys. An absent key comes
   * back without data; a key the store failed to read comes back with an error, which fails the call.
   */
  async getMany(keys: readonly string[]): Promise<(StateEntry | null)[]> {
    keys.forEach(assertStateKey);
    const found = new Map<string, StateEntry>();
    const unique = [...new Set(keys)];
    for (let i = 0; i < unique.length; i += BULK_BATCH) {
      const batch = unique.slice(i, i + BULK_BATCH);
      const res = await this.request(`${this.baseUrl}/bulk?metadata.consistency=strong`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ keys: batch, parallelism: 10 }),
      });
      const text = await res.text();
      if (res.status !== 200) throw this.failure('bulk get', batch[0]!, res.status, text);
      const items = BulkItems.safeParse(JSON.parse(text));
      if (!items.success) throw new StateStoreError(`Dapr state store ${this.options.storeName} answered a bulk get with an unexpected body: ${items.error.message}`);
      for (const item of items.data) {
        if (item.error) throw new StateStoreError(`Dapr state bulk get of ${JSON.stringify(item.key)} in ${this.options.storeName} failed: ${item.error}`);
        if (item.data === undefined || item.data === null) continue;
        if (!item.etag) throw new StateStoreError(`Dapr state store ${this.options.storeName} returned ${JSON.stringify(item.key)} without an etag`);
        found.set(item.key, { value: item.data, etag: item.etag });
      }
    }
    return keys.map((key) => found.get(key) ?? null);
  }

  async set(key: string, value: unknown, options: SetOptions = {}): Promise<void> {
    assertStateKey(key);
    assertSetOptions(options);
    if (value === undefined || value === null) throw new TypeError('a state value cannot be null or undefined; delete the key instead');
    const conditional = options.etag !== undefined;
    const item = {
      key,
      value,
      ...(typeof options.etag === 'string' && { etag: options.etag }),
      options: { concurrency: conditional ? 'first-write' : 'last-write', consistency: 'strong' },
      ...(options.ttlSeconds !== undefined && { metadata: { ttlInSeconds: String(options.ttlSeconds) } }),
    };
    const res = await this.request(this.baseUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([item]) });
    if (res.status === 204 || res.status === 200) return;
    const text = await res.text();
    if (res.status === 409 && conditional) throw new ConflictError(key, `etag ${options.etag} is not current`);
    if (options.etag === null && res.status === 500 && parseError(text).message?.includes('no item was updated')) throw new ConflictError(key, 'it already exists');
    throw this.failure('set', key, res.status, text);
  }

  async delete(key: string, options: DeleteOptions = {}): Promise<void> {
    assertStateKey(key);
    const { etag } = options;
    const conditional = etag !== undefined;
    const res = await this.request(`${this.keyUrl(key)}?concurrency=${conditional ? 'first-write' : 'last-write'}&consistency=strong`, {
      method: 'DELETE',
      ...(conditional && { headers: { 'if-match': etag } }),
    });
    if (res.status === 204 || res.status === 200) return;
    const text = await res.text();
    if (res.status === 409 && conditional) throw new ConflictError(key, `etag ${etag} is not current`);
    throw this.failure('delete', key, res.status, text);
  }

  private keyUrl(key: string): string {
    return `${this.baseUrl}/${encodeURIComponent(key)}`;
  }

  private async request(url: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, { ...init, signal: AbortSignal.timeout(this.options.fetchTimeoutMs ?? 10_000) });
    } catch (err) {
      throw new StateStoreError(`Dapr sidecar unreachable at ${url}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }

  private failure(operation: string, key: string, status: number, text: string): StateStoreError {
    const body = parseError(text);
    return new StateStoreError(`Dapr state ${operation} of ${JSON.stringify(key)} in ${this.options.storeName} failed: ${status} ${body.errorCode ?? ''} ${body.message ?? text}`.trim());
  }
}

function parseError(text: string): DaprError {
  try {
    const parsed = JSON.parse(text) as unknown;
    return typeof parsed === 'object' && parsed !== null ? parsed : {};
  } catch {
    return {};
  }
}
