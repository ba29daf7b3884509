/**
 * Digest's {@link NonceCountStore} on Redis (RFC 7616 §3.4: the server remembers which `nc` values
 * each nonce has seen), shared by every instance of a service: a count used at one instance is a
 * replay at all of them, and after a restart. Same window and retention rules as the in-memory store.
 */
import type { NonceCountStore, NonceCountVerdict } from '@sspkit/digest';
import type { RedisClient } from './client.js';
import { RedisStoreError, isOutOfMemory } from './errors.js';
import { RECORD_COUNT } from './nonce-count-script.js';
import { markRecordsStart } from './script.js';

// The since-marker (script.ts); no nonce key collides with it (they are base64url, no `~`).
const SINCE_KEY = '~since';

/** Options of {@link RedisNonceCountStore}. */
export interface RedisNonceCountStoreOptions {
  /** A client from `createRedisClient` (fail-fast settings), shared with the other stores. */
  readonly client: RedisClient;
  /** Prefix of every key (default `sspkit:nc:`); give each service (each nonce key) its own. */
  readonly keyPrefix?: string;
  /** How far below the highest count a late count is still accepted once (0–31, default 31). */
  readonly window?: number;
  /** Clock in milliseconds since the epoch; must be the nonce issuer's (default `Date.now`). */
  readonly now?: () => number;
}

/**
 * Nonce counts in Redis, checked and recorded by one Lua script per verification (EVALSHA; the
 * script is sent once per Redis process, when it answers NOSCRIPT). Rejects when Redis cannot answer
 * (down, timed out): Digest then refuses the response. Redis out of memory (maxmemory with the
 * `noeviction` policy) is `full`: the nonce is treated as stale, never recorded by forgetting another.
 */
export class RedisNonceCountStore implements NonceCountStore {
  /** Other instances use this store too: Digest demands a configured nonce key with it. */
  readonly shared = true;
  readonly #client: RedisClient;
  readonly #prefix: string;
  readonly #window: number;
  readonly #now: () => number;

  constructor(options: RedisNonceCountStoreOptions) {
    const window = options.window ?? 31;
    if (!Number.isInteger(window) || window < 0 || window > 31)
      throw new RangeError('window must be an integer in 0..31');
    this.#client = options.client;
    this.#prefix = options.keyPrefix ?? 'sspkit:nc:';
    this.#window = window;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Call once at startup (after `client.connect()`): a new or emptied Redis then keeps records from
   * now on, rather than from the first verification (which would retire the values issued meanwhile).
   */
  async open(): Promise<void> {
    try {
      await markRecordsStart(this.#client, this.#prefix + SINCE_KEY, this.#now());
    } catch (e) {
      throw new RedisStoreError('nonce-count store', e);
    }
  }

  async record(nonce: string, nc: number, retainUntil: number, issuedAt?: number): Promise<NonceCountVerdict> {
    if (!Number.isInteger(nc) || nc < 1) return 'replay';
    if (!Number.isFinite(retainUntil)) throw new RangeError('retainUntil must be a finite time in milliseconds');
    const now = Math.floor(this.#now());
    // Without its issue time a nonce is taken as issued just now: only a restart older than that
    // retires it (Digest always passes the time).
    const issued = issuedAt !== undefined && Number.isFinite(issuedAt) ? Math.floor(issuedAt) : now;
    const keys = [this.#prefix + nonce, this.#prefix + SINCE_KEY];
    const args = [now, nc, Math.ceil(retainUntil), this.#window, issued].map(String);
    let reply: unknown;
    try {
      reply = await RECORD_COUNT.run(this.#client, keys, args);
    } catch (e) {
      if (isOutOfMemory(e)) return 'full';
      throw new RedisStoreError('nonce-count store', e);
    }
    if (reply === 'fresh' || reply === 'replay' || reply === 'full') return reply;
    throw new RedisStoreError('nonce-count store', 'the script answered no verdict');
  }

  async peek(nonce: string, nc: number): Promise<NonceCountVerdict> {
    if (!Number.isInteger(nc) || nc < 1) return 'replay';
    let fields: (string | null)[];
    try {
      fields = await this.#client.hmget(this.#prefix + nonce, 'h', 's');
    } catch (e) {
      throw new RedisStoreError('nonce-count store', e);
    }
    const [h, s] = fields;
    if (h === null || h === undefined) return 'fresh';
    const highest = Number(h);
    if (nc > highest) return 'fresh';
    const back = highest - nc;
    if (back === 0 || back > this.#window) return 'replay';
    return Math.floor(Number(s ?? '0') / 2 ** back) % 2 === 1 ? 'replay' : 'fresh';
  }
}
