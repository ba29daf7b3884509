/**
 * A short-lived, bounded cache of local-account lookups (local name → uid, gid, groups, home) for
 * QuerySecurityContextToken. Every token otherwise asks the user database again (getpwnam,
 * getgrouplist, one getgrgid per group): through NSS `files` that re-reads /etc/passwd and
 * /etc/group on every request. nscd and sssd cache the same answers for minutes; this cache keeps
 * them for seconds, so a changed or removed account is seen at the latest `ttlMs` later.
 *
 * Rules: keyed by the exact local name gss_localname returned (no case folding); a "no such
 * account" answer is kept at most `negativeTtlMs`, never longer than a found one; a lookup that
 * throws is not kept; the oldest entry goes when `maxEntries` is reached; `clearAccountCache()`
 * forgets everything (e.g. after the application changed an account). Entries are frozen: a token
 * copies what it hands out. spawnAsToken does not use this cache (it checks the account afresh).
 */
import { lookupLocalAccount, lookupLocalAccountAsync } from '../ffi/index.js';
import type { LocalAccount } from '../ffi/index.js';

/** Settings of the account cache (`configureAccountCache`). */
export interface AccountCacheOptions {
  /** How long a found account is reused, in ms (0 turns the cache off). */
  readonly ttlMs?: number;
  /** How long "no such account" is reused, in ms (at most `ttlMs`). */
  readonly negativeTtlMs?: number;
  /** How many local names are kept at most. */
  readonly maxEntries?: number;
}

/** The defaults: 5 s for a found account, 1 s for a missing one, 1024 names. */
export const DEFAULT_ACCOUNT_CACHE: Readonly<Required<AccountCacheOptions>> = Object.freeze({
  ttlMs: 5000,
  negativeTtlMs: 1000,
  maxEntries: 1024,
});

/** The longest TTL accepted: nscd's default for passwd is 600 s; sspkit stays well below. */
const MAX_TTL_MS = 60_000;

interface Entry {
  readonly account: LocalAccount | null;
  readonly expires: number;
}

let settings: Required<AccountCacheOptions> = { ...DEFAULT_ACCOUNT_CACHE };
const entries = new Map<string, Entry>();
/** Bumped by clearAccountCache: a lookup started before a clear does not store its answer. */
let generation = 0;
let clock: () => number = () => performance.now();

function invalid(o: AccountCacheOptions, merged: Required<AccountCacheOptions>): string | undefined {
  for (const key of ['ttlMs', 'negativeTtlMs', 'maxEntries'] as const) {
    const v = o[key];
    if (v !== undefined && (!Number.isInteger(v) || v < 0)) return `${key} must be a non-negative integer`;
  }
  if (merged.ttlMs > MAX_TTL_MS) return `ttlMs must be at most ${MAX_TTL_MS}`;
  if (merged.negativeTtlMs > merged.ttlMs) return 'negativeTtlMs must not exceed ttlMs';
  return undefined;
}

/**
 * Changes the cache's settings (unnamed ones keep their current value) and empties it. Throws a
 * TypeError for a negative or fractional value, a TTL above 60 s, or negativeTtlMs > ttlMs.
 */
export function configureAccountCache(options: AccountCacheOptions): void {
  const merged = { ...settings, ...options };
  const bad = invalid(options, merged);
  if (bad !== undefined) throw new TypeError(`configureAccountCache: ${bad}`);
  settings = merged;
  clearAccountCache();
}

/** Forgets every cached account. */
export function clearAccountCache(): void {
  entries.clear();
  generation++;
}

/** Tests only: the clock the TTLs are measured on (undefined: the monotonic clock). */
export function useAccountCacheClockForTests(now: (() => number) | undefined): void {
  clock = now ?? (() => performance.now());
}

function fresh(name: string, now: number): Entry | undefined {
  const e = entries.get(name);
  if (e === undefined) return undefined;
  if (now < e.expires) return e;
  entries.delete(name);
  return undefined;
}

function store(name: string, account: LocalAccount | null, now: number): LocalAccount | null {
  const ttl = account === null ? settings.negativeTtlMs : settings.ttlMs;
  if (ttl === 0 || settings.maxEntries === 0) return account;
  const kept =
    account === null
      ? null
      : Object.freeze({
          ...account,
          groups: Object.freeze([...account.groups]),
          groupNames: Object.freeze([...account.groupNames]),
        });
  entries.delete(name);
  // Map order is insertion order: the first key is the oldest entry.
  while (entries.size >= settings.maxEntries) {
    const oldest = entries.keys().next();
    if (oldest.done === true) break;
    entries.delete(oldest.value);
  }
  entries.set(name, { account: kept, expires: now + ttl });
  return kept;
}

/** The account named `name` (see lookupLocalAccount), from the cache while its entry is fresh. */
export function cachedLocalAccount(name: string): LocalAccount | null {
  const now = clock();
  const hit = fresh(name, now);
  if (hit !== undefined) return hit.account;
  return store(name, lookupLocalAccount(name), now);
}

/** {@link cachedLocalAccount} with the lookup on worker threads (user databases that may wait). */
export async function cachedLocalAccountAsync(name: string): Promise<LocalAccount | null> {
  const hit = fresh(name, clock());
  if (hit !== undefined) return hit.account;
  const started = generation;
  const account = await lookupLocalAccountAsync(name);
  return started === generation ? store(name, account, clock()) : account;
}
