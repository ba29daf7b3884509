/**
 * Where a Digest server finds its users. A record holds either the password or, better, the
 * per-algorithm H(username:realm:password) so no plaintext needs to be stored (htdigest keeps MD5's).
 */
import type { DigestAlgorithm } from '../crypto/algorithms.js';
import { userRealmPasswordHash } from '../crypto/http-digest.js';
import { unicodeToWire } from '../bytes.js';
import type { MaybePromise } from './maybe-promise.js';

/** One user as a store returns it. */
export interface DigestUser {
  /** User name, Unicode. */
  readonly username: string;
  /** Realm, Unicode. */
  readonly realm: string;
  /** Plaintext password, if the store keeps one (it then serves every algorithm). */
  readonly password?: string;
  /** Hex H(username:realm:password) per base algorithm. */
  readonly ha1?: Partial<Record<DigestAlgorithm['base'], string>>;
  /** Group names, copied into the context token. */
  readonly groups?: readonly string[];
}

/** The server-side credential source. */
export interface UserStore {
  /** Finds a user by name and realm. */
  lookup(username: string, realm: string): MaybePromise<DigestUser | undefined>;
  /** Finds a user by RFC 7616 §3.4.4 userhash; stores that cannot answer omit it. */
  lookupByUserhash?(hash: string, realm: string, algorithm: DigestAlgorithm): MaybePromise<DigestUser | undefined>;
}

/** H(username:realm:password) of a user for an algorithm, or undefined when the store cannot serve it. */
export function baseHa1For(user: DigestUser, algorithm: DigestAlgorithm): string | undefined {
  const stored = user.ha1?.[algorithm.base];
  if (stored !== undefined) return stored.toLowerCase();
  if (user.password === undefined) return undefined;
  return userRealmPasswordHash(
    algorithm,
    unicodeToWire(user.username),
    unicodeToWire(user.realm),
    unicodeToWire(user.password),
  );
}
