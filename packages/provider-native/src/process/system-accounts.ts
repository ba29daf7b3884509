/**
 * Which local accounts a Kerberos principal may never become by default: root and the system
 * accounts. MIT's default auth_to_local rule maps any one-component principal of the default realm
 * to the local user of the same name, so whoever can get `root@REALM` or `daemon@REALM` created in
 * the KDC would otherwise obtain a token (and a child process) running as uid 0 or 1. Like shadow's
 * useradd, the first ordinary user id is UID_MIN from /etc/login.defs (1000 when absent).
 */
import { readFileSync } from 'node:fs';

/** Why the token names no local account although gss_localname found one (no secret in it). */
export const SYSTEM_ACCOUNT_REFUSED = 'system-account';

const LOGIN_DEFS = '/etc/login.defs';
const DEFAULT_UID_MIN = 1000;

let cached: number | undefined;

/** UID_MIN as login.defs(5) gives it (decimal, 0x hex or 0 octal like shadow's getdef), else 1000. */
export function parseUidMin(text: string): number {
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const m = /^UID_MIN\s+(\S+)/.exec(line);
    if (m?.[1] === undefined) continue;
    const v = m[1];
    let n = NaN;
    if (/^0x[0-9a-f]+$/i.test(v)) n = parseInt(v.slice(2), 16);
    else if (/^0[0-7]+$/.test(v)) n = parseInt(v, 8);
    else if (/^\d+$/.test(v)) n = Number(v);
    // A nonsensical value (0, huge) must not widen what is accepted: fall back to the default.
    return Number.isSafeInteger(n) && n > 0 && n < 2 ** 31 ? n : DEFAULT_UID_MIN;
  }
  return DEFAULT_UID_MIN;
}

/** The system's first ordinary user id (read once). */
export function firstUserUid(): number {
  if (cached !== undefined) return cached;
  let text = '';
  try {
    text = readFileSync(LOGIN_DEFS, 'utf8');
  } catch {
    // no login.defs: the default
  }
  cached = parseUidMin(text);
  return cached;
}

/** Whether `uid` is root or a system account (below UID_MIN). */
export function isSystemAccount(uid: number): boolean {
  return uid === 0 || uid < firstUserUid();
}
