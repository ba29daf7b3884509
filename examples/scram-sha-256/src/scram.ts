/**
 * SCRAM-SHA-256 (RFC 5802, RFC 7677): the message grammar and the key computations. Pure: no state,
 * no I/O; parse functions return undefined for anything malformed, never throw.
 */
import { createHash, createHmac, pbkdf2Sync, timingSafeEqual } from 'node:crypto';

/** What the server stores per user (RFC 5802 §5.1): no password. */
export interface ScramVerifier {
  readonly salt: Uint8Array;
  readonly iterations: number;
  readonly storedKey: Uint8Array;
  readonly serverKey: Uint8Array;
}

export const MIN_ITERATIONS = 4096; // RFC 7677 §4
/** A server refuses client nonces shorter than this (our policy: ≥ 96 bits of base64 entropy). */
const MIN_NONCE = 16;
const PRINTABLE = /^[\x21-\x2b\x2d-\x7e]+$/; // RFC 5802 "printable": %x21-2B / %x2D-7E

const hmac = (key: Uint8Array, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();
const sha256 = (data: Uint8Array): Buffer => createHash('sha256').update(data).digest();

/**
 * The subset of SASLprep (RFC 4013) this example applies: NFKC normalisation, and refusal of
 * control characters. (Full stringprep tables are out of scope for an example.)
 */
export function saslPrep(s: string): string | undefined {
  const n = s.normalize('NFKC');
  // eslint-disable-next-line no-control-regex -- RFC 4013 §2.3: control characters are refused
  return /[\u0000-\u001f\u007f]/.test(n) ? undefined : n;
}

/** SaltedPassword := Hi(Normalize(password), salt, i) — PBKDF2-HMAC-SHA-256. */
export function saltedPassword(password: string, salt: Uint8Array, iterations: number): Buffer {
  return pbkdf2Sync(password, salt, iterations, 32, 'sha256');
}

/** Builds a server-side verifier from a password (the password is not kept). */
export function makeVerifier(password: string, salt: Uint8Array, iterations = MIN_ITERATIONS): ScramVerifier {
  const sp = saltedPassword(password, salt, iterations);
  const v = {
    salt: Uint8Array.from(salt),
    iterations,
    storedKey: sha256(hmac(sp, 'Client Key')),
    serverKey: hmac(sp, 'Server Key'),
  };
  sp.fill(0);
  return v;
}

/** ClientProof and the expected ServerSignature for an AuthMessage. */
export function clientProof(salted: Uint8Array, authMessage: string): { proof: Buffer; serverSignature: Buffer } {
  const clientKey = hmac(salted, 'Client Key');
  const signature = hmac(sha256(clientKey), authMessage);
  const proof = Buffer.alloc(32);
  for (let i = 0; i < 32; i++) proof[i] = clientKey[i]! ^ signature[i]!;
  const serverSignature = hmac(hmac(salted, 'Server Key'), authMessage);
  clientKey.fill(0);
  return { proof, serverSignature };
}

/** Server side: checks a ClientProof against the stored keys (constant time). */
export function verifyProof(v: ScramVerifier, authMessage: string, proof: Uint8Array): boolean {
  if (proof.length !== 32) return false;
  const signature = hmac(v.storedKey, authMessage);
  const clientKey = Buffer.alloc(32);
  for (let i = 0; i < 32; i++) clientKey[i] = proof[i]! ^ signature[i]!;
  const ok = timingSafeEqual(sha256(clientKey), v.storedKey);
  clientKey.fill(0);
  return ok;
}

/** The ServerSignature the server sends in server-final. */
export function serverSignature(v: ScramVerifier, authMessage: string): Buffer {
  return hmac(v.serverKey, authMessage);
}

/** saslname escaping (RFC 5802 §5.1). */
export const escapeName = (n: string): string => n.replace(/=/g, '=3D').replace(/,/g, '=2C');
function unescapeName(n: string): string | undefined {
  if (/=(?!2C|3D)/.test(n)) return undefined;
  return n.replace(/=2C/g, ',').replace(/=3D/g, '=');
}

/** Splits `a=…,b=…` into ordered attributes; undefined when malformed. */
function attributes(s: string): [string, string][] | undefined {
  const out: [string, string][] = [];
  for (const part of s.split(',')) {
    const m = /^([A-Za-z])=(.*)$/s.exec(part);
    if (!m) return undefined;
    out.push([m[1]!, m[2]!]);
  }
  return out;
}

const b64 = /^[A-Za-z0-9+/]*={0,2}$/;

export interface ClientFirst {
  readonly gs2Header: string;
  readonly user: string;
  readonly nonce: string;
  /** client-first-message-bare: the part that enters the AuthMessage. */
  readonly bare: string;
}

/** Parses client-first-message. Only the "n" and "y" GS2 flags (no channel binding) are accepted. */
export function parseClientFirst(text: string): ClientFirst | undefined {
  const m = /^([ny]),(?:a=([^,]*))?,(.*)$/s.exec(text);
  if (!m || m[2] !== undefined) return undefined; // no authzid in this example
  const bare = m[3]!;
  const a = attributes(bare);
  if (!a || a.length < 2 || a[0]![0] !== 'n' || a[1]![0] !== 'r') return undefined;
  const user = unescapeName(a[0]![1]);
  const nonce = a[1]![1];
  if (user === undefined || user.length === 0 || !PRINTABLE.test(nonce) || nonce.length < MIN_NONCE) return undefined;
  return { gs2Header: `${m[1]},,`, user, nonce, bare };
}

export interface ServerFirst {
  readonly nonce: string;
  readonly salt: Uint8Array;
  readonly iterations: number;
}

/** Parses server-first-message; a mandatory extension (m=) is refused. */
export function parseServerFirst(text: string): ServerFirst | undefined {
  const a = attributes(text);
  if (!a || a.length < 3 || a[0]![0] !== 'r' || a[1]![0] !== 's' || a[2]![0] !== 'i') return undefined;
  const [nonce, salt, it] = [a[0]![1], a[1]![1], a[2]![1]];
  if (!PRINTABLE.test(nonce) || !b64.test(salt) || salt.length === 0 || !/^[1-9]\d{0,9}$/.test(it)) return undefined;
  return { nonce, salt: Buffer.from(salt, 'base64'), iterations: Number(it) };
}

export interface ClientFinal {
  readonly channelBinding: string;
  readonly nonce: string;
  readonly proof: Uint8Array;
  /** client-final-message-without-proof. */
  readonly withoutProof: string;
}

/** Parses client-final-message. */
export function parseClientFinal(text: string): ClientFinal | undefined {
  const i = text.lastIndexOf(',p=');
  if (i < 0) return undefined;
  const withoutProof = text.slice(0, i);
  const a = attributes(withoutProof);
  const proof = text.slice(i + 3);
  if (!a || a.length < 2 || a[0]![0] !== 'c' || a[1]![0] !== 'r' || !b64.test(proof)) return undefined;
  return { channelBinding: a[0]![1], nonce: a[1]![1], proof: Buffer.from(proof, 'base64'), withoutProof };
}

/** Parses server-final-message: the verifier, or the server's error. */
export function parseServerFinal(text: string): { verifier: Uint8Array } | { error: string } | undefined {
  const a = attributes(text);
  if (!a || a.length < 1) return undefined;
  if (a[0]![0] === 'e') return { error: a[0]![1] };
  if (a[0]![0] !== 'v' || !b64.test(a[0]![1])) return undefined;
  return { verifier: Buffer.from(a[0]![1], 'base64') };
}
