import { InMemoryAccountStore } from './accounts.js';

/** An smbpasswd hash field: 32 hex digits, or 32 X's / "NO PASSWORD" + X's for "no hash". */
const HASH_FIELD = /^([0-9A-Fa-f]{32}|X{32}|NO PASSWORDX{21})$/;
/** The smbpasswd account-control field, e.g. "[U          ]" (Samba's smbpasswd(5)). */
const FLAGS_FIELD = /^\[[A-Z ]*\]$/;

/**
 * Reads an NTLM_USER_FILE. Two line formats are understood:
 * - `DOMAIN:user:password` (gss-ntlmssp, pyspnego): the password is everything after the second
 *   colon;
 * - Samba's smbpasswd, `user:uid:LMHASH:NTHASH:[flags]:LCT-xxxxxxxx:` (also read by gss-ntlmssp):
 *   the NT hash is the key, the account has no domain; accounts flagged disabled (`D`) or without an
 *   NT hash are left out.
 * A line whose second field is a number is taken for smbpasswd and must be well formed: otherwise it
 * would silently become an account named after the uid, in a domain named after the user. Such a
 * line, or an ambiguous pair of accounts, throws an Error naming the line (never its contents past the
 * user name). Blank lines and `#` comments are skipped. Only NT hashes are kept in memory.
 */
export function readUserFile(
  text: string,
  into: InMemoryAccountStore = new InMemoryAccountStore(),
): InMemoryAccountStore {
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    if (raw.trim() === '' || raw.startsWith('#')) return;
    const fields = raw.split(':');
    try {
      if (fields.length >= 5 && /^\d+$/.test(fields[1] ?? '')) addSmbpasswd(into, fields);
      else addPassword(into, raw);
    } catch (e) {
      throw new Error(`NTLM user file, line ${i + 1}: ${e instanceof Error ? e.message : String(e)}`);
    }
  });
  return into;
}

function addPassword(into: InMemoryAccountStore, raw: string): void {
  const a = raw.indexOf(':');
  const b = a < 0 ? -1 : raw.indexOf(':', a + 1);
  if (b < 0) throw new Error('neither DOMAIN:user:password nor an smbpasswd entry');
  into.addPassword(raw.slice(0, a), raw.slice(a + 1, b), raw.slice(b + 1));
}

function addSmbpasswd(into: InMemoryAccountStore, fields: readonly string[]): void {
  const [user = '', , lm = '', nt = '', flags = ''] = fields;
  if (user === '') throw new Error('smbpasswd entry without a user name');
  if (!HASH_FIELD.test(lm) || !HASH_FIELD.test(nt)) {
    throw new Error(`smbpasswd entry for "${user}": the LM and NT hash fields must be 32 hex digits or X's`);
  }
  if (!FLAGS_FIELD.test(flags)) {
    throw new Error(`smbpasswd entry for "${user}": the account flags must look like [U          ]`);
  }
  if (flags.includes('D') || !/^[0-9A-Fa-f]{32}$/.test(nt)) return; // disabled, or no NT hash: cannot log on
  into.addHash('', user, Uint8Array.from(Buffer.from(nt, 'hex')));
}
