/**
 * A Lua script run by digest (EVALSHA): one round trip, atomic on the Redis server. Redis keeps
 * scripts by their SHA-1 until it restarts; a NOSCRIPT answer sends the script whole, once.
 */
import { createHash } from 'node:crypto';
import type { RedisClient } from './client.js';

export class LuaScript {
  readonly #source: string;
  readonly #sha: string;

  constructor(source: string) {
    this.#source = source;
    this.#sha = createHash('sha1').update(source).digest('hex');
  }

  async run(client: RedisClient, keys: readonly string[], args: readonly string[]): Promise<unknown> {
    try {
      return await client.evalsha(this.#sha, keys.length, ...keys, ...args);
    } catch (e) {
      if (!(e instanceof Error) || !e.message.startsWith('NOSCRIPT')) throw e;
      return client.eval(this.#source, keys.length, ...keys, ...args);
    }
  }
}

/**
 * The Lua prologue both stores share: KEYS[2] holds the time (ms) since which this Redis has kept
 * every record. Missing means Redis lost its data (restarted without persistence, or flushed): the
 * records start again now, and `since` tells the stores which values may have been seen before.
 * ARGV[1] is the caller's clock.
 */
export const SINCE_PROLOGUE = `
local since = tonumber(redis.call('GET', KEYS[2]))
if since == nil then
  since = tonumber(ARGV[1])
  redis.call('SET', KEYS[2], ARGV[1])
end
`;

/**
 * Sets the since-marker to `now` unless Redis has one: called when an instance starts, so the records
 * of a new (or emptied) Redis count from then rather than from its first verification. Always safe:
 * it only ever marks a time after any loss of data.
 */
export async function markRecordsStart(client: RedisClient, key: string, now: number): Promise<void> {
  await client.set(key, String(Math.floor(now)), 'NX');
}
