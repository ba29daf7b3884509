/** Structured generation of auth-param lists (RFC 7235 §2.1, RFC 2831 §7.1) for the Digest targets. */
import fc from 'fast-check';
import { fromLatin1 } from '../target.js';

const NAMES = [
  'realm',
  'nonce',
  'opaque',
  'qop',
  'algorithm',
  'stale',
  'domain',
  'charset',
  'userhash',
  'username',
  'username*',
  'uri',
  'response',
  'cnonce',
  'nc',
  'rspauth',
  'nextnonce',
  'digest-uri',
  'maxbuf',
  'cipher',
  'authzid',
  'x',
];
const VALUES = [
  'auth',
  'auth-int',
  'auth-conf',
  'MD5',
  'md5-sess',
  'SHA-256',
  'SHA-512-256-sess',
  'true',
  '00000001',
  'ffffffff',
  "UTF-8''J%C3%A4s",
  'utf-8',
  '3des,rc4',
  '',
];

const token = fc.oneof(fc.constantFrom(...NAMES), fc.string({ maxLength: 8 }));
const value = fc.oneof(
  fc.constantFrom(...VALUES),
  fc.string({ maxLength: 40 }),
  fc.string({ maxLength: 40 }).map((s) => `"${s}"`),
  fc.string({ unit: 'binary', maxLength: 20 }).map((s) => `"${s.replace(/"/g, '\\"')}`),
);
const sep = fc.constantFrom(',', ', ', ',,', ' ,', '\t,', ';', '');
const param = fc.tuple(token, fc.constantFrom('=', ' = ', '=='), value).map(([n, e, v]) => `${n}${e}${v}`);
const list = fc
  .tuple(fc.array(fc.tuple(param, sep), { maxLength: 12 }))
  .map(([ps]) => ps.map(([p, s]) => p + s).join(''));

/** `Digest <params>` or a bare list, as latin1 bytes. */
export const authParamBytes = (schemes: readonly string[]): fc.Arbitrary<Uint8Array> =>
  fc
    .tuple(fc.constantFrom(...schemes, ''), fc.constantFrom(' ', '  ', ''), list)
    .map(([s, gap, l]) => fromLatin1(s === '' ? l : `${s}${gap}${l}`));
