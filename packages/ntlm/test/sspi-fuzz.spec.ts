import {
  AscReq,
  SecBufferType,
  SecPkgCred,
  createSspi,
  isSuccess,
  secBuffer,
  secBufferDesc,
  statusName,
} from '@sspkit/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NtlmClient } from '../src/client.js';
import { createNtlmModule } from '../src/module.js';
import { accounts, env } from './fixtures.js';

describe('AcceptSecurityContext with random and mutated tokens (fast-check)', () => {
  it('only ever answers with a status; no package fault; a changed AUTHENTICATE never succeeds', async () => {
    const faults: string[] = [];
    const sspi = await createSspi({
      modules: [createNtlmModule({ accounts: accounts(), allowReflection: true })],
      onPackageFault: (f) => faults.push(f.operation),
    });
    const cred = await sspi.acquireCredentialsHandle({ package: 'NTLM', credentialUse: SecPkgCred.INBOUND });
    const credential = cred.credential!;
    const valid = (): { neg: Uint8Array; client: NtlmClient } => {
      const client = new NtlmClient({
        credentials: { user: 'alice', domain: 'EXAMPLE', password: 'Passw0rd!' },
        allowReflection: true,
        env,
      });
      return { neg: client.step().token!, client };
    };
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }),
        fc.boolean(),
        async (flips, mutateNegotiate) => {
          const { neg, client } = valid();
          const first = mutateNegotiate ? neg.slice() : neg;
          if (mutateNegotiate) for (const [i, x] of flips) first[i % first.length] = x;
          const out1 = secBuffer(SecBufferType.TOKEN);
          const r1 = await sspi.acceptSecurityContext({
            credential,
            contextReq: AscReq.ALLOCATE_MEMORY,
            input: secBufferDesc(secBuffer(SecBufferType.TOKEN, first)),
            output: secBufferDesc(out1),
          });
          if (!isSuccess(r1.status)) return;
          const auth = client.step(out1.data).token;
          if (!auth) return;
          const bad = auth.slice();
          for (const [i, x] of flips) bad[i % bad.length] = x;
          const same = bad.every((b, i) => b === auth[i]);
          const r2 = await sspi.acceptSecurityContext({
            credential,
            context: r1.context!,
            contextReq: AscReq.ALLOCATE_MEMORY,
            input: secBufferDesc(secBuffer(SecBufferType.TOKEN, bad)),
            output: secBufferDesc(secBuffer(SecBufferType.TOKEN)),
          });
          // A status of winerror.h's table (statusName gives an unknown number as hex), never a fault.
          expect(statusName(r2.status)).toMatch(/^SEC_[EI]_[A-Z_]+$/);
          // The MIC covers every byte of the AUTHENTICATE message, so any change must be refused.
          if (!same) expect(statusName(r2.status)).not.toBe('SEC_E_OK');
          sspi.deleteSecurityContext(r1.context!);
        },
      ),
      { numRuns: 150 },
    );
    expect(faults).toEqual([]);
  });
});
