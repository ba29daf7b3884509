/**
 * A client that asked for confidentiality and integrity does not complete without them: a
 * man in the middle who strips NTLMSSP_NEGOTIATE_SEAL / SIGN from the CHALLENGE fails the handshake.
 */
import { IscReq, SecStatus, clientContext, createSspi, isSspiError, serverContext } from '@sspkit/core';
import { describe, expect, it } from 'vitest';
import { NegotiateFlag } from '../src/messages/flags.js';
import { createNtlmModule } from '../src/module.js';
import { accounts, client, server } from './fixtures.js';

const alice = { user: 'alice', domain: 'EXAMPLE', password: 'Passw0rd!' };

/** The CHALLENGE with `bits` cleared from its NegotiateFlags (offset 20, MS-NLMP §2.2.1.2). */
function strip(challenge: Uint8Array, bits: number): Uint8Array {
  const out = challenge.slice();
  const v = new DataView(out.buffer, out.byteOffset, out.length);
  v.setUint32(20, (v.getUint32(20, true) & ~bits) >>> 0, true);
  return out;
}

async function clientAnswer(
  requirements: number,
  bits: number,
): Promise<{ status: number; cause: unknown; attrs: number }> {
  const sspi = await createSspi({
    modules: [createNtlmModule({ accounts: accounts(), domain: 'EXAMPLE', computer: 'SRV1', allowReflection: true })],
  });
  const client = await clientContext(sspi, {
    package: 'NTLM',
    authData: alice,
    targetName: 'HTTP/srv1.example',
    requirements,
  });
  const server = await serverContext(sspi, { package: 'NTLM' });
  const challenge = await server.step(await client.step());
  try {
    await client.step(strip(challenge!, bits));
    return { status: SecStatus.SEC_E_OK, cause: undefined, attrs: client.contextAttributes };
  } catch (e) {
    if (!isSspiError(e)) throw e;
    return { status: e.status, cause: e.cause, attrs: 0 };
  }
}

describe('requested ISC_REQ_CONFIDENTIALITY / INTEGRITY that the CHALLENGE does not grant', () => {
  it('confidentiality stripped → SEC_E_UNSUPPORTED_FUNCTION with a cause', async () => {
    const r = await clientAnswer(IscReq.CONFIDENTIALITY | IscReq.INTEGRITY, NegotiateFlag.SEAL);
    expect(r.status).toBe(SecStatus.SEC_E_UNSUPPORTED_FUNCTION);
    expect(String((r.cause as Error).message)).toMatch(/SEAL/);
  });

  it('integrity and confidentiality stripped → SEC_E_UNSUPPORTED_FUNCTION', async () => {
    const r = await clientAnswer(IscReq.CONFIDENTIALITY | IscReq.INTEGRITY, NegotiateFlag.SEAL | NegotiateFlag.SIGN);
    expect(r.status).toBe(SecStatus.SEC_E_UNSUPPORTED_FUNCTION);
    const i = await clientAnswer(IscReq.INTEGRITY, NegotiateFlag.SIGN | NegotiateFlag.SEAL);
    expect(i.status).toBe(SecStatus.SEC_E_UNSUPPORTED_FUNCTION);
    expect(String((i.cause as Error).message)).toMatch(/SIGN/);
  });

  it('without those requirements the client still completes (and reports no confidentiality)', async () => {
    const r = await clientAnswer(0, NegotiateFlag.SEAL | NegotiateFlag.SIGN);
    expect(r.status).toBe(SecStatus.SEC_E_OK);
    expect(r.attrs & IscReq.CONFIDENTIALITY).toBe(0);
  });
});

describe('requested ASC_REQ_CONFIDENTIALITY / INTEGRITY that the client does not negotiate', () => {
  /** A client that asks only for what `flags` keep (as a minimal peer would). */
  async function acceptFrom(requirements: number, drop: number): Promise<string> {
    const c = client();
    const s = server({ require: { confidentiality: (requirements & 1) !== 0, integrity: (requirements & 2) !== 0 } });
    const neg = c.step().token!;
    const chal = await s.step(neg);
    // The client answers a CHALLENGE without those flags, so its AUTHENTICATE does not carry them
    // (and its MIC covers the CHALLENGE it saw: the acceptor's check must come first to be reached).
    const auth = c.step(strip(chal.token!, drop));
    return (await s.step(auth.token!)).status;
  }

  it('an acceptor that requires confidentiality refuses a client without SEAL', async () => {
    expect(await acceptFrom(1, NegotiateFlag.SEAL)).toBe('SEC_E_UNSUPPORTED_FUNCTION');
    expect(await acceptFrom(2, NegotiateFlag.SIGN | NegotiateFlag.SEAL)).toBe('SEC_E_UNSUPPORTED_FUNCTION');
    expect(await acceptFrom(0, NegotiateFlag.SEAL)).not.toBe('SEC_E_UNSUPPORTED_FUNCTION');
  });
});
