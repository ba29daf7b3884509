/** Creating, stopping and removing a throwaway MIT Kerberos realm on loopback. */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { renderKdcConf, renderKrb5Conf } from './config.js';
import { findFreeLoopbackPort, waitForTcp } from './port.js';
import { findProgram, LabToolError, locate, runProgram } from './tools.js';

/** Options for {@link labUp}; every field has a default. */
export interface LabOptions {
  /** Directory to create the realm in (must be empty or absent); default: a new temp dir. */
  readonly dir?: string;
  /** Realm name; default `SSPKIT.LAB`. */
  readonly realm?: string;
  /** User principal's short name; default `alice`. */
  readonly user?: string;
  /** The user's password; default: 24 random base64url characters. */
  readonly password?: string;
  /** Service principal (without realm); default `HTTP/localhost`. */
  readonly service?: string;
  /**
   * Keep the KDC running after this process exits (the CLI); default true. When false the KDC is
   * stopped by the kernel if this process dies without `labDown` (util-linux `setpriv`).
   */
  readonly detached?: boolean;
}

/** Everything a client of the lab needs: paths, principals and the environment to export. */
export interface Lab {
  readonly dir: string;
  readonly realm: string;
  readonly port: number;
  /** PID of the running krb5kdc (0 while stopped). */
  pid: number;
  readonly krb5Conf: string;
  readonly kdcConf: string;
  /** `alice@REALM`. */
  readonly userPrincipal: string;
  /** The user's password: secret, never print it. */
  readonly password: string;
  /** `HTTP/localhost@REALM`. */
  readonly servicePrincipal: string;
  /** Keytab holding the service principal's keys (path, no `FILE:` prefix). */
  readonly serviceKeytab: string;
  /** The user's ccache with a TGT only (path, no `FILE:` prefix). */
  readonly ccache: string;
  /** Replay-cache directory, so the acceptor never writes to /var/tmp. */
  readonly rcacheDir: string;
  /** An empty mechanism file, keeping plugins such as gss-ntlmssp out of SPNEGO. */
  readonly mechConfig: string;
  /** Variables a client exports to use the lab (no secret among them). */
  readonly env: Readonly<Record<string, string>>;
}

const STATE_FILE = 'lab.json';

/** Creates the realm, starts its KDC on a free 127.0.0.1 port and obtains the user's TGT. */
export async function labUp(options: LabOptions = {}): Promise<Lab> {
  const realm = options.realm ?? 'SSPKIT.LAB';
  if (!/^[A-Z0-9.-]+$/.test(realm)) throw new LabToolError(`invalid realm name ${JSON.stringify(realm)}`);
  const { dir, created } = prepareDir(options.dir);
  let started: Lab | undefined;
  try {
    const port = await findFreeLoopbackPort();
    const user = options.user ?? 'alice';
    const service = options.service ?? 'HTTP/localhost';
    const lab: Lab = {
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
      env: {},
    };
    const full: Lab = { ...lab, env: labEnvironment(lab) };
    started = full;
    writeFileSync(full.krb5Conf, renderKrb5Conf({ realm, port, dir }));
    writeFileSync(full.kdcConf, renderKdcConf({ realm, port, dir }));
    writeFileSync(join(dir, 'kadm5.acl'), '');
    writeFileSync(full.mechConfig, '');
    mkdirSync(full.rcacheDir, { recursive: true });
    const env = toolEnv(full);
    // The master password only protects this throwaway database; it is never stored.
    await runProgram('kdb5_util', ['create', '-s', '-r', realm, '-P', randomBytes(18).toString('base64url')], env);
    await kadmin(full, `addprinc -pw ${full.password} ${full.userPrincipal}`);
    await kadmin(full, `addprinc -randkey ${full.servicePrincipal}`);
    await kadmin(full, `ktadd -k ${full.serviceKeytab} ${full.servicePrincipal}`);
    await labStartKdc(full, options.detached ?? true);
    await labKinit(full, full.ccache);
    saveState(full);
    return full;
  } catch (err) {
    if (started !== undefined) await labStopKdc(started).catch(() => undefined);
    cleanUp(dir, created);
    throw err;
  }
}

/** Stops the lab's KDC (by PID) and removes its directory. Accepts a Lab or the lab's directory. */
export async function labDown(labOrDir: Lab | string): Promise<void> {
  const lab = typeof labOrDir === 'string' ? readLab(labOrDir) : labOrDir;
  // Remove only the directory the state was read from: lab.json must not name some other path.
  if (typeof labOrDir === 'string' && resolve(labOrDir) !== resolve(lab.dir)) throw new LabToolError(`${labOrDir} holds the state of a lab in ${lab.dir}; not removing either`);
  await labStopKdc(lab);
  rmSync(lab.dir, { recursive: true, force: true });
}

/** Reads the state a lab saved in its directory (used by `sspkit lab down`). */
export function readLab(dir: string): Lab {
  const file = join(resolve(dir), STATE_FILE);
  if (!existsSync(file)) throw new LabToolError(`${dir} holds no lab (missing ${STATE_FILE})`);
  return JSON.parse(readFileSync(file, 'utf8')) as Lab;
}

/** Obtains a fresh TGT for the lab user into `ccachePath` (a file path); `lifetime` is kinit's -l (e.g. `2s`). */
export async function labKinit(lab: Lab, ccachePath: string, lifetime?: string): Promise<void> {
  const life = lifetime === undefined ? [] : ['-l', lifetime];
  await runProgram('kinit', [...life, '-c', `FILE:${ccachePath}`, lab.userPrincipal], toolEnv(lab), `${lab.password}\n`);
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

/** Copies the lab's TGT-only ccache to `dest`, so each use starts without cached service tickets. */
export function labCopyCcache(lab: Lab, dest: string): string {
  copyFileSync(lab.ccache, dest);
  chmodSync(dest, 0o600);
  return dest;
}

/** Starts (or restarts) the lab's KDC on its port and waits until it accepts connections. */
export async function labStartKdc(lab: Lab, detached = true): Promise<void> {
  if (lab.pid !== 0 && isLabKdc(lab)) return;
  const kdc = [findProgram('krb5kdc'), '-n', '-r', lab.realm];
  // A KDC tied to this process must not outlive it, not even a SIGKILL or a crash: util-linux
  // setpriv asks the kernel to send it SIGTERM when its parent dies (PR_SET_PDEATHSIG, kept
  // across the exec). Node forks from the main thread, whose end is the process's end.
  const setpriv = detached ? null : locate('setpriv');
  const [file, ...args] = setpriv === null ? kdc : [setpriv, '--pdeathsig', 'TERM', '--', ...kdc];
  const child = spawn(file ?? 'krb5kdc', args, {
    env: toolEnv(lab),
    stdio: 'ignore',
    detached,
  });
  if (child.pid === undefined) throw new LabToolError('krb5kdc failed to start');
  let exited = false;
  child.once('exit', () => (exited = true));
  child.once('error', () => (exited = true));
  child.unref();
  lab.pid = child.pid;
  await waitForTcp(lab.port, 5000, () => !exited);
  saveState(lab);
}

/** Stops the lab's KDC by its PID (only if that PID is still this lab's krb5kdc). */
export async function labStopKdc(lab: Lab): Promise<void> {
  if (lab.pid === 0) return;
  if (isLabKdc(lab)) {
    process.kill(lab.pid, 'SIGTERM');
    const deadline = Date.now() + 3000;
    while (isAlive(lab.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    if (isAlive(lab.pid)) process.kill(lab.pid, 'SIGKILL');
  }
  lab.pid = 0;
  if (existsSync(lab.dir)) saveState(lab);
}

/** The variables a program exports to use the lab; `KRB5CCNAME`/`KRB5_KTNAME` are its defaults. */
export function labEnvironment(lab: Omit<Lab, 'env'>): Record<string, string> {
  return {
    KRB5_CONFIG: lab.krb5Conf,
    KRB5_KDC_PROFILE: lab.kdcConf,
    KRB5CCNAME: `FILE:${lab.ccache}`,
    KRB5_KTNAME: `FILE:${lab.serviceKeytab}`,
    KRB5RCACHEDIR: lab.rcacheDir,
    GSS_MECH_CONFIG: lab.mechConfig,
  };
}

function toolEnv(lab: Lab): Record<string, string> {
  return { PATH: process.env['PATH'] ?? '/usr/bin:/bin', LANG: 'C', ...lab.env };
}

// The query goes on stdin, not the command line: `addprinc -pw` carries the user's password, and a
// process's arguments are readable by every local user.
function kadmin(lab: Lab, query: string): Promise<unknown> {
  return runProgram('kadmin.local', ['-r', lab.realm], toolEnv(lab), `${query}\n`);
}

/** The lab's directory, and whether the lab created it (only then may a failure remove it whole). */
function prepareDir(dir: string | undefined): { dir: string; created: boolean } {
  if (dir === undefined) return { dir: mkdtempSync(join(tmpdir(), 'sspkit-lab-')), created: true };
  const abs = resolve(dir);
  if (existsSync(abs)) {
    if (existsSync(join(abs, STATE_FILE))) throw new LabToolError(`${abs} already holds a lab`);
    if (readdirSync(abs).length > 0) throw new LabToolError(`${abs} is not empty: a lab directory must be empty or absent`);
    return { dir: abs, created: false };
  }
  mkdirSync(abs, { recursive: true, mode: 0o700 });
  return { dir: abs, created: true };
}

/** Undoes a failed labUp: the directory if the lab made it, else only what it put inside. */
function cleanUp(dir: string, created: boolean): void {
  if (created) rmSync(dir, { recursive: true, force: true });
  else for (const entry of readdirSync(dir)) rmSync(join(dir, entry), { recursive: true, force: true });
}

function saveState(lab: Lab): void {
  // 0600: the state holds the throwaway user's password so `lab down`/tests can reuse it.
  writeFileSync(join(lab.dir, STATE_FILE), JSON.stringify(lab, null, 2), { mode: 0o600 });
}

/** Whether a process with this PID exists (signal 0). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// Guards against killing an unrelated process that reused a stale PID.
function isLabKdc(lab: Lab): boolean {
  try {
    const cmd = readFileSync(`/proc/${lab.pid}/cmdline`, 'utf8').split('\0');
    return cmd.some((a) => a.endsWith('krb5kdc')) && cmd.includes(lab.realm) && readFileSync(`/proc/${lab.pid}/stat`, 'utf8').split(' ')[2] !== 'Z';
  } catch {
    return false;
  }
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
