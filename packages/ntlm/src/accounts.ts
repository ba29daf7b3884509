import { ntHash } from './crypto/owf.js';
import { upcase } from './upcase.js';

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

/**
 * An in-memory store that keeps only NT hashes. Names compare as Windows compares them: each
 * UTF-16 code unit upper-cased (no length-changing or locale mappings), then ordinally. An account
 * stored without a domain matches any domain the client names. A client that sends no domain finds
 * the domainless account of that name, or the only account of that name; with several it finds none.
 * Two accounts whose names fold to the same key make the store ambiguous: adding the second throws.
 */
export class InMemoryAccountStore implements AccountStore {
  readonly #accounts = new Map<string, NtlmAccount[]>();

  /** Adds an account from a password, which is hashed at once and not kept. */
  addPassword(domain: string, user: string, password: string): this {
    return this.addHash(domain, user, ntHash(password));
  }

  /** Adds an account from its NT hash. Throws a RangeError when another account folds to the same name. */
  addHash(domain: string, user: string, hash: Uint8Array): this {
    if (hash.length !== 16) throw new RangeError('an NT hash is 16 bytes');
    const key = upcase(user);
    const list = this.#accounts.get(key) ?? [];
    const clash = list.find((a) => upcase(a.domain) === upcase(domain));
    if (clash) {
      throw new RangeError(
        `ambiguous accounts: "${qualified(domain, user)}" and "${qualified(clash.domain, clash.user)}" ` +
          'are the same name under Windows upper-casing',
      );
    }
    list.push({ user, domain, ntHash: new Uint8Array(hash) });
    this.#accounts.set(key, list);
    return this;
  }

  lookup(user: string, domain: string): NtlmAccount | undefined {
    const list = this.#accounts.get(upcase(user));
    if (!list) return undefined;
    const d = upcase(domain);
    const exact = list.find((a) => upcase(a.domain) === d);
    if (exact) return exact;
    const domainless = list.find((a) => a.domain === '');
    if (domainless) return domainless;
    return d === '' && list.length === 1 ? list[0] : undefined;
  }

  /** Zeroes every stored hash and forgets the accounts. */
  clear(): void {
    for (const list of this.#accounts.values()) for (const a of list) a.ntHash.fill(0);
    this.#accounts.clear();
  }
}

const qualified = (domain: string, user: string): string => (domain ? `${domain}\\${user}` : user);
