/**
 * Soak (issue 18 §4): 1,000 established contexts per package, messages sealed and opened in a random
 * interleaving across all of them (each context's own order kept, as its sequence numbers require):
 * every message opens on its own peer with its own payload (no cross-talk between contexts), and
 * after every context is deleted and every credential freed the dispatcher holds no handle (no leak).
 * RSS growth is printed, not asserted. The native packages run against a lab KDC.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AscReq, IscReq, SecPkgCred, clientContext, createSspi, runHandshake, serverContext } from '@sspkit/core';
import type { AuthData, ClientContext, SecurityPackageModule, ServerContext } from '@sspkit/core';
import * as digest from '@sspkit/digest';
import type { Lab } from '@sspkit/krb5-lab';
import { createNegotiateModule } from '@sspkit/negotiate';
import { InMemoryAccountStore, createNtlmModule } from '@sspkit/ntlm';
import * as mock from '@sspkit/provider-mock';
import { isAvailable, kerberosModule } from '@sspkit/provider-native';
import { negotiateModule as negotiateMitModule } from '../packages/provider-native/src/negotiate/index.js';
import { startLab, stopLab } from './native/lab.js';

const CONTEXTS = 1000;
const MESSAGES = 6000;
const REQ =
  IscReq.CONFIDENTIALITY | IscReq.INTEGRITY | IscReq.REPLAY_DETECT | IscReq.SEQUENCE_DETECT | IscReq.MUTUAL_AUTH;

const accounts = new InMemoryAccountStore().addPassword('EXAMPLE', 'alice', 'Soak-Passw0rd!');
const ntlmUser = { user: 'alice', domain: 'EXAMPLE', password: 'Soak-Passw0rd!' };
const digestModule = {
  spLsaModeInitialize: digest.spLsaModeInitialize,
  spUserModeInitialize: digest.spUserModeInitialize,
};
const mockModule = { spLsaModeInitialize: mock.spLsaModeInitialize, spUserModeInitialize: mock.spUserModeInitialize };
const ntlm = (): SecurityPackageModule => createNtlmModule({ accounts, domain: 'EXAMPLE', allowReflection: true });

interface Case {
  readonly name: string;
  readonly package: string;
  readonly native?: boolean;
  readonly modules: () => SecurityPackageModule[];
  readonly client: (lab: Lab | undefined) => { authData?: AuthData; targetName: string };
  readonly server?: (lab: Lab | undefined) => AuthData | undefined;
}

const CASES: readonly Case[] = [
  {
    name: 'Mock',
    package: 'Mock',
    modules: () => [mockModule],
    client: () => ({
      authData: { user: 'alice', domain: 'MOCK', password: 'alice-password' },
      targetName: 'host/soak',
    }),
  },
  {
    name: 'NTLM',
    package: 'NTLM',
    modules: () => [ntlm()],
    client: () => ({ authData: ntlmUser, targetName: 'HTTP/soak' }),
  },
  {
    name: 'Digest (SASL)',
    package: 'Digest',
    modules: () => [digestModule],
    client: () => ({ authData: { user: 'alice', password: 'alice-password' }, targetName: 'imap/soak' }),
  },
  {
    name: 'Negotiate (NTLM inside)',
    package: 'Negotiate',
    modules: () => [ntlm(), createNegotiateModule()],
    client: () => ({ authData: { ...ntlmUser, packageList: 'ntlm' }, targetName: 'HTTP/soak' }),
  },
  {
    name: 'Kerberos',
    package: 'Kerberos',
    native: true,
    modules: () => [kerberosModule],
    client: (lab) => ({ authData: { ccache: lab?.ccache ?? '' }, targetName: 'HTTP/localhost' }),
    server: (lab) => ({ keytab: lab?.serviceKeytab ?? '' }),
  },
  {
    name: 'Negotiate (Kerberos inside)',
    package: 'Negotiate',
    native: true,
    modules: () => [kerberosModule, createNegotiateModule()],
    client: (lab) => ({
      authData: { packages: { Kerberos: { ccache: lab?.ccache ?? '' } }, packageList: 'kerberos' },
      targetName: 'HTTP/localhost',
    }),
    server: (lab) => ({ packages: { Kerberos: { keytab: lab?.serviceKeytab ?? '' } }, packageList: 'kerberos' }),
  },
  {
    name: 'Negotiate-MIT',
    package: 'Negotiate-MIT',
    native: true,
    modules: () => [negotiateMitModule],
    client: (lab) => ({ authData: { ccache: lab?.ccache ?? '' }, targetName: 'HTTP/localhost' }),
    server: (lab) => ({ keytab: lab?.serviceKeytab ?? '' }),
  },
];

const native = isAvailable().available;
let lab: Lab | undefined;
beforeAll(async () => {
  if (native) lab = await startLab();
});
afterAll(async () => {
  await stopLab(lab);
});

/** A small deterministic generator, so a failing interleaving can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('1,000 interleaved contexts per package', () => {
  for (const c of CASES) {
    it.skipIf(c.native === true && !native)(
      c.name,
      async () => {
        const sspi = await createSspi({ modules: c.modules() });
        const start = sspi.liveHandleCount;
        const rssBefore = process.memoryUsage().rss;
        const cl = c.client(lab);
        const serverAuth = c.server?.(lab);
        const clientCred = (
          await sspi.acquireCredentialsHandle({
            package: c.package,
            credentialUse: SecPkgCred.OUTBOUND,
            ...(cl.authData !== undefined ? { authData: cl.authData } : {}),
          })
        ).credential!;
        const serverCred = (
          await sspi.acquireCredentialsHandle({
            package: c.package,
            credentialUse: SecPkgCred.INBOUND,
            ...(serverAuth !== undefined ? { authData: serverAuth } : {}),
          })
        ).credential!;
        const pairs: {
          client: ClientContext;
          server: ServerContext;
          toServer: Array<[ReturnType<ClientContext['encrypt']>, string]>;
          toClient: Array<[ReturnType<ServerContext['encrypt']>, string]>;
        }[] = [];
        for (let i = 0; i < CONTEXTS; i++) {
          const client = await clientContext(sspi, {
            package: c.package,
            credential: clientCred,
            targetName: cl.targetName,
            requirements: REQ,
          });
          const server = await serverContext(sspi, {
            package: c.package,
            credential: serverCred,
            requirements: AscReq.CONNECTION,
          });
          await runHandshake(client, server);
          pairs.push({ client, server, toServer: [], toClient: [] });
        }
        const next = rng(0x50a4);
        let opened = 0;
        for (let m = 0; m < MESSAGES; m++) {
          const i = Math.floor(next() * CONTEXTS);
          const p = pairs[i]!;
          const r = next();
          // Seal on either side, or open the oldest message waiting for either side.
          if (r < 0.25) {
            const text = `to server ${i}/${m}`;
            p.toServer.push([p.client.encrypt(new TextEncoder().encode(text)), text]);
          } else if (r < 0.5) {
            const text = `to client ${i}/${m}`;
            p.toClient.push([p.server.encrypt(new TextEncoder().encode(text)), text]);
          } else if (r < 0.75 && p.toServer.length > 0) {
            const [msg, text] = p.toServer.shift()!;
            expect(new TextDecoder().decode(p.server.decrypt(msg))).toBe(text);
            opened++;
          } else if (p.toClient.length > 0) {
            const [msg, text] = p.toClient.shift()!;
            expect(new TextDecoder().decode(p.client.decrypt(msg))).toBe(text);
            opened++;
          }
        }
        for (const [i, p] of pairs.entries()) {
          for (const [msg, text] of p.toServer.splice(0))
            expect(new TextDecoder().decode(p.server.decrypt(msg)), `pair ${i}`).toBe(text);
          for (const [msg, text] of p.toClient.splice(0))
            expect(new TextDecoder().decode(p.client.decrypt(msg)), `pair ${i}`).toBe(text);
          p.client.dispose();
          p.server.dispose();
        }
        sspi.freeCredentialsHandle(clientCred);
        sspi.freeCredentialsHandle(serverCred);
        expect(sspi.liveHandleCount).toBe(start);
        expect(opened).toBeGreaterThan(MESSAGES / 8);
        const grown = (process.memoryUsage().rss - rssBefore) / 2 ** 20;
        console.log(
          `soak ${c.name}: ${CONTEXTS} contexts, ${MESSAGES} steps (${opened} opened mid-run), RSS ${grown >= 0 ? '+' : ''}${grown.toFixed(1)} MiB`,
        );
      },
      300_000,
    );
  }
});
