/**
 * Connection-bound schemes (Negotiate, NTLM, Kerberos): a multi-leg AcceptSecurityContext whose
 * context lives with the socket (RFC 4559 §4; MS-NTHT §3.2.5.1). A new first token on a connection
 * with a pending or finished context restarts the handshake; a finished one may carry the
 * connection's later requests (authPersistNonNTLM / authPersistSingleRequest).
 */
import { AscReq, SecBufferType, SecStatus, isSuccess, secBuffer, secBufferDesc } from '@sspkit/core';
import type { HandshakeResult, SecBuffer } from '@sspkit/core';
import { decodeBase64Token, formatTokenHeader } from '../common/auth-header.js';
import type { FlowContext, SchemeRuntime } from './authenticator.js';
import { classifyStatus } from './classify.js';
import type { ConnectionState } from './connections.js';
import type { AuthOutcome, AuthRequest } from './types.js';

/** A request without credentials: authenticated by its connection, or challenged. */
export async function reuseConnection(flow: FlowContext, request: AuthRequest): Promise<AuthOutcome> {
  const state = flow.table.get(request.socket);
  if (state?.complete === true && state.identity !== undefined && persists(flow, state)) {
    flow.table.touch(state);
    return { kind: 'authenticated', identity: state.identity, headers: [] };
  }
  return flow.challenge();
}

function persists(flow: FlowContext, state: ConnectionState): boolean {
  const p = flow.options.persist ?? {};
  if (p.singleRequest === true) return false;
  if (state.identity?.package.toUpperCase() === 'NTLM') return true;
  return p.nonNtlm ?? true;
}

/** The SECBUFFER_CHANNEL_BINDINGS buffer and ASC bits the policy asks for, or a refusal. */
function bindingInput(flow: FlowContext, request: AuthRequest): { extra: SecBuffer[]; req: number } | string {
  const policy = flow.options.channelBindings ?? 'off';
  if (policy === 'off') return { extra: [], req: 0 };
  const b = flow.bindings(request);
  if (!b.tls || b.bindings === undefined) {
    return policy === 'required' ? 'channel bindings required, but the connection has none' : { extra: [], req: 0 };
  }
  return {
    extra: [secBuffer(SecBufferType.CHANNEL_BINDINGS, b.bindings)],
    req: policy === 'when-supported' ? AscReq.ALLOW_MISSING_BINDINGS : 0,
  };
}

export async function handshakeLeg(
  flow: FlowContext,
  request: AuthRequest,
  scheme: SchemeRuntime,
  rest: string,
): Promise<AuthOutcome> {
  const token = decodeBase64Token(rest);
  if (token === undefined)
    return flow.fail('bad-request', request, { scheme: scheme.name, cause: 'token is not base64' });
  const binding = bindingInput(flow, request);
  if (typeof binding === 'string') {
    flow.table.dispose(request.socket);
    return flow.fail('denied', request, { scheme: scheme.name, status: SecStatus.SEC_E_BAD_BINDINGS, cause: binding });
  }
  const prior = flow.table.get(request.socket);
  const continuing =
    prior !== undefined && prior.scheme === scheme.key && !prior.complete && prior.context !== undefined;
  let state = continuing ? prior : flow.table.open(request.socket, scheme.key);
  let r = await accept(flow, state, scheme, token, binding);
  if (!isSuccess(r.result.status) && continuing && classifyStatus(r.result.status) !== 'fault') {
    // The client may have started over (a new first token on a connection mid-handshake): retry the
    // token as a first leg. If that fails too, the continuation's failure is the one to report.
    const failed = r;
    state = flow.table.open(request.socket, scheme.key);
    r = await accept(flow, state, scheme, token, binding);
    if (!isSuccess(r.result.status)) r = failed;
  }
  const { result, output } = r;
  if (result.context !== undefined) state.context = result.context;
  let status = result.status;
  if (
    (status === SecStatus.SEC_I_COMPLETE_NEEDED || status === SecStatus.SEC_I_COMPLETE_AND_CONTINUE) &&
    state.context !== undefined
  ) {
    const st = await flow.sspi.completeAuthToken(state.context, secBufferDesc(secBuffer(SecBufferType.TOKEN, output)));
    status = isSuccess(st)
      ? status === SecStatus.SEC_I_COMPLETE_NEEDED
        ? SecStatus.SEC_E_OK
        : SecStatus.SEC_I_CONTINUE_NEEDED
      : st;
  }
  if (status === SecStatus.SEC_I_CONTINUE_NEEDED) {
    flow.table.touch(state);
    return {
      kind: 'challenge',
      statusCode: flow.names.status,
      headers: [[flow.names.challenge, formatTokenHeader(scheme.name, output)]],
    };
  }
  if (status !== SecStatus.SEC_E_OK) {
    flow.table.dispose(request.socket, state);
    return flow.fail(classifyStatus(status), request, { scheme: scheme.name, status, cause: result.cause });
  }
  const identity = state.context === undefined ? undefined : flow.identityOf(state.context, scheme);
  if (identity === undefined) {
    flow.table.dispose(request.socket, state);
    return flow.fail('fault', request, {
      scheme: scheme.name,
      cause: 'QuerySecurityContextToken failed after a successful handshake',
    });
  }
  state.complete = true;
  state.identity = identity;
  flow.table.touch(state);
  // Mutual authentication (RFC 4559 §5): the final server token rides on the success response.
  const headers: [string, string][] =
    output.length > 0 ? [[flow.names.challenge, formatTokenHeader(scheme.name, output)]] : [];
  return { kind: 'authenticated', identity, headers };
}

async function accept(
  flow: FlowContext,
  state: ConnectionState,
  scheme: SchemeRuntime,
  token: Uint8Array,
  binding: { extra: SecBuffer[]; req: number },
): Promise<{ result: HandshakeResult; output: Uint8Array }> {
  const out = secBuffer(SecBufferType.TOKEN);
  const result = await flow.sspi.acceptSecurityContext({
    credential: scheme.credential,
    ...(state.context !== undefined ? { context: state.context } : {}),
    contextReq: (scheme.contextReq | binding.req) >>> 0,
    input: secBufferDesc(secBuffer(SecBufferType.TOKEN, token), ...binding.extra),
    output: secBufferDesc(out),
  });
  if (result.context !== undefined) state.context = result.context;
  return { result, output: out.data };
}
