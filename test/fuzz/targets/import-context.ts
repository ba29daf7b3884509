/**
 * ImportSecurityContext with fuzzed packed contexts, for each TS package (Mock, NTLM, Digest,
 * Negotiate): a packed context crosses a process boundary, so its bytes are untrusted. Seeds are
 * contexts exported from real handshakes; a context that imports is then used and deleted.
 */
import fc from 'fast-check';
import { SecBufferType, SecPkgAttr, secBuffer, secBufferDesc } from '@sspkit/core';
import { SETUPS } from '../packages.js';
import { expectKnown, handshake, harness, release } from '../sspi-harness.js';
import type { Harness } from '../sspi-harness.js';
import type { FuzzTarget } from '../target.js';

const NAMES = ['mock', 'ntlm', 'digest-sasl', 'negotiate-mock'] as const;

async function exported(h: Harness): Promise<Uint8Array[]> {
  const hs = await handshake(h);
  const out: Uint8Array[] = [];
  for (const ctx of [hs.client, hs.server]) {
    if (!ctx) continue;
    const r = h.sspi.exportSecurityContext(ctx, 0);
    if (r.packedContext) out.push(r.packedContext);
  }
  release(h, hs);
  return out;
}

export const importContextTarget: FuzzTarget = (() => {
  const seeds: Uint8Array[] = [];
  return {
    name: 'import-context',
    description: 'ImportSecurityContext (Mock, NTLM, Digest, Negotiate) with mutated packed contexts',
    corpus: () => seeds,
    arbitrary: fc.uint8Array({ maxLength: 400 }),
    prepare: async () => {
      const hs: Harness[] = [];
      for (const n of NAMES) {
        const h = await harness(SETUPS[n]);
        seeds.push(...(await exported(h)));
        hs.push(h);
      }
      return (c) => {
        const h = hs[c.rng.below(hs.length)]!;
        const side = c.rng.chance(0.5) ? 'client' : 'server';
        const r = h.sspi.importSecurityContext(h.setup.package, c.data, undefined, side);
        expectKnown(h, r.status, 'ImportSecurityContext');
        if (!r.context) return;
        // An imported context is used like any other: queried, asked to verify, deleted.
        expectKnown(h, h.sspi.queryContextAttributes(r.context, SecPkgAttr.SIZES).status, 'QueryContextAttributes');
        const msg = secBufferDesc(
          secBuffer(SecBufferType.DATA, c.data.subarray(0, 16)),
          secBuffer(SecBufferType.TOKEN, c.data.subarray(0, 32)),
        );
        expectKnown(h, h.sspi.verifySignature(r.context, msg, 0), 'VerifySignature');
        expectKnown(h, h.sspi.deleteSecurityContext(r.context), 'DeleteSecurityContext');
      };
    },
  };
})();
