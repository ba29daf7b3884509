/**
 * Replay detection for nonce counts (RFC 7616 §3.4: the server remembers which `nc` values each nonce
 * has seen). The interface is tiny so a multi-instance server can back it with a shared store.
 */
import type { MaybePromise } from './maybe-promise.js';

/** What a store says about one (nonce, nc) pair. */
export type NonceCountVerdict = 'fresh' | 'replay';

/** Records nonce counts; `record` must be atomic per nonce. */
export interface NonceCountStore {
  /** Records `nc` for `nonce`: `fresh` the first time, `replay` if already used or too old. */
  record(nonce: string, nc: number): MaybePromise<NonceCountVerdict>;
  /** Whether `nc` would be fresh, without recording it (used before the body is verified). */
  peek(nonce: string, nc: number): MaybePromise<NonceCountVerdict>;
}

/** Options of {@link MemoryNonceCountStore}. */
export interface MemoryNonceCountStoreOptions {
  /**
   * How far below the highest count seen a late count is still accepted once (0–31). 0 demands
   * strictly increasing counts, as the Windows Digest SSP does for one context; a window lets
   * parallel connections sharing a nonce finish out of order.
   */
  readonly window?: number;
  /** Most nonces remembered; the oldest are forgotten first (default 100 000). */
  readonly maxNonces?: number;
}

interface Entry {
  highest: number;
  // Bit i set: count (highest - i) was seen.
  seen: number;
}

/** In-process {@link NonceCountStore} with a sliding window per nonce. */
export class MemoryNonceCountStore implements NonceCountStore {
  readonly #entries = new Map<string, Entry>();
  readonly #window: number;
  readonly #maxNonces: number;

  constructor(options: MemoryNonceCountStoreOptions = {}) {
    const window = options.window ?? 31;
    if (!Number.isInteger(window) || window < 0 || window > 31) throw new RangeError('window must be an integer in 0..31');
    this.#window = window;
    this.#maxNonces = options.maxNonces ?? 100_000;
  }

  /** Records a count; see {@link NonceCountStore.record}. */
  record(nonce: string, nc: number): NonceCountVerdict {
    const verdict = this.peek(nonce, nc);
    if (verdict === 'replay') return verdict;
    const entry = this.#entries.get(nonce);
    if (entry === undefined) {
      this.#entries.set(nonce, { highest: nc, seen: 1 });
      // Map iteration order is insertion order, so the first key is the oldest nonce.
      if (this.#entries.size > this.#maxNonces) {
        const oldest = this.#entries.keys().next();
        if (oldest.done !== true) this.#entries.delete(oldest.value);
      }
    } else if (nc > entry.highest) {
      const shift = nc - entry.highest;
      entry.seen = shift >= 32 ? 1 : ((entry.seen << shift) | 1) >>> 0;
      entry.highest = nc;
    } else {
      entry.seen = (entry.seen | (1 << (entry.highest - nc))) >>> 0;
    }
    return 'fresh';
  }

  /** Checks a count without recording it. */
  peek(nonce: string, nc: number): NonceCountVerdict {
    if (!Number.isInteger(nc) || nc < 1) return 'replay';
    const entry = this.#entries.get(nonce);
    if (entry === undefined || nc > entry.highest) return 'fresh';
    const back = entry.highest - nc;
    if (back === 0 || back > this.#window) return 'replay';
    return (entry.seen & (1 << back)) !== 0 ? 'replay' : 'fresh';
  }

  /** Forgets a nonce (for instance when it expires). */
  forget(nonce: string): void {
    this.#entries.delete(nonce);
  }

  /** Number of nonces remembered. */
  get size(): number {
    return this.#entries.size;
  }
}
