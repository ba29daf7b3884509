/**
 * What Wine's NTLM acceptor needs on Linux: Wine's secur32 hands NTLM to Samba's `ntlm_auth`
 * (`--helper-protocol=squid-2.5-ntlmssp` for AcceptSecurityContext), and ntlm_auth checks the
 * client's response through a running `winbindd`. This starts a private one: a standalone Samba
 * configuration in a temp directory (nothing of /etc/samba or /var/lib/samba is read or written), its
 * one account in a private passdb, the Unix user it maps to in an nss_wrapper passwd file (a local
 * SAM account must be a Unix user), no network listener (winbindd only serves its socket).
 *
 * ntlm_auth reads the configuration named by SMB_CONF_PATH, and looks for winbindd's socket at the
 * path compiled into Samba unless nss_wrapper is preloaded, when SELFTEST_WINBINDD_SOCKET_DIR is
 * honoured: `env` carries all of these, for the Wine process (ntlm_auth inherits them from it).
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { locate } from '@sspkit/krb5-lab';
import { sessionProcesses, signalEach, waitFor } from './procs.js';
import type { Proc } from './procs.js';

/** Debian's libnss-wrapper. */
const NSS_WRAPPER = '/usr/lib/x86_64-linux-gnu/libnss_wrapper.so';

/** The standalone server's NetBIOS name: the domain a local SAM account authenticates in. */
export const WINBIND_HOST = 'WINEHOST';

export interface Winbind {
  readonly dir: string;
  readonly pid: number;
  /** NetBIOS name of the standalone server (the account's domain). */
  readonly host: string;
  readonly user: string;
  /** Secret: never print it. */
  readonly password: string;
  /** For Wine (and any ntlm_auth): nss_wrapper, the private smb.conf, winbindd's socket directory. */
  readonly env: Readonly<Record<string, string>>;
  /** Stops winbindd and every process it forked (by PID, children first) and removes the directory. Idempotent. */
  stop(): Promise<void>;
  /** What is left of it: the processes of its session, zombies included, or naming its directory. */
  survivors(): readonly Proc[];
}

/** Why a private winbindd cannot run here, or null. */
export function winbindMissing(): string | null {
  for (const program of ['winbindd', 'ntlm_auth', 'pdbedit', 'wbinfo'])
    if (locate(program) === null) return `${program} not found (Debian package winbind)`;
  if (!existsSync(NSS_WRAPPER)) return `${NSS_WRAPPER} not found (Debian package libnss-wrapper)`;
  if (process.getuid?.() !== 0) return 'winbindd runs as root only';
  return null;
}

function smbConf(dir: string): string {
  const d = (name: string): string => join(dir, name);
  return [
    '[global]',
    `  netbios name = ${WINBIND_HOST}`,
    '  workgroup = WINEDOM',
    '  server role = standalone server',
    `  passdb backend = tdbsam:${d('private/passdb.tdb')}`,
    ...['private', 'lock', 'state', 'cache', 'pid'].map((k) => `  ${k} directory = ${d(k)}`),
    `  ncalrpc dir = ${d('ncalrpc')}`,
    `  winbindd socket directory = ${d('winbindd')}`,
    `  log file = ${d('log/log.%m')}`,
    '  interfaces = lo',
    '  bind interfaces only = yes',
    '  disable netbios = yes',
    '  load printers = no',
    // No samba-dcerpcd: winbindd would start one for each RPC pipe it opens (Samba 4.16+), each
    // daemonizing in a session of its own (out of reach of winbindd's teardown) through a double fork
    // whose first child is left a zombie for PID 1 to reap. ntlm_auth's logons need no RPC: the
    // domain child checks the passdb itself.
    '  rpc start on demand helpers = no',
    // MS-NLMP 3.3.2: NTLMv2 only; Wine's client and sspkit's both send v2 responses.
    '  ntlm auth = ntlmv2-only',
    '',
  ].join('\n');
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Starts a private winbindd with one account (`alice` and a random password unless given). */
export async function startWinbind(options: { user?: string; password?: string } = {}): Promise<Winbind> {
  const missing = winbindMissing();
  if (missing !== null) throw new Error(`winbind: ${missing}`);
  const user = options.user ?? 'alice';
  const password = options.password ?? `Wb-${Math.random().toString(36).slice(2)}-${Date.now().toString(36)}`;
  const dir = mkdtempSync(join(tmpdir(), 'sspkit-winbind-'));
  let child: ChildProcess | undefined;
  const survivors = (): Proc[] => (child?.pid === undefined ? [] : sessionProcesses(child.pid, dir));
  const stop = async (): Promise<void> => {
    const leader = child?.pid;
    if (child !== undefined && leader !== undefined && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      // The children first, while winbindd lives to reap them (it waits for each on SIGCHLD). Stopping
      // the parent first orphaned them: an orphan goes to PID 1 and stays <defunct> until PID 1 reaps
      // it, which the init of a container may never do.
      const children = (): Proc[] => survivors().filter((p) => p.pid !== leader);
      signalEach(
        children().map((p) => p.pid),
        'SIGTERM',
      );
      await waitFor(() => children().length === 0, 3000);
      signalEach([leader], 'SIGTERM');
      await Promise.race([exited, sleep(5000)]);
    }
    // What is left (a process that ignored SIGTERM; every child when winbindd died first), by PID.
    const live = survivors().filter((p) => p.state !== 'Z');
    signalEach(
      live.map((p) => p.pid),
      'SIGKILL',
    );
    await waitFor(() => survivors().length === 0, 2000);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const sub of ['private', 'lock', 'state', 'cache', 'pid', 'ncalrpc', 'winbindd', 'log'])
      mkdirSync(join(dir, sub));
    const conf = join(dir, 'smb.conf');
    writeFileSync(conf, smbConf(dir));
    // The account's Unix user, and this process's own user (Wine looks its user up too).
    const me = userInfo();
    writeFileSync(
      join(dir, 'passwd'),
      `${me.username}:x:${me.uid}:${me.gid}::${me.homedir}:/bin/sh\n${user}:x:60001:60001::${dir}:/bin/false\n`,
    );
    writeFileSync(join(dir, 'group'), `${user}:x:60001:\n`);
    const env: Record<string, string> = {
      LD_PRELOAD: NSS_WRAPPER,
      NSS_WRAPPER_PASSWD: join(dir, 'passwd'),
      NSS_WRAPPER_GROUP: join(dir, 'group'),
      SMB_CONF_PATH: conf,
      SELFTEST_WINBINDD_SOCKET_DIR: join(dir, 'winbindd'),
    };
    const toolEnv = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', LANG: 'C', ...env };
    // The password goes on stdin (twice: pdbedit asks to retype it), never on a command line.
    const add = spawnSync('pdbedit', ['-s', conf, '-a', '-u', user, '-t'], {
      env: toolEnv,
      input: `${password}\n${password}\n`,
      encoding: 'utf8',
    });
    if (add.status !== 0) throw new Error(`winbind: pdbedit -a failed: ${add.stderr}`);
    child = spawn('winbindd', ['-s', conf, '--foreground', '--no-process-group', '--debug-stdout', '-d', '1'], {
      env: toolEnv,
      stdio: ['ignore', 'ignore', 'ignore'],
      detached: true,
    });
    const pid = child.pid ?? 0;
    // If this process dies first, do not leave winbindd behind.
    process.once('exit', () => {
      if (pid !== 0)
        signalEach(
          sessionProcesses(pid, dir).map((p) => p.pid),
          'SIGKILL',
        );
      rmSync(dir, { recursive: true, force: true });
    });
    for (let i = 0; ; i++) {
      const ping = spawnSync('wbinfo', ['-p'], { env: toolEnv, encoding: 'utf8' });
      if (ping.status === 0) break;
      if (i > 150 || child.exitCode !== null) throw new Error(`winbind: winbindd did not answer: ${ping.stderr}`);
      await sleep(100);
    }
    return { dir, pid, host: WINBIND_HOST, user, password, env, stop, survivors };
  } catch (err) {
    await stop();
    throw err;
  }
}
