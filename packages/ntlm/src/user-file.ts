import { InMemoryAccountStore } from './accounts.js';

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
