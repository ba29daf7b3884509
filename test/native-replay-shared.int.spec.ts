/**
 * Issue 14: a Kerberos AP-REQ accepted by one server instance is refused by another that shares the
 * replay record (RFC 4120 §3.2.3), for Kerberos, Negotiate-MIT and Negotiate with Kerberos inside.
 * "Instances" here are two registries in one process, each with its own module (own handle tables)
 * and its own MIT replay cache (the `rcache` cred-store entry of its acceptor credential), sharing
 * one MemoryReplayStore; the separate-process variant over Redis is redis-kerberos-multi.int.spec.ts.
 * The controls show that without the shared record the other instance accepts the replay (MIT's
 * cache is per host file, not per deployment), so it is the shared check that refuses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AscReq,
  IscReq,
  MemoryReplayStore,
  SecBufferType,
  SecPkgCred,
  createSspi,
  secBuffer,
  secBufferDesc,
  statusName,
} from '@sspkit/core';
import type { ReplayStore, SspiDispatcher } from '@sspkit/core';
import { labCopyCcache } from '@sspkit/krb5-lab';
import type { Lab } from '@sspkit/krb5-lab';
import { createNegotiateModule, decodeNegotiationToken } from '@sspkit/negotiate';
import { createKerberosModule, createNegotiateMitModule } from '@sspkit/provider-native';
import { join } from 'node:path';
import { startLab, stopLab } from './native/lab.js';

let lab: Lab;
let ccache: string;
beforeAll(async () => {
  lab = await startLab();
  ccache = labCopyCcache(lab, join(lab.dir, 'replay.ccache'));
});
afterAll(async () => {
  await stopLab(lab);
});

/** One server instance: its own modules in its own registry. */
function instance(options: { replayStore?: ReplayStore } = {}): Promise<SspiDispatcher> {
  return createSspi({
    modules: [
      createKerberosModule(options),
      createNegotiateMitModule(options),
      createNegotiateModule({ packages: ['Kerberos'] }),
    ],
  });
}

/** The client's first token (an AP-REQ, framed or inside SPNEGO) from a fresh context. */
async function firstToken(sspi: SspiDispatcher, pkg: string): Promise<Uint8Array> {
  const cred = await sspi.acquireCredentialsHandle({
    package: pkg,
    credentialUse: SecPkgCred.OUTBOUND,
    authData: { ccache },
  });
  expect(statusName(cred.status)).toBe('SEC_E_OK');
  const out = secBuffer(SecBufferType.TOKEN);
  const r = await sspi.initializeSecurityContext({
    credential: cred.credential!,
    targetName: 'HTTP/localhost',
    contextReq: IscReq.ALLOCATE_MEMORY | IscReq.MUTUAL_AUTH,
    output: secBufferDesc(out),
  });
  expect(r.status >>> 0).toBeGreaterThanOrEqual(0);
  sspi.deleteSecurityContext(r.context!);
  sspi.freeCredentialsHandle(cred.credential!);
  return out.data;
}

let rcacheSeq = 0;

/** AcceptSecurityContext of `token` on a fresh server context; the status name and cause. */
async function accept(
  sspi: SspiDispatcher,
  pkg: string,
  token: Uint8Array,
  authData: object = {},
): Promise<{ status: string; cause: unknown; output: Uint8Array; context: boolean }> {
  // Each acceptance gets an MIT replay cache of its own unless the caller names one.
  const rcache = `file2:${join(lab.dir, `instance-${++rcacheSeq}.rcache2`)}`;
  const cred = await sspi.acquireCredentialsHandle({
    package: pkg,
    credentialUse: SecPkgCred.INBOUND,
    authData: { keytab: lab.serviceKeytab, credStore: { rcache }, ...authData },
  });
  expect(statusName(cred.status)).toBe('SEC_E_OK');
  const out = secBuffer(SecBufferType.TOKEN);
  const r = await sspi.acceptSecurityContext({
    credential: cred.credential!,
    contextReq: AscReq.ALLOCATE_MEMORY | AscReq.MUTUAL_AUTH,
    input: secBufferDesc(secBuffer(SecBufferType.TOKEN, token)),
    output: secBufferDesc(out),
  });
  if (r.context !== undefined) sspi.deleteSecurityContext(r.context);
  sspi.freeCredentialsHandle(cred.credential!);
  return { status: statusName(r.status), cause: r.cause, output: out.data, context: r.context !== undefined };
}

/** A cause and the causes it wraps (Negotiate wraps its inner package's), as one text. */
function causeText(c: unknown): string {
  const parts: string[] = [];
  for (let e = c, i = 0; e !== undefined && i < 5; e = (e as { cause?: unknown }).cause, i++)
    parts.push(e instanceof Error ? e.message : JSON.stringify(e));
  return parts.join(' <- ');
}

const ok = (pkg: string): string => (pkg === 'Negotiate' ? 'SEC_I_CONTINUE_NEEDED' : 'SEC_E_OK');

describe.each(['Kerberos', 'Negotiate-MIT', 'Negotiate'])('%s: AP-REQ replay across instances', (pkg) => {
  it('the AP-REQ accepted by instance A is refused by instance B sharing the store', async () => {
    const store = new MemoryReplayStore();
    const a = await instance();
    const b = await instance();
    const token = await firstToken(a, pkg);
    const first = await accept(a, pkg, token, { replayStore: store });
    expect([ok(pkg), 'SEC_E_OK']).toContain(first.status);
    expect(store.size).toBe(1);
    const replay = await accept(b, pkg, token, { replayStore: store });
    expect(replay.status).toBe('SEC_E_OUT_OF_SEQUENCE');
    // Refused before anything is handed out: no AP-REP for the replayer and no context (Negotiate
    // answers with its reject, RFC 4178 §4.2.2 negState reject).
    expect(first.output.length).toBeGreaterThan(0);
    expect(replay.context).toBe(false);
    if (pkg === 'Negotiate') expect(decodeNegotiationToken(replay.output)).toMatchObject({ value: { negState: 2 } });
    else expect(replay.output.length).toBe(0);
    expect(causeText(replay.cause)).toMatch(/AP-REQ is a replay/);
  });

  it('control: without the shared store instance B accepts the same AP-REQ (its MIT cache has not)', async () => {
    const a = await instance();
    const b = await instance();
    const token = await firstToken(a, pkg);
    expect([ok(pkg), 'SEC_E_OK']).toContain((await accept(a, pkg, token)).status);
    expect([ok(pkg), 'SEC_E_OK']).toContain((await accept(b, pkg, token)).status);
  });

  it('MIT’s own replay cache (one instance) refuses a replay with the same status and says so', async () => {
    // MIT answers a client that asked for mutual authentication with an error token; releasing it
    // once overwrote the minor code (KRB5KRB_AP_ERR_REPEAT) with 0, which read as SEC_E_INVALID_TOKEN.
    const a = await instance();
    const token = await firstToken(a, pkg);
    const own = { credStore: { rcache: `file2:${join(lab.dir, `own-${pkg}.rcache2`)}` } };
    expect([ok(pkg), 'SEC_E_OK']).toContain((await accept(a, pkg, token, own)).status);
    const again = await accept(a, pkg, token, own);
    expect(again.status).toBe('SEC_E_OUT_OF_SEQUENCE');
    expect(causeText(again.cause)).toMatch(/Request is a replay/);
  });

  it('the package default (module option) applies to every acceptor credential', async () => {
    const store = new MemoryReplayStore();
    const a = await instance({ replayStore: store });
    const b = await instance({ replayStore: store });
    const token = await firstToken(a, pkg);
    expect([ok(pkg), 'SEC_E_OK']).toContain((await accept(a, pkg, token)).status);
    expect((await accept(b, pkg, token)).status).toBe('SEC_E_OUT_OF_SEQUENCE');
  });

  it('fails closed when the store cannot answer, and records nothing for a refused token', async () => {
    const down: ReplayStore = { recordOnce: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:1')) };
    const sspi = await instance();
    const token = await firstToken(sspi, pkg);
    const r = await accept(sspi, pkg, token, { replayStore: down });
    expect(r.status).toBe('SEC_E_NO_AUTHENTICATING_AUTHORITY');
    expect(causeText(r.cause)).toMatch(/replay store could not record the authenticator: connect ECONNREFUSED/);
    const hung: ReplayStore = { recordOnce: () => new Promise(() => undefined) };
    const t = await accept(sspi, pkg, await firstToken(sspi, pkg), { replayStore: hung, replayTimeoutMs: 50 });
    expect(t.status).toBe('SEC_E_NO_AUTHENTICATING_AUTHORITY');
    expect(causeText(t.cause)).toMatch(/did not answer within 50 ms/);
  });

  it('a fresh AP-REQ is still accepted on every instance; a corrupted one is never recorded', async () => {
    const store = new MemoryReplayStore();
    const a = await instance({ replayStore: store });
    const b = await instance({ replayStore: store });
    expect([ok(pkg), 'SEC_E_OK']).toContain((await accept(a, pkg, await firstToken(a, pkg))).status);
    expect([ok(pkg), 'SEC_E_OK']).toContain((await accept(b, pkg, await firstToken(b, pkg))).status);
    expect(store.size).toBe(2);
    const forged = Uint8Array.from(await firstToken(a, pkg));
    // The last byte lies in the authenticator's ciphertext: the library's integrity check fails.
    forged[forged.length - 1] = (forged[forged.length - 1] ?? 0) ^ 0x01;
    expect((await accept(a, pkg, forged)).status).not.toMatch(/^SEC_[EI]_(OK|CONTINUE_NEEDED)$/);
    expect(store.size).toBe(2);
  });
});
