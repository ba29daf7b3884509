/**
 * ASC_REQ_ALLOW_MISSING_BINDINGS with Windows' meaning: a server that passes channel bindings lets a
 * client that sends none through (Extended Protection "when supported"), and still refuses one that
 * sends different ones; without the flag a client must send the right ones.
 */
import { describe, expect, it } from 'vitest';
import { AscReq, SecBufferType, clientContext, createSspi, secBuffer, serverContext } from '@sspkit/core';
import type { SecBuffer, SspiDispatcher } from '@sspkit/core';
import { InMemoryAccountStore, createNtlmModule, encodeSecChannelBindings } from '../src/index.js';

const cb = (s: string): SecBuffer =>
  secBuffer(SecBufferType.CHANNEL_BINDINGS, encodeSecChannelBindings({ applicationData: new TextEncoder().encode(s) }));

async function run(
  sspi: SspiDispatcher,
  client: string | undefined,
  server: string,
  allowMissing: boolean,
): Promise<string> {
  const c = await clientContext(sspi, {
    package: 'NTLM',
    authData: { user: 'alice', domain: 'EXAMPLE', password: 'pw-1' },
    targetName: 'HTTP/x',
  });
  const s = await serverContext(sspi, {
    package: 'NTLM',
    requirements: allowMissing ? AscReq.ALLOW_MISSING_BINDINGS : 0,
  });
  const ce = client !== undefined ? [cb(client)] : [];
  try {
    const t1 = await c.step(undefined, { extraInput: ce });
    const t2 = await s.step(t1, { extraInput: [cb(server)] });
    const t3 = await c.step(t2, { extraInput: ce });
    await s.step(t3, { extraInput: [cb(server)] });
    return 'SEC_E_OK';
  } catch (e) {
    return (e as { code?: string }).code ?? 'thrown';
  } finally {
    c.dispose();
    s.dispose();
  }
}

describe('NTLM channel-binding policy', () => {
  it('missing bindings pass only with ASC_REQ_ALLOW_MISSING_BINDINGS; wrong ones never do', async () => {
    const accounts = new InMemoryAccountStore().addPassword('EXAMPLE', 'alice', 'pw-1');
    const sspi = await createSspi({ modules: [createNtlmModule({ accounts, allowReflection: true })] });
    expect(await run(sspi, undefined, 'tls-server-end-point:A', true)).toBe('SEC_E_OK');
    expect(await run(sspi, undefined, 'tls-server-end-point:A', false)).toBe('SEC_E_BAD_BINDINGS');
    expect(await run(sspi, 'tls-server-end-point:B', 'tls-server-end-point:A', true)).toBe('SEC_E_BAD_BINDINGS');
    expect(await run(sspi, 'tls-server-end-point:A', 'tls-server-end-point:A', false)).toBe('SEC_E_OK');
  });
});
