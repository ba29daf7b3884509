// The public surface of @sspkit/store-redis: the fail-fast client, Digest's nonce-count store and
// core's replay store on Redis.
export { createRedisClient } from './client.js';
export type { RedisClient, RedisConnectionOptions } from './client.js';
export { RedisNonceCountStore } from './nonce-count-store.js';
export type { RedisNonceCountStoreOptions } from './nonce-count-store.js';
export { RedisReplayStore } from './replay-store.js';
export type { RedisReplayStoreOptions } from './replay-store.js';
export { RedisStoreError } from './errors.js';
