/**
 * A record of one-time values shared by every server instance that accepts the same tokens: the
 * Kerberos acceptor records each AP-REQ authenticator (RFC 4120 §3.2.3: "the server MUST utilize a
 * replay cache"), so an AP-REQ accepted by one instance is refused by every other. The in-memory
 * implementation serves one process; a shared one (Redis) serves many.
 *
 * Contract: `recordOnce` is atomic per key; a key is kept at least until `retainUntil`; a store that
 * cannot answer (unreachable, timed out) rejects, and the caller fails closed (never accepts).
 */
export type ReplayVerdict = 'fresh' | 'replay';

export interface ReplayStore {
  /**
   * Records `key` (an opaque string, e.g. a hash of the authenticator) unless it is already there.
   * `retainUntil` is in milliseconds since the epoch. Resolves `fresh` when recorded now, `replay`
   * when it was already recorded.
   */
  recordOnce(key: string, retainUntil: number): Promise<ReplayVerdict>;
}

/** Options of {@link MemoryReplayStore}. */
export interface MemoryReplayStoreOptions {
  /** Clock in milliseconds since the epoch (default `Date.now`). */
  readonly now?: () => number;
  /** Most live keys kept (default 1 000 000); past it the store refuses (rejects), never forgets. */
  readonly maxKeys?: number;
}

/** One process's replay record: a map from key to expiry, pruned as it is used. */
export class MemoryReplayStore implements ReplayStore {
  readonly #keys = new Map<string, number>();
  readonly #now: () => number;
  readonly #maxKeys: number;

  constructor(options: MemoryReplayStoreOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#maxKeys = options.maxKeys ?? 1_000_000;
  }

  /** Live keys (for tests and metrics). */
  get size(): number {
    return this.#keys.size;
  }

  recordOnce(key: string, retainUntil: number): Promise<ReplayVerdict> {
    const now = this.#now();
    const until = this.#keys.get(key);
    if (until !== undefined && until > now) return Promise.resolve('replay');
    if (until === undefined && this.#keys.size >= this.#maxKeys) this.#prune(now);
    if (until === undefined && this.#keys.size >= this.#maxKeys) {
      // Forgetting a live key would let it replay: refuse instead, and let the caller fail closed.
      return Promise.reject(new Error('replay store full'));
    }
    this.#keys.set(key, retainUntil);
    return Promise.resolve('fresh');
  }

  #prune(now: number): void {
    for (const [key, until] of this.#keys) if (until <= now) this.#keys.delete(key);
  }
}
