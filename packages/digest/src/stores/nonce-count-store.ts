/**
 * Replay detection for nonce counts (RFC 7616 §3.4: the server remembers which `nc` values each nonce
 * has seen). The interface is tiny so a multi-instance server can back it with a shared store.
 *
 * The one rule every implementation must keep: a nonce's counts are remembered for as long as the
 * nonce can still be accepted (`retainUntil`). A store that must forget a live nonce to make room
 * would let its old counts be replayed, so a full store refuses the new nonce (`full`) instead; the
 * server then answers `stale=true` and the client retries with a fresh nonce.
 */
import type { MaybePromise } from './maybe-promise.js';
import { ExpiryHeap } from './expiry-heap.js';

/**
 * What a store says about one (nonce, nc) pair: `fresh` (first use), `replay` (already used, or too
 * old), `full` (a new nonce the store has no room for without forgetting a live one).
 */
export type NonceCountVerdict = 'fresh' | 'replay' | 'full';

/**
 * Records nonce counts; `record` must be atomic per key. The server passes as `nonce` an opaque
 * fixed-size key of (nonce, user, realm) (`count-key.ts`), so each user's counts on a nonce are its own.
 */
export interface NonceCountStore {
  /**
   * Records `nc` for `nonce`. `retainUntil` (milliseconds since the epoch) is how long the store must
   * keep the nonce's counts: until then it must neither forget them nor evict them for room (a shared
   * store sets it as the entry's expiry time). `issuedAt` is when the nonce was issued: a shared store
   * that lost its records (a Redis restart) answers `full` for nonces issued before it recorded anew,
   * since their earlier counts may be gone.
   */
  record(nonce: string, nc: number, retainUntil: number, issuedAt?: number): MaybePromise<NonceCountVerdict>;
  /** Whether `nc` would be fresh, without recording it. */
  peek(nonce: string, nc: number): MaybePromise<NonceCountVerdict>;
  /**
   * True for a store other processes use too (Redis): every instance then accepts every other's
   * nonces, so the nonce MAC key must be configured (the same on all of them), never drawn per process.
   * A store that cannot answer must reject (the server fails closed), never guess a verdict.
   */
  readonly shared?: boolean;
}

/** Options of {@link MemoryNonceCountStore}. */
export interface MemoryNonceCountStoreOptions {
  /**
   * How far below the highest count seen a late count is still accepted once (0–31). 0 demands
   * strictly increasing counts, as the Windows Digest SSP does for one context; a window lets
   * parallel connections sharing a nonce finish out of order.
   */
  readonly window?: number;
  /**
   * Most live nonces remembered (default 100 000). Expired nonces are dropped as time passes; once
   * this many are still live, new nonces are refused (`full`) until some expire.
   */
  readonly maxNonces?: number;
  /** Clock in milliseconds since the epoch; must be the nonce issuer's (default `Date.now`). */
  readonly now?: () => number;
  /**
   * What a full store does with a new key. `expire-oldest` (default): forget the entry retained the
   * shortest, and from then on refuse (`full`) every key retained no longer than it, so the nonces it
   * belonged to are treated as stale: new clients keep being served, the oldest nonces are retired
   * early, and forgotten counts can never be replayed. `refuse-new`: refuse new keys until entries
   * expire (every new client gets a stale challenge meanwhile: the availability cliff).
   */
  readonly whenFull?: 'expire-oldest' | 'refuse-new';
}

interface Entry {
  highest: number;
  // Bit i set: count (highest - i) was seen.
  seen: number;
  retainUntil: number;
}

/** In-process {@link NonceCountStore} with a sliding window per nonce. */
export class MemoryNonceCountStore implements NonceCountStore {
  readonly #entries = new Map<string, Entry>();
  readonly #expiries = new ExpiryHeap();
  readonly #window: number;
  readonly #maxNonces: number;
  readonly #now: () => number;
  readonly #whenFull: 'expire-oldest' | 'refuse-new';
  // Keys retained until this time or earlier are refused: the store may have forgotten their counts.
  #floor = -Infinity;

  constructor(options: MemoryNonceCountStoreOptions = {}) {
    const window = options.window ?? 31;
    if (!Number.isInteger(window) || window < 0 || window > 31)
      throw new RangeError('window must be an integer in 0..31');
    const maxNonces = options.maxNonces ?? 100_000;
    if (!Number.isInteger(maxNonces) || maxNonces < 1) throw new RangeError('maxNonces must be a positive integer');
    this.#window = window;
    this.#maxNonces = maxNonces;
    this.#now = options.now ?? Date.now;
    this.#whenFull = options.whenFull ?? 'expire-oldest';
  }

  /** Records a count; see {@link NonceCountStore.record}. */
  record(nonce: string, nc: number, retainUntil: number): NonceCountVerdict {
    // Retired early under pressure: its counts (or those of its nonce's other users) may be gone.
    if (retainUntil <= this.#floor) return 'full';
    const verdict = this.peek(nonce, nc);
    if (verdict !== 'fresh') return verdict;
    const now = this.#now();
    this.#sweep(now);
    const entry = this.#entries.get(nonce);
    if (entry === undefined) {
      // Already past its retention: the store could not keep it, so it cannot vouch for it.
      if (!(retainUntil >= now)) return 'replay';
      if (this.#entries.size >= this.#maxNonces) {
        if (this.#whenFull === 'refuse-new') return 'full';
        this.#retireOldest();
        if (retainUntil <= this.#floor) return 'full';
      }
      this.#entries.set(nonce, { highest: nc, seen: 1, retainUntil });
      this.#expiries.push(retainUntil, nonce);
      return 'fresh';
    }
    if (retainUntil > entry.retainUntil) {
      entry.retainUntil = retainUntil;
      this.#expiries.push(retainUntil, nonce);
    }
    if (nc > entry.highest) {
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

  /** Forgets a nonce the caller knows can never be accepted again (revoked, or expired). */
  forget(nonce: string): void {
    this.#entries.delete(nonce);
  }

  /** Number of nonces remembered (expired ones count until the next `record`). */
  get size(): number {
    return this.#entries.size;
  }

  /** Keys retained until this time or earlier are refused (`-Infinity` until the store first filled). */
  get floor(): number {
    return this.#floor;
  }

  // Forgets the entry retained the shortest and raises the floor to its retention time, so that key
  // and every key retained no longer are refused from now on (never accepted with forgotten counts).
  #retireOldest(): void {
    for (let top = this.#expiries.pop(); top !== undefined; top = this.#expiries.pop()) {
      const entry = this.#entries.get(top.key);
      if (entry === undefined || entry.retainUntil !== top.at) continue;
      this.#entries.delete(top.key);
      this.#floor = Math.max(this.#floor, top.at);
      return;
    }
  }

  // Drops the nonces whose retention has passed; heap items left behind by forget() or by a later
  // retainUntil are recognised by their time and skipped.
  #sweep(now: number): void {
    for (let top = this.#expiries.peek(); top !== undefined && top.at < now; top = this.#expiries.peek()) {
      this.#expiries.pop();
      const entry = this.#entries.get(top.key);
      if (entry !== undefined && entry.retainUntil === top.at) this.#entries.delete(top.key);
    }
  }
}
