/**
 * Core's {@link ReplayStore} on Redis: `SET key 1 NX PXAT retainUntil`, atomic on the server (NX),
 * kept until `retainUntil` by Redis itself, shared by every instance that accepts the same one-time
 * values (the Kerberos acceptor's authenticators, RFC 4120 §3.2.3). It runs inside a small Lua script
 * (still one round trip) so that a Redis that lost its records can be told from one that never saw
 * the value: a value that may have been recorded before the loss is refused (rejects, the caller
 * fails closed and the client authenticates anew) instead of passing as fresh.
 */
import type { ReplayStore, ReplayVerdict } from '@sspkit/core';
import type { RedisClient } from './client.js';
import { RedisStoreError, isOutOfMemory } from './errors.js';
import { LuaScript, SINCE_PROLOGUE, markRecordsStart } from './script.js';

/** KEYS: the value, the since-marker. ARGV: now, PXAT time, earliest time the value can have been seen. */
const RECORD_ONCE = new LuaScript(`${SINCE_PROLOGUE}
if tonumber(ARGV[3]) < since then return 'lost' end
if redis.call('SET', KEYS[1], '1', 'NX', 'PXAT', ARGV[2]) then return 'fresh' end
return 'replay'
`);

const SINCE_KEY = '~since';

/** Options of {@link RedisReplayStore}. */
export interface RedisReplayStoreOptions {
  /** A client from `createRedisClient` (fail-fast settings), shared with the other stores. */
  readonly client: RedisClient;
  /** Prefix of every key (default `sspkit:replay:`); give each service its own. */
  readonly keyPrefix?: string;
  /**
   * How long before its `retainUntil` a value can first have been presented, in milliseconds (default
   * 1 200 000, four times the 5-minute skew of RFC 4120 §1.6: the Kerberos acceptor retains an
   * authenticator until two skews after it sees it, and the same authenticator can have been presented
   * as early as two skews before that). After Redis lost its records at time T, values that may have
   * been seen before T (retainUntil - this < T) are refused. Set it to `4 × clockskew` when the
   * acceptors' krb5.conf changes the skew.
   */
  readonly acceptWindowMs?: number;
  /** Clock in milliseconds since the epoch (default `Date.now`). */
  readonly now?: () => number;
}

/** A replay record shared by every instance; rejects (the caller fails closed) when Redis cannot answer. */
export class RedisReplayStore implements ReplayStore {
  readonly #client: RedisClient;
  readonly #prefix: string;
  readonly #window: number;
  readonly #now: () => number;

  constructor(options: RedisReplayStoreOptions) {
    const window = options.acceptWindowMs ?? 1_200_000;
    if (!Number.isFinite(window) || window < 0) throw new RangeError('acceptWindowMs must be a non-negative number');
    this.#client = options.client;
    this.#prefix = options.keyPrefix ?? 'sspkit:replay:';
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
      throw new RedisStoreError('replay store', e);
    }
  }

  async recordOnce(key: string, retainUntil: number): Promise<ReplayVerdict> {
    if (!Number.isFinite(retainUntil)) throw new RangeError('retainUntil must be a finite time in milliseconds');
    const now = Math.floor(this.#now());
    // PXAT must lie ahead (Redis drops a key whose time has passed): at least a millisecond, which is
    // what a record already past its retention is owed.
    const at = Math.max(Math.ceil(retainUntil), now + 1);
    const keys = [this.#prefix + key, this.#prefix + SINCE_KEY];
    let reply: unknown;
    try {
      reply = await RECORD_ONCE.run(this.#client, keys, [now, at, Math.floor(retainUntil - this.#window)].map(String));
    } catch (e) {
      throw new RedisStoreError('replay store', isOutOfMemory(e) ? 'out of memory (maxmemory, noeviction)' : e);
    }
    if (reply === 'fresh' || reply === 'replay') return reply;
    if (reply === 'lost')
      throw new RedisStoreError('replay store', 'Redis lost its records since this value was issued');
    throw new RedisStoreError('replay store', 'the script answered no verdict');
  }
}
