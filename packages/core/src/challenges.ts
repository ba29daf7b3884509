/**
 * The RFC 7235 §4.1 challenge list, as HTTP servers send it and as Node and undici hand it over when a
 * response carries several `WWW-Authenticate` headers (joined with ", "). Shared by the HTTP client
 * (@sspkit/http) and the token explainer (@sspkit/decode); the Digest package keeps its own stricter
 * reading of its own challenges.
 */

/** One challenge of a `WWW-Authenticate` / `Proxy-Authenticate` list. */
export interface Challenge {
  readonly scheme: string;
  /** The token68 or the auth-param list, as sent ('' when there is none). */
  readonly rest: string;
}

const TCHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;
const TOKEN68_PREFIX = /^[A-Za-z0-9\-._~+/]+=*/;

/**
 * Splits a challenge list (RFC 7235 §4.1: `1#challenge`, each `auth-scheme [ 1*SP ( token68 /
 * #auth-param ) ]`), as Node and undici hand it over when a response carries several headers (joined
 * with ", "). A comma ends a challenge only where the next element is a scheme word rather than
 * `name=value`; quoted strings are skipped whole. Never throws.
 */
export function splitChallenges(s: string): Challenge[] {
  const out: Challenge[] = [];
  const n = s.length;
  let i = 0;
  const isT = (c: string | undefined): boolean => c !== undefined && TCHAR.test(c);
  const ws = (): void => {
    while (i < n && (s[i] === ' ' || s[i] === '\t')) i++;
  };
  const token = (): string => {
    const start = i;
    while (i < n && isT(s[i])) i++;
    return s.slice(start, i);
  };
  while (i < n) {
    while (i < n && (s[i] === ',' || s[i] === ' ' || s[i] === '\t')) i++;
    if (i >= n) break;
    const scheme = token();
    if (scheme === '') break; // not a challenge list past this point
    ws();
    const start = i;
    const t68 = TOKEN68_PREFIX.exec(s.slice(i));
    const after = i + (t68?.[0].length ?? 0);
    let j = after;
    while (j < n && (s[j] === ' ' || s[j] === '\t')) j++;
    if (t68 !== null && (j >= n || s[j] === ',')) {
      out.push({ scheme, rest: s.slice(start, after) });
      i = j;
      continue;
    }
    let end = i;
    for (;;) {
      ws();
      if (token() === '') break;
      ws();
      if (s[i] !== '=') {
        i = end;
        break;
      }
      i++;
      ws();
      if (s[i] === '"') {
        i++;
        while (i < n && s[i] !== '"') i += s[i] === '\\' ? 2 : 1;
        i = Math.min(n, i + 1);
      } else {
        while (i < n && s[i] !== ',' && s[i] !== ' ' && s[i] !== '\t') i++;
      }
      end = i;
      ws();
      if (s[i] !== ',') break;
      let k = i;
      while (k < n && (s[k] === ',' || s[k] === ' ' || s[k] === '\t')) k++;
      let m = k;
      while (m < n && isT(s[m])) m++;
      while (m < n && (s[m] === ' ' || s[m] === '\t')) m++;
      if (s[m] !== '=') break;
      i = k;
    }
    out.push({ scheme, rest: s.slice(start, end).trim() });
    i = Math.max(i, end);
  }
  return out;
}
