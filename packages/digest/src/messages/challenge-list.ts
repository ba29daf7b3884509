/**
 * A `WWW-Authenticate` / `Proxy-Authenticate` field value as RFC 7235 defines it: a comma-separated
 * list of challenges (§4.1 `1#challenge`), each an auth-scheme followed by either one token68 or a
 * list of auth-params (§2.1). This is what Node hands over for several header lines (it joins them
 * with ", "), e.g. `Negotiate, Digest realm="a", nonce="n", algorithm=SHA-256, Digest realm="a", …`.
 *
 * The grammar is ambiguous only at a comma: what follows is another auth-param of the same challenge
 * when it reads `token BWS "="`, and a new challenge otherwise (a scheme is followed by SP, a comma or
 * the end, never by "="). Input is a byte string (one char per octet).
 */
import { DIGEST_ALGORITHMS } from '../crypto/algorithms.js';
import type { DigestAlgorithmName } from '../crypto/algorithms.js';
import { DigestErrorCode, fail, ok } from '../errors.js';
import type { DigestError, Result } from '../errors.js';
import { DEFAULT_LIMITS, isQdText, isQuotedPairChar, isTokenChar } from './auth-params.js';
import type { AuthParam, AuthParamLimits } from './auth-params.js';
import { parseChallenge } from './challenge.js';
import type { DigestChallenge } from './challenge.js';

/** One challenge of a list: its scheme and either a token68 or auth-params. */
export interface AuthChallenge {
  /** The auth-scheme as sent (compare case-insensitively, RFC 7235 §2.1). */
  readonly scheme: string;
  readonly token68?: string;
  readonly params: readonly AuthParam[];
  /** The challenge's own text (`scheme …`), e.g. for {@link parseChallenge}. */
  readonly text: string;
}

// token68 = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*/;
const MAX_CHALLENGES = 16;
// A scheme with neither token68 nor auth-params is grammatical (`Negotiate`), but after a comma it is
// also exactly what a truncated or mangled auth-param looks like (`…, nonce="x", op`). Such a bare word
// is taken as a challenge only when it names a scheme of the IANA HTTP Authentication Scheme Registry
// (plus NTLM and Kerberos, which servers send bare); anything else is an INVALID_TOKEN.
const BARE_SCHEMES = new Set([
  'basic',
  'bearer',
  'concealed',
  'digest',
  'dpop',
  'gnap',
  'hoba',
  'kerberos',
  'mutual',
  'negotiate',
  'ntlm',
  'oauth',
  'privatetoken',
  'scram-sha-1',
  'scram-sha-256',
  'vapid',
]);

/** Parses an RFC 7235 challenge list; never throws. */
export function parseChallengeList(header: string, limits: AuthParamLimits = DEFAULT_LIMITS): Result<AuthChallenge[]> {
  if (header.length > limits.maxLength)
    return fail(DigestErrorCode.InvalidToken, `header longer than ${limits.maxLength} octets`);
  const n = header.length;
  let i = 0;
  const ws = (): void => {
    while (i < n && (header[i] === ' ' || header[i] === '\t')) i++;
  };
  const token = (): string => {
    const start = i;
    while (i < n && isTokenChar(header[i] ?? '')) i++;
    return header.slice(start, i);
  };
  const bad = (what: string): Result<AuthChallenge[]> => fail(DigestErrorCode.InvalidToken, `${what} at offset ${i}`);
  const out: AuthChallenge[] = [];
  for (;;) {
    // #rule: empty elements and surrounding whitespace are allowed (RFC 7230 §7).
    while (i < n && (header[i] === ',' || header[i] === ' ' || header[i] === '\t')) i++;
    if (i >= n) break;
    const start = i;
    const scheme = token();
    if (scheme === '') return bad('expected an auth-scheme');
    if (out.length >= MAX_CHALLENGES) return fail(DigestErrorCode.InvalidToken, 'too many challenges');
    const afterScheme = i;
    ws();
    if (i >= n || header[i] === ',') {
      if (!BARE_SCHEMES.has(scheme.toLowerCase()))
        return fail(DigestErrorCode.InvalidToken, `"${scheme}" is neither an auth-param nor a known auth-scheme`);
      out.push({ scheme, params: [], text: header.slice(start, afterScheme) });
      continue;
    }
    if (i === afterScheme) return bad('expected a space after the auth-scheme');
    const t68 = TOKEN68.exec(header.slice(i, i + limits.maxValueLength + 1));
    if (t68 !== null) {
      const save = i;
      i += t68[0].length;
      const end = i;
      ws();
      // A token68 stands alone: followed by the end or a comma. Otherwise these are auth-params.
      if (i >= n || header[i] === ',') {
        out.push({ scheme, token68: t68[0], params: [], text: header.slice(start, end) });
        continue;
      }
      i = save;
    }
    const params: AuthParam[] = [];
    let end = i;
    for (;;) {
      const name = token().toLowerCase();
      if (name === '') return bad('expected an auth-param');
      ws();
      if (header[i] !== '=') return bad(`auth-param "${name}" has no value`);
      i++;
      ws();
      let value: string;
      const quoted = header[i] === '"';
      if (quoted) {
        const q = readQuoted(header, i + 1);
        if (!q.ok) return fail(q.error.code, `${q.error.message} in auth-param "${name}"`);
        value = q.value.value;
        i = q.value.next;
      } else {
        value = token();
        if (value === '') return bad(`auth-param "${name}" has an empty or invalid value`);
      }
      if (value.length > limits.maxValueLength)
        return fail(DigestErrorCode.InvalidToken, `auth-param "${name}" longer than ${limits.maxValueLength} octets`);
      params.push({ name, value, quoted });
      if (params.length > limits.maxParams) return fail(DigestErrorCode.InvalidToken, 'too many auth-params');
      end = i;
      ws();
      if (i >= n) break;
      if (header[i] !== ',') return bad('expected ","');
      while (i < n && (header[i] === ',' || header[i] === ' ' || header[i] === '\t')) i++;
      if (i >= n) break;
      // Another auth-param of this challenge (token BWS "="), or the next challenge.
      const look = i;
      token();
      ws();
      const isParam = header[i] === '=';
      i = look;
      if (!isParam) break;
    }
    out.push({ scheme, params, text: header.slice(start, end) });
  }
  if (out.length === 0) return fail(DigestErrorCode.InvalidToken, 'no challenge');
  return ok(out);
}

function readQuoted(s: string, from: number): Result<{ value: string; next: number }> {
  const parts: string[] = [];
  let run = from;
  for (let i = from; i < s.length;) {
    const code = s.charCodeAt(i);
    if (code === 0x22) {
      parts.push(s.slice(run, i));
      return ok({ value: parts.join(''), next: i + 1 });
    }
    if (code === 0x5c) {
      const next = s.charCodeAt(i + 1);
      if (Number.isNaN(next) || !isQuotedPairChar(next)) return fail(DigestErrorCode.InvalidToken, 'bad escape');
      parts.push(s.slice(run, i), s.charAt(i + 1));
      i += 2;
      run = i;
      continue;
    }
    if (!isQdText(code)) return fail(DigestErrorCode.InvalidToken, 'bad character in a quoted string');
    i++;
  }
  return fail(DigestErrorCode.InvalidToken, 'unterminated quoted string');
}

/**
 * The Digest challenge to answer from a field value: every `Digest` challenge of the list is parsed
 * (one that cannot be, e.g. an unknown algorithm, is skipped), and of those whose algorithm is in
 * `allowed` the strongest is picked (order of {@link DIGEST_ALGORITHMS}).
 */
export function selectDigestChallenge(
  header: string,
  allowed: readonly DigestAlgorithmName[] = DIGEST_ALGORITHMS.map((a) => a.name),
): Result<DigestChallenge> {
  const list = parseChallengeList(header);
  if (!list.ok) return fail(list.error.code, list.error.message);
  let firstError: DigestError | undefined;
  let best: DigestChallenge | undefined;
  let bestRank = Infinity;
  let offered = 0;
  for (const c of list.value) {
    if (c.scheme.toLowerCase() !== 'digest') continue;
    offered++;
    const parsed = parseChallenge(c.text);
    if (!parsed.ok) {
      firstError ??= parsed.error;
      continue;
    }
    const name = parsed.value.algorithm.name;
    const rank = DIGEST_ALGORITHMS.findIndex((a) => a.name === name);
    if (allowed.includes(name) && rank < bestRank) {
      best = parsed.value;
      bestRank = rank;
    }
  }
  if (best !== undefined) return ok(best);
  if (offered === 0) return fail(DigestErrorCode.InvalidToken, 'no Digest challenge in the list');
  if (firstError !== undefined && offered === 1) return fail(firstError.code, firstError.message);
  return fail(DigestErrorCode.QopNotSupported, 'no offered Digest challenge uses an algorithm the client allows');
}
