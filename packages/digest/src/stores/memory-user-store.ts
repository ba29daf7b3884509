/** An in-process {@link UserStore}: for tests, demos and small fixed user lists. */
import type { DigestAlgorithm } from '../crypto/algorithms.js';
import { userhash } from '../crypto/http-digest.js';
import { unicodeToWire } from '../bytes.js';
import type { DigestUser, UserStore } from './user-store.js';

/** Users kept in a Map keyed by realm and name. */
export class MemoryUserStore implements UserStore {
  readonly #users = new Map<string, DigestUser>();

  constructor(users: Iterable<DigestUser> = []) {
    for (const u of users) this.add(u);
  }

  /** Adds or replaces a user. */
  add(user: DigestUser): void {
    this.#users.set(MemoryUserStore.#key(user.username, user.realm), user);
  }

  /** Removes a user. */
  remove(username: string, realm: string): boolean {
    return this.#users.delete(MemoryUserStore.#key(username, realm));
  }

  /** Finds a user by name and realm. */
  lookup(username: string, realm: string): DigestUser | undefined {
    return this.#users.get(MemoryUserStore.#key(username, realm));
  }

  /** Finds a user by userhash; linear in the number of users of the realm. */
  lookupByUserhash(hash: string, realm: string, algorithm: DigestAlgorithm): DigestUser | undefined {
    const wanted = hash.toLowerCase();
    for (const user of this.#users.values()) {
      if (user.realm === realm && userhash(algorithm, unicodeToWire(user.username), unicodeToWire(realm)) === wanted) return user;
    }
    return undefined;
  }

  /** Every user, for listing tools. */
  users(): DigestUser[] {
    return [...this.#users.values()];
  }

  static #key(username: string, realm: string): string {
    return `${realm}\0${username}`;
  }
}
