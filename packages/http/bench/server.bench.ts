/**
 * `pnpm bench server`: what the @sspkit/http server layer costs, in-process on loopback. Four servers
 * side by side, alternated round by round: plain node:http (the floor), requests on NTLM-authenticated
 * keep-alive connections (the layer's per-request cost once a connection is authenticated), a Digest
 * response per request (nc + 1 through MakeSignature, verified with CompleteAuthToken), and a full
 * NTLM handshake per request (authPersistSingleRequest). Figures: medians of 5 rounds of 1.5 s,
 * 8 connections; ratios are per round against the floor. Nothing here asserts a time.
 */
import { cpus, loadavg } from 'node:os';
import { Agent, createServer, request } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { IscReq, SecBufferType, clientContext, createSspi, secBuffer, secBufferDesc } from '@sspkit/core';
import type { SspiDispatcher } from '@sspkit/core';
import { MemoryUserStore, NonceIssuer, createDigestModule } from '@sspkit/digest';
import { InMemoryAccountStore, createNtlmModule } from '@sspkit/ntlm';
import { HttpAuthenticator, withAuthentication } from '../src/index.js';
import type { PersistOptions, SchemeOptions } from '../src/index.js';

const USER = { user: 'alice', domain: 'SSPKIT', password: 'alice-password' };
const CONNECTIONS = 8;
const ROUND_MS = 1500;

function get(
  port: number,
  agent: Agent,
  authorization?: string,
): Promise<{ status: number; header: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/b', agent, headers: authorization !== undefined ? { authorization } : {} },
      (res) => {
        res.resume();
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, header: res.headersDistinct['www-authenticate']?.[0] }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

async function ntlmHandshake(sspi: SspiDispatcher, port: number, agent: Agent): Promise<void> {
  const c = await clientContext(sspi, { package: 'NTLM', authData: USER, targetName: 'HTTP/127.0.0.1' });
  const r1 = await get(port, agent, `NTLM ${Buffer.from((await c.step())!).toString('base64')}`);
  const t3 = await c.step(new Uint8Array(Buffer.from(r1.header!.slice(5), 'base64')));
  const r2 = await get(port, agent, `NTLM ${Buffer.from(t3!).toString('base64')}`);
  c.dispose();
  if (r2.status !== 200) throw new Error(`NTLM handshake: ${r2.status}`);
}

/** One kind of load: set up a connection, then one request. */
interface Load {
  readonly name: string;
  readonly port: number;
  prepare(agent: Agent): Promise<() => Promise<void>>;
}

async function main(): Promise<void> {
  // Client and server share the process: NTLM's reflection protection would refuse that.
  const sspi = await createSspi({ modules: [createNtlmModule({ allowReflection: true }), createDigestModule()] });
  const ntlm: SchemeOptions = {
    scheme: 'NTLM',
    authData: { accounts: new InMemoryAccountStore().addPassword(USER.domain, USER.user, USER.password) },
  };
  const realm = 'bench';
  const digest: SchemeOptions = {
    scheme: 'Digest',
    authData: {
      kind: 'digest-server',
      realm,
      users: new MemoryUserStore([{ username: USER.user, realm, password: USER.password }]),
      nonces: new NonceIssuer(),
      algorithm: 'MD5',
      qop: ['auth'],
    },
  };
  const protectedServer = async (schemes: SchemeOptions[], persist?: PersistOptions): Promise<number> => {
    const auth = await HttpAuthenticator.create({ sspi, schemes, ...(persist ? { persist } : {}) });
    return listen(
      createServer(
        withAuthentication(auth, (req, res) => {
          res.end(req.sspkit.identity.user);
        }),
      ),
    );
  };
  const plain = await listen(createServer((_req, res) => res.end('alice')));
  const ntlmPort = await protectedServer([ntlm]);
  const digestPort = await protectedServer([digest]);
  const singlePort = await protectedServer([ntlm], { singleRequest: true });
  const loads: Load[] = [
    {
      name: 'plain node:http (floor)',
      port: plain,
      prepare: async (agent) => async () => void (await get(plain, agent)),
    },
    {
      name: 'NTLM-authenticated connection',
      port: ntlmPort,
      prepare: async (agent) => {
        await ntlmHandshake(sspi, ntlmPort, agent);
        return async () => {
          if ((await get(ntlmPort, agent)).status !== 200) throw new Error('not authenticated');
        };
      },
    },
    {
      name: 'Digest, one response per request',
      port: digestPort,
      prepare: async (agent) => {
        const challenge = (await get(digestPort, agent)).header!;
        const c = await clientContext(sspi, {
          package: 'Digest',
          authData: { user: USER.user, password: USER.password },
          targetName: '/b',
          requirements: IscReq.HTTP,
        });
        const first = Buffer.from((await c.step(new Uint8Array(Buffer.from(challenge, 'latin1'))))!).toString('latin1');
        if ((await get(digestPort, agent, first)).status !== 200) throw new Error('digest');
        return async () => {
          const sig = secBufferDesc(
            secBuffer(SecBufferType.TOKEN),
            secBuffer(SecBufferType.PKG_PARAMS, new Uint8Array(Buffer.from('GET'))),
            secBuffer(SecBufferType.PKG_PARAMS, new Uint8Array(Buffer.from('/b'))),
            secBuffer(SecBufferType.PKG_PARAMS),
            secBuffer(SecBufferType.PADDING, new Uint8Array(4096)),
          );
          sspi.makeSignature(c.handle!, 0, sig, 0);
          if ((await get(digestPort, agent, Buffer.from(sig.buffers[4]!.data).toString('latin1'))).status !== 200)
            throw new Error('digest later');
        };
      },
    },
    {
      name: 'NTLM handshake per request',
      port: singlePort,
      prepare: async (agent) => () => ntlmHandshake(sspi, singlePort, agent),
    },
  ];

  const rates = new Map<string, number[]>(loads.map((l) => [l.name, []]));
  for (let round = 0; round < 6; round++) {
    const order = round % 2 === 0 ? loads : [...loads].reverse();
    for (const load of order) {
      const agents = Array.from({ length: CONNECTIONS }, () => new Agent({ keepAlive: true, maxSockets: 1 }));
      const steps = await Promise.all(agents.map((a) => load.prepare(a)));
      let done = 0;
      const end = Date.now() + ROUND_MS;
      await Promise.all(
        steps.map(async (step) => {
          while (Date.now() < end) {
            await step();
            done++;
          }
        }),
      );
      for (const a of agents) a.destroy();
      // Round 0 is the warm-up.
      if (round > 0) rates.get(load.name)!.push(done / (ROUND_MS / 1000));
    }
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const floor = rates.get(loads[0]!.name)!;
  console.log(
    `${new Date().toISOString()}  node ${process.version}  ${cpus().length} cores  load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
  for (const load of loads) {
    const xs = rates.get(load.name)!;
    const ratios = xs.map((x, i) => x / floor[i]!);
    console.log(
      `${load.name.padEnd(36)} ${median(xs).toFixed(0).padStart(7)} req/s   ${median(ratios).toFixed(2)}× the floor ` +
        `(rounds ${ratios.map((r) => r.toFixed(2)).join(', ')})`,
    );
  }
  process.exit(0);
}

await main();
