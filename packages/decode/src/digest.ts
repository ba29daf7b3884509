/**
 * HTTP Digest messages (RFC 7616 §3.3 challenge, §3.4 credentials, §3.5 Authentication-Info),
 * parsed by @sspkit/digest's own auth-param parser and explained parameter by parameter.
 */
import { parseAuthParams } from '@sspkit/digest';
import type { Field, TokenExplanation, TokenKind } from './types.js';
import { field } from './types.js';

/** What each parameter means, where a word helps (RFC 7616 §3.3–3.5). */
const NOTES: Readonly<Record<string, string>> = {
  algorithm: 'hash algorithm (MD5 when absent)',
  qop: 'quality of protection',
  nc: 'nonce count (hex)',
  cnonce: 'client nonce',
  stale: 'true: the nonce expired, the credentials were right',
  userhash: 'true: the username is hashed',
  charset: 'UTF-8: names and passwords are UTF-8',
  rspauth: 'the server proves it knows the password too',
  nextnonce: 'the nonce to use for the next request',
  opaque: 'returned unchanged by the client',
  'username*': 'RFC 8187 extended username',
};

/** Which kind of Digest message a header or a parameter set is. */
function digestKind(header: string | undefined, names: ReadonlySet<string>): TokenKind {
  const h = header?.toLowerCase();
  if (h === 'authentication-info' || h === 'proxy-authentication-info') return 'digest-authentication-info';
  if (h === 'authorization' || h === 'proxy-authorization') return 'digest-credentials';
  if (h === 'www-authenticate' || h === 'proxy-authenticate') return 'digest-challenge';
  if (names.has('response')) return 'digest-credentials';
  if (names.has('rspauth') || (names.has('nextnonce') && !names.has('nonce'))) return 'digest-authentication-info';
  return 'digest-challenge';
}

const SUMMARY: Readonly<Record<string, string>> = {
  'digest-challenge': 'Digest challenge (RFC 7616 §3.3)',
  'digest-credentials': 'Digest credentials (RFC 7616 §3.4)',
  'digest-authentication-info': 'Digest Authentication-Info (RFC 7616 §3.5)',
};

/** Explains the parameters after the `Digest` scheme word (or a whole Authentication-Info value). */
export function explainDigest(params: string, header: string | undefined): TokenExplanation {
  const r = parseAuthParams(params);
  if (!r.ok) {
    const kind = digestKind(header, new Set());
    return { kind, summary: SUMMARY[kind] ?? 'Digest', fields: [], stopped: { reason: r.error.message } };
  }
  const names = new Set(r.value.map((p) => p.name));
  const kind = digestKind(header, names);
  const fields: Field[] = r.value.map((p) => {
    const note = NOTES[p.name];
    const value = p.quoted ? JSON.stringify(p.value) : p.value;
    return field(p.name, note !== undefined ? `${value}  (${note})` : value);
  });
  const seen = new Set<string>();
  const dup = r.value.find((p) => (seen.has(p.name) ? true : (seen.add(p.name), false)));
  return {
    kind,
    summary: SUMMARY[kind] ?? 'Digest',
    fields,
    ...(dup !== undefined
      ? { stopped: { reason: `parameter "${dup.name}" appears twice (RFC 7616 §3.3: each at most once)` } }
      : {}),
  };
}
