/**
 * End to end: `sspkit lab up`, a real Kerberos and Negotiate handshake through `sspkit handshake`
 * against the lab's KDC, then `sspkit lab down` — the commands as a user runs them.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../packages/cli/bin/sspkit.mjs', import.meta.url));
const parent = mkdtempSync(join(tmpdir(), 'sspkit-cli-lab-'));
const dir = join(parent, 'lab');
const runtime = join(parent, 'run');
mkdirSync(runtime, { mode: 0o700 });
// Keep the user's own Kerberos settings and lab records out of these runs.
const env = {
  ...process.env,
  SSPKIT_LAB_DIR: dir,
  XDG_RUNTIME_DIR: runtime,
  KRB5_CONFIG: undefined,
  KRB5CCNAME: undefined,
  KRB5_KTNAME: undefined,
};
const sspkit = (...args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env, timeout: 60_000 });

afterAll(() => {
  if (existsSync(join(dir, 'lab.json'))) sspkit('lab', 'down', '--dir', dir);
  rmSync(parent, { recursive: true, force: true });
});

describe('sspkit lab + handshake against a real KDC', () => {
  it('lab up → Kerberos and Negotiate handshakes → lab down', () => {
    const up = sspkit('lab', 'up', '--dir', dir, '--json');
    expect(up.status).toBe(0);
    const lab = JSON.parse(up.stdout) as { realm: string; pid: number; port: number; password?: string };
    expect(lab).toMatchObject({ realm: 'SSPKIT.LAB' });
    expect(lab.password).toBeUndefined();
    expect(lab.pid).toBeGreaterThan(0);

    for (const pkg of ['Kerberos', 'Negotiate', 'Negotiate-MIT']) {
      const r = sspkit('handshake', '--package', pkg, '--json');
      expect(r.status, r.stdout + r.stderr).toBe(0);
      const report = JSON.parse(r.stdout) as {
        ok: boolean;
        negotiated?: string;
        token: { user: string };
        encryption: { status: string };
      };
      expect(report.ok).toBe(true);
      if (pkg === 'Negotiate') expect(report.negotiated).toBe('Kerberos');
      expect(report.token.user).toBe('alice@SSPKIT.LAB');
      expect(report.encryption.status).toBe('SEC_E_OK');
    }
    // A wrong password against the real KDC is refused, and never printed.
    const bad = sspkit(
      'handshake',
      '--package',
      'Kerberos',
      '--user',
      'alice',
      '--domain',
      'SSPKIT.LAB',
      '--password',
      'definitely-wrong-pw',
      '--json',
    );
    expect(bad.status).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({ ok: false, error: { status: 'SEC_E_LOGON_DENIED' } });
    expect(bad.stdout + bad.stderr).not.toContain('definitely-wrong-pw');

    const down = sspkit('lab', 'down', '--json');
    expect(JSON.parse(down.stdout)).toMatchObject({ ok: true, pid: lab.pid });
    expect(existsSync(dir)).toBe(false);
    expect(() => process.kill(lab.pid, 0)).toThrow();
    // With the lab down, Negotiate falls back to NTLM and the embedded demo account.
    // No lab pointer and a Kerberos configuration of nowhere: nothing of the lab (or of another) leaks in.
    const noLab = {
      ...env,
      SSPKIT_LAB_DIR: undefined,
      KRB5_CONFIG: join(parent, 'no-krb5.conf'),
      KRB5CCNAME: `FILE:${join(parent, 'no-ccache')}`,
    };
    const fallback = spawnSync(process.execPath, [bin, 'handshake', '--package', 'Negotiate', '--json'], {
      encoding: 'utf8',
      env: noLab,
      timeout: 60_000,
    });
    expect(fallback.status, fallback.stdout + fallback.stderr).toBe(0);
    expect(JSON.parse(fallback.stdout)).toMatchObject({
      ok: true,
      negotiated: 'NTLM',
      token: { user: 'alice', authenticationPackage: 'NTLM' },
    });
  });
});
