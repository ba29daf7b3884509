/**
 * Runs TypeScript under Windows Node in Wine, driven from the Linux tests (test/wine/README.md).
 *
 *   const wine = await startWine();               // private prefix copied from the cached template
 *   const r = await wine.runWindowsNode(join(import.meta.dirname, 'win/smoke.ts'), { env: lab.env });
 *   r.result                                       // what the script passed to writeResult()
 *   await wine.stop();                             // kills by PID, then `wineserver -k` for the prefix
 *
 * node.exe under Wine throws EBADF when its stdin, stdout or stderr is a pipe, so stdout and stderr go
 * to files and the script's answer is JSON it writes to the file named by SSPKIT_WINE_RESULT.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
} from 'node:fs';
import { rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { prepareWineEnv, wineBaseEnv, wineVersion } from './env.js';
import type { WineEnv } from './env.js';
import { RESULT_ENV } from './win/result.js';

/** Whether the Wine tests run, and why not when they are skipped. */
export type WineAvailability = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * Whether the Wine tests can run: a skip with its reason when Wine is missing. Under SSPKIT_STRICT=1
 * (CI) always ok, so a missing Wine fails the tests with the reason instead of skipping them.
 */
export function wineAvailable(): WineAvailability {
  if (process.env['SSPKIT_STRICT'] === '1' || wineVersion() !== undefined) return { ok: true };
  return { ok: false, reason: 'wine is not installed (apt-get install wine64)' };
}

/** A Linux path as Windows programs in the prefix see it (Wine maps drive Z: to /). */
export function toWinPath(path: string): string {
  return `Z:${resolve(path).replaceAll('/', '\\')}`;
}

export interface RunOptions {
  /** Arguments after the script (process.argv[2...]). */
  readonly args?: readonly string[];
  /** Added to the environment (e.g. a lab's KRB5_CONFIG, KRB5CCNAME, KRB5_KTNAME). */
  readonly env?: Readonly<Record<string, string>>;
  /** Killed (by PID) after this long; default 60 s. */
  readonly timeoutMs?: number;
  /** Working directory (a Linux path; Windows sees it under Z:). Default: the session's directory. */
  readonly cwd?: string;
}

export interface RunResult {
  /** Exit status; null when killed (timeout or stop). */
  readonly code: number | null;
  readonly timedOut: boolean;
  readonly stdout: string;
  readonly stderr: string;
  /** The JSON the script wrote to SSPKIT_WINE_RESULT, or undefined when it wrote none. */
  readonly result: unknown;
  /** Wall time of the node.exe run, in ms. */
  readonly ms: number;
}

/** A private Wine prefix and the node.exe runs in it; stop() leaves nothing running. */
export class WineSession {
  readonly #children = new Set<ChildProcess>();
  readonly #bundles = new Map<string, Promise<string>>();
  #runs = 0;
  #stopped = false;

  constructor(
    readonly env: WineEnv,
    /** This session's directory (prefix, bundles, run outputs). */
    readonly dir: string,
    /** The session's own Wine prefix. */
    readonly prefix: string,
  ) {}

  /** Bundles `script` (TypeScript, workspace packages from source) into one ES module for node.exe. */
  bundle(script: string): Promise<string> {
    const key = resolve(script);
    let out = this.#bundles.get(key);
    if (out === undefined) {
      const outfile = join(this.dir, 'bundles', `${this.#bundles.size}.mjs`);
      out = build({
        entryPoints: [key],
        outfile,
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        sourcemap: 'inline',
        logLevel: 'silent',
        // koffi loads a .node binary: not bundled, found at run time through <session>/node_modules,
        // a link to the environment's koffi with its Windows binary beside it (import or require).
        external: ['koffi'],
        // CommonJS dependencies bundled into an ES module still call require().
        banner: {
          js: "import { createRequire as __sspkitRequire } from 'node:module'; const require = __sspkitRequire(import.meta.url);",
        },
      }).then(() => outfile);
      this.#bundles.set(key, out);
    }
    return out;
  }

  /** Runs `script` (a .ts or .js path) under Windows Node. */
  async runWindowsNode(script: string, options: RunOptions = {}): Promise<RunResult> {
    if (this.#stopped) throw new Error('wine session stopped');
    const bundle = await this.bundle(script);
    const n = this.#runs++;
    const out = join(this.dir, `run-${n}.stdout`);
    const err = join(this.dir, `run-${n}.stderr`);
    const resultFile = join(this.dir, `run-${n}.result.json`);
    const outFd = openSync(out, 'w');
    const errFd = openSync(err, 'w');
    const started = Date.now();
    let child: ChildProcess;
    try {
      child = spawn('wine', [this.env.nodeExe, '--enable-source-maps', toWinPath(bundle), ...(options.args ?? [])], {
        cwd: options.cwd ?? this.dir,
        env: {
          ...wineBaseEnv(this.prefix),
          // A password logon writes tickets to KRB5CCNAME: never the user's own cache.
          KRB5CCNAME: `FILE:${join(this.dir, 'krb5cc')}`,
          // Wine's Negotiate acceptor tries MIT GSSAPI first; with no mechanism plug-ins configured,
          // gss-ntlmssp (if installed) does not take NTLM tokens away from Wine's NTLM.
          GSS_MECH_CONFIG: join(this.dir, 'gss-mech-none'),
          [RESULT_ENV]: toWinPath(resultFile),
          ...options.env,
        },
        // Files, not pipes (EBADF); its own process group, so the whole wine process tree is killed.
        stdio: ['ignore', outFd, errFd],
        detached: true,
      });
    } finally {
      closeSync(outFd);
      closeSync(errFd);
    }
    this.#children.add(child);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child);
    }, options.timeoutMs ?? 60_000);
    const code = await new Promise<number | null>((done) => {
      child.once('error', () => done(null));
      child.once('exit', (c) => done(c));
    });
    clearTimeout(timer);
    this.#children.delete(child);
    const ms = Date.now() - started;
    const read = (f: string): string => (existsSync(f) ? readFileSync(f, 'utf8') : '');
    const raw = read(resultFile);
    return {
      code,
      timedOut,
      stdout: read(out),
      stderr: read(err),
      result: raw === '' ? undefined : JSON.parse(raw),
      ms,
    };
  }

  /** Kills every run still going (by PID), stops the prefix's wineserver, removes the session. */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    for (const child of this.#children) killGroup(child);
    spawnSync('wineserver', ['-k'], { env: wineBaseEnv(this.prefix), stdio: 'ignore', timeout: 15_000 });
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes sessions whose test process died without stop() (their directory names carry its pid). */
function sweepSessions(dir: string): void {
  for (const name of existsSync(dir) ? readdirSync(dir) : []) {
    const pid = Number(/^(\d+)-/.exec(name)?.[1] ?? '0');
    if (pid > 0 && pid !== process.pid && !pidAlive(pid)) {
      spawnSync('wineserver', ['-k'], {
        env: wineBaseEnv(join(dir, name, 'prefix')),
        stdio: 'ignore',
        timeout: 15_000,
      });
      rmSync(join(dir, name), { recursive: true, force: true });
    }
  }
}

/**
 * A session with its own prefix: the cached template copied with hard links (fast, no 700 MB copy),
 * except the files wineserver rewrites in place (the registry hives and the other top-level files),
 * which are copied. Separate prefixes mean separate wineservers: test files never share one.
 */
export async function startWine(): Promise<WineSession> {
  const env = await prepareWineEnv();
  mkdirSync(env.sessionsDir, { recursive: true });
  sweepSessions(env.sessionsDir);
  const dir = mkdtempSync(join(env.sessionsDir, `${process.pid}-`));
  const prefix = join(dir, 'prefix');
  const cp = spawnSync('cp', ['-al', env.prefix, prefix], { encoding: 'utf8' });
  if (cp.status !== 0) throw new Error(`wine session: cp -al ${env.prefix} failed: ${cp.stderr}`);
  for (const entry of readdirSync(prefix, { withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = join(prefix, entry.name);
    unlinkSync(file);
    copyFileSync(join(env.prefix, entry.name), file);
  }
  mkdirSync(join(dir, 'bundles'));
  symlinkSync(join(env.koffiDir, '..'), join(dir, 'node_modules'));
  writeFileSync(join(dir, 'gss-mech-none'), '');
  const session = new WineSession(env, dir, prefix);
  process.once('exit', () => session.stop());
  return session;
}
