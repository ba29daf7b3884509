/**
 * Where the CLI remembers the lab `sspkit lab up` started last, so `sspkit handshake --package
 * Kerberos` and `sspkit lab down` find it without flags. The pointer holds a path, never a secret.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLab } from '@sspkit/krb5-lab';

const POINTER = join(tmpdir(), 'sspkit-lab-current');

export function rememberLab(dir: string): void {
  writeFileSync(POINTER, dir, { mode: 0o600 });
}

export function forgetLab(dir: string): void {
  if (currentLabDir() === dir) rmSync(POINTER, { force: true });
}

/** The lab directory: the one given, else SSPKIT_LAB_DIR, else the last `lab up`. */
export function currentLabDir(given?: string): string | undefined {
  if (given) return given;
  const env = process.env['SSPKIT_LAB_DIR'];
  if (env) return env;
  if (!existsSync(POINTER)) return undefined;
  const dir = readFileSync(POINTER, 'utf8').trim();
  return existsSync(join(dir, 'lab.json')) ? dir : undefined;
}

/**
 * Points this process's Kerberos library at the lab (KRB5_CONFIG, KRB5CCNAME, KRB5_KTNAME …),
 * unless the caller already configured Kerberos. Must run before the first GSSAPI call: MIT reads
 * these once per library context.
 */
export function useLabEnvironment(given?: string): string | undefined {
  const dir = currentLabDir(given);
  if (!dir) return undefined;
  if (!given && process.env['KRB5_CONFIG'] !== undefined) return undefined;
  for (const [k, v] of Object.entries(readLab(dir).env)) process.env[k] = v;
  return dir;
}
