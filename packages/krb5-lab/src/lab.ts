/** Creating and removing a throwaway MIT Kerberos realm on loopback. */
import { randomBytes } from 'node:crypto';
import {
  copyFileSync,
  chmodSync,
  existsSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  realpathSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { renderKdcConf, renderKrb5Conf } from './config.js';
import { isLabKdc, labStartKdc, labStopKdc, stopKdc } from './kdc.js';
import { findFreeLoopbackPort } from './port.js';
import { checkPrivateDir, checkTrustedPath, makePrivateDir, writePrivateFile } from './private-fs.js';
import { dropRecord, findRecord, labStateDir, listRecords } from './registry.js';
import type { LabRecord } from './registry.js';
import { labEnvironment, readLab, saveState, STATE_FILE, TGT_CCACHE, toolEnv } from './state.js';
import type { Lab, LabOptions } from './state.js';
import { LabToolError, runProgram } from './tools.js';

/** Creates the realm, starts its KDC on a free 127.0.0.1 port and obtains the user's TGT. */
export async function labUp(options: LabOptions = {}): Promise<Lab> {
  const realm = options.realm ?? 'SSPKIT.LAB';
  if (!/^[A-Z0-9.-]+$/.test(realm)) throw new LabToolError(`invalid realm name ${JSON.stringify(realm)}`);
  const user = options.user ?? 'alice';
  const service = options.service ?? 'HTTP/localhost';
  if (!/^[A-Za-z0-9._-]+$/.test(user)) throw new LabToolError(`invalid user name ${JSON.stringify(user)}`);
  if (!/^[A-Za-z0-9._/-]+$/.test(service)) throw new LabToolError(`invalid service name ${JSON.stringify(service)}`);
  const { dir, created } = prepareDir(options.dir);
  const id = randomBytes(18).toString('base64url');
  let lab: Lab | undefined;
  try {
    const port = await findFreeLoopbackPort();
    const base = {
      id,
      created: new Date().toISOString(),
      dir,
      realm,
      port,
      pid: 0,
      krb5Conf: join(dir, 'krb5.conf'),
      kdcConf: join(dir, 'kdc.conf'),
      userPrincipal: `${user}@${realm}`,
      password: options.password ?? randomBytes(18).toString('base64url'),
      servicePrincipal: `${service}@${realm}`,
      serviceKeytab: join(dir, 'service.keytab'),
      ccache: join(dir, 'user.ccache'),
      rcacheDir: join(dir, 'rcache'),
      mechConfig: join(dir, 'mech.conf'),
    };
    lab = { ...base, env: labEnvironment(base) };
    // The state first: a lab that fails half-way is still found (and removed) by its record.
    saveState(lab);
    writePrivateFile(lab.krb5Conf, renderKrb5Conf({ realm, port, dir }));
    writePrivateFile(lab.kdcConf, renderKdcConf({ realm, port, dir }));
    writePrivateFile(join(dir, 'kadm5.acl'), '');
    writePrivateFile(lab.mechConfig, '');
    makePrivateDir(lab.rcacheDir);
    const env = toolEnv(lab);
    // The master password only protects this throwaway database and is never stored. kdb5_util
    // reads it (twice: entry and confirmation) from stdin when -P is absent, so it never appears
    // on a command line, which every local user can read in /proc/PID/cmdline.
    const master = randomBytes(18).toString('base64url');
    await runProgram('kdb5_util', ['create', '-s', '-r', realm], env, `${master}\n${master}\n`);
    await kadmin(lab, `addprinc -pw ${lab.password} ${lab.userPrincipal}`);
    await kadmin(lab, `addprinc -randkey ${lab.servicePrincipal}`);
    await kadmin(lab, `ktadd -k ${lab.serviceKeytab} ${lab.servicePrincipal}`);
    await labStartKdc(lab, options.detached ?? true);
    // The exported ccache gathers service tickets as clients use it; a TGT-only copy stays aside.
    await labKinit(lab, join(dir, TGT_CCACHE));
    copyPrivate(join(dir, TGT_CCACHE), lab.ccache);
    saveState(lab);
    return lab;
  } catch (err) {
    if (lab !== undefined) await labStopKdc(lab).catch(() => undefined);
    cleanUp(dir, created);
    dropRecord(id);
    throw err;
  }
}

/**
 * Stops the lab's KDC and removes its directory. Accepts a Lab or the lab's directory; either way
 * only a lab this user started is touched: the directory must be recorded in this user's private
 * lab records, still be a 0700 directory of this user under directories no one else controls, and
 * hold the state with the recorded id; the KDC is signalled only if its PID is provably that lab's.
 */
export async function labDown(labOrDir: Lab | string): Promise<void> {
  const given = typeof labOrDir === 'string' ? labOrDir : labOrDir.dir;
  const record = recordFor(given);
  if (record === undefined) {
    throw new LabToolError(
      `${given} is not a lab this user started (no record in ${labStateDir()}); nothing was removed`,
    );
  }
  await retire(record);
}

/** The record of the lab in `dir` (as given or with symlinks resolved). */
function recordFor(dir: string): LabRecord | undefined {
  const abs = resolve(dir);
  let real = abs;
  try {
    real = realpathSync(abs);
  } catch {
    // gone: its record still names the path it had
  }
  return findRecord(real) ?? findRecord(abs);
}

/** Stops a recorded lab's KDC, removes its directory if it still is that lab, forgets the record. */
async function retire(record: LabRecord): Promise<void> {
  const verdict = verifyLabDir(record);
  await stopKdc(record.pid, record.id);
  if (typeof verdict === 'object') await stopKdc(verdict.pid, record.id);
  if (typeof verdict === 'object') rmSync(record.dir, { recursive: true, force: true });
  dropRecord(record.id);
  if (typeof verdict === 'string' && verdict !== 'gone') {
    throw new LabToolError(
      `${record.dir} is no longer the lab this user started there (${verdict}); it was left alone and the record forgotten`,
    );
  }
}

/** The lab in the record's directory if it provably is that lab; 'gone', or why it is not. */
function verifyLabDir(record: LabRecord): Lab | string {
  try {
    lstatSync(record.dir);
  } catch {
    return 'gone';
  }
  try {
    checkPrivateDir(record.dir);
    if (checkTrustedPath(record.dir) !== record.dir) return 'its path now leads elsewhere';
    const lab = readLab(record.dir);
    if (lab.id !== record.id || lab.dir !== record.dir) return `${STATE_FILE} names another lab`;
    return lab;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/** What this user's lab records say, with whether each KDC runs; records of vanished labs are dropped. */
export interface LabStatus {
  readonly id: string;
  readonly dir: string;
  readonly realm: string;
  readonly port: number;
  readonly pid: number;
  readonly created: string;
  /** The recorded PID is this lab's live krb5kdc. */
  readonly running: boolean;
}

/** This user's labs, oldest first (for `sspkit lab status`). */
export function labList(): LabStatus[] {
  const out: LabStatus[] = [];
  for (const r of listRecords()) {
    const running = isLabKdc(r.pid, r.id);
    if (!running && !existsSync(r.dir)) {
      dropRecord(r.id);
      continue;
    }
    out.push({ ...r, running });
  }
  return out;
}

/** Obtains a fresh TGT for the lab user into `ccachePath` (a file path); `lifetime` is kinit's -l (e.g. `2s`). */
export async function labKinit(lab: Lab, ccachePath: string, lifetime?: string): Promise<void> {
  const life = lifetime === undefined ? [] : ['-l', lifetime];
  await runProgram(
    'kinit',
    [...life, '-c', `FILE:${ccachePath}`, lab.userPrincipal],
    toolEnv(lab),
    `${lab.password}\n`,
  );
}

/**
 * Adds another user principal (`name@REALM`, a random password that is never stored) and puts its
 * TGT into `ccachePath`. Returns the principal. For tests of how principals map to local accounts.
 */
export async function labAddUser(lab: Lab, name: string, ccachePath: string): Promise<string> {
  if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new LabToolError(`invalid user name ${JSON.stringify(name)}`);
  const principal = `${name}@${lab.realm}`;
  const password = randomBytes(18).toString('base64url');
  await kadmin(lab, `addprinc -pw ${password} ${principal}`);
  await runProgram('kinit', ['-c', `FILE:${ccachePath}`, principal], toolEnv(lab), `${password}\n`);
  return principal;
}

/** Copies a TGT-only ccache (the one kept aside at labUp) to `dest`: a start without service tickets. */
export function labCopyCcache(lab: Lab, dest: string): string {
  const tgt = join(lab.dir, TGT_CCACHE);
  copyPrivate(existsSync(tgt) ? tgt : lab.ccache, dest);
  return dest;
}

function copyPrivate(src: string, dest: string): void {
  copyFileSync(src, dest);
  chmodSync(dest, 0o600);
}

// The query goes on stdin, not the command line: `addprinc -pw` carries the user's password, and a
// process's arguments are readable by every local user.
function kadmin(lab: Lab, query: string): Promise<unknown> {
  return runProgram('kadmin.local', ['-r', lab.realm], toolEnv(lab), `${query}\n`);
}

/**
 * The lab's directory (resolved, 0700, of this user, under directories no one else controls), and
 * whether the lab created it (only then may a failure remove it whole).
 */
function prepareDir(dir: string | undefined): { dir: string; created: boolean } {
  if (dir === undefined) {
    const made = mkdtempSync(join(tmpdir(), 'sspkit-lab-'));
    chmodSync(made, 0o700);
    try {
      return { dir: checkTrustedPath(made), created: true };
    } catch (err) {
      rmSync(made, { recursive: true, force: true });
      throw err;
    }
  }
  const abs = resolve(dir);
  if (existsSync(abs)) {
    if (existsSync(join(abs, STATE_FILE))) throw new LabToolError(`${abs} already holds a lab`);
    if (readdirSync(abs).length > 0)
      throw new LabToolError(`${abs} is not empty: a lab directory must be empty or absent`);
    const real = checkTrustedPath(abs);
    const st = lstatSync(real);
    if (st.uid !== (process.geteuid?.() ?? 0))
      throw new LabToolError(`${abs} belongs to uid ${st.uid}: a lab directory must be yours`);
    chmodSync(real, 0o700);
    return { dir: real, created: false };
  }
  makePrivateDir(abs);
  return { dir: checkTrustedPath(abs), created: true };
}

/** Undoes a failed labUp: the directory if the lab made it, else only what it put inside. */
function cleanUp(dir: string, created: boolean): void {
  if (created) rmSync(dir, { recursive: true, force: true });
  else for (const entry of readdirSync(dir)) rmSync(join(dir, entry), { recursive: true, force: true });
}

/** What may be shown about a lab (for `lab up --json`): everything but the password. */
export function labPublicInfo(lab: Lab): Omit<Lab, 'password'> {
  const { password: _secret, ...rest } = lab;
  return rest;
}

/** `export NAME='value'` lines for a POSIX shell (`eval "$(sspkit lab up)"`). */
export function labShellExports(lab: Lab): string {
  const quote = (v: string): string => `'${v.replaceAll("'", "'\\''")}'`;
  return Object.entries(lab.env)
    .map(([k, v]) => `export ${k}=${quote(v)}`)
    .join('\n');
}
