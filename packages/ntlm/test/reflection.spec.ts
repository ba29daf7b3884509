/**
 * NTLM reflection (the MS08-068 class): our acceptor's CHALLENGE, handed to an NTLM client of the
 * same process, must not be answered; and the acceptor's SPN check on MsvAvTargetName.
 */
import {
  AscReq,
  IscReq,
  SecBufferType,
  SecPkgCred,
  SecStatus,
  createSspi,
  secBuffer,
  secBufferDesc,
} from '@sspkit/core';
import type { SspiDispatcher } from '@sspkit/core';
import { describe, expect, it } from 'vitest';
import { createNtlmModule } from '../src/module.js';
import type { NtlmPackageConfig } from '../src/package-state.js';
import { ChallengeLedger, processChallenges } from '../src/reflection.js';
import { accounts, client, handshake, server } from './fixtures.js';

const alice = { user: 'alice', domain: 'EXAMPLE', password: 'Passw0rd!' };
const tok = (data?: Uint8Array) => secBuffer(SecBufferType.TOKEN, data);
const sspiWith = (config: NtlmPackageConfig = {}): Promise<SspiDispatcher> =>
  createSspi({ modules: [createNtlmModule({ accounts: accounts(), domain: 'EXAMPLE', computer: 'SRV1', ...config })] });

/**
 * The attack: the attacker opens a context on our acceptor (`victimServer`) and gets a CHALLENGE;
 * a client of this process (`victimClient`, e.g. a service tricked into authenticating to the
 * attacker's host) is handed that CHALLENGE; its AUTHENTICATE is relayed back to our acceptor.
 * Returns the client's status on the CHALLENGE and, if it answered, the acceptor's on the relay.
 */
async function reflect(victimServer: SspiDispatcher, victimClient: SspiDispatcher) {
  const attackerNegotiate = client({ credentials: { user: 'mallory', password: 'x' } }).step().token!;
  const sc = await victimServer.acquireCredentialsHandle({ package: 'NTLM', credentialUse: SecPkgCred.INBOUND });
  const chal = tok();
  const s = await victimServer.acceptSecurityContext({
    credential: sc.credential!,
    contextReq: AscReq.ALLOCATE_MEMORY,
    input: secBufferDesc(tok(attackerNegotiate)),
    output: secBufferDesc(chal),
  });
  expect(s.status).toBe(SecStatus.SEC_I_CONTINUE_NEEDED);

  const cc = await victimClient.acquireCredentialsHandle({
    package: 'NTLM',
    credentialUse: SecPkgCred.OUTBOUND,
    authData: alice,
  });
  const c = await victimClient.initializeSecurityContext({
    credential: cc.credential!,
    targetName: 'cifs/attacker.example',
    contextReq: IscReq.ALLOCATE_MEMORY,
    output: secBufferDesc(tok()),
  });
  const auth = tok();
  const answer = await victimClient.initializeSecurityContext({
    context: c.context!,
    contextReq: IscReq.ALLOCATE_MEMORY,
    input: secBufferDesc(tok(chal.data)),
    output: secBufferDesc(auth),
  });
  if (answer.status !== SecStatus.SEC_E_OK) return { client: answer.status, cause: answer.cause, relay: undefined };
  const relay = await victimServer.acceptSecurityContext({
    context: s.context!,
    contextReq: AscReq.ALLOCATE_MEMORY,
    input: secBufferDesc(tok(auth.data)),
    output: secBufferDesc(tok()),
  });
  return { client: answer.status, cause: answer.cause, relay: relay.status };
}

describe('NTLM reflection', () => {
  it('a client refuses a CHALLENGE issued by an acceptor of the same package instance', async () => {
    const sspi = await sspiWith();
    const r = await reflect(sspi, sspi);
    expect(r.client).toBe(SecStatus.SEC_E_LOGON_DENIED);
    expect(String((r.cause as Error).message)).toMatch(/reflected CHALLENGE/);
    expect(r.relay).toBeUndefined();
  });

  it('and one issued by another NTLM instance or registry of this process', async () => {
    const r = await reflect(await sspiWith(), await sspiWith());
    expect(r.client).toBe(SecStatus.SEC_E_LOGON_DENIED);
    expect(r.relay).toBeUndefined();
  });

  it('createNtlmModule({ allowReflection: true }) opts its clients out (in-process pairs); the relay then works', async () => {
    const r = await reflect(await sspiWith(), await sspiWith({ allowReflection: true }));
    expect(r).toMatchObject({ client: SecStatus.SEC_E_OK, relay: SecStatus.SEC_E_OK });
  });

  it('an acceptor forgets its challenge once its context completes, fails or is deleted', async () => {
    const before = processChallenges.size;
    const sspi = await sspiWith({ allowReflection: true });
    const sc = await sspi.acquireCredentialsHandle({ package: 'NTLM', credentialUse: SecPkgCred.INBOUND });
    const neg = client().step().token!;
    const s = await sspi.acceptSecurityContext({
      credential: sc.credential!,
      contextReq: AscReq.ALLOCATE_MEMORY,
      input: secBufferDesc(tok(neg)),
      output: secBufferDesc(tok()),
    });
    expect(processChallenges.size).toBe(before + 1);
    sspi.deleteSecurityContext(s.context!);
    expect(processChallenges.size).toBe(before);
  });

  it("the low-level NtlmClient refuses an NtlmServer's challenge by default, and answers with allowReflection", async () => {
    const refused = await handshake(client({ allowReflection: false }), server());
    expect(refused.auth.status).toBe('SEC_E_LOGON_DENIED');
    expect(refused.auth.reason).toMatch(/reflected CHALLENGE/);
    expect((await handshake(client({ allowReflection: true }), server())).done.status).toBe('SEC_E_OK');
  });

  it('the ledger is bounded and expiring', () => {
    let now = 0;
    const ledger = new ChallengeLedger({ capacity: 2, ttlMs: 1000, now: () => now });
    const ch = (n: number) => new Uint8Array(8).fill(n);
    ledger.issued(ch(1));
    ledger.issued(ch(2));
    ledger.issued(ch(3));
    expect([ledger.wasIssued(ch(1)), ledger.wasIssued(ch(2)), ledger.wasIssued(ch(3))]).toEqual([false, true, true]);
    now = 1000;
    expect(ledger.wasIssued(ch(3))).toBe(false);
    expect(ledger.size).toBe(0);
  });
});

describe("the acceptor's SPN check on MsvAvTargetName", () => {
  const spns = ['HTTP/srv1.example', 'HOST/SRV1'];
  const run = async (mode: 'off' | 'allow-missing' | 'required', targetName: string | undefined) => {
    const c = client(targetName === undefined ? {} : { targetName });
    const policy = mode === 'off' ? { mode } : { mode, spns };
    return (await handshake(c, server({ targetNames: policy }))).done;
  };

  it("required: the client must name one of the server's SPNs (case-insensitively)", async () => {
    expect((await run('required', 'HTTP/srv1.example')).status).toBe('SEC_E_OK');
    expect((await run('required', 'http/SRV1.EXAMPLE')).status).toBe('SEC_E_OK');
    const wrong = await run('required', 'cifs/attacker.example');
    expect(wrong.status).toBe('SEC_E_WRONG_PRINCIPAL');
    expect(wrong.reason).toMatch(/cifs\/attacker\.example/);
    expect((await run('required', undefined)).status).toBe('SEC_E_WRONG_PRINCIPAL');
  });

  it('allow-missing: a named SPN must be ours, no name is accepted', async () => {
    expect((await run('allow-missing', undefined)).status).toBe('SEC_E_OK');
    expect((await run('allow-missing', 'HOST/srv1')).status).toBe('SEC_E_OK');
    expect((await run('allow-missing', 'cifs/attacker.example')).status).toBe('SEC_E_WRONG_PRINCIPAL');
  });

  it('off (the default): not checked', async () => {
    expect((await run('off', 'cifs/attacker.example')).status).toBe('SEC_E_OK');
    expect((await handshake(client({ targetName: 'cifs/attacker.example' }), server())).done.status).toBe('SEC_E_OK');
  });

  it('through the package: a reflected-then-relayed AUTHENTICATE for another SPN is refused by createNtlmModule({ targetNames })', async () => {
    const sspi = await sspiWith({ targetNames: { mode: 'required', spns }, allowReflection: true });
    const r = await reflect(sspi, sspi);
    expect(r).toMatchObject({ client: SecStatus.SEC_E_OK, relay: SecStatus.SEC_E_WRONG_PRINCIPAL });
  });
});
