/**
 * `sspkit serve`'s server (the @sspkit/http core over node:http) against real clients on loopback:
 * curl (--negotiate with the lab's ccache, --ntlm, --digest), python3-requests HTTPDigestAuth,
 * requests-ntlm and requests-kerberos (mutual authentication required), and our own dispatcher-level
 * Kerberos client for the `Kerberos` scheme. Kerberos comes from a throwaway lab KDC.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { clientContext } from '@sspkit/core';
import { demoDigestScheme, demoNtlmScheme, loadSspi, startServe } from '@sspkit/cli';
import { HttpAuthenticator, withAuthentication } from '@sspkit/http';
import type { ServeHandle } from '@sspkit/cli';
import type { Lab } from '@sspkit/krb5-lab';
import { PYTHON_CLIENT, legacyOpensslConf, pythonReplies, runProgram } from './http/programs.js';
import { DEBIAN_PYTHON } from './native/peers.js';
import { hostbased, startLab, stopLab } from './native/lab.js';

// The peers (scripts/system-deps.sh installs them); CI runs strict, so a skip there fails the run.
const peers = spawnSync(DEBIAN_PYTHON, ['-c', 'import requests, requests_ntlm, requests_kerberos']).status === 0;
const available = peers && spawnSync('curl', ['--version']).status === 0;
if (!available) {
  console.warn('http-interop: curl, python3-requests-ntlm or python3-requests-kerberos missing; skipping');
}

let lab: Lab | undefined;
let serve: ServeHandle | undefined;
let scratch = '';

beforeAll(async () => {
  if (!available) return;
  lab = await startLab();
  scratch = mkdtempSync(join(tmpdir(), 'sspkit-http-interop-'));
  serve = await startServe(await loadSspi(), { schemes: 'negotiate,ntlm,kerberos,digest' });
}, 120_000);

afterAll(async () => {
  await serve?.close();
  await stopLab(lab);
  if (scratch !== '') rmSync(scratch, { recursive: true, force: true });
});

const url = (path = '/'): string => `http://localhost:${serve!.info.port}${path}`;
const identity = (body: string): { user: string; package: string; scheme: string } =>
  JSON.parse(body) as { user: string; package: string; scheme: string };

/** curl -i: the last response's status line, headers and body. */
function lastResponse(stdout: string): { status: number; head: string; body: string } {
  const blocks = stdout.split(/\r\n\r\n/);
  let i = blocks.length - 2;
  while (i > 0 && !/^HTTP\//.test(blocks[i]!)) i--;
  const head = blocks[i] ?? '';
  return {
    status: Number(/^HTTP\/[\d.]+ (\d+)/.exec(head)?.[1] ?? 0),
    head,
    body: blocks.slice(i + 1).join('\r\n\r\n'),
  };
}

describe.skipIf(!available)('@sspkit/http server ← real HTTP clients', () => {
  it('offers every scheme, in order', () => {
    expect(serve!.info.schemes).toEqual(['Negotiate', 'NTLM', 'Kerberos', 'Digest']);
  });

  it('curl --negotiate (Kerberos from the lab ccache): 200 with the server token (mutual authentication)', async () => {
    const r = await runProgram('curl', ['-s', '-i', '--negotiate', '-u', ':', url('/negotiate')], lab!.env);
    const last = lastResponse(r.stdout);
    expect(last.status, r.stdout + r.stderr).toBe(200);
    expect(identity(last.body)).toMatchObject({ user: lab!.userPrincipal, scheme: 'Negotiate' });
    expect(last.head).toMatch(/WWW-Authenticate: Negotiate [A-Za-z0-9+/=]+/);
  });

  it('curl --ntlm: 200 for the right password, 401 for a wrong one', async () => {
    const ok = await runProgram('curl', ['-s', '-i', '--ntlm', '-u', 'SSPKIT\\alice:alice-password', url('/ntlm')], {});
    expect(lastResponse(ok.stdout).status, ok.stdout).toBe(200);
    expect(identity(lastResponse(ok.stdout).body)).toMatchObject({ user: 'alice', package: 'NTLM' });
    const bad = await runProgram('curl', ['-s', '-i', '--ntlm', '-u', 'SSPKIT\\alice:wrong', url('/ntlm')], {});
    expect(lastResponse(bad.stdout).status).toBe(401);
  });

  it('curl --digest: 200 with Authentication-Info', async () => {
    const r = await runProgram('curl', ['-s', '-i', '--digest', '-u', 'alice:alice-password', url('/digest?q=1')], {});
    const last = lastResponse(r.stdout);
    expect(last.status, r.stdout).toBe(200);
    expect(identity(last.body)).toMatchObject({ user: 'alice', scheme: 'Digest' });
    expect(last.head).toMatch(/Authentication-Info: .*rspauth=/);
  });

  it('python3-requests HTTPDigestAuth, three requests on one session', async () => {
    const r = await runProgram(
      DEBIAN_PYTHON,
      [PYTHON_CLIENT, 'digest', url('/py'), 'alice', 'alice-password', '3'],
      {},
    );
    const replies = pythonReplies(r.stdout);
    expect(
      replies.map((x) => x.status),
      r.stderr,
    ).toEqual([200, 200, 200]);
    expect(identity(replies[0]!.body)).toMatchObject({ user: 'alice', scheme: 'Digest' });
  });

  it('python3-requests-ntlm (MD4 through the legacy provider), three requests on one session', async () => {
    const env = { OPENSSL_CONF: legacyOpensslConf(scratch) };
    const r = await runProgram(
      DEBIAN_PYTHON,
      [PYTHON_CLIENT, 'ntlm', url('/py-ntlm'), 'SSPKIT\\alice', 'alice-password', '3'],
      env,
    );
    const replies = pythonReplies(r.stdout);
    expect(
      replies.map((x) => x.status),
      r.stderr,
    ).toEqual([200, 200, 200]);
    expect(identity(replies[2]!.body)).toMatchObject({ user: 'alice', package: 'NTLM' });
  });

  it('python3-requests-kerberos with mutual authentication required', async () => {
    const r = await runProgram(DEBIAN_PYTHON, [PYTHON_CLIENT, 'kerberos', url('/py-krb'), '-', '-', '2'], lab!.env);
    const replies = pythonReplies(r.stdout);
    expect(
      replies.map((x) => x.status),
      r.stderr +
        JSON.stringify(serve!.failures.slice(-3), (_k, v: unknown) =>
          v instanceof Error ? `${v.name}: ${v.message}` : v,
        ),
    ).toEqual([200, 200]);
    expect(identity(replies[0]!.body)).toMatchObject({ user: lab!.userPrincipal, scheme: 'Negotiate' });
    expect(replies[0]!.www_authenticate).toMatch(/^Negotiate /);
  });

  it('python3-requests-kerberos as shipped: a raw Kerberos token under the Negotiate scheme', async () => {
    const env = { ...lab!.env, SSPKIT_RAW_KRB5: '1' };
    const r = await runProgram(DEBIAN_PYTHON, [PYTHON_CLIENT, 'kerberos', url('/py-raw'), '-', '-', '1'], env);
    const replies = pythonReplies(r.stdout);
    expect(
      replies.map((x) => x.status),
      r.stderr,
    ).toEqual([200]);
    expect(identity(replies[0]!.body)).toMatchObject({ user: lab!.userPrincipal, scheme: 'Negotiate' });
  });

  it('the Kerberos scheme, from our dispatcher-level Kerberos client', async () => {
    const loaded = await loadSspi();
    const client = await clientContext(loaded.sspi, { package: 'Kerberos', targetName: hostbased(lab!) });
    try {
      const token = await client.step();
      const r = await fetch(url('/kerberos'), {
        headers: { authorization: `Kerberos ${Buffer.from(token!).toString('base64')}` },
      });
      expect(r.status).toBe(200);
      expect(identity(await r.text())).toMatchObject({ user: lab!.userPrincipal, scheme: 'Kerberos' });
    } finally {
      client.dispose();
    }
  });

  it('as a forward proxy: curl --proxy-ntlm and --proxy-digest get through the 407 (loopback only)', async () => {
    const failures: unknown[] = [];
    const auth = await HttpAuthenticator.create({
      sspi: (await loadSspi()).sspi,
      schemes: [demoNtlmScheme(), demoDigestScheme()],
      proxy: true,
      onFailure: (e) => failures.push(e),
    });
    // A stand-in proxy: it authenticates and answers itself instead of forwarding.
    const proxy = createServer(
      withAuthentication(auth, (req, res) => {
        res.end(
          JSON.stringify({ user: req.sspkit.identity.user, scheme: req.sspkit.identity.scheme, target: req.url }),
        );
      }),
    );
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const port = (proxy.address() as AddressInfo).port;
    try {
      for (const [flag, user, scheme] of [
        ['--proxy-ntlm', 'SSPKIT\\alice:alice-password', 'NTLM'],
        ['--proxy-digest', 'alice:alice-password', 'Digest'],
      ] as const) {
        const r = await runProgram(
          'curl',
          [
            '-s',
            '-i',
            '--proxy',
            `http://127.0.0.1:${port}`,
            flag,
            '--proxy-user',
            user,
            'http://origin.invalid/p?q=1',
          ],
          {},
        );
        const last = lastResponse(r.stdout);
        expect(last.status, `${flag}: ${r.stdout} ${JSON.stringify(failures)}`).toBe(200);
        expect(JSON.parse(last.body)).toEqual({ user: 'alice', scheme, target: 'http://origin.invalid/p?q=1' });
        expect(r.stdout).toMatch(/^HTTP\/1\.1 407/m);
      }
    } finally {
      proxy.closeAllConnections();
      proxy.close();
      auth.close();
    }
  });
});
