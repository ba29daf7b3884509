/**
 * sspkit as users consume it: build, `pnpm pack` every package, `npm install` the tarballs into a
 * fresh application in a temp dir outside the repository (no workspace above it), compile the
 * README's application (test/app) there against the installed .d.ts, and run it, the `sspkit`
 * command and a conformance run with plain `node` — no tsx, no workspace links. npm fetches the
 * third-party dependencies (inversify, koffi, commander …) from the registry.
 */
import { execFile } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const exec = promisify(execFile);
const TIMEOUT = 300_000;

interface Manifest {
  name: string;
  exports?: unknown;
  bin?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

/**
 * The environment of a user's shell: nothing inherited from the pnpm run of this suite (its npm_*
 * settings, vitest's), except how to reach the registry.
 */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  const keep = /^npm_config_(registry|proxy|https_proxy|noproxy|cafile|strict_ssl|cache)$/i;
  for (const [k, v] of Object.entries(process.env)) {
    if (keep.test(k) || !/^(npm_|pnpm_|NODE_OPTIONS$|VITEST)/i.test(k)) env[k] = v;
  }
  env['PATH'] = `${dirname(process.execPath)}:${process.env['PATH'] ?? ''}`;
  return env;
}

let tmp = '';
let app = '';
let tarballs: string[] = [];

async function inApp(file: string, args: readonly string[]): Promise<{ stdout: string; stderr: string }> {
  return exec(file, [...args], { cwd: app, env: userEnv(), maxBuffer: 16 * 1024 * 1024 });
}

/** `node <args>` in the app, with the Node running this suite (the README's `node …` lines). */
const node = (...args: string[]) => inApp(process.execPath, args);
/** `npx --no <args>`: only what the app installed, nothing fetched on the fly. */
const npx = (...args: string[]) => inApp('npx', ['--no', ...args]);

beforeAll(async () => {
  tmp = realpathSync(mkdtempSync(join(tmpdir(), 'sspkit-packaging-')));
  await exec('bash', ['scripts/pack.sh', join(tmp, 'packs')], { cwd: root, maxBuffer: 16 * 1024 * 1024 });
  tarballs = readdirSync(join(tmp, 'packs'))
    .filter((f) => f.endsWith('.tgz'))
    .map((f) => join(tmp, 'packs', f));

  app = join(tmp, 'app');
  // The app's sources only (not the output of a tsc someone ran in test/app).
  cpSync(join(root, 'test/app'), app, { recursive: true, filter: (f) => !/[\\/](dist|node_modules)$/.test(f) });
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'sspkit-consumer', private: true, type: 'module' }));
  // The same TypeScript and Node types the workspace pins.
  const pins = readJson<Manifest>(join(root, 'package.json')).devDependencies ?? {};
  const tools = ['typescript', '@types/node'].map((n) => `${n}@${pins[n] ?? 'latest'}`);
  // --ignore-scripts: koffi ships its binaries in optional per-platform packages (no build needed).
  await inApp('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', ...tarballs, ...tools]);
}, TIMEOUT);

afterAll(() => {
  if (tmp !== '') rmSync(tmp, { recursive: true, force: true });
});

describe('packed and installed with npm, run with plain node', () => {
  it('the app is outside any workspace, and resolves sspkit from its own node_modules', () => {
    expect(tmp.startsWith(realpathSync(root))).toBe(false);
    for (let dir = dirname(app); dir !== dirname(dir); dir = dirname(dir)) {
      expect(existsSync(join(dir, 'package.json')), dir).toBe(false);
      expect(existsSync(join(dir, 'pnpm-workspace.yaml')), dir).toBe(false);
    }
    expect(existsSync(join(app, 'node_modules/tsx'))).toBe(false);
    const packages = join(root, 'packages');
    const names = readdirSync(packages).filter((d) => existsSync(join(packages, d, 'package.json')));
    const installed = readdirSync(join(app, 'node_modules/@sspkit'));
    expect(installed.sort()).toEqual(names.sort());
    // Installed copies (not symlinks into the repository).
    for (const n of installed) expect(realpathSync(join(app, 'node_modules/@sspkit', n)).startsWith(app)).toBe(true);
  });

  it('each tarball: dist (JS, .d.ts, maps), README, LICENSE; no sources, tests or workspace: ranges', async () => {
    expect(tarballs).toHaveLength(readdirSync(join(app, 'node_modules/@sspkit')).length);
    for (const tgz of tarballs) {
      const files = (await exec('tar', ['-tzf', tgz])).stdout.split('\n').filter(Boolean);
      const name = basename(tgz);
      for (const f of [
        'package.json',
        'README.md',
        'LICENSE',
        'dist/index.js',
        'dist/index.d.ts',
        'dist/index.js.map',
      ]) {
        expect(files, name).toContain(`package/${f}`);
      }
      const shipped = /^package\/(dist\/.+\.(js|d\.ts|js\.map)|package\.json|README\.md|LICENSE)$/;
      expect(
        files.filter((f) => !shipped.test(f)),
        name,
      ).toEqual([]);
      // "license": "MIT" in every manifest; pnpm pack copies the root LICENSE into a package without one.
      const license = (await exec('tar', ['-xOzf', tgz, 'package/LICENSE'])).stdout;
      expect(license, name).toBe(readFileSync(join(root, 'LICENSE'), 'utf8'));
      const manifest = JSON.parse((await exec('tar', ['-xOzf', tgz, 'package/package.json'])).stdout) as Manifest;
      expect(JSON.stringify(manifest.dependencies ?? {}), manifest.name).not.toMatch(/workspace:/);
      const exports = { '.': { types: './dist/index.d.ts', import: './dist/index.js' } };
      expect(manifest.exports, manifest.name).toEqual(exports);
    }
  });

  it(
    "TypeScript compiles the README's application against the installed .d.ts",
    async () => {
      await node('node_modules/typescript/bin/tsc', '-p', '.');
      expect(existsSync(join(app, 'dist/main.js'))).toBe(true);
    },
    TIMEOUT,
  );

  it('production: NTLM with an in-memory account store authenticates, a wrong password is denied', async () => {
    const { stdout } = await node('dist/main.js');
    expect(JSON.parse(stdout)).toEqual({
      alice: { kind: 'authenticated', user: 'EXAMPLE\\alice' },
      intruder: { kind: 'denied', reason: 'SEC_E_LOGON_DENIED' },
    });
  });

  it("the application's test swaps NTLM for the Mock through the container (node --test)", async () => {
    const { stdout } = await node('--test', 'dist/login.test.js');
    expect(stdout).toMatch(/^# pass 3$/m);
    expect(stdout).toMatch(/^# fail 0$/m);
  });

  it('a programmatic conformance run of NTLM conforms', async () => {
    const { stdout } = await node('dist/conformance.js');
    expect(JSON.parse(stdout)).toMatchObject({ package: 'NTLM', ok: true, failed: [] });
  });

  it('the installed sspkit command runs from built JavaScript: conformance and handshakes', async () => {
    const bin = readJson<Manifest>(join(app, 'node_modules/@sspkit/cli/package.json')).bin?.['sspkit'];
    expect(bin).toBe('./dist/bin.js');
    expect(readFileSync(join(app, 'node_modules/@sspkit/cli', bin!), 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
    const conformance = await npx('sspkit', 'conformance', '@sspkit/provider-mock', '--json');
    expect(JSON.parse(conformance.stdout)).toMatchObject({ ok: true });
    for (const pkg of ['Mock', 'NTLM']) {
      const run = await npx('sspkit', 'handshake', '--package', pkg, '--json');
      expect(JSON.parse(run.stdout), pkg).toMatchObject({ ok: true, package: pkg });
    }
  });
});
