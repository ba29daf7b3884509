/**
 * Interop: real HTTP Digest clients against a node:http server that authenticates through the SSPI
 * dispatcher with the Digest package — `curl --digest` (MD5 and SHA-256, several requests on one
 * connection), Python's urllib HTTPDigestAuthHandler, and python3-requests' HTTPDigestAuth.
 * Skipped, with the reason printed, when a client is missing (apt: curl, python3-requests).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryUserStore, NonceIssuer } from '@sspkit/digest';
import type { DigestAlgorithmName } from '@sspkit/digest';
import { startDigestHttpServer } from './digest/http-server.js';
import type { DigestHttpServer } from './digest/http-server.js';
import { run } from './digest/run.js';

const PYTHON = '/usr/bin/python3';
const hasCurl = spawnSync('curl', ['--version']).status === 0;
const hasPython = existsSync(PYTHON);
const hasRequests = hasPython && spawnSync(PYTHON, ['-c', 'import requests']).status === 0;
if (!hasCurl) console.warn('digest-http-clients: curl missing (apt-get install curl); skipping curl cases');
if (!hasRequests)
  console.warn(
    'digest-http-clients: python3-requests missing (apt-get install python3-requests); skipping requests case',
  );

function curlAtLeast(major: number, minor: number): boolean {
  const m = /^curl (\d+)\.(\d+)/.exec(spawnSync('curl', ['--version'], { encoding: 'utf8' }).stdout ?? '');
  return m !== null && (Number(m[1]) > major || (Number(m[1]) === major && Number(m[2]) >= minor));
}

const users = () =>
  new MemoryUserStore([{ username: 'Mufasa', realm: 'zoo', password: 'Circle of Life', groups: ['lions'] }]);

let servers: DigestHttpServer[] = [];
afterEach(async () => {
  for (const s of servers) await s.close();
  servers = [];
});

async function start(
  algorithm: DigestAlgorithmName,
  qop: readonly ('auth' | 'auth-int')[] = ['auth'],
): Promise<DigestHttpServer> {
  const s = await startDigestHttpServer({ kind: 'digest-server', realm: 'zoo', users: users(), algorithm, qop });
  servers.push(s);
  return s;
}

async function curl(args: string[]): Promise<{ status: number; out: string; err: string }> {
  const r = await run('curl', ['-sS', '--digest', ...args]);
  return { status: r.code, out: r.stdout, err: r.stderr };
}

describe.skipIf(!hasCurl)('curl --digest → node:http + Digest package', () => {
  for (const algorithm of ['MD5', 'SHA-256'] as const) {
    it(`${algorithm}: three requests on one connection, the later ones verified via CompleteAuthToken`, async () => {
      const s = await start(algorithm);
      const base = `http://127.0.0.1:${s.port}`;
      const r = await curl([
        '-u',
        'Mufasa:Circle of Life',
        '-w',
        '%{http_code}\\n',
        `${base}/a`,
        `${base}/b`,
        `${base}/c`,
      ]);
      expect(r.err).toBe('');
      expect(r.out).toContain('hello Mufasa GET /a');
      expect(r.out).toContain('hello Mufasa GET /c');
      expect(r.out.match(/^200$/gm)?.length).toBe(3);
      const authed = s.log.filter((l) => l.user === 'Mufasa');
      expect(authed.length).toBe(3);
      // curl reuses the nonce with nc=2, 3 on the open connection: COMPLETE_NEEDED → CompleteAuthToken.
      expect(authed.slice(1).every((l) => l.status === 'SEC_I_COMPLETE_NEEDED' && l.complete === 'SEC_E_OK')).toBe(
        true,
      );
    });
  }

  // curl before 8.8.0 computes "SHA-512-256" with SHA-256 (fixed upstream in 8.8.0), so the two
  // SHA-512-256 algorithms interoperate only with a fixed curl; an older one must be refused.
  const sha512Ok = curlAtLeast(8, 8);
  for (const algorithm of [
    'MD5-sess',
    'SHA-256-sess',
    ...(sha512Ok ? (['SHA-512-256', 'SHA-512-256-sess'] as const) : []),
  ] as const) {
    it(`${algorithm}: two requests`, async () => {
      const s = await start(algorithm);
      const base = `http://127.0.0.1:${s.port}`;
      const r = await curl(['-u', 'Mufasa:Circle of Life', `${base}/x`, `${base}/y`]);
      expect(r.out).toContain('hello Mufasa GET /x');
      expect(r.out).toContain('hello Mufasa GET /y');
    });
  }

  it.skipIf(sha512Ok)(
    'curl < 8.8 mislabels SHA-256 digests as SHA-512-256: refused with SEC_E_LOGON_DENIED',
    async () => {
      const s = await start('SHA-512-256');
      const r = await curl([
        '-u',
        'Mufasa:Circle of Life',
        '-o',
        '/dev/null',
        '-w',
        '%{http_code}',
        `http://127.0.0.1:${s.port}/x`,
      ]);
      expect(r.out).toBe('401');
      expect(s.log.some((l) => l.status === 'SEC_E_LOGON_DENIED')).toBe(true);
    },
  );

  it('userhash=true with SHA-256: curl hashes the user name, the store finds it', async () => {
    const s = await startDigestHttpServer({
      kind: 'digest-server',
      realm: 'zoo',
      users: users(),
      algorithm: 'SHA-256',
      qop: ['auth'],
      userhash: true,
    });
    servers.push(s);
    const r = await curl(['-u', 'Mufasa:Circle of Life', `http://127.0.0.1:${s.port}/hashed`]);
    expect(r.out).toContain('hello Mufasa GET /hashed');
  });

  it('a UTF-8 user name and password (charset=UTF-8) as curl sends them', async () => {
    const s = await startDigestHttpServer({
      kind: 'digest-server',
      realm: 'zoo',
      users: new MemoryUserStore([{ username: 'Jäsøn', realm: 'zoo', password: 'pässwörd' }]),
      algorithm: 'SHA-256',
      qop: ['auth'],
    });
    servers.push(s);
    const r = await curl(['-u', 'Jäsøn:pässwörd', `http://127.0.0.1:${s.port}/utf8`]);
    expect(s.log.some((l) => l.user === 'Jäsøn')).toBe(true);
    expect(r.out).toContain('GET /utf8');
  });

  it('wrong password: 401, the log shows SEC_E_LOGON_DENIED', async () => {
    const s = await start('MD5');
    const r = await curl([
      '-u',
      'Mufasa:wrong',
      '-o',
      '/dev/null',
      '-w',
      '%{http_code}',
      `http://127.0.0.1:${s.port}/`,
    ]);
    expect(r.out).toBe('401');
    expect(s.log.some((l) => l.status === 'SEC_E_LOGON_DENIED')).toBe(true);
  });

  it('POST with a body under qop=auth (curl does not do auth-int)', async () => {
    const s = await start('SHA-256', ['auth', 'auth-int']);
    const r = await curl([
      '-u',
      'Mufasa:Circle of Life',
      '--data-binary',
      'hello body',
      `http://127.0.0.1:${s.port}/post`,
    ]);
    expect(r.out).toContain('hello Mufasa POST /post 10');
  });
});

const URLLIB = `
import sys, urllib.request
base, algo = sys.argv[1], sys.argv[2]
mgr = urllib.request.HTTPPasswordMgrWithDefaultRealm()
mgr.add_password(None, base, 'Mufasa', 'Circle of Life')
opener = urllib.request.build_opener(urllib.request.HTTPDigestAuthHandler(mgr))
for path in ('/one', '/two'):
    with opener.open(base + path) as r:
        print(r.status, r.read().decode().strip(), r.headers.get('Authentication-Info') is not None)
`;

const REQUESTS = `
import sys, requests
from requests.auth import HTTPDigestAuth
base = sys.argv[1]
s = requests.Session()
s.auth = HTTPDigestAuth('Mufasa', 'Circle of Life')
for path in ('/r1', '/r2', '/r3'):
    r = s.get(base + path)
    print(r.status_code, r.text.strip())
r = s.post(base + '/r4', data=b'payload')
print(r.status_code, r.text.strip())
`;

describe.skipIf(!hasPython)('Python urllib HTTPDigestAuthHandler → node:http + Digest package', () => {
  // Python 3.11's urllib implements MD5 and SHA(-1) only, so MD5 is the algorithm both sides share.
  for (const algorithm of ['MD5'] as const) {
    it(`${algorithm}: two authenticated requests`, async () => {
      const s = await start(algorithm);
      const { stdout: out, stderr } = await run(PYTHON, ['-c', URLLIB, `http://127.0.0.1:${s.port}`, algorithm]);
      expect(stderr).toBe('');
      expect(out).toContain('200 hello Mufasa GET /one 0 True');
      expect(out).toContain('200 hello Mufasa GET /two 0 True');
    });
  }
});

describe.skipIf(!hasRequests)('python3-requests HTTPDigestAuth → node:http + Digest package', () => {
  it('stale nonces: each later request meets stale=true and is retried without new credentials', async () => {
    // The server's clock jumps past the nonce lifetime after every success, so every nonce it issued
    // is stale by the next request: the client must answer the stale challenge on its own.
    let offset = 0;
    const nonces = new NonceIssuer({ lifetimeMs: 60_000, now: () => Date.now() + offset });
    const s = await startDigestHttpServer(
      { kind: 'digest-server', realm: 'zoo', users: users(), algorithm: 'MD5', qop: ['auth'], nonces },
      { afterSuccess: () => (offset += 61_000) },
    );
    servers.push(s);
    const { stdout: out, stderr } = await run(PYTHON, ['-c', REQUESTS, `http://127.0.0.1:${s.port}`]);
    expect(stderr).toBe('');
    expect(out).toContain('200 hello Mufasa GET /r3 0');
    expect(out).toContain('200 hello Mufasa POST /r4 7');
    expect(s.log.filter((l) => l.stale === true).length).toBe(3);
    expect(s.log.filter((l) => l.user === 'Mufasa').length).toBe(4);
  });

  for (const algorithm of ['MD5', 'SHA-256'] as const)
    it(`${algorithm}: later requests are sent preemptively with increasing nc`, async () => {
      const s = await start(algorithm);
      const { stdout: out, stderr } = await run(PYTHON, ['-c', REQUESTS, `http://127.0.0.1:${s.port}`]);
      expect(stderr).toBe('');
      expect(out).toContain('200 hello Mufasa GET /r1 0');
      expect(out).toContain('200 hello Mufasa GET /r3 0');
      expect(out).toContain('200 hello Mufasa POST /r4 7');
      expect(s.log.filter((l) => l.user === 'Mufasa').length).toBe(4);
    });
});
