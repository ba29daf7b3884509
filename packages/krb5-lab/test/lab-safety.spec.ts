/**
 * labDown touches only a lab this user started: the directory must be recorded in the private
 * per-user records, still be this user's 0700 directory holding the recorded id, and a PID is
 * signalled only if it is that lab's krb5kdc. Files are planted as another uid (nobody) where the
 * tests run as root.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import {
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { isAlive, isLabKdc, labDown, labList, labStateDir, labUp } from '../src/index.js';
import type { Lab } from '../src/index.js';

const work = mkdtempSync(join(tmpdir(), 'sspkit-lab-safety-'));
const runtime = join(work, 'run');
mkdirSync(runtime, { mode: 0o700 });
process.env['XDG_RUNTIME_DIR'] = runtime;
const asRoot = process.geteuid?.() === 0;
const NOBODY = 65534;

const labs: Lab[] = [];
const decoys: ChildProcess[] = [];
afterEach(async () => {
  for (const lab of labs.splice(0)) {
    await labDown(lab).catch(() => undefined);
    if (isAlive(lab.pid) && isLabKdc(lab.pid, lab.id)) process.kill(lab.pid, 'SIGKILL');
  }
  for (const d of decoys.splice(0)) d.kill('SIGKILL');
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function up(): Promise<Lab> {
  const lab = await labUp({ detached: false });
  labs.push(lab);
  return lab;
}

/** A process whose command line names krb5kdc and the realm, as a naive check looks for. */
function decoy(): number {
  const child = spawn('sh', ['-c', 'sleep 60; :', 'krb5kdc', 'SSPKIT.LAB'], { stdio: 'ignore' });
  decoys.push(child);
  return child.pid ?? 0;
}

describe('labDown and what it may remove or signal', () => {
  it('refuses a directory with a copy of a real lab state that it did not record', async () => {
    const lab = await up();
    const copy = join(work, 'copy');
    cpSync(lab.dir, copy, { recursive: true });
    await expect(labDown(copy)).rejects.toThrow(/not a lab this user started/);
    expect(existsSync(copy)).toBe(true);
  });

  it.skipIf(!asRoot)('leaves a recorded directory alone once it belongs to another user', async () => {
    const lab = await up();
    chownSync(lab.dir, NOBODY, NOBODY);
    await expect(labDown(lab.dir)).rejects.toThrow(/left alone/);
    expect(existsSync(join(lab.dir, 'lab.json'))).toBe(true);
    // Its own KDC (recognised by the id in its environment) is still stopped, and the record forgotten.
    expect(isAlive(lab.pid)).toBe(false);
    expect(labList().map((l) => l.dir)).not.toContain(lab.dir);
    rmSync(lab.dir, { recursive: true, force: true });
  });

  it('never signals a PID that is not the lab KDC, whatever its state files say', async () => {
    const lab = await up();
    const pid = decoy();
    expect(isLabKdc(lab.pid, lab.id)).toBe(true);
    expect(isLabKdc(lab.pid, 'another-lab-id-0000')).toBe(false);
    expect(isLabKdc(pid, lab.id)).toBe(false);
    // A record naming the decoy (as after PID reuse): the decoy lives, the lab's own KDC is stopped.
    const record = join(labStateDir(), `${lab.id}.json`);
    writeFileSync(record, JSON.stringify({ ...JSON.parse(readFileSync(record, 'utf8')), pid }));
    await labDown(lab.dir);
    expect(isAlive(pid)).toBe(true);
    expect(isAlive(lab.pid)).toBe(false);
    expect(existsSync(lab.dir)).toBe(false);
  });

  it('trusts no record directory that is a symlink', async () => {
    const elsewhere = join(work, 'elsewhere');
    mkdirSync(elsewhere, { mode: 0o700 });
    const runtime2 = join(work, 'run2');
    mkdirSync(join(runtime2, 'sspkit'), { recursive: true, mode: 0o700 });
    symlinkSync(elsewhere, join(runtime2, 'sspkit', 'labs'));
    process.env['XDG_RUNTIME_DIR'] = runtime2;
    try {
      expect(() => labList()).toThrow(/symlink/);
      await expect(labUp({ detached: false })).rejects.toThrow(/symlink/);
    } finally {
      process.env['XDG_RUNTIME_DIR'] = runtime;
    }
  });

  it.skipIf(!asRoot)('ignores a record file planted by another user', async () => {
    const lab = await up();
    const record = join(labStateDir(), `${lab.id}.json`);
    chownSync(record, NOBODY, NOBODY);
    expect(labList().map((l) => l.dir)).not.toContain(lab.dir);
    await expect(labDown(lab.dir)).rejects.toThrow(/not a lab this user started/);
    chownSync(record, 0, 0);
  });
});
