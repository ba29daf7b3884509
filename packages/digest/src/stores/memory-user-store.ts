/** An in-process {@link UserStore}: for tests, demos and small fixed user lists. */
import type { DigestAlgorithm } from '../crypto/algorithms.js';
import { userhash } from '../crypto/http-digest.js';
import { unicodeToWire } from '../bytes.js';
import type { DigestUser, UserStore } from './user-store.js';

/** Users kept in a Map keyed by realm and name, with userhash indexes built on demand. */
export class MemoryUserStore implements UserStore {
  readonly #users = new Map<string, DigestUser>();
  // (realm, hash family) → userhash → user. Built on the first userhash lookup of that pair and
  // kept current by add/remove, so a lookup never scans the users.
  readonly #byHash = new Map<
    string,
    { readonly realm: string; readonly algorithm: DigestAlgorithm; readonly index: Map<string, DigestUser> }
  >();

  constructor(users: Iterable<DigestUser> = []) {
    for (const u of users) this.add(u);
  }

  /** Adds or replaces a user. */
  add(user: DigestUser): void {
    this.remove(user.username, user.realm);
    this.#users.set(MemoryUserStore.#key(user.username, user.realm), user);
    for (const h of this.#byHash.values()) {
      if (h.realm === user.realm) h.index.set(MemoryUserStore.#hash(h.algorithm, user.username, user.realm), user);
    }
  }

  /** Removes a user. */
  remove(username: string, realm: string): boolean {
    if (!this.#users.delete(MemoryUserStore.#key(username, realm))) return false;
    for (const h of this.#byHash.values()) {
      if (h.realm === realm) h.index.delete(MemoryUserStore.#hash(h.algorithm, username, realm));
    }
    return true;
  }

  /** Finds a user by name and realm. */
  lookup(username: string, realm: string): DigestUser | undefined {
    return this.#users.get(MemoryUserStore.#key(username, realm));
  }

  /** Finds a user by userhash through the (realm, algorithm) index. */
  lookupByUserhash(hash: string, realm: string, algorithm: DigestAlgorithm): DigestUser | undefined {
    // -sess variants hash the name like their base algorithm, so they share an index.
    const key = `${realm}\0${algorithm.base}`;
    let entry = this.#byHash.get(key);
    if (entry === undefined) {
      const index = new Map<string, DigestUser>();
      for (const user of this.#users.values()) {
        if (user.realm === realm) index.set(MemoryUserStore.#hash(algorithm, user.username, realm), user);
      }
      entry = { realm, algorithm, index };
      this.#byHash.set(key, entry);
    }
    return entry.index.get(hash.toLowerCase());
  }

  /** Every user, for listing tools. */
  users(): DigestUser[] {
    return [...this.#users.values()];
  }

  static #key(username: string, realm: string): string {
    return `${realm}\0${username}`;
  }

  static #hash(algorithm: DigestAlgorithm, username: string, realm: string): string {
    return userhash(algorithm, unicodeToWire(username), unicodeToWire(realm));
  }
}
