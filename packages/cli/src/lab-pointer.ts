/**
 * How the CLI finds the lab to use: `--dir`/`--lab`, else `SSPKIT_LAB_DIR`, else the one lab this
 * user has running, from the labs `@sspkit/krb5-lab` records in a private per-user directory
 * (`labList`). Nothing lives in the shared temp directory, where another local user could plant it.
 */
import { labList, readLab } from '@sspkit/krb5-lab';
import type { LabStatus } from '@sspkit/krb5-lab';

/** The lab to use, or why there is none to pick without a directory. */
export type LabChoice = { readonly dir: string } | { readonly none: true } | { readonly several: readonly LabStatus[] };

/**
 * The lab directory: the one given, else SSPKIT_LAB_DIR, else this user's only running lab. With
 * `orStopped` (for `lab down`), when none runs, the only recorded lab whose KDC died.
 */
export function chooseLab(given?: string, orStopped = false): LabChoice {
  if (given) return { dir: given };
  const env = process.env['SSPKIT_LAB_DIR'];
  if (env) return { dir: env };
  const labs = labList();
  let running = labs.filter((l) => l.running);
  if (running.length === 0 && orStopped) running = labs;
  const [only] = running;
  if (only === undefined) return { none: true };
  if (running.length > 1) return { several: running };
  return { dir: only.dir };
}

/** What to tell the user when several labs run and none was named. */
export function severalLabsMessage(labs: readonly LabStatus[], flag: string): string {
  return `${labs.length} labs are running (${labs.map((l) => l.dir).join(', ')}): give ${flag} DIR (see \`sspkit lab status\`)`;
}

/**
 * Points this process's Kerberos library at the lab (KRB5_CONFIG, KRB5CCNAME, KRB5_KTNAME …),
 * unless the caller already configured Kerberos. Must run before the first GSSAPI call: MIT reads
 * these once per library context.
 */
export function useLabEnvironment(given?: string): string | undefined {
  if (!given && process.env['KRB5_CONFIG'] !== undefined) return undefined;
  const choice = chooseLab(given);
  // Every command loads the packages: with several labs, only a Kerberos handshake needs one, so
  // this says which flag picks it instead of failing `sspkit packages` as well.
  if ('several' in choice) {
    process.stderr.write(`sspkit: no lab used: ${severalLabsMessage(choice.several, '--lab')}\n`);
    return undefined;
  }
  if ('none' in choice) return undefined;
  for (const [k, v] of Object.entries(readLab(choice.dir).env)) process.env[k] = v;
  return choice.dir;
}
