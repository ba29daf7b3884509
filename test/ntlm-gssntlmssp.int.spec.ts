/**
 * Interop: sspkit's pure-TypeScript NTLM against gss-ntlmssp (Debian gss-ntlmssp + python3-gssapi)
 * in a separate Python process, both directions, followed by signed and sealed messages both ways.
 * Skipped, with the reason printed, when those Debian packages are absent.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SecBufferType, clientContext, createSspi, isSspiError, secBuffer, serverContext } from '@sspkit/core';
import type { ClientContext, ServerContext, SspiDispatcher } from '@sspkit/core';
import { InMemoryAccountStore, createNtlmModule, encodeSecChannelBindings } from '@sspkit/ntlm';
import { b64, GssPeer, gssNtlmsspAvailable, unb64 } from './ntlm/peer.js';

const available = gssNtlmsspAvailable();
if (!available)
  console.warn(
    'ntlm-gssntlmssp: gss-ntlmssp or python3-gssapi missing (apt-get install gss-ntlmssp python3-gssapi); skipping',
  );

const USERS = 'EXAMPLE:alice:Passw0rd!\n';
const alice = { user: 'alice', domain: 'EXAMPLE', password: 'Passw0rd!', workstation: 'WS1' };
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const cbBuffer = (s: string) =>
  secBuffer(SecBufferType.CHANNEL_BINDINGS, encodeSecChannelBindings({ applicationData: enc(s) }));

let peers: GssPeer[] = [];
const track = (p: GssPeer): GssPeer => {
  peers.push(p);
  return p;
};
afterEach(() => {
  for (const p of peers) p.close();
  peers = [];
});

const sspiWith = (): Promise<SspiDispatcher> =>
  createSspi({
    modules: [createNtlmModule({ accounts: new InMemoryAccountStore().addPassword('EXAMPLE', 'alice', 'Passw0rd!') })],
  });

/** Our client → their acceptor; returns our context, or the peer's error text. */
async function ourClientTheirServer(
  creds: typeof alice,
  cb?: { ours: string; theirs: string },
): Promise<{ client: ClientContext; peer: GssPeer } | string> {
  const sspi = await sspiWith();
  const client = await clientContext(sspi, { package: 'NTLM', authData: creds, targetName: 'HTTP/server.example' });
  const peer = track(GssPeer.acceptor(USERS));
  const extra = cb ? { extraInput: [cbBuffer(cb.ours)] } : {};
  const neg = await client.step(undefined, extra);
  const chal = await peer.call({
    op: 'step',
    token: b64(neg ?? new Uint8Array()),
    cb: cb ? b64(enc(cb.theirs)) : null,
  });
  if (chal.error) return chal.error;
  const auth = await client.step(unb64(chal.token), extra);
  const done = await peer.call({ op: 'step', token: b64(auth ?? new Uint8Array()) });
  if (done.error) return done.error;
  expect(done.complete).toBe(true);
  expect(client.complete).toBe(true);
  expect(done.user?.toLowerCase()).toContain('alice');
  return { client, peer };
}

/** Their initiator → our acceptor; returns our context, or our status name. */
async function theirClientOurServer(
  password: string,
  cb?: { ours: string; theirs: string },
): Promise<{ server: ServerContext; peer: GssPeer } | string> {
  const sspi = await sspiWith();
  const server = await serverContext(sspi, { package: 'NTLM' });
  const peer = track(GssPeer.initiator('alice', 'EXAMPLE', password));
  const extra = cb ? { extraInput: [cbBuffer(cb.ours)] } : {};
  try {
    const neg = await peer.call({ op: 'step', token: null, cb: cb ? b64(enc(cb.theirs)) : null });
    expect(neg.error).toBeUndefined();
    const chal = await server.step(unb64(neg.token), extra);
    const auth = await peer.call({ op: 'step', token: b64(chal ?? new Uint8Array()) });
    expect(auth.error).toBeUndefined();
    expect(auth.complete).toBe(true);
    await server.step(unb64(auth.token), extra);
  } catch (e) {
    if (isSspiError(e)) return e.code;
    throw e;
  }
  expect(server.complete).toBe(true);
  return { server, peer };
}

/** Signed and sealed messages both ways between one of our contexts and the peer. */
async function exchange(ours: ClientContext | ServerContext, peer: GssPeer): Promise<void> {
  for (let i = 0; i < 3; i++) {
    const up = enc(`from sspkit ${i} `.repeat(i * 40 + 1));
    const sealed = ours.encrypt(up);
    const un = await peer.call({ op: 'unwrap', token: b64(new Uint8Array([...sealed.token, ...sealed.data])) });
    expect(un.error).toBeUndefined();
    expect(Buffer.from(unb64(un.data)).toString()).toBe(Buffer.from(up).toString());

    const down = `from gss-ntlmssp ${i}`;
    const wrapped = unb64((await peer.call({ op: 'wrap', data: b64(enc(down)) })).token);
    const plain = ours.decrypt({
      token: wrapped.subarray(0, 16),
      data: wrapped.subarray(16),
      padding: new Uint8Array(0),
    });
    expect(Buffer.from(plain).toString()).toBe(down);

    const signed = enc(`signed by sspkit ${i}`);
    const v = await peer.call({ op: 'verify', data: b64(signed), mic: b64(ours.sign(signed)) });
    expect(v.error).toBeUndefined();

    const theirs = enc(`signed by gss-ntlmssp ${i}`);
    const mic = await peer.call({ op: 'mic', data: b64(theirs) });
    ours.verify(theirs, unb64(mic.mic));
  }
}

describe.skipIf(!available)('NTLM interop with gss-ntlmssp (separate Python process)', () => {
  it('our initiator → gss-ntlmssp acceptor, then sign/seal both ways', async () => {
    const r = await ourClientTheirServer(alice);
    if (typeof r === 'string') throw new Error(`gss-ntlmssp refused: ${r}`);
    await exchange(r.client, r.peer);
  });

  it('gss-ntlmssp initiator → our acceptor, then sign/seal both ways; token names the user', async () => {
    const r = await theirClientOurServer('Passw0rd!');
    if (typeof r === 'string') throw new Error(`we refused: ${r}`);
    expect(r.server.token()).toMatchObject({ authenticationPackage: 'NTLM', user: 'alice', domain: 'EXAMPLE' });
    await exchange(r.server, r.peer);
  });

  it('wrong password is refused both ways', async () => {
    const theirs = await ourClientTheirServer({ ...alice, password: 'wrong' });
    expect(typeof theirs).toBe('string');
    expect(await theirClientOurServer('wrong')).toBe('SEC_E_LOGON_DENIED');
  });

  it('matching channel bindings succeed both ways', async () => {
    const same = { ours: 'tls-server-end-point:abcdef', theirs: 'tls-server-end-point:abcdef' };
    expect(typeof (await ourClientTheirServer(alice, same))).toBe('object');
    expect(typeof (await theirClientOurServer('Passw0rd!', same))).toBe('object');
  });

  it('mismatched channel bindings are refused both ways', async () => {
    const diff = { ours: 'tls-server-end-point:abcdef', theirs: 'tls-server-end-point:123456' };
    const theirs = await ourClientTheirServer(alice, diff);
    expect(typeof theirs).toBe('string');
    expect(await theirClientOurServer('Passw0rd!', diff)).toBe('SEC_E_BAD_BINDINGS');
  });
});
