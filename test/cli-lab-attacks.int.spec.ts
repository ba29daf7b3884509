/**
 * A local user must not be able to make `sspkit lab down` (typically run by root) remove a
 * directory or signal a process of its choosing, nor make `sspkit lab up` write through a symlink.
 * The CLI used to keep a "current lab" pointer under a fixed name in the shared temp directory and
 * trust whatever lab.json it named. Each test plants the files as another uid (nobody) and checks
 * that the victim directory, process and file survive.
 */
import {
  chownSync,
  existsSync,
  lchownSync,
  mkdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OTHER_UID, sandbox } from './cli/sandbox.js';
import type { Sandbox } from './cli/sandbox.js';

const asRoot = process.geteuid?.() === 0;
const POINTER = 'sspkit-lab-current';

function alive(pid: number | undefined): boolean {
  try {
    process.kill(pid ?? 0, 0);
    return pid !== undefined;
  } catch {
    return false;
  }
}

describe.skipIf(!asRoot)('lab state planted by another local user', () => {
  let box: Sandbox;
  let victim: string;
  beforeAll(() => {
    box = sandbox();
    victim = join(box.root, 'victim');
    mkdirSync(victim);
    writeFileSync(join(victim, 'keep'), 'precious');
  });
  afterAll(() => box.cleanUp());

  /** Another user's directory holding a lab.json that names the victim directory and `pid`. */
  function plantLab(dir: string, pid: number): void {
    mkdirSync(dir, { recursive: true });
    const state = { id: 'planted-planted-planted', dir: victim, realm: 'SSPKIT.LAB', port: 1, pid, env: {} };
    writeFileSync(join(dir, 'lab.json'), JSON.stringify(state), { mode: 0o600 });
    chownSync(join(dir, 'lab.json'), OTHER_UID, OTHER_UID);
    chownSync(dir, OTHER_UID, OTHER_UID);
  }

  it('a planted pointer and lab.json: lab down removes nothing and signals nothing', () => {
    const decoy = box.decoy();
    const evil = join(box.tmp, 'evil');
    plantLab(evil, decoy.pid ?? 0);
    writeFileSync(join(box.tmp, POINTER), evil);
    chownSync(join(box.tmp, POINTER), OTHER_UID, OTHER_UID);

    const down = box.sspkit('lab', 'down', '--json');
    expect(down.status).not.toBe(0);
    const explicit = box.sspkit('lab', 'down', '--dir', evil, '--json');
    expect(explicit.status).not.toBe(0);
    expect(JSON.parse(explicit.stdout)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/not a lab this user started/),
    });
    expect(readFileSync(join(victim, 'keep'), 'utf8')).toBe('precious');
    expect(existsSync(evil)).toBe(true);
    expect(alive(decoy.pid)).toBe(true);
  });

  it('after an ordinary up/down, a recreated lab directory is not trusted', () => {
    const up = box.sspkit('lab', 'up', '--json');
    expect(up.status, up.stderr).toBe(0);
    const lab = JSON.parse(up.stdout) as { dir: string; pid: number };
    expect(box.sspkit('lab', 'down', '--json').status).toBe(0);
    expect(existsSync(lab.dir)).toBe(false);
    expect(alive(lab.pid)).toBe(false);

    const decoy = box.decoy();
    plantLab(lab.dir, decoy.pid ?? 0);
    const again = box.sspkit('lab', 'down', '--json');
    expect(again.status).not.toBe(0);
    expect(box.sspkit('lab', 'down', '--dir', lab.dir).status).not.toBe(0);
    expect(readFileSync(join(victim, 'keep'), 'utf8')).toBe('precious');
    expect(alive(decoy.pid)).toBe(true);
  });

  it('a symlinked pointer: lab up writes nothing through it', () => {
    const target = join(box.root, 'root-owned-file');
    writeFileSync(target, 'root data');
    const link = join(box.tmp, POINTER);
    rmSync(link, { force: true });
    symlinkSync(target, link);
    lchownSync(link, OTHER_UID, OTHER_UID);

    const up = box.sspkit('lab', 'up', '--json');
    expect(up.status, up.stderr).toBe(0);
    expect(readFileSync(target, 'utf8')).toBe('root data');
    expect(box.sspkit('lab', 'down', '--json').status).toBe(0);
  });
});
