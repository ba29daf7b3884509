/**
 * The shared-state bindings: `SSPKIT.ReplayStore` (core's ReplayStore, the Kerberos acceptor's
 * authenticators) and `SSPKIT.NonceCountStore` (Digest's nonce counts). Bound in memory by default
 * (one process: the single-instance default, no Redis needed); `bindRedisStores` rebinds both to one
 * Redis, for a service that runs as several instances.
 */
import { ContainerModule } from 'inversify';
import type { Container } from 'inversify';
import { MemoryReplayStore } from '@sspkit/core';
import type { ReplayStore } from '@sspkit/core';
import { MemoryNonceCountStore } from '@sspkit/digest';
import type { NonceCountStore } from '@sspkit/digest';
import { RedisNonceCountStore, RedisReplayStore, createRedisClient } from '@sspkit/store-redis';
import type { RedisConnectionOptions } from '@sspkit/store-redis';

/** Service identifiers of the stores; `Symbol.for` so two installed copies agree. */
export const STORES = {
  ReplayStore: Symbol.for('sspkit.ReplayStore'),
  NonceCountStore: Symbol.for('sspkit.NonceCountStore'),
  /** The ioredis client of `bindRedisStores` (quit it at shutdown). */
  RedisClient: Symbol.for('sspkit.RedisClient'),
} as const;

/** The in-memory stores, what `sspkitModule` binds unless told otherwise. */
export function memoryStoresModule(): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<ReplayStore>(STORES.ReplayStore)
      .toDynamicValue(() => new MemoryReplayStore())
      .inSingletonScope();
    bind<NonceCountStore>(STORES.NonceCountStore)
      .toDynamicValue(() => new MemoryNonceCountStore())
      .inSingletonScope();
  });
}

/** Where the Redis stores live and how they name their keys. */
export interface RedisStoreOptions extends RedisConnectionOptions {
  /** Prefix of every key (default `sspkit:`); the stores add `nc:` and `replay:`. One per service. */
  readonly keyPrefix?: string;
  /** Digest's late-count window (0–31, default 31). */
  readonly nonceCountWindow?: number;
  /** The replay store's accept window (see `RedisReplayStoreOptions.acceptWindowMs`). */
  readonly replayAcceptWindowMs?: number;
}

/**
 * Rebinds `SSPKIT.ReplayStore` and `SSPKIT.NonceCountStore` to Redis stores sharing one client
 * (`SSPKIT.RedisClient`). Resolve them with `getAsync`: the first resolution connects (and rejects if
 * Redis cannot be reached then, so a misconfigured instance fails at startup, not at its first client).
 */
export function bindRedisStores(container: Container, options: RedisStoreOptions): void {
  const prefix = options.keyPrefix ?? 'sspkit:';
  const bindOrRebind = <T>(id: symbol) => (container.isBound(id) ? container.rebind<T>(id) : container.bind<T>(id));
  bindOrRebind<ReturnType<typeof createRedisClient>>(STORES.RedisClient)
    .toResolvedValue(async () => {
      const client = createRedisClient(options);
      await client.connect();
      return client;
    })
    .inSingletonScope();
  bindOrRebind<NonceCountStore>(STORES.NonceCountStore)
    .toResolvedValue(
      async (client: ReturnType<typeof createRedisClient>) => {
        const store = new RedisNonceCountStore({
          client,
          keyPrefix: `${prefix}nc:`,
          ...(options.nonceCountWindow !== undefined ? { window: options.nonceCountWindow } : {}),
        });
        await store.open();
        return store;
      },
      [STORES.RedisClient],
    )
    .inSingletonScope();
  bindOrRebind<ReplayStore>(STORES.ReplayStore)
    .toResolvedValue(
      async (client: ReturnType<typeof createRedisClient>) => {
        const store = new RedisReplayStore({
          client,
          keyPrefix: `${prefix}replay:`,
          ...(options.replayAcceptWindowMs !== undefined ? { acceptWindowMs: options.replayAcceptWindowMs } : {}),
        });
        await store.open();
        return store;
      },
      [STORES.RedisClient],
    )
    .inSingletonScope();
}
