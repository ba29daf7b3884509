/**
 * Keeps gss-ntlmssp out of this process's GSSAPI mechanism list. MIT loads every mechanism plugin
 * named in /etc/gss/mech and /etc/gss/mech.d/*.conf; SPNEGO then acquires credentials for each, and
 * gss-ntlmssp inside Node binds its OpenSSL symbols to Node's own embedded OpenSSL: in-process NTLM
 * handshakes fail at random, and a SPNEGO acquisition with default credentials crashed the process
 * (SIGSEGV, exit 139) where the plugin is installed. sspkit's NTLM is its own TypeScript package, so
 * before the library's first call the plugin is left out: GSS_MECH_CONFIG (which replaces the
 * system list) is pointed at a private copy of the system's entries without it. Other plugins
 * (gssproxy's interposer, say) stay. A GSS_MECH_CONFIG the caller set is left as it is.
 */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SYSTEM_FILE = '/etc/gss/mech';
const SYSTEM_DIR = '/etc/gss/mech.d';
/** The NTLMSSP mechanism's OID ([MS-NLMP] §1.9), as a plugin line names it. */
const NTLMSSP_OID = '1.3.6.1.4.1.311.2.2.10';

function read(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** The system's mechanism entries, one config text per file (the .d files in name order, as MIT reads them). */
function systemEntries(dir = SYSTEM_DIR, file = SYSTEM_FILE): string[] {
  let names: string[] = [];
  try {
    names = readdirSync(dir)
      .filter((n) => n.endsWith('.conf'))
      .sort();
  } catch {
    // no directory: only the single file
  }
  return [read(file), ...names.map((n) => read(join(dir, n)))];
}

/** The entries without the lines naming the NTLMSSP mechanism; undefined when none named it. */
export function withoutNtlmssp(texts: readonly string[]): string | undefined {
  let dropped = false;
  const kept: string[] = [];
  for (const line of texts.join('\n').split('\n')) {
    const fields = line.replace(/#.*/, '').trim().split(/\s+/);
    if (fields.length >= 2 && fields[1] === NTLMSSP_OID) {
      dropped = true;
      continue;
    }
    kept.push(line);
  }
  return dropped ? `${kept.join('\n')}\n` : undefined;
}

/** Sets GSS_MECH_CONFIG for this process when the system list names gss-ntlmssp; call before the first GSS call. */
export function excludeNtlmsspPlugin(
  env: NodeJS.ProcessEnv = process.env,
  dir = SYSTEM_DIR,
  file = SYSTEM_FILE,
): string | undefined {
  if (env['GSS_MECH_CONFIG'] !== undefined) return undefined;
  const text = withoutNtlmssp(systemEntries(dir, file));
  if (text === undefined) return undefined;
  const path = join(mkdtempSync(join(tmpdir(), 'sspkit-gss-')), 'mech');
  writeFileSync(path, text, { mode: 0o600 });
  env['GSS_MECH_CONFIG'] = path;
  return path;
}
