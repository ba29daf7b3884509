/**
 * Test helper: runs the `sspkit` CLI with a private temp dir (TMPDIR, mode 1777 like /tmp, where
 * "another user" can plant files) and private lab records (XDG_RUNTIME_DIR), so runs of these
 * tests never see each other's or the machine's labs.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../packages/cli/bin/sspkit.mjs', import.meta.url));

/** uid/gid of `nobody` on Debian: the "other local user" of the attack tests. */
export const OTHER_UID = 65534;

export interface Sandbox {
  readonly root: string;
  /** TMPDIR of the CLI runs: world-writable and sticky, as /tmp. */
  readonly tmp: string;
  readonly env: NodeJS.ProcessEnv;
  sspkit(...args: string[]): { status: number | null; stdout: string; stderr: string };
  /** A long-running process whose command line looks like a lab KDC's to a naive check. */
  decoy(): ChildProcess;
  cleanUp(): void;
}

export function sandbox(): Sandbox {
  const root = mkdtempSync(join(tmpdir(), 'sspkit-cli-sandbox-'));
  const tmp = join(root, 'tmp');
  mkdirSync(tmp);
  chmodSync(tmp, 0o1777);
  const runtime = join(root, 'run');
  mkdirSync(runtime, { mode: 0o700 });
  const env = {
    ...process.env,
    TMPDIR: tmp,
    XDG_RUNTIME_DIR: runtime,
    SSPKIT_LAB_DIR: undefined,
    KRB5_CONFIG: undefined,
    KRB5CCNAME: undefined,
    KRB5_KTNAME: undefined,
  };
  const decoys: ChildProcess[] = [];
  return {
    root,
    tmp,
    env,
    sspkit: (...args) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env, timeout: 60_000 }),
    decoy: () => {
      // `sh -c 'sleep 60; :' krb5kdc SSPKIT.LAB`: its arguments name krb5kdc and the realm.
      const child = spawn('sh', ['-c', 'sleep 60; :', 'krb5kdc', 'SSPKIT.LAB'], { stdio: 'ignore' });
      decoys.push(child);
      return child;
    },
    cleanUp: () => {
      const labs = spawnSync(process.execPath, [bin, 'lab', 'status', '--json'], { encoding: 'utf8', env });
      try {
        for (const l of JSON.parse(labs.stdout) as { dir: string; pid: number }[]) {
          spawnSync(process.execPath, [bin, 'lab', 'down', '--dir', l.dir], { env });
        }
      } catch {
        // no status (an older CLI): the labs' directories go with the sandbox below
      }
      for (const d of decoys) d.kill('SIGKILL');
      // Whatever a failed run left: KDCs whose profile lies in this sandbox, stopped by PID.
      for (const pid of kdcsUnder(root)) process.kill(pid, 'SIGKILL');
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** PIDs of krb5kdc processes whose KRB5_KDC_PROFILE lies under `dir`. */
function kdcsUnder(dir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0');
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'latin1');
      if (cmd.includes('krb5kdc') && environ.some((v) => v.startsWith(`KRB5_KDC_PROFILE=${dir}/`)))
        pids.push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  return pids;
}
