/**
 * Everything a lab writes is private whatever the umask (files 0600, directories 0700), and no lab
 * secret reaches a command line (every local user can read /proc/PID/cmdline): the master password
 * goes to kdb5_util on stdin, the user's password to kadmin.local and kinit on stdin. The krb5
 * programs are wrapped by shims that log their arguments; the lab starts in a child process under
 * umask 000.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { findProgram, isAlive, labDown, labStateDir } from '../src/index.js';

const work = mkdtempSync(join(tmpdir(), 'sspkit-lab-private-'));
const runtime = join(work, 'run');
mkdirSync(runtime, { mode: 0o700 });
process.env['XDG_RUNTIME_DIR'] = runtime;
const shims = join(work, 'shims');
mkdirSync(shims);
const argvLog = join(work, 'argv.log');
for (const program of ['kdb5_util', 'kadmin.local', 'kinit', 'krb5kdc'] as const) {
  const real = findProgram(program);
  writeFileSync(
    join(shims, program),
    `#!/bin/sh\nprintf '%s %s\\n' "${program}" "$*" >> '${argvLog}'\nexec '${real}' "$@"\n`,
  );
  chmodSync(join(shims, program), 0o755);
}

let started: { dir: string; pid: number; password: string } | undefined;
afterAll(async () => {
  if (started !== undefined) await labDown(started.dir).catch(() => undefined);
  if (started !== undefined && isAlive(started.pid)) process.kill(started.pid, 'SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

function walk(dir: string): { path: string; mode: number; dir: boolean }[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    const st = lstatSync(path);
    const entry = { path, mode: st.mode & 0o7777, dir: st.isDirectory() };
    return st.isDirectory() ? [entry, ...walk(path)] : [entry];
  });
}

describe('a lab started under umask 000', () => {
  it('creates every file 0600 and every directory 0700, and puts no secret on a command line', async () => {
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href;
    const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url));
    const code = [
      `const m = await import(${JSON.stringify(entry)});`,
      'const lab = await m.labUp();',
      `await m.labKinit(lab, lab.dir + '/second.ccache');`,
      `m.labCopyCcache(lab, lab.dir + '/copy.ccache');`,
      'console.log(JSON.stringify({ dir: lab.dir, pid: lab.pid, password: lab.password }));',
    ].join('\n');
    const node = [process.execPath, '--import', tsx, '--input-type=module', '-e', code];
    const env = { ...process.env, PATH: `${shims}:${process.env['PATH'] ?? ''}`, XDG_RUNTIME_DIR: runtime };
    const r = spawnSync('/bin/sh', ['-c', 'umask 000 && exec "$@"', 'sh', ...node], {
      encoding: 'utf8',
      env,
      timeout: 60_000,
    });
    expect(r.status, r.stderr).toBe(0);
    started = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '') as { dir: string; pid: number; password: string };

    const entries = [
      { path: started.dir, mode: lstatSync(started.dir).mode & 0o7777, dir: true },
      ...walk(started.dir),
    ];
    expect(entries.map((e) => e.path)).toContain(join(started.dir, 'kdc.log'));
    for (const e of entries) expect([e.path, e.mode.toString(8)]).toEqual([e.path, e.dir ? '700' : '600']);
    for (const e of [{ path: labStateDir(), mode: 0, dir: true }, ...walk(labStateDir())]) {
      const mode = (lstatSync(e.path).mode & 0o7777).toString(8);
      expect([e.path, mode]).toEqual([e.path, e.dir ? '700' : '600']);
    }

    const argv = readFileSync(argvLog, 'utf8');
    expect(argv).toMatch(/^kdb5_util create/m);
    expect(argv).toMatch(/^krb5kdc /m);
    expect(argv).not.toContain(started.password);
    expect(argv).not.toMatch(/ -P | -pw /);

    await labDown(started.dir);
    expect(isAlive(started.pid)).toBe(false);
  }, 60_000);
});
