/**
 * Stateless server nonces (RFC 7616 §3.3 and §5.4): timestamp ‖ random ‖ MAC(key, timestamp ‖ random
 * ‖ realm ‖ opaque). Any server instance holding the key validates any nonce without shared state;
 * an authentic but old nonce is *stale*, so the client retries without asking for the password.
 */
import { Buffer } from 'node:buffer';
import { createHmac, randomBytes } from 'node:crypto';
import { constantTimeEqual } from '@sspkit/core';

/** Verdict on a nonce presented by a client. */
export type NonceVerdict = 'valid' | 'stale' | 'invalid';

/** Options of a {@link NonceIssuer}. */
export interface NonceIssuerOptions {
  /** MAC key (≥ 16 octets). Share it between instances of one service; random when omitted. */
  readonly key?: Uint8Array;
  /** How long a nonce stays valid, in milliseconds (default 300 000). */
  readonly lifetimeMs?: number;
  /** Clock, replaceable in tests. */
  readonly now?: () => number;
}

const TS_LEN = 8;
const RAND_LEN = 12;
const MAC_LEN = 16;
const TOTAL = TS_LEN + RAND_LEN + MAC_LEN;
// A nonce from the future is only accepted within this clock skew between instances.
const MAX_SKEW_MS = 60_000;

/** Issues and checks MAC-protected, timestamped nonces. */
export class NonceIssuer {
  readonly #key: Buffer;
  readonly #lifetimeMs: number;
  readonly #now: () => number;
  /**
   * Whether the MAC key came from the caller: other issuers (other instances) may then hold it and
   * accept the same nonces, so replay detection needs a nonce-count store they all share.
   */
  readonly sharedKey: boolean;

  constructor(options: NonceIssuerOptions = {}) {
    if (options.key !== undefined && options.key.length < 16)
      throw new RangeError('nonce key must be at least 16 octets');
    this.sharedKey = options.key !== undefined;
    this.#key = options.key !== undefined ? Buffer.from(options.key) : randomBytes(32);
    this.#lifetimeMs = options.lifetimeMs ?? 300_000;
    this.#now = options.now ?? Date.now;
  }

  /** The validity period of issued nonces, in milliseconds. */
  get lifetimeMs(): number {
    return this.#lifetimeMs;
  }

  /** Issues a nonce bound to a realm and opaque value. */
  issue(realm: string, opaque = ''): string {
    const head = Buffer.alloc(TS_LEN + RAND_LEN);
    head.writeBigUInt64BE(BigInt(Math.max(0, Math.floor(this.#now()))), 0);
    randomBytes(RAND_LEN).copy(head, TS_LEN);
    return Buffer.concat([head, this.#mac(head, realm, opaque)]).toString('base64');
  }

  /** Checks a nonce: `invalid` if forged or malformed, `stale` if authentic but expired. */
  check(nonce: string, realm: string, opaque = ''): NonceVerdict {
    if (nonce.length !== Math.ceil(TOTAL / 3) * 4 || !/^[A-Za-z0-9+/]+={0,2}$/.test(nonce)) return 'invalid';
    const raw = Buffer.from(nonce, 'base64');
    if (raw.length !== TOTAL) return 'invalid';
    const head = raw.subarray(0, TS_LEN + RAND_LEN);
    if (!constantTimeEqual(raw.subarray(TS_LEN + RAND_LEN), this.#mac(head, realm, opaque))) return 'invalid';
    const issued = Number(head.readBigUInt64BE(0));
    const age = this.#now() - issued;
    if (age < -MAX_SKEW_MS) return 'invalid';
    return age > this.#lifetimeMs ? 'stale' : 'valid';
  }

  /** The issuer's clock, in milliseconds since the epoch (nonce-count stores share it). */
  now(): number {
    return this.#now();
  }

  /**
   * Until when a nonce-count store must remember a nonce that {@link check} accepted: its expiry plus
   * the clock skew tolerated between instances, so no instance still taking the nonce finds it gone.
   */
  retainUntil(nonce: string): number {
    return this.issuedAt(nonce) + this.#lifetimeMs + MAX_SKEW_MS;
  }

  /** Whether a nonce that {@link check} accepted earlier has expired since (no MAC work). */
  isExpired(nonce: string): boolean {
    return this.#now() - this.issuedAt(nonce) > this.#lifetimeMs;
  }

  /** Issue time of a nonce that {@link check} accepted, in milliseconds since the epoch. */
  issuedAt(nonce: string): number {
    return Number(Buffer.from(nonce, 'base64').readBigUInt64BE(0));
  }

  /**
   * An opaque value every issuer holding the same key derives alike (a MAC of a fixed label), so the
   * instances of one service agree on it without configuring one: the nonce MAC covers the opaque.
   */
  sharedOpaque(): string {
    return createHmac('sha256', this.#key).update('sspkit digest opaque').digest().subarray(0, 16).toString('base64');
  }

  #mac(head: Buffer, realm: string, opaque: string): Buffer {
    return createHmac('sha256', this.#key)
      .update(head)
      .update(Buffer.from(`\0${realm}\0${opaque}`, 'latin1'))
      .digest()
      .subarray(0, MAC_LEN);
  }
}
