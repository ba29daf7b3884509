/**
 * `sspkit serve` as a user runs it: a child process with --json --tls, read its one start-up line,
 * authenticate curl with NTLM and Digest over https, then stop it with SIGTERM.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { ServeJson } from '@sspkit/cli';
import { runProgram } from './http/programs.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
let child: ChildProcess | undefined;

afterAll(() => {
  if (child?.exitCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
});

function startServe(args: string[]): Promise<ServeJson> {
  // One process (tsx as a loader, not its CLI wrapper), so the PID we signal is the server's.
  child = spawn(process.execPath, ['--import', 'tsx', 'packages/cli/src/main.ts', 'serve', ...args], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', SSPKIT_LAB_DIR: '', HOME: process.env['HOME'] ?? '/root' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  return new Promise((resolve, reject) => {
    child!.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line !== undefined && out.includes('\n')) resolve(JSON.parse(line) as ServeJson);
    });
    child!.once('exit', (code) => reject(new Error(`serve exited ${String(code)}: ${out} ${err}`)));
  });
}

describe('sspkit serve --json --tls', () => {
  it('prints its start-up line, authenticates curl over https, and stops on SIGTERM', async () => {
    const info = await startServe(['--json', '--tls', '--schemes', 'ntlm,digest']);
    expect(info).toMatchObject({ schemes: ['NTLM', 'Digest'], channelBindings: 'off' });
    expect(info.url).toBe(`https://localhost:${info.port}/`);
    expect(info.tls?.certificateSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(info.accounts).toContainEqual({
      scheme: 'NTLM',
      user: 'alice',
      domain: 'SSPKIT',
      password: 'alice-password',
    });
    const ntlm = await runProgram('curl', ['-s', '-k', '--ntlm', '-u', 'SSPKIT\\alice:alice-password', info.url], {});
    expect(JSON.parse(ntlm.stdout)).toMatchObject({
      user: 'alice',
      package: 'NTLM',
      scheme: 'NTLM',
      method: 'GET',
      url: '/',
    });
    const digest = await runProgram('curl', ['-s', '-k', '--digest', '-u', 'bob:bob-password', `${info.url}x?y=1`], {});
    expect(JSON.parse(digest.stdout)).toMatchObject({ user: 'bob', scheme: 'Digest', url: '/x?y=1' });
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    process.kill(child!.pid!, 'SIGTERM');
    expect(await exited).toBe(0);
  }, 60_000);

  it('a usage error (unknown scheme, bad port) exits 2 and says why', async () => {
    for (const args of [
      ['--schemes', 'basic'],
      ['--port', 'x'],
    ]) {
      const r = await runProgram(
        process.execPath,
        ['--import', 'tsx', 'packages/cli/src/main.ts', 'serve', ...args],
        {},
        60_000,
        ROOT,
      );
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/^sspkit serve: (unknown scheme "basic"|--port takes a number)/);
    }
  }, 120_000);
});
