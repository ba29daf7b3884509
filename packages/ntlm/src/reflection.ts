import { toHexKey } from './crypto/hashes.js';

/**
 * NTLM reflection (the MS08-068 class): an attacker who connects to our acceptor receives a
 * CHALLENGE, hands it to an NTLM client in the same process (tricked into authenticating to the
 * attacker), and relays that client's AUTHENTICATE back to our acceptor, logging on as the client's
 * user. Windows defeats it by remembering, machine-wide, the server challenges its own acceptors
 * issued, and refusing to answer one of them as a client. This ledger is that memory for one process:
 * acceptors record each server challenge while its context waits for the AUTHENTICATE, clients
 * consult it before answering a CHALLENGE.
 *
 * Bounded and expiring: an entry lives until its server context completes, fails or is deleted, or
 * for `ttlMs` at most; past `capacity` live entries the oldest is dropped (an attacker would need
 * that many fresh NEGOTIATEs between taking a challenge and reflecting it).
 */
export class ChallengeLedger {
  /** Hex of the challenge → when it was issued (insertion order = issue order). */
  readonly #issued = new Map<string, number>();
  readonly #capacity: number;
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(opts: { readonly capacity: number; readonly ttlMs: number; readonly now?: () => number }) {
    this.#capacity = opts.capacity;
    this.#ttlMs = opts.ttlMs;
    this.#now = opts.now ?? (() => performance.now());
  }

  /** Records a server challenge our acceptor is sending. */
  issued(challenge: Uint8Array): void {
    const now = this.#now();
    this.#expire(now);
    const key = toHexKey(challenge);
    this.#issued.delete(key);
    this.#issued.set(key, now);
    while (this.#issued.size > this.#capacity) {
      const oldest = this.#issued.keys().next();
      if (oldest.done === true) break;
      this.#issued.delete(oldest.value);
    }
  }

  /** Forgets a challenge whose server context no longer waits for an answer. */
  forget(challenge: Uint8Array): void {
    if (challenge.length > 0) this.#issued.delete(toHexKey(challenge));
  }

  /** True when `challenge` is one our acceptors issued and still wait on. */
  wasIssued(challenge: Uint8Array): boolean {
    this.#expire(this.#now());
    return this.#issued.has(toHexKey(challenge));
  }

  /** Live entries (for tests and diagnostics). */
  get size(): number {
    return this.#issued.size;
  }

  #expire(now: number): void {
    for (const [key, at] of this.#issued) {
      if (now - at < this.#ttlMs) break; // insertion order: the rest are younger
      this.#issued.delete(key);
    }
  }
}

/**
 * The ledger every NTLM package instance of this process shares (reflection crosses package
 * instances and registries as easily as contexts of one instance). Five minutes, as long as an
 * acceptor reasonably waits for an AUTHENTICATE; 16384 waiting contexts.
 */
export const processChallenges = new ChallengeLedger({ capacity: 16384, ttlMs: 5 * 60_000 });
