/**
 * The handshake state machine: legal status sequences, flags both sides agree on and can honour,
 * bad tokens answered with statuses (never a throw), CompleteAuthToken when asked for.
 */
import { AscRet, IscRet, SecBufferType, SecPkgFlag, secBuffer, secBufferDesc, statusName } from '@sspkit/core';
import type { HandshakeDriver } from '../handshake.js';
import type { Harness } from '../harness.js';
import { messageBytes, seal, sign, unseal, verify } from '../messages.js';
import { ascName, capName, iscName } from '../probe.js';
import type { CheckContext, ConformanceCheck } from '../types.js';
import { S, protection } from './common.js';

/** Protection bits both sides must report alike: [ISC_RET, ASC_RET, name]. */
const SHARED_BITS: readonly (readonly [number, number, string])[] = [
  [IscRet.INTEGRITY, AscRet.INTEGRITY, 'INTEGRITY'],
  [IscRet.CONFIDENTIALITY, AscRet.CONFIDENTIALITY, 'CONFIDENTIALITY'],
  [IscRet.REPLAY_DETECT, AscRet.REPLAY_DETECT, 'REPLAY_DETECT'],
  [IscRet.SEQUENCE_DETECT, AscRet.SEQUENCE_DETECT, 'SEQUENCE_DETECT'],
];

/** What a granted bit promises, and the SECPKG_FLAG_* that must back it: [ISC_RET, ASC_RET, SECPKG_FLAG]. */
const BACKING: readonly (readonly [number, number, number])[] = [
  [IscRet.INTEGRITY, AscRet.INTEGRITY, SecPkgFlag.INTEGRITY],
  [IscRet.REPLAY_DETECT, AscRet.REPLAY_DETECT, SecPkgFlag.INTEGRITY],
  [IscRet.SEQUENCE_DETECT, AscRet.SEQUENCE_DETECT, SecPkgFlag.INTEGRITY],
  [IscRet.CONFIDENTIALITY, AscRet.CONFIDENTIALITY, SecPkgFlag.PRIVACY],
  [IscRet.MUTUAL_AUTH, AscRet.MUTUAL_AUTH, SecPkgFlag.MUTUAL_AUTH],
  [IscRet.DELEGATE, AscRet.DELEGATE, SecPkgFlag.DELEGATION],
  [IscRet.DATAGRAM, AscRet.DATAGRAM, SecPkgFlag.DATAGRAM],
  [IscRet.CONNECTION, AscRet.CONNECTION, SecPkgFlag.CONNECTION],
  [IscRet.STREAM, AscRet.STREAM, SecPkgFlag.STREAM],
];

const GARBAGE = messageBytes('sspkit conformance: this is not a handshake token', 96);

/** Runs legs until it is `side`'s turn for its `n`-th call; false when the handshake ends first. */
async function advanceTo(d: HandshakeDriver, side: 'client' | 'server', n: number): Promise<boolean> {
  for (;;) {
    if (d.state !== 'running') return false;
    const calls = d.legs.filter((l) => l.side === side).length;
    if (d.turn === side && calls === n - 1) return true;
    await d.step();
  }
}

/** Feeds `input` to `side`'s `n`-th leg of a fresh handshake; undefined when that leg does not exist. */
async function feed(h: Harness, side: 'client' | 'server', n: number, input: (d: HandshakeDriver) => Uint8Array): Promise<number | undefined> {
  const d = await h.handshake();
  if (!(await advanceTo(d, side, n))) return undefined;
  await d.step(input(d));
  return d.legs.at(-1)!.status;
}

async function badTokens(h: Harness, t: CheckContext, what: string, defaults: readonly number[], make: (d: HandshakeDriver) => Uint8Array): Promise<void> {
  const accepted = t.accepted('status', defaults);
  const first = await feed(h, 'server', 1, make);
  if (first === undefined) t.skip('the handshake never reaches AcceptSecurityContext');
  t.status(`AcceptSecurityContext (first leg) with a ${what} token`, first, accepted);
  const second = await feed(h, 'client', 2, make);
  if (second !== undefined) t.status(`InitializeSecurityContext (second leg) with a ${what} token`, second, accepted);
}

export const handshakeChecks: readonly ConformanceCheck[] = [
  {
    id: 'handshake.completes',
    area: 'handshake',
    group: 'InitializeSecurityContext/AcceptSecurityContext',
    title: 'the handshake completes with a legal status sequence (CONTINUE_NEEDED with a token until SEC_E_OK)',
    required: true,
    gate: { slots: ['lsa.initLsaModeContext', 'lsa.acceptLsaModeContext'] },
    async run(h, t) {
      const p = await h.pair();
      t.note(p.driver.describe(), 'CONTINUE_NEEDED … SEC_E_OK on both sides');
    },
  },
  {
    id: 'handshake.flags-agree',
    area: 'handshake',
    group: 'InitializeSecurityContext/AcceptSecurityContext',
    title: 'client and server report the same integrity, confidentiality, replay and sequence flags',
    required: true,
    gate: {},
    async run(h, t) {
      const p = await h.pair();
      const c = p.driver.clientAttributes;
      const s = p.driver.serverAttributes;
      for (const [isc, asc, name] of SHARED_BITS) {
        t.ensure(((c & isc) !== 0) === ((s & asc) !== 0), name, `client ${iscName(c & isc) || '—'}, server ${ascName(s & asc) || '—'}`, `both sides grant ${name} or neither does`);
      }
      t.note(`client ${iscName(c)}; server ${ascName(s)}`, 'matching protection flags');
    },
  },
  {
    id: 'handshake.flags-honourable',
    area: 'handshake',
    group: 'InitializeSecurityContext/AcceptSecurityContext',
    title: 'every granted ISC_RET/ASC_RET flag is backed by a declared capability',
    required: true,
    gate: {},
    async run(h, t) {
      const p = await h.pair();
      const caps = h.info.capabilities;
      for (const [isc, asc, cap] of BACKING) {
        if ((p.driver.clientAttributes & isc) !== 0) t.ensure((caps & cap) !== 0, iscName(isc), `granted, but ${capName(cap)} not declared`, `${capName(cap)} declared`);
        if ((p.driver.serverAttributes & asc) !== 0) t.ensure((caps & cap) !== 0, ascName(asc), `granted, but ${capName(cap)} not declared`, `${capName(cap)} declared`);
      }
      t.note(`client ${iscName(p.driver.clientAttributes)}; server ${ascName(p.driver.serverAttributes)}`, 'flags the package declares it can honour');
    },
  },
  {
    id: 'handshake.output-too-small',
    area: 'handshake',
    group: 'InitializeSecurityContext/AcceptSecurityContext',
    title: 'a 1-byte output buffer without ALLOCATE_MEMORY gives SEC_E_BUFFER_TOO_SMALL (or SEC_E_INSUFFICIENT_MEMORY), and a retry works',
    required: true,
    gate: {},
    async run(h, t) {
      const d = await h.handshake({ output: 1 });
      await d.step();
      const st = d.legs[0]!.status;
      if (st === S.SEC_I_CONTINUE_NEEDED && d.legs[0]!.outputLength <= 1) t.skip('the first token fits in one byte');
      t.status('InitializeSecurityContext into a 1-byte buffer', st, t.accepted('status', [S.SEC_E_BUFFER_TOO_SMALL, S.SEC_E_INSUFFICIENT_MEMORY]));
      const again = await (await h.handshake({ output: h.info.maxToken })).run();
      t.ensure(again.state === 'done', 'a new handshake into cbMaxToken-sized buffers', again.describe(), 'a completed handshake');
    },
  },
  {
    id: 'handshake.empty-output',
    area: 'handshake',
    group: 'InitializeSecurityContext/AcceptSecurityContext',
    title: "a leg that produces no token sets the caller's output buffer to 0 bytes (caller-sized buffers, no ALLOCATE_MEMORY)",
    required: true,
    gate: {},
    async run(h, t) {
      const d = await (await h.handshake({ output: h.info.maxToken })).run();
      t.ensure(d.state === 'done', 'handshake into cbMaxToken-sized buffers', `${d.describe()}${d.illegal ? `: ${d.illegal}` : ''}`, 'a completed handshake');
      t.ensure(d.untouchedOutputs.length === 0, 'output TOKEN buffer after a leg without a token', `left at ${h.info.maxToken} bytes by ${d.untouchedOutputs.join(', ')}`, 'cbBuffer set to 0');
    },
  },
  {
    id: 'handshake.garbage-token',
    area: 'handshake',
    group: 'InitializeSecurityContext/AcceptSecurityContext',
    title: 'a garbage token gives SEC_E_INVALID_TOKEN (or the documented status), never a throw',
    required: true,
    gate: {},
    run: (h, t) => badTokens(h, t, 'garbage', [S.SEC_E_INVALID_TOKEN], () => GARBAGE),
  },
  {
    id: 'handshake.truncated-token',
    area: 'handshake',
    group: 'InitializeSecurityContext/AcceptSecurityContext',
    title: 'a truncated token gives SEC_E_INCOMPLETE_MESSAGE or SEC_E_INVALID_TOKEN, never a throw',
    required: true,
    gate: {},
    run: (h, t) => badTokens(h, t, 'truncated', [S.SEC_E_INCOMPLETE_MESSAGE, S.SEC_E_INVALID_TOKEN], (d) => d.pending!.subarray(0, Math.floor(d.pending!.length / 2))),
  },
  {
    id: 'handshake.replayed-token',
    area: 'handshake',
    group: 'InitializeSecurityContext/AcceptSecurityContext',
    title: "the server's second leg refuses the client's first token again with SEC_E_INVALID_TOKEN (or the documented status)",
    required: true,
    gate: {},
    async run(h, t) {
      const d = await h.handshake();
      if (!(await advanceTo(d, 'server', 2))) t.skip('the server has a single handshake leg');
      await d.step(d.tokens[0]);
      t.status("AcceptSecurityContext (second leg) with the client's first token again", d.legs.at(-1)!.status, t.accepted('status', [S.SEC_E_INVALID_TOKEN]));
    },
  },
  {
    id: 'handshake.complete-needed',
    area: 'handshake',
    group: 'CompleteAuthToken',
    title: 'after SEC_I_COMPLETE_NEEDED, per-message calls are refused until CompleteAuthToken, which then succeeds',
    required: true,
    gate: {},
    async run(h, t) {
      const d = await (await h.handshake({ deferComplete: true })).run();
      if (d.state !== 'done') t.fail('handshake', d.describe(), 'a completed handshake');
      const pending = d.pendingCompletions[0];
      if (!pending) return t.skip('the package never returned SEC_I_COMPLETE_NEEDED');
      const sspi = h.sspiOf(pending.context);
      const peer = pending.side === 'client' ? d.server! : d.client!;
      const mode = protection(h);
      const data = messageBytes('before CompleteAuthToken');
      if (mode === 'sign') t.status('MakeSignature before CompleteAuthToken', sign(sspi, pending.context, data, h.generous).status, t.accepted('refusal', [S.SEC_E_OUT_OF_SEQUENCE]));
      if (mode === 'seal') t.status('EncryptMessage before CompleteAuthToken', seal(sspi, pending.context, data, h.generous).status, t.accepted('refusal', [S.SEC_E_OUT_OF_SEQUENCE]));
      t.status('CompleteAuthToken', await sspi.completeAuthToken(pending.context, pending.token), [S.SEC_E_OK]);
      if (mode === 'sign') {
        const s = sign(sspi, pending.context, data, h.generous);
        t.status('MakeSignature after CompleteAuthToken', s.status, [S.SEC_E_OK]);
        t.status('VerifySignature by the peer', verify(h.sspiOf(peer), peer, s.wire), [S.SEC_E_OK]);
      }
      if (mode === 'seal') {
        const s = seal(sspi, pending.context, data, h.generous);
        t.status('EncryptMessage after CompleteAuthToken', s.status, [S.SEC_E_OK]);
        t.status('DecryptMessage by the peer', unseal(h.sspiOf(peer), peer, s.wire).status, [S.SEC_E_OK]);
      }
    },
  },
  {
    id: 'handshake.missing-input',
    area: 'handshake',
    group: 'InitializeSecurityContext/AcceptSecurityContext',
    title: 'AcceptSecurityContext without an input TOKEN buffer gives SEC_E_INVALID_TOKEN (or the documented status)',
    required: false,
    gate: {},
    async run(h, t) {
      const cred = await h.credential('server');
      const r = await h.serverSspi.acceptSecurityContext({
        credential: cred,
        input: secBufferDesc(secBuffer(SecBufferType.EMPTY)),
        contextReq: h.serverReq,
        output: secBufferDesc(secBuffer(SecBufferType.TOKEN, new Uint8Array(h.info.maxToken))),
      });
      if (r.context) h.adopt(r.context);
      t.status('AcceptSecurityContext with no TOKEN buffer', r.status, t.accepted('status', [S.SEC_E_INVALID_TOKEN]));
      t.ensure(r.context === undefined, 'AcceptSecurityContext with no TOKEN buffer', `a context (${statusName(r.status)})`, 'no context');
    },
  },
];
