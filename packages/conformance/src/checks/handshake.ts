/**
 * The handshake state machine: legal status sequences, flags both sides agree on and can honour,
 * bad tokens answered with statuses (never a throw), CompleteAuthToken when asked for.
 */
import {
  AscRet,
  IscReq,
  IscRet,
  SecBufferType,
  SecPkgAttr,
  SecPkgFlag,
  secBuffer,
  secBufferDesc,
  statusName,
} from '@sspkit/core';
import type { HandshakeDriver } from '../handshake.js';
import type { Harness } from '../harness.js';
import { messageBytes, seal, sign, unseal, verify } from '../messages.js';
import { ascName, capName, iscName } from '../probe.js';
import type { CheckContext, ConformanceCheck } from '../types.js';
import { S, grantedProtection, ok, rawCall } from './common.js';
import { statusList } from '../outcome.js';

/** Protection bits both sides must report alike: [ISC_RET, ASC_RET, name]. */
const SHARED_BITS: readonly (readonly [number, number, string])[] = [
  [IscRet.INTEGRITY, AscRet.INTEGRITY, 'INTEGRITY'],
  [IscRet.CONFIDENTIALITY, AscRet.CONFIDENTIALITY, 'CONFIDENTIALITY'],
  [IscRet.REPLAY_DETECT, AscRet.REPLAY_DETECT, 'REPLAY_DETECT'],
  [IscRet.SEQUENCE_DETECT, AscRet.SEQUENCE_DETECT, 'SEQUENCE_DETECT'],
];

/** What a granted bit promises, and the SECPKG_FLAG_* that must back it: [ISC_RET, ASC_RET, SECPKG_FLAG]. */
/** ISC_REQ bit, the ISC_RET bit that must answer it, and the capability that promises it. */
const REQUESTED: readonly (readonly [number, number, number])[] = [
  [IscReq.INTEGRITY, IscRet.INTEGRITY, SecPkgFlag.INTEGRITY],
  [IscReq.CONFIDENTIALITY, IscRet.CONFIDENTIALITY, SecPkgFlag.PRIVACY],
];

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

/** Ordinal of `side`'s next call in `d` (2 = its second Initialize/AcceptSecurityContext). */
const nextLeg = (d: HandshakeDriver, side: 'client' | 'server'): number =>
  d.legs.filter((l) => l.side === side).length + 1;

/**
 * Feeds `make(token)` instead of the first token `side` receives, in a fresh handshake; undefined
 * when `side` never receives one.
 */
async function feed(
  h: Harness,
  side: 'client' | 'server',
  make: (token: Uint8Array) => Uint8Array,
): Promise<{ status: number; leg: number } | undefined> {
  const d = await h.handshake();
  if (!(await d.runUntilInputFor(side))) return undefined;
  const leg = nextLeg(d, side);
  await d.step(make(d.pending!));
  return { status: d.legs.at(-1)!.status, leg };
}

async function badTokens(
  h: Harness,
  t: CheckContext,
  what: string,
  defaults: readonly number[],
  make: (token: Uint8Array) => Uint8Array,
): Promise<void> {
  const accepted = t.accepted('status', defaults);
  const server = await feed(h, 'server', make);
  if (server === undefined) t.skip('the server never receives a token from the client');
  t.status(
    `AcceptSecurityContext (call ${server.leg}, the first with a client token) with a ${what} token`,
    server.status,
    accepted,
  );
  const client = await feed(h, 'client', make);
  if (client !== undefined)
    t.status(
      `InitializeSecurityContext (call ${client.leg}, the first with a server token) with a ${what} token`,
      client.status,
      accepted,
    );
}

export const handshakeChecks: readonly ConformanceCheck[] = [
  {
    id: 'handshake.completes',
    area: 'handshake',
    group: 'InitializeSecurityContext/AcceptSecurityContext',
    title:
      'the handshake completes with a legal status sequence (CONTINUE_NEEDED until SEC_E_OK, CompleteAuthToken where asked)',
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
        t.ensure(
          ((c & isc) !== 0) === ((s & asc) !== 0),
          name,
          `client ${iscName(c & isc) || '—'}, server ${ascName(s & asc) || '—'}`,
          `both sides grant ${name} or neither does`,
        );
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
        if ((p.driver.clientAttributes & isc) !== 0)
          t.ensure(
            (caps & cap) !== 0,
            iscName(isc),
            `granted, but ${capName(cap)} not declared`,
            `${capName(cap)} declared`,
          );
        if ((p.driver.serverAttributes & asc) !== 0)
          t.ensure(
            (caps & cap) !== 0,
            ascName(asc),
            `granted, but ${capName(cap)} not declared`,
            `${capName(cap)} declared`,
          );
      }
      t.note(
        `client ${iscName(p.driver.clientAttributes)}; server ${ascName(p.driver.serverAttributes)}`,
        'flags the package declares it can honour',
      );
    },
  },
  {
    id: 'handshake.requested-protection-granted',
    area: 'handshake',
    group: 'InitializeSecurityContext/AcceptSecurityContext',
    title:
      'a protection the package declares and the client requests is granted (ISC_REQ_INTEGRITY with SECPKG_FLAG_INTEGRITY, ISC_REQ_CONFIDENTIALITY with SECPKG_FLAG_PRIVACY)',
    required: true,
    gate: {},
    async run(h, t) {
      const req = h.clientReq;
      const wanted = REQUESTED.filter(([r, , cap]) => (req & r) !== 0 && h.declares(cap));
      if (wanted.length === 0) t.skip('the client requests no protection the package declares');
      const p = await h.pair();
      for (const [, ret, cap] of wanted) {
        t.ensure(
          (p.driver.clientAttributes & ret) !== 0,
          `client context attributes after requesting ${iscName(ret)}`,
          `not granted (${iscName(p.driver.clientAttributes) || 'no flags'})`,
          `${iscName(ret)}, as ${capName(cap)} is declared`,
        );
      }
    },
  },
  {
    id: 'handshake.output-too-small',
    area: 'handshake',
    group: 'InitializeSecurityContext/AcceptSecurityContext',
    title:
      'the first leg with a token, given a 1-byte output buffer without ALLOCATE_MEMORY, gives SEC_E_BUFFER_TOO_SMALL (or SEC_E_INSUFFICIENT_MEMORY), and a retry works',
    required: true,
    gate: {},
    async run(h, t) {
      const d = await h.handshake({ output: 1 });
      // Up to the first leg that fails or writes a token itself (a server-first client's first leg
      // writes none; a token CompleteAuthToken wrote went into a buffer the harness gave it).
      while (d.state === 'running' && !d.legs.some((l) => l.outputLength > 0 && !l.completedToken)) await d.step();
      const leg = d.legs.at(-1);
      if (!leg || (!d.failed && leg.outputLength === 0)) return t.skip('no handshake leg produced a token');
      const nth = d.legs.filter((l) => l.side === leg.side).length;
      const call = leg.side === 'client' ? 'InitializeSecurityContext' : 'AcceptSecurityContext';
      if (!d.failed && leg.outputLength <= 1) t.skip(`the first token (${call} call ${nth}) fits in one byte`);
      t.status(
        `${call} (call ${nth}, the first with a token) into a 1-byte buffer`,
        leg.status,
        t.accepted('status', [S.SEC_E_BUFFER_TOO_SMALL, S.SEC_E_INSUFFICIENT_MEMORY]),
      );
      const again = await (await h.handshake({ output: h.info.maxToken })).run();
      t.ensure(
        again.state === 'done',
        'a new handshake into cbMaxToken-sized buffers',
        again.describe(),
        'a completed handshake',
      );
    },
  },
  {
    id: 'handshake.empty-output',
    area: 'handshake',
    group: 'InitializeSecurityContext/AcceptSecurityContext',
    title:
      "a leg that produces no token sets the caller's output buffer to 0 bytes (caller-sized buffers, no ALLOCATE_MEMORY)",
    required: true,
    gate: {},
    async run(h, t) {
      const d = await (await h.handshake({ output: h.info.maxToken })).run();
      t.ensure(
        d.state === 'done',
        'handshake into cbMaxToken-sized buffers',
        `${d.describe()}${d.illegal ? `: ${d.illegal}` : ''}`,
        'a completed handshake',
      );
      t.ensure(
        d.untouchedOutputs.length === 0,
        'output TOKEN buffer after a leg without a token',
        `left at ${h.info.maxToken} bytes by ${d.untouchedOutputs.join(', ')}`,
        'cbBuffer set to 0',
      );
    },
  },
  {
    id: 'handshake.garbage-token',
    area: 'handshake',
    group: 'InitializeSecurityContext/AcceptSecurityContext',
    title:
      "a garbage token in place of each side's first received token gives SEC_E_INVALID_TOKEN (or the documented status), never a throw",
    required: true,
    gate: {},
    run: (h, t) => badTokens(h, t, 'garbage', [S.SEC_E_INVALID_TOKEN], () => GARBAGE),
  },
  {
    id: 'handshake.truncated-token',
    area: 'handshake',
    group: 'InitializeSecurityContext/AcceptSecurityContext',
    title:
      "each side's first received token, truncated, gives SEC_E_INCOMPLETE_MESSAGE or SEC_E_INVALID_TOKEN, never a throw",
    required: true,
    gate: {},
    run: (h, t) =>
      badTokens(h, t, 'truncated', [S.SEC_E_INCOMPLETE_MESSAGE, S.SEC_E_INVALID_TOKEN], (token) =>
        token.subarray(0, Math.floor(token.length / 2)),
      ),
  },
  {
    id: 'handshake.replayed-token',
    area: 'handshake',
    group: 'InitializeSecurityContext/AcceptSecurityContext',
    title:
      "the server leg after the one that took the client's first token refuses that token again with SEC_E_INVALID_TOKEN (or the documented status)",
    required: true,
    gate: {},
    async run(h, t) {
      const d = await h.handshake();
      if (!(await d.runUntilInputFor('server'))) t.skip('the server never receives a token from the client');
      const first = d.pending!;
      await d.step();
      while (d.state === 'running' && d.turn !== 'server') await d.step();
      if (d.state !== 'running')
        t.skip('the server consumes a single client token: no later server leg to replay it into');
      const leg = nextLeg(d, 'server');
      await d.step(first);
      t.status(
        `AcceptSecurityContext (call ${leg}) with the client's first token again`,
        d.legs.at(-1)!.status,
        t.accepted('status', [S.SEC_E_INVALID_TOKEN]),
      );
    },
  },
  {
    id: 'handshake.replay-into-fresh-context',
    area: 'handshake',
    group: 'InitializeSecurityContext/AcceptSecurityContext',
    title:
      "the client token that completed the server's authentication, replayed into a fresh server context, does not authenticate again",
    required: true,
    gate: {},
    async run(h, t) {
      // A complete handshake: remember the client token on which the server finished.
      const d = await h.handshake();
      let finishing: Uint8Array | undefined;
      while (d.state === 'running') {
        const input = d.turn === 'server' ? d.pending : undefined;
        const wasDone = d.serverDone;
        await d.step();
        if (!wasDone && d.serverDone) finishing = input;
      }
      if (d.state !== 'done') t.fail('handshake', d.describe(), 'a completed handshake');
      if (finishing === undefined) t.skip('the server finished without consuming a client token');
      // The same token as the first client token of a fresh handshake.
      const fresh = await h.handshake();
      if (!(await fresh.runUntilInputFor('server'))) t.skip('the server never receives a token from the client');
      const leg = nextLeg(fresh, 'server');
      await fresh.step(finishing);
      const last = fresh.legs.at(-1)!;
      // Authenticated again = the replayed leg finished the server (SEC_E_OK, or SEC_I_COMPLETE_NEEDED
      // whose CompleteAuthToken then succeeded).
      const authenticated = fresh.serverDone && fresh.failed === undefined;
      t.ensure(
        !authenticated,
        `AcceptSecurityContext (call ${leg} of a fresh server context) with the replayed token`,
        `${statusName(last.status)}: the replay authenticated`,
        'a refusal, or a further leg that a replay cannot answer',
      );
    },
  },
  {
    id: 'handshake.complete-needed',
    area: 'handshake',
    group: 'CompleteAuthToken',
    title:
      "after SEC_I_COMPLETE_NEEDED, per-message calls (or, without protection, the server's token) are refused until CompleteAuthToken, which then succeeds",
    required: true,
    gate: {},
    async run(h, t) {
      const d = await (await h.handshake({ deferComplete: true })).run();
      if (d.state !== 'done') t.fail('handshake', d.describe(), 'a completed handshake');
      const pending = d.pendingCompletions[0];
      if (!pending) {
        if (d.legs.some((l) => l.status === S.SEC_I_COMPLETE_NEEDED))
          t.skip(
            'SEC_I_COMPLETE_NEEDED came without a token while the peer waited for one: CompleteAuthToken writes it, so it cannot be deferred',
          );
        return t.skip('the package never returned SEC_I_COMPLETE_NEEDED');
      }
      const sspi = h.sspiOf(pending.context);
      const peer = pending.side === 'client' ? d.server! : d.client!;
      // What this context was granted, not only what the package declares (HTTP Digest grants no protection).
      const mode = grantedProtection(
        h,
        pending.side,
        pending.side === 'client' ? d.clientAttributes : d.serverAttributes,
      );
      const data = messageBytes('before CompleteAuthToken');
      // Without protection, the server's identity is what CompleteAuthToken completes: no token before it verified the response.
      const tokenGate = !mode && pending.side === 'server' && h.probe.slots.has('user.getContextToken');
      if (mode === 'sign')
        t.status(
          'MakeSignature before CompleteAuthToken',
          sign(sspi, pending.context, data, h.generous).status,
          t.accepted('refusal', [S.SEC_E_OUT_OF_SEQUENCE]),
        );
      if (mode === 'seal')
        t.status(
          'EncryptMessage before CompleteAuthToken',
          seal(sspi, pending.context, data, h.generous).status,
          t.accepted('refusal', [S.SEC_E_OUT_OF_SEQUENCE]),
        );
      if (tokenGate) {
        const early = sspi.querySecurityContextToken(pending.context).status;
        t.status(
          'QuerySecurityContextToken before CompleteAuthToken',
          early,
          t.accepted('token-refusal', [S.SEC_E_OUT_OF_SEQUENCE, S.SEC_E_NO_IMPERSONATION, S.SEC_E_INVALID_HANDLE]),
        );
      }
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
      if (tokenGate)
        t.status(
          'QuerySecurityContextToken after CompleteAuthToken',
          sspi.querySecurityContextToken(pending.context).status,
          [S.SEC_E_OK],
        );
      if (!mode && !tokenGate)
        t.note(
          `${pending.side} SEC_I_COMPLETE_NEEDED → CompleteAuthToken SEC_E_OK`,
          'CompleteAuthToken succeeds (no protection granted and no token slot: nothing to refuse before it)',
        );
    },
  },
  {
    id: 'handshake.missing-input',
    area: 'handshake',
    group: 'InitializeSecurityContext/AcceptSecurityContext',
    title:
      'AcceptSecurityContext without an input TOKEN buffer gives SEC_E_INVALID_TOKEN (or the documented status; a documented success, a challenge, creates a context that deletes cleanly)',
    required: false,
    gate: {},
    async run(h, t) {
      const cred = await h.credential('server');
      const output = secBufferDesc(secBuffer(SecBufferType.TOKEN, new Uint8Array(h.info.maxToken)));
      const given = output.buffers[0]!.data;
      const r = await h.serverSspi.acceptSecurityContext({
        credential: cred,
        input: secBufferDesc(secBuffer(SecBufferType.EMPTY)),
        contextReq: h.serverReq,
        output,
      });
      if (r.context) h.adopt(r.context);
      const step = 'AcceptSecurityContext with no TOKEN buffer';
      t.status(step, r.status, t.accepted('status', [S.SEC_E_INVALID_TOKEN]));
      if (!ok(r.status)) {
        t.ensure(r.context === undefined, step, `a context (${statusName(r.status)})`, 'no context');
        return;
      }
      // A documented success: a server-first mechanism issues its challenge (Windows Digest: "empty for
      // the first call"). The context it creates must be a real one, and deleting it must free it.
      t.ensure(r.context !== undefined, step, `${statusName(r.status)} without a context handle`, 'a context handle');
      const token = output.buffers[0]!.data;
      if (r.status === S.SEC_I_CONTINUE_NEEDED || r.status === S.SEC_I_COMPLETE_AND_CONTINUE) {
        t.ensure(
          token.length > 0 && !(token === given && token.length === h.info.maxToken),
          `${step}: output`,
          'no token',
          'a token for the client (with neither side holding a token, nothing can follow)',
        );
      }
      const ctx = r.context!;
      t.status('DeleteSecurityContext of the context it created', h.serverSspi.deleteSecurityContext(ctx), [
        S.SEC_E_OK,
      ]);
      t.status(
        'QueryContextAttributes(SIZES) on the deleted context',
        h.serverSspi.queryContextAttributes(ctx, SecPkgAttr.SIZES).status,
        [S.SEC_E_INVALID_HANDLE],
      );
      // Underneath the dispatcher: the package itself must have forgotten the context (no leak).
      const lsa = h.tracker.lsa[h.index];
      const issued = [...(h.tracker.contexts.get(h.index) ?? [])];
      const serverUnderTest = !h.options.peer || h.options.peerRole === 'client';
      if (serverUnderTest && lsa?.deleteContext) {
        for (const hd of issued) {
          const again = rawCall(() => lsa.deleteContext!(hd));
          const label = `SpDeleteContext (again) on package handle ${String(hd)}`;
          if (typeof again === 'string') t.fail(label, again, 'SEC_E_INVALID_HANDLE');
          else t.status(label, again, [S.SEC_E_INVALID_HANDLE]);
        }
      }
      t.note(
        `${statusName(r.status)} with a ${token.length}-byte token; the context was deleted cleanly`,
        `${statusList(t.accepted('status', [S.SEC_E_INVALID_TOKEN]))}; a context deleted cleanly`,
      );
    },
  },
];
