/**
 * The fetch client (`createAuthFetch`, and `sspkit fetch`) against servers nobody here wrote and our
 * own: Apache mod_auth_gssapi (Negotiate with Kerberos from a lab, mutual authentication checked; and
 * NTLM inside SPNEGO through gss-ntlmssp) and
 * Apache mod_auth_digest, over http and https; `sspkit serve` with every scheme, channel bindings
 * required on https.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { fetchCommand, loadSspi, startServe } from '@sspkit/cli';
import type { FetchJson, LoadedSspi, ServeHandle } from '@sspkit/cli';
import { createAuthFetch } from '@sspkit/http';
import type { Lab } from '@sspkit/krb5-lab';
import { apacheAvailable, startApache } from './digest/apache.js';
import type { ApacheServer } from './digest/apache.js';
import { gssapiApacheMissing, startGssapiApache } from './http/apache-gssapi.js';
import type { GssapiApache } from './http/apache-gssapi.js';
import { startLab, stopLab } from './native/lab.js';
import { makeCertificate } from '../packages/http/test/certs.js';

let lab: Lab | undefined;
let loaded: LoadedSspi;
beforeAll(async () => {
  lab = await startLab();
  loaded = await loadSspi();
}, 60_000);
afterAll(async () => {
  await stopLab(lab);
});

async function fetchJson(
  url: string,
  options: Parameters<typeof fetchCommand>[2],
): Promise<{ code: number; out: FetchJson }> {
  const lines: string[] = [];
  const code = await fetchCommand(loaded, url, { ...options, json: true }, (s) => lines.push(s));
  return { code, out: JSON.parse(lines.join('\n')) as FetchJson };
}

const missing = gssapiApacheMissing();
describe.skipIf(missing !== null)(
  `our client → Apache mod_auth_gssapi${missing !== null ? ` (${missing})` : ''}`,
  () => {
    const servers: GssapiApache[] = [];
    afterAll(async () => {
      for (const s of servers) await s.stop();
    });

    it.each([false, true])(
      "Negotiate with the lab ccache (https: %s): 200, the server's final token verified",
      async (tls) => {
        const apache = await startGssapiApache(lab!, tls ? makeCertificate('sha256') : undefined);
        servers.push(apache);
        const f = createAuthFetch({
          sspi: loaded.sspi,
          schemes: ['Negotiate'],
          targetName: () => 'HTTP/localhost',
          tls: { rejectUnauthorized: false },
        });
        try {
          const base = `${tls ? 'https' : 'http'}://127.0.0.1:${apache.port}`;
          const r = await f(`${base}/index.html`);
          expect(r.status, apache.errorLog()).toBe(200);
          expect(await r.text()).toBe('apache gssapi index\n');
          expect(r.headers.get('www-authenticate')).toMatch(/^Negotiate [A-Za-z0-9+/=]+$/);
          // A second request: Apache asks again (it keeps no Kerberos state per connection by default).
          expect((await f(`${base}/index.html`)).status).toBe(200);
        } finally {
          await f.close();
        }
      },
    );

    it('Negotiate with NTLM inside (SPNEGO) against gss-ntlmssp: one handshake, later requests on the connection', async () => {
      const user = { domain: 'SSPKIT', user: 'alice', password: 'alice-password' };
      const apache = await startGssapiApache(lab!, undefined, { users: [user] });
      servers.push(apache);
      const sent: string[] = [];
      const f = createAuthFetch({
        sspi: loaded.sspi,
        schemes: ['Negotiate'],
        authData: { Negotiate: { ...user, packageList: 'ntlm' } },
        targetName: () => 'HTTP/localhost',
        connections: 1,
        onLeg: (l) => {
          if (l.direction === 'request') sent.push(l.headers['authorization']?.split(' ')[0] ?? '-');
        },
      });
      try {
        for (let i = 0; i < 3; i++)
          expect((await f(`http://127.0.0.1:${apache.port}/index.html`)).status, apache.errorLog()).toBe(200);
      } finally {
        await f.close();
      }
      // NEGOTIATE, AUTHENTICATE (SPNEGO-wrapped), then two requests the connection-bound context covers.
      expect(sent).toEqual(['-', 'Negotiate', 'Negotiate', '-', '-']);
    });

    it('a server whose final token does not verify is refused (mutual authentication)', async () => {
      // Our client requires mutual authentication; an Apache for another service key cannot prove itself.
      const apache = await startGssapiApache(lab!);
      servers.push(apache);
      const f = createAuthFetch({
        sspi: loaded.sspi,
        schemes: ['Negotiate'],
        targetName: () => 'HTTP/nonexistent.invalid',
      });
      try {
        const err = await f(`http://127.0.0.1:${apache.port}/`).catch((e: unknown) => e);
        expect(err).toMatchObject({ code: expect.stringMatching(/^SEC_E_/) });
      } finally {
        await f.close();
      }
    });
  },
);

describe.skipIf(!apacheAvailable())('our client → Apache mod_auth_digest', () => {
  let apache: ApacheServer | undefined;
  afterAll(async () => {
    await apache?.stop();
  });
  it('Digest MD5: 200, rspauth checked, later requests reuse the nonce (nc 2, 3)', async () => {
    apache = await startApache('apache zoo', [{ username: 'Mufasa', password: 'Circle of Life' }]);
    const r = await fetchJson(`http://127.0.0.1:${apache.port}/index.html`, {
      user: 'Mufasa',
      password: 'Circle of Life',
      scheme: 'digest',
    });
    expect(r.code, JSON.stringify(r.out)).toBe(0);
    expect(r.out.body).toBe('apache index\n');
    const sent = r.out.legs.filter((l) => l.direction === 'request').map((l) => l.headers['authorization'] ?? '');
    expect(sent[1]).toMatch(/^Digest .*nc=00000001/);
    const sentAuth: string[] = [];
    const f = createAuthFetch({
      sspi: loaded.sspi,
      schemes: ['Digest'],
      authData: { Digest: { user: 'Mufasa', password: 'Circle of Life' } },
      onLeg: (l) => {
        if (l.direction === 'request') sentAuth.push(l.headers['authorization'] ?? '-');
      },
    });
    try {
      for (const path of ['/index.html', '/second.txt', '/index.html'])
        expect((await f(`http://127.0.0.1:${apache.port}${path}`)).status).toBe(200);
    } finally {
      await f.close();
    }
    // One challenge, then every later request signed pre-emptively with the next nonce-count.
    expect(sentAuth.map((a) => /nc=(\d+)/.exec(a)?.[1] ?? '-')).toEqual(['-', '00000001', '00000002', '00000003']);
    expect(sentAuth[2]).toMatch(/uri="\/second.txt"/);
    expect(apache.errorLog()).not.toMatch(/uri mismatch|nonce count/i);
  });
});

describe('our client → sspkit serve (every scheme; https with channel bindings required)', () => {
  let plain: ServeHandle | undefined;
  let tls: ServeHandle | undefined;
  beforeAll(async () => {
    plain = await startServe(loaded, { schemes: 'negotiate,ntlm,kerberos,digest' });
    tls = await startServe(loaded, { schemes: 'negotiate,ntlm', tls: true, channelBindings: 'required' });
  });
  afterAll(async () => {
    await plain?.close();
    await tls?.close();
  });

  it.each([
    ['negotiate', {}, 'Negotiate'],
    ['kerberos', {}, 'Kerberos'],
    ['ntlm', { user: 'alice', password: 'alice-password', domain: 'SSPKIT' }, 'NTLM'],
    ['digest', { user: 'alice', password: 'alice-password' }, 'Digest'],
  ] as const)('sspkit fetch --scheme %s', async (scheme, creds, expected) => {
    const r = await fetchJson(`http://localhost:${plain!.info.port}/x`, { scheme, ...creds });
    expect(r.code, JSON.stringify(r.out)).toBe(0);
    expect(JSON.parse(r.out.body ?? '{}')).toMatchObject({ scheme: expected });
  });

  it('https: Negotiate and NTLM pass a server requiring bindings; without bindings they are refused', async () => {
    const url = `https://localhost:${tls!.info.port}/`;
    for (const scheme of ['negotiate', 'ntlm']) {
      const creds = scheme === 'ntlm' ? { user: 'alice', password: 'alice-password', domain: 'SSPKIT' } : {};
      const r = await fetchJson(url, { scheme, insecure: true, ...creds });
      expect(r.code, JSON.stringify(r.out)).toBe(0);
    }
    const f = createAuthFetch({
      sspi: loaded.sspi,
      schemes: ['NTLM'],
      channelBindings: false,
      tls: { rejectUnauthorized: false },
      authData: { NTLM: { user: 'alice', domain: 'SSPKIT', password: 'alice-password' } },
    });
    try {
      expect((await f(url)).status).toBe(401);
    } finally {
      await f.close();
    }
  });
});
