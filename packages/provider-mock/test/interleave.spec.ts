import { describe, expect, it } from 'vitest';
import { SecPkgAttr, clientContext, serverContext, IscReq, AscReq } from '@sspkit/core';
import type { ClientContext, ServerContext } from '@sspkit/core';
import { mockWorld } from './helpers.js';

const enc = new TextEncoder();

describe('1,000 interleaved Mock contexts', () => {
  it('run their handshakes and messages interleaved with no cross-talk, and leave nothing behind', async () => {
    const { sspi, mock } = await mockWorld({ legs: 4 });
    const N = 1000;
    const users = ['alice', 'bob'];
    const pairs: { client: ClientContext; server: ServerContext; user: string }[] = [];
    for (let i = 0; i < N; i++) {
      const user = users[i % 2]!;
      pairs.push({
        user,
        client: await clientContext(sspi, {
          package: 'Mock',
          authData: { user, password: `${user}-password` },
          targetName: `svc/${i}`,
          requirements: IscReq.SEQUENCE_DETECT | IscReq.CONFIDENTIALITY,
        }),
        server: await serverContext(sspi, { package: 'Mock', requirements: AscReq.SEQUENCE_DETECT }),
      });
    }
    // Advance every handshake one leg at a time, all contexts interleaved.
    let tokens: (Uint8Array | undefined)[] = await Promise.all(pairs.map((p) => p.client.step()));
    for (let leg = 2; leg <= 5; leg++) {
      tokens = await Promise.all(pairs.map((p, i) => (leg % 2 === 0 ? p.server : p.client).step(tokens[i])));
    }
    for (const [i, p] of pairs.entries()) {
      expect(p.client.complete && p.server.complete).toBe(true);
      expect(p.server.token().user).toBe(p.user);
      expect(p.server.query(SecPkgAttr.NATIVE_NAMES).serverName).toBe(`svc/${i}`);
    }
    // Two messages per pair, sent in one interleaved order, received in another.
    const sealed = pairs.map((p, i) => [
      p.client.encrypt(enc.encode(`${i}:a`)),
      p.client.encrypt(enc.encode(`${i}:b`)),
    ]);
    for (let i = N - 1; i >= 0; i--)
      expect(new TextDecoder().decode(pairs[i]!.server.decrypt(sealed[i]![0]!))).toBe(`${i}:a`);
    for (let i = 0; i < N; i++)
      expect(new TextDecoder().decode(pairs[i]!.server.decrypt(sealed[i]![1]!))).toBe(`${i}:b`);
    // A message of one context is rejected by every other.
    const stray = pairs[0]!.client.sign(enc.encode('stray'));
    for (const other of pairs.slice(1, 50))
      expect(() => other.server.verify(enc.encode('stray'), stray)).toThrow(
        expect.objectContaining({ code: 'SEC_E_MESSAGE_ALTERED' }),
      );
    for (const p of pairs) {
      p.client.dispose();
      p.server.dispose();
    }
    expect(sspi.liveHandleCount).toBe(0);
    expect(mock.liveContexts).toBe(0);
    expect(mock.liveCredentials).toBe(0);
  });
});
