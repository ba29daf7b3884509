import { execFileSync, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  findProgram,
  isAlive,
  labDown,
  labKinit,
  labPublicInfo,
  labShellExports,
  labStartKdc,
  labStopKdc,
  labUp,
  readLab,
} from '../src/index.js';
import { renderKdcConf } from '../src/config.js';
import type { Lab } from '../src/index.js';

function klist(lab: Lab, ccache: string): string {
  return execFileSync(findProgram('klist'), ['-c', `FILE:${ccache}`], {
    env: { ...lab.env, PATH: process.env['PATH'] ?? '' },
  }).toString();
}

describe('krb5-lab', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await labUp({ detached: false });
  });
  afterAll(async () => {
    if (existsSync(lab.dir)) await labDown(lab);
  });

  it('starts krb5kdc on a loopback port and records its PID', () => {
    expect(lab.pid).toBeGreaterThan(0);
    expect(isAlive(lab.pid)).toBe(true);
    expect(readFileSync(`/proc/${lab.pid}/cmdline`, 'utf8')).toContain('krb5kdc');
    expect(readFileSync(lab.krb5Conf, 'utf8')).toContain(`kdc = 127.0.0.1:${lab.port}`);
    expect(readLab(lab.dir).pid).toBe(lab.pid);
  });

  it('binds only 127.0.0.1 (kdc.conf pins both listeners)', () => {
    const conf = renderKdcConf({ realm: 'X.TEST', port: 1234, dir: '/d' });
    expect(conf).toContain('kdc_listen = 127.0.0.1:1234');
    expect(conf).toContain('kdc_tcp_listen = 127.0.0.1:1234');
    // /proc/net/tcp lists the listener as 0100007F:PORT (127.0.0.1 in little-endian hex).
    const hexPort = lab.port.toString(16).toUpperCase().padStart(4, '0');
    const tcp = readFileSync('/proc/net/tcp', 'utf8');
    expect(tcp).toContain(`0100007F:${hexPort} 00000000:0000 0A`);
    expect(tcp).not.toContain(`00000000:${hexPort} 00000000:0000 0A`);
  });

  it('keeps every path inside the lab directory, none under /etc', () => {
    for (const value of Object.values(lab.env)) {
      expect(value.replace(/^FILE:/, '').startsWith(lab.dir)).toBe(true);
    }
  });

  it('shows its environment without the password', () => {
    expect(JSON.stringify(labPublicInfo(lab))).not.toContain(lab.password);
    expect(labShellExports(lab)).toContain(`export KRB5_CONFIG='${lab.krb5Conf}'`);
    expect(labShellExports(lab)).not.toContain(lab.password);
  });

  it('holds a TGT for the user in the private ccache', () => {
    const out = klist(lab, lab.ccache);
    expect(out).toContain(`Default principal: ${lab.userPrincipal}`);
    expect(out).toContain(`krbtgt/${lab.realm}@${lab.realm}`);
  });

  it('accepts a new kinit with the password, and refuses one after the KDC stops', async () => {
    const second = join(lab.dir, 'second.ccache');
    await labKinit(lab, second);
    expect(klist(lab, second)).toContain(lab.userPrincipal);
    await labStopKdc(lab);
    await expect(labKinit(lab, join(lab.dir, 'third.ccache'))).rejects.toThrow(/kinit exited/);
    await labStartKdc(lab, false);
    await labKinit(lab, join(lab.dir, 'fourth.ccache'));
  });

  it('down stops the KDC by PID and removes the directory', async () => {
    const pid = lab.pid;
    await labDown(lab.dir);
    expect(existsSync(lab.dir)).toBe(false);
    expect(isAlive(pid)).toBe(false);
  });
});

describe('krb5-lab and directories it did not create', () => {
  it('refuses a non-empty directory and leaves its contents alone', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'sspkit-lab-user-'));
    writeFileSync(join(dir, 'important.txt'), 'keep me');
    try {
      await expect(labUp({ dir })).rejects.toThrow(/not empty/);
      expect(readFileSync(join(dir, 'important.txt'), 'utf8')).toBe('keep me');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('krb5-lab tied to its process (detached: false)', () => {
  it('has its KDC stopped by the kernel when the owner is SIGKILLed before labDown', async () => {
    // A child process starts a lab, prints its PID and directory, then waits to be killed.
    // tsx's loader in this very process (its CLI would relaunch node in a grandchild).
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href;
    const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url));
    const code = `const { labUp } = await import(${JSON.stringify(entry)}); const lab = await labUp({ detached: false }); console.log(JSON.stringify({ pid: lab.pid, dir: lab.dir })); setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--import', tsx, '--input-type=module', '-e', code], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const started = await new Promise<{ pid: number; dir: string }>((resolve, reject) => {
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        const line = out.split('\n').find((l) => l.startsWith('{'));
        if (line !== undefined) resolve(JSON.parse(line) as { pid: number; dir: string });
      });
      child.once('exit', (c) => reject(new Error(`lab owner exited early (${String(c)})`)));
    });
    try {
      expect(isAlive(started.pid)).toBe(true);
      child.kill('SIGKILL');
      const deadline = Date.now() + 5000;
      while (isAlive(started.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(isAlive(started.pid)).toBe(false);
    } finally {
      if (isAlive(started.pid)) process.kill(started.pid, 'SIGKILL');
      rmSync(started.dir, { recursive: true, force: true });
    }
  }, 30_000);
});
