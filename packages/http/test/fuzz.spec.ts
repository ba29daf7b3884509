/**
 * Bad input: 100,000 generated credentials headers (garbage, truncated and mutated real tokens, huge
 * values, wrong schemes, tokens out of turn on connections mid-handshake) through the core, then a
 * smaller run over real sockets. Every answer must be a 400 or a 401 — never a 500, a throw, a hang,
 * or a stack trace in the body.
 */
import { Socket, connect } from 'node:net';
import { createServer } from 'node:http';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IscReq, SecBufferType, clientContext, secBuffer } from '@sspkit/core';
import { HttpAuthenticator } from '../src/index.js';
import type { AuthOutcome } from '../src/index.js';
import { USER, digestScheme, ntlmScheme, startServer, testSspi } from './fixture.js';

const IN_PROCESS = 100_000;
const OVER_SOCKETS = 2_000;

/** Real tokens to cut and mutate: an NTLM NEGOTIATE and AUTHENTICATE, a Digest response. */
async function seeds(): Promise<string[]> {
  const sspi = await testSspi();
  const auth = await HttpAuthenticator.create({ sspi, schemes: [ntlmScheme(), digestScheme(['MD5'])] });
  const socket = new Socket();
  const client = await clientContext(sspi, { package: 'NTLM', authData: { ...USER }, targetName: 'HTTP/x' });
  const negotiate = `NTLM ${Buffer.from((await client.step())!).toString('base64')}`;
  const r1 = await auth.authenticate({ method: 'GET', url: '/', credentials: negotiate, socket });
  const challenge = r1.headers[0]![1].slice(5);
  const type3 = await client.step(new Uint8Array(Buffer.from(challenge, 'base64')));
  const authenticate = `NTLM ${Buffer.from(type3!).toString('base64')}`;
  client.dispose();
  const digestChallenge = (await auth.challenges()).headers[1]![1];
  const dc = await clientContext(sspi, {
    package: 'Digest',
    authData: { user: USER.user, password: USER.password },
    targetName: '/',
    requirements: IscReq.HTTP,
  });
  const digest = Buffer.from(
    (await dc.step(new Uint8Array(Buffer.from(digestChallenge, 'latin1')), {
      extraInput: [secBuffer(SecBufferType.PKG_PARAMS, new Uint8Array(Buffer.from('GET')))],
    }))!,
  ).toString('latin1');
  dc.dispose();
  auth.close();
  return [negotiate, authenticate, digest];
}

function headerArbitrary(real: string[]): fc.Arbitrary<string> {
  const scheme = fc.constantFrom(
    'NTLM',
    'ntlm',
    'Negotiate',
    'Digest',
    'digest',
    'Basic',
    'Kerberos',
    'Bearer',
    '',
    'NTLM\t',
    'X-Custom',
  );
  const b64 = fc.uint8Array({ maxLength: 600 }).map((b) => Buffer.from(b).toString('base64'));
  const truncated = fc.tuple(fc.constantFrom(...real), fc.nat()).map(([s, n]) => s.slice(0, n % (s.length + 1)));
  const mutated = fc
    .tuple(fc.constantFrom(...real), fc.nat(), fc.string({ minLength: 1, maxLength: 3 }))
    .map(([s, n, x]) => {
      const i = n % s.length;
      return s.slice(0, i) + x + s.slice(i + x.length);
    });
  const ntlmMutated = fc
    .tuple(fc.constantFrom(...real.slice(0, 2)), fc.nat(), fc.integer({ min: 0, max: 255 }))
    .map(([s, n, v]) => {
      const bytes = Buffer.from(s.slice(5), 'base64');
      bytes[n % bytes.length] = v;
      return `NTLM ${bytes.toString('base64')}`;
    });
  const huge = fc
    .tuple(scheme, fc.integer({ min: 10_000, max: 120_000 }), fc.constantFrom('A', '=', '"', ',', 'x='))
    .map(([s, n, c]) => `${s} ${c.repeat(n)}`);
  const digestish = fc
    .array(
      fc.tuple(
        fc.constantFrom(
          'username',
          'realm',
          'nonce',
          'uri',
          'response',
          'qop',
          'nc',
          'cnonce',
          'algorithm',
          'opaque',
          'userhash',
          'username*',
        ),
        fc.string({ maxLength: 40 }),
        fc.boolean(),
      ),
      { maxLength: 12 },
    )
    .map((ps) => `Digest ${ps.map(([k, v, q]) => (q ? `${k}="${v}"` : `${k}=${v}`)).join(', ')}`);
  return fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.tuple(scheme, b64).map(([s, t]) => `${s} ${t}`),
    fc.tuple(scheme, fc.string({ maxLength: 100 })).map(([s, t]) => `${s} ${t}`),
    truncated,
    mutated,
    ntlmMutated,
    huge,
    digestish,
    fc.constantFrom(...real),
  );
}

const allowed = (o: AuthOutcome): boolean =>
  o.kind === 'challenge' || o.kind === 'bad-request' || o.kind === 'authenticated';

describe('generated credentials headers', () => {
  it(`${IN_PROCESS} through the core: 400 or 401, never a fault`, async () => {
    const real = await seeds();
    const sspi = await testSspi();
    const faults: unknown[] = [];
    const auth = await HttpAuthenticator.create({
      sspi,
      schemes: [ntlmScheme(), digestScheme(['SHA-256', 'MD5'])],
      maxConnections: 64,
      onFailure: (e) => e.kind === 'fault' && faults.push(e),
    });
    // A few connections reused across calls, so tokens meet handshakes in every state.
    const sockets = Array.from({ length: 16 }, () => new Socket());
    const counts = { challenge: 0, 'bad-request': 0, authenticated: 0, error: 0 };
    await fc.assert(
      fc.asyncProperty(
        headerArbitrary(real),
        fc.nat(15),
        fc.constantFrom('GET', 'POST', 'PUT'),
        async (header, s, method) => {
          const o = await auth.authenticate({
            method,
            url: '/',
            credentials: header,
            socket: sockets[s]!,
            readBody: async () => new Uint8Array(0),
          });
          counts[o.kind]++;
          return allowed(o);
        },
      ),
      { numRuns: IN_PROCESS },
    );
    expect(faults).toEqual([]);
    expect(counts.error).toBe(0);
    // The generator reaches both refusals, not one path only.
    expect(counts.challenge).toBeGreaterThan(1000);
    expect(counts['bad-request']).toBeGreaterThan(1000);
    expect(auth.connectionCount).toBeLessThanOrEqual(16);
    auth.close();
    expect(sspi.liveHandleCount).toBe(0);
  }, 600_000);

  it(`${OVER_SOCKETS} over real keep-alive sockets: 400 or 401 with a fixed body, the server stays up`, async () => {
    const real = await seeds();
    const sspi = await testSspi();
    const server = await startServer(createServer, { sspi, schemes: [ntlmScheme(), digestScheme(['MD5'])] });
    try {
      const headers = fc.sample(
        headerArbitrary(real).filter((h) => h.length < 12_000),
        OVER_SOCKETS,
      );
      const statuses = new Map<number, number>();
      for (let i = 0; i < headers.length; i += 20) {
        const replies = await rawExchange(server.port, headers.slice(i, i + 20));
        for (const r of replies) {
          statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
          expect([400, 401, 431], r.text).toContain(r.status);
          expect(r.text).not.toMatch(/Error|at .*\(|\.ts:/);
        }
      }
      expect(statuses.get(500)).toBeUndefined();
      expect(server.failures.filter((f) => f.kind === 'fault')).toEqual([]);
    } finally {
      await server.close();
    }
  }, 600_000);
});

/**
 * Sends each header on one keep-alive connection, one request at a time; a request node itself rejects
 * closes the connection, and the next one opens a new one.
 */
async function rawExchange(port: number, headers: string[]): Promise<{ status: number; text: string }[]> {
  const out: { status: number; text: string }[] = [];
  let socket: Socket | undefined;
  for (const h of headers) {
    socket ??= connect(port, '127.0.0.1');
    const s = socket;
    const value = h.replace(/[\r\n]/g, ' ');
    const reply = await new Promise<{ status: number; text: string; closed: boolean }>((resolve) => {
      let buf = '';
      const onData = (d: Buffer): void => {
        buf += d.toString('latin1');
        const end = buf.indexOf('\r\n\r\n');
        const len = /content-length: (\d+)/i.exec(buf)?.[1];
        if (end >= 0 && len !== undefined && buf.length >= end + 4 + Number(len)) done(false);
      };
      const done = (closed: boolean): void => {
        s.off('data', onData);
        s.off('close', onClose);
        resolve({ status: Number(/^HTTP\/1\.1 (\d+)/.exec(buf)?.[1] ?? 0), text: buf, closed });
      };
      const onClose = (): void => done(true);
      s.on('data', onData);
      s.once('close', onClose);
      s.write(Buffer.from(`GET /f HTTP/1.1\r\nHost: x\r\nAuthorization: ${value}\r\n\r\n`, 'latin1'));
    });
    out.push(reply);
    if (reply.closed || !/keep-alive/i.test(reply.text)) {
      s.destroy();
      socket = undefined;
    }
  }
  socket?.destroy();
  return out;
}
