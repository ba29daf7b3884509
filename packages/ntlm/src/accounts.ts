import { ntHash } from './crypto/owf.js';

/** An account as the acceptor sees it: names and the NT hash (MD4 of the UTF-16LE password). */
export interface NtlmAccount {
  readonly user: string;
  readonly domain: string;
  readonly ntHash: Uint8Array;
}

/** Where the acceptor finds accounts; implement it to back NTLM with a directory or database. */
export interface AccountStore {
  /** The account for `user` as sent by the client in `domain` (may be empty), or undefined. */
  lookup(user: string, domain: string): NtlmAccount | undefined | Promise<NtlmAccount | undefined>;
}

const fold = (s: string): string => s.toUpperCase();

/**
 * An in-memory store that keeps only NT hashes. User names match case-insensitively; an account
 * stored without a domain matches any domain, and a client that sends no domain matches any account.
 */
export class InMemoryAccountStore implements AccountStore {
  readonly #accounts = new Map<string, NtlmAccount[]>();

  /** Adds an account from a password, which is hashed at once and not kept. */
  addPassword(domain: string, user: string, password: string): this {
    return this.addHash(domain, user, ntHash(password));
  }

  /** Adds an account from its NT hash. */
  addHash(domain: string, user: string, hash: Uint8Array): this {
    if (hash.length !== 16) throw new RangeError('an NT hash is 16 bytes');
    const list = this.#accounts.get(fold(user)) ?? [];
    list.push({ user, domain, ntHash: hash.slice() });
    this.#accounts.set(fold(user), list);
    return this;
  }

  lookup(user: string, domain: string): NtlmAccount | undefined {
    const list = this.#accounts.get(fold(user));
    if (!list) return undefined;
    const d = fold(domain);
    return list.find((a) => fold(a.domain) === d) ?? list.find((a) => a.domain === '' || d === '');
  }

  /** Zeroes every stored hash and forgets the accounts. */
  clear(): void {
    for (const list of this.#accounts.values()) for (const a of list) a.ntHash.fill(0);
    this.#accounts.clear();
  }
}

/**
 * Reads the `DOMAIN:user:password` format of gss-ntlmssp's and pyspnego's NTLM_USER_FILE: one account
 * per line, the password is everything after the second colon, blank lines and `#` comments skipped.
 * Only NT hashes are kept in memory.
 */
export function readUserFile(text: string, into: InMemoryAccountStore = new InMemoryAccountStore()): InMemoryAccountStore {
  for (const raw of text.split(/\r?\n/)) {
    if (raw.trim() === '' || raw.startsWith('#')) continue;
    const a = raw.indexOf(':');
    const b = a < 0 ? -1 : raw.indexOf(':', a + 1);
    if (b < 0) continue;
    into.addPassword(raw.slice(0, a), raw.slice(a + 1, b), raw.slice(b + 1));
  }
  return into;
}
