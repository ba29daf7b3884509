/**
 * Labs are tracked per user and per directory: a second `lab up` no longer orphans the first's
 * KDC. `lab status` lists them, plain `lab down` refuses to guess between several, and
 * `lab down --dir D` stops exactly that one.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandbox } from './cli/sandbox.js';
import type { Sandbox } from './cli/sandbox.js';

interface StatusEntry {
  dir: string;
  realm: string;
  port: number;
  pid: number;
  running: boolean;
  created: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('sspkit lab with several labs', () => {
  let box: Sandbox;
  beforeAll(() => {
    box = sandbox();
  });
  afterAll(() => box.cleanUp());

  it('status lists each lab; down picks by --dir, refuses to guess, then takes the only one', () => {
    const a = join(box.root, 'a');
    const b = join(box.root, 'b');
    const status = (): StatusEntry[] => JSON.parse(box.sspkit('lab', 'status', '--json').stdout) as StatusEntry[];
    expect(status()).toEqual([]);
    expect(box.sspkit('lab', 'up', '--dir', a, '--json').status).toBe(0);
    expect(box.sspkit('lab', 'up', '--dir', b, '--realm', 'B.LAB', '--json').status).toBe(0);

    const both = status();
    expect(both.map((l) => [l.dir, l.realm, l.running])).toEqual([
      [a, 'SSPKIT.LAB', true],
      [b, 'B.LAB', true],
    ]);
    expect(JSON.stringify(both)).not.toMatch(/password/);
    const [labA, labB] = both as [StatusEntry, StatusEntry];
    expect(box.sspkit('lab', 'status').stdout).toContain(`${b}  realm B.LAB, KDC pid ${labB.pid}`);

    // A handshake picks one with --lab; without, it says so instead of guessing.
    const picked = box.sspkit('handshake', '--package', 'Kerberos', '--lab', b, '--json');
    expect(picked.status, picked.stderr).toBe(0);
    expect(JSON.parse(picked.stdout)).toMatchObject({ ok: true, token: { user: 'alice@B.LAB' } });
    expect(box.sspkit('packages').stderr).toContain('give --lab DIR');

    const guess = box.sspkit('lab', 'down');
    expect(guess.status).toBe(2);
    expect(guess.stdout).toContain('2 labs are running');
    expect(guess.stdout).toContain('--dir');
    expect(alive(labA.pid) && alive(labB.pid)).toBe(true);

    expect(JSON.parse(box.sspkit('lab', 'down', '--dir', a, '--json').stdout)).toMatchObject({
      ok: true,
      dir: a,
      pid: labA.pid,
    });
    expect(existsSync(a)).toBe(false);
    expect(alive(labA.pid)).toBe(false);
    expect(alive(labB.pid)).toBe(true);
    expect(status().map((l) => l.dir)).toEqual([b]);

    expect(JSON.parse(box.sspkit('lab', 'down', '--json').stdout)).toMatchObject({
      ok: true,
      dir: b,
      realm: 'B.LAB',
      pid: labB.pid,
    });
    expect(alive(labB.pid)).toBe(false);
    expect(status()).toEqual([]);
    expect(box.sspkit('lab', 'down').stdout).toContain('no lab running');
  }, 120_000);

  it('a lab whose KDC died is listed as not running, and plain lab down still removes it', async () => {
    const c = join(box.root, 'c');
    const up = box.sspkit('lab', 'up', '--dir', c, '--json');
    expect(up.status, up.stderr).toBe(0);
    const { pid } = JSON.parse(up.stdout) as { pid: number };
    process.kill(pid, 'SIGKILL');
    for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 20));
    const status = JSON.parse(box.sspkit('lab', 'status', '--json').stdout) as StatusEntry[];
    expect(status.map((l) => [l.dir, l.running])).toEqual([[c, false]]);
    expect(JSON.parse(box.sspkit('lab', 'down', '--json').stdout)).toMatchObject({ ok: true, dir: c });
    expect(existsSync(c)).toBe(false);
  }, 60_000);
});
