/**
 * RFC 7616 §3.4.1–§3.4.3 computations (RFC 2617 §3.2.2 when `qop` is absent). All string inputs are
 * byte strings (see `bytes.ts`), so the hashes cover the exact octets that travel on the wire.
 */
import { Buffer } from 'node:buffer';
import * as crypto from 'node:crypto';
import type { HttpQop } from '../messages/qop.js';
import type { DigestAlgorithm } from './algorithms.js';

// crypto.hash() (Node >= 20.12) hashes in one call, about twice as fast as createHash() for the short
// inputs here; it reads a string as UTF-8, so only pure-ASCII byte strings go to it as they are.
const oneShot = (crypto as { hash?: (alg: string, data: string | Uint8Array, enc: 'hex') => string }).hash;
// eslint-disable-next-line no-control-regex -- ASCII is every code unit up to 0x7f
const ASCII = /^[\x00-\x7f]*$/;

/** Lower-case hex of H(parts joined by ":"). */
export function hashHex(algorithm: DigestAlgorithm, ...parts: readonly string[]): string {
  // Byte strings map 1:1 to octets (latin1); one input, no Buffer per part.
  const text = parts.join(':');
  if (oneShot === undefined) return crypto.createHash(algorithm.hash).update(text, 'latin1').digest('hex');
  return oneShot(algorithm.hash, ASCII.test(text) ? text : Buffer.from(text, 'latin1'), 'hex');
}

/** Lower-case hex of H(body), the entity-body hash of `auth-int`. */
export function hashBody(algorithm: DigestAlgorithm, body: Uint8Array): string {
  return crypto.createHash(algorithm.hash).update(body).digest('hex');
}

/** H(username:realm:password): what `htdigest` stores and what the session variants re-key. */
export function userRealmPasswordHash(
  algorithm: DigestAlgorithm,
  username: string,
  realm: string,
  password: string,
): string {
  return hashHex(algorithm, username, realm, password);
}

/** HA1 of RFC 7616 §3.4.2 from the stored H(username:realm:password). */
export function sessionHa1(
  algorithm: DigestAlgorithm,
  baseHa1: string,
  nonce: string,
  cnonce: string | undefined,
): string {
  return algorithm.session ? hashHex(algorithm, baseHa1, nonce, cnonce ?? '') : baseHa1;
}

/** Inputs of HA2 (RFC 7616 §3.4.3); `method` is empty for `rspauth`. */
export interface Ha2Input {
  readonly method: string;
  readonly uri: string;
  readonly qop: HttpQop | undefined;
  /** Hex of H(entity-body); required when qop is auth-int. */
  readonly bodyHash?: string;
}

/** HA2 of RFC 7616 §3.4.3. */
export function ha2(algorithm: DigestAlgorithm, input: Ha2Input): string {
  if (input.qop === 'auth-int')
    return hashHex(algorithm, input.method, input.uri, input.bodyHash ?? hashHex(algorithm, ''));
  return hashHex(algorithm, input.method, input.uri);
}

/** Inputs of the final response digest (RFC 7616 §3.4.1). */
export interface ResponseInput {
  readonly ha1: string;
  readonly nonce: string;
  readonly qop: HttpQop | undefined;
  readonly nc?: number | undefined;
  readonly cnonce?: string | undefined;
  readonly ha2: string;
}

/** response = KD(HA1, nonce:nc:cnonce:qop:HA2), or KD(HA1, nonce:HA2) for RFC 2069 peers. */
export function responseDigest(algorithm: DigestAlgorithm, input: ResponseInput): string {
  if (input.qop === undefined) return hashHex(algorithm, input.ha1, input.nonce, input.ha2);
  const nc = (input.nc ?? 0).toString(16).padStart(8, '0');
  return hashHex(algorithm, input.ha1, input.nonce, nc, input.cnonce ?? '', input.qop, input.ha2);
}

/** userhash = H(username:realm) (RFC 7616 §3.4.4). */
export function userhash(algorithm: DigestAlgorithm, username: string, realm: string): string {
  return hashHex(algorithm, username, realm);
}
