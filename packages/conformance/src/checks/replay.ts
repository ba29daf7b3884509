/**
 * Replaying a whole recorded handshake: a server that issues the same challenge twice (a constant or
 * reused nonce) lets anyone who recorded one client's tokens authenticate as that client again. Every
 * token a client sent, fed in order into a fresh server context, must not authenticate (RFC 4120
 * §3.2.3, RFC 7616 §5.5 and MS-NLMP §3.1.5.2.2 each rely on a fresh server challenge or replay cache).
 */
import { SecBufferType, SecStatus, isSuccess, secBuffer, secBufferDesc, statusName } from '@sspkit/core';
import type { CtxtHandle } from '@sspkit/core';
import type { ConformanceCheck } from '../types.js';

const S = SecStatus;

export const replayChecks: readonly ConformanceCheck[] = [
  {
    id: 'handshake.replayed-sequence',
    area: 'handshake',
    group: 'AcceptSecurityContext',
    title: 'the client tokens of a recorded handshake, replayed in order into a fresh server, do not authenticate',
    required: true,
    gate: { slots: ['lsa.acceptLsaModeContext'] },
    async run(h, t) {
      // Record what each server leg was given (undefined: called with no input, server-first).
      const d = await h.handshake();
      const inputs: (Uint8Array | undefined)[] = [];
      while (d.state === 'running') {
        if (d.turn === 'server') inputs.push(d.pending);
        await d.step();
      }
      if (d.state !== 'done') t.fail('handshake', d.describe(), 'a completed handshake');
      if (!inputs.some((i) => i !== undefined)) t.skip('the server never receives a token from the client');
      const cred = await h.credential('server');
      let context: CtxtHandle | undefined;
      let authenticated = false;
      let refused: string | undefined;
      for (const [n, input] of inputs.entries()) {
        const output = secBufferDesc(secBuffer(SecBufferType.TOKEN, new Uint8Array(h.info.maxToken)));
        const r = await h.serverSspi.acceptSecurityContext({
          credential: cred,
          ...(context ? { context } : {}),
          ...(input ? { input: secBufferDesc(secBuffer(SecBufferType.TOKEN, Uint8Array.from(input))) } : {}),
          contextReq: h.serverReq,
          output,
        });
        if (r.context && !context) context = h.adopt(r.context);
        if (!isSuccess(r.status)) {
          refused = `call ${n + 1}: ${statusName(r.status)}`;
          break;
        }
        let status = r.status;
        if ((status === S.SEC_I_COMPLETE_NEEDED || status === S.SEC_I_COMPLETE_AND_CONTINUE) && context) {
          const completed = await h.serverSspi.completeAuthToken(context, output);
          if (completed !== S.SEC_E_OK) {
            refused = `CompleteAuthToken after call ${n + 1}: ${statusName(completed)}`;
            break;
          }
          status = status === S.SEC_I_COMPLETE_NEEDED ? S.SEC_E_OK : S.SEC_I_CONTINUE_NEEDED;
        }
        if (status === S.SEC_E_OK) {
          authenticated = true;
          break;
        }
      }
      const step = `AcceptSecurityContext in a fresh server context, fed the ${inputs.length} recorded server inputs`;
      t.ensure(!authenticated, step, 'the replay authenticated', 'a refusal, or a leg a replay cannot answer');
      t.note(refused ?? 'the replayed sequence ended without authenticating', 'no authentication from a replay');
    },
  },
];
