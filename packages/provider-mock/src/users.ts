import { userKey } from './crypto.js';

/** A user of the Mock package's database. */
export interface MockUser {
  readonly name: string;
  readonly domain?: string;
  readonly password: string;
  readonly groups?: readonly string[];
}

interface StoredUser {
  readonly name: string;
  readonly domain: string;
  readonly key: Uint8Array;
  readonly groups: readonly string[];
}

/** The default realm of Mock users. */
export const MOCK_DOMAIN = 'MOCK';

/**
 * The users the embedded defaults know. The demo (`sspkit handshake`) authenticates as alice; these
 * passwords are test fixtures, not secrets.
 */
export const DEFAULT_USERS: readonly MockUser[] = [
  { name: 'alice', password: 'alice-password', groups: ['users', 'mock-admins'] },
  { name: 'bob', password: 'bob-password', groups: ['users'] },
];

/**
 * The Mock package's user database. It keeps each user's derived key, not the password
 * (the same shape as an htdigest or NTLM user file).
 */
export class MockUserDatabase {
  readonly #users = new Map<string, StoredUser>();

  constructor(users: readonly MockUser[] = DEFAULT_USERS) {
    for (const u of users) this.add(u);
  }

  static #key(name: string, domain: string): string {
    return `${domain.toUpperCase()}\\${name.toLowerCase()}`;
  }

  /** Adds or replaces a user. */
  add(user: MockUser): void {
    const domain = user.domain ?? MOCK_DOMAIN;
    const key = MockUserDatabase.#key(user.name, domain);
    this.#users.get(key)?.key.fill(0);
    this.#users.set(key, {
      name: user.name,
      domain,
      key: userKey(user.name, domain, user.password),
      groups: [...(user.groups ?? [])],
    });
  }

  /** Removes a user; true if it existed. */
  remove(name: string, domain = MOCK_DOMAIN): boolean {
    const key = MockUserDatabase.#key(name, domain);
    this.#users.get(key)?.key.fill(0);
    return this.#users.delete(key);
  }

  /** Looks a user up (names case-insensitive, domains too). */
  find(name: string, domain = MOCK_DOMAIN): StoredUser | undefined {
    return this.#users.get(MockUserDatabase.#key(name, domain));
  }
}
