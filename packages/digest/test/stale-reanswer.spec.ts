/**
 * A stale re-answer is for the current request (issue 16): when a later request (MakeSignature) meets
 * `stale=true`, the re-answer must carry that request's method and URI. It used to carry the first
 * request's URI, which Apache (and our own server) answer with 400 "uri mismatch".
 */
import { Buffer } from 'node:buffer';
import { IscReq, SecBufferType, SecPkgCred, createSspi, secBuffer, secBufferDesc, statusName } from '@sspkit/core';
import type { CtxtHandle } from '@sspkit/core';
import { describe, expect, it } from 'vitest';
import { NonceIssuer } from '../src/crypto/nonce.js';
import type { Result } from '../src/errors.js';
import { HttpServerContext } from '../src/http/server-context.js';
import { HttpServerCredential } from '../src/http/server-credential.js';
import { createDigestModule } from '../src/module.js';
import { MemoryUserStore } from '../src/stores/memory-user-store.js';

const bytes = (s: string) => Buffer.from(s, 'latin1');
const str = (b: Uint8Array | undefined) => Buffer.from(b ?? []).toString('latin1');

function value<T>(r: Result<T>): T {
  if (!r.ok) throw r.error;
  return r.value;
}

describe('stale=true on a later request', () => {
  for (const target of ['/first', undefined] as const) {
    it(`re-answers for the later request's method and URI (ISC target ${target ?? 'absent'})`, async () => {
      let now = 1_000_000_000;
      const cred = new HttpServerCredential({
        realm: 'zoo',
        users: new MemoryUserStore([{ username: 'Mufasa', realm: 'zoo', password: 'Circle of Life' }]),
        nonces: new NonceIssuer({ lifetimeMs: 60_000, now: () => now }),
      });
      const server = new HttpServerContext(cred);
      const sspi = await createSspi({ modules: [createDigestModule()] });
      const cc = await sspi.acquireCredentialsHandle({
        package: 'Digest',
        credentialUse: SecPkgCred.OUTBOUND,
        authData: { user: 'Mufasa', password: 'Circle of Life' },
      });
      if (cc.credential === undefined) throw new Error('credential');

      // First request: GET /first.
      const out = secBufferDesc(secBuffer(SecBufferType.TOKEN));
      const challenge = value(await server.accept(undefined, {})).token ?? '';
      const i1 = await sspi.initializeSecurityContext({
        credential: cc.credential,
        targetName: '/first',
        contextReq: IscReq.HTTP | IscReq.ALLOCATE_MEMORY,
        input: secBufferDesc(
          secBuffer(SecBufferType.TOKEN, bytes(challenge)),
          secBuffer(SecBufferType.PKG_PARAMS, bytes('GET')),
        ),
        output: out,
      });
      const ctx = i1.context as CtxtHandle;
      expect(value(await server.accept(str(out.buffers[0]?.data), { method: 'GET', uri: '/first' })).next).toBe('done');

      // Later request: POST /second, signed with MakeSignature; the nonce has expired meanwhile.
      const sig = secBufferDesc(
        secBuffer(SecBufferType.TOKEN),
        secBuffer(SecBufferType.PKG_PARAMS, bytes('POST')),
        secBuffer(SecBufferType.PKG_PARAMS, bytes('/second')),
        secBuffer(SecBufferType.PKG_PARAMS),
        secBuffer(SecBufferType.PADDING, new Uint8Array(4096)),
      );
      expect(statusName(sspi.makeSignature(ctx, 0, sig, 0))).toBe('SEC_E_OK');
      now += 120_000;
      expect(
        value(await server.accept(str(sig.buffers[4]?.data), { method: 'POST', uri: '/second' })).completeNeeded,
      ).toBe(true);
      const stale = value(await server.complete({}));
      expect(stale.token).toContain('stale=true');

      // The re-answer, through ISC on the same context as a generic caller makes it.
      const reOut = secBufferDesc(secBuffer(SecBufferType.TOKEN));
      const again = await sspi.initializeSecurityContext({
        context: ctx,
        ...(target !== undefined ? { targetName: target } : {}),
        contextReq: IscReq.HTTP | IscReq.ALLOCATE_MEMORY,
        input: secBufferDesc(secBuffer(SecBufferType.TOKEN, bytes(stale.token ?? ''))),
        output: reOut,
      });
      expect(statusName(again.status)).toBe('SEC_E_OK');
      const reanswer = str(reOut.buffers[0]?.data);
      expect(reanswer).toContain('uri="/second"');
      expect(value(await server.accept(reanswer, { method: 'POST', uri: '/second' })).next).toBe('done');
    });
  }
});
