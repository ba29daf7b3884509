/**
 * Digest (RFC 7616): every request carries its own response, verified by the Digest package with the
 * Windows buffer layout — AcceptSecurityContext([TOKEN header, PKG_PARAMS method, PKG_PARAMS
 * request-target]), then CompleteAuthToken([TOKEN, method, request-target, DATA body]) when the package
 * asks for the whole message (a later request on the connection, or auth-int). The context stays with
 * the connection so the package can check nonce counts per context, as on Windows.
 */
import { SecBufferType, SecStatus, secBuffer, secBufferDesc } from '@sspkit/core';
import type { SecBuffer } from '@sspkit/core';
import { bytesToHeader, headerBytes } from '../common/auth-header.js';
import type { FlowContext, SchemeRuntime } from './authenticator.js';
import { classifyStatus } from './classify.js';
import type { AuthOutcome, AuthRequest } from './types.js';

// Room for the Authentication-Info value CompleteAuthToken writes.
const INFO_ROOM = 4096;
// A routing hint only (is the body needed?): the package itself decides what the qop is.
const AUTH_INT = /(?:^|[\s,])qop\s*=\s*"?auth-int"?\s*(?:,|$)/i;

export async function digestLeg(
  flow: FlowContext,
  request: AuthRequest,
  scheme: SchemeRuntime,
  header: string,
): Promise<AuthOutcome> {
  const prior = flow.table.get(request.socket);
  const state =
    prior !== undefined && prior.scheme === scheme.key && prior.context !== undefined
      ? prior
      : flow.table.open(request.socket, scheme.key);
  const uri = digestUri(request.url);
  const parts = (): SecBuffer[] => [
    secBuffer(SecBufferType.PKG_PARAMS, headerBytes(request.method)),
    secBuffer(SecBufferType.PKG_PARAMS, headerBytes(uri)),
  ];
  const out = secBuffer(SecBufferType.TOKEN);
  const r = await flow.sspi.acceptSecurityContext({
    credential: scheme.credential,
    ...(state.context !== undefined ? { context: state.context } : {}),
    contextReq: scheme.contextReq,
    input: secBufferDesc(secBuffer(SecBufferType.TOKEN, headerBytes(header)), ...parts()),
    output: secBufferDesc(out),
  });
  if (r.context !== undefined) state.context = r.context;
  let status = r.status;
  let cause = r.cause;
  let info = out.data;
  if (status === SecStatus.SEC_I_COMPLETE_NEEDED && state.context !== undefined) {
    const buffers = [secBuffer(SecBufferType.TOKEN, new Uint8Array(INFO_ROOM)), ...parts()];
    if (AUTH_INT.test(header)) {
      const body = await readBody(flow, request);
      if (body === undefined) {
        flow.table.dispose(request.socket, state);
        return flow.fail('bad-request', request, {
          scheme: scheme.name,
          cause: 'entity body too large or unreadable for auth-int',
        });
      }
      buffers.push(secBuffer(SecBufferType.DATA, body));
    }
    status = await flow.sspi.completeAuthToken(state.context, secBufferDesc(...buffers));
    // CompleteAuthToken returns a bare status; the package keeps why for the context (a replay, or a
    // shared nonce-count store that did not answer), and the failure event must carry it.
    if (status !== SecStatus.SEC_E_OK) cause = flow.sspi.failureCause(state.context);
    // The package narrows the buffer to what it wrote; an untouched buffer means nothing was written.
    info = buffers[0]!.data.length < INFO_ROOM ? buffers[0]!.data : new Uint8Array(0);
  }
  if (status === SecStatus.SEC_I_CONTINUE_NEEDED || status === SecStatus.SEC_E_CONTEXT_EXPIRED) {
    // A stale nonce (RFC 7616 §3.3): the package wrote a stale=true challenge; the client retries
    // with it without asking its user again.
    flow.table.dispose(request.socket, state);
    const stale = info.length > 0 ? bytesToHeader(info) : undefined;
    return stale !== undefined ? flow.challenge(stale) : flow.challenge();
  }
  if (status !== SecStatus.SEC_E_OK) {
    flow.table.dispose(request.socket, state);
    return flow.fail(classifyStatus(status), request, { scheme: scheme.name, status, cause });
  }
  const identity = state.context === undefined ? undefined : flow.identityOf(state.context, scheme);
  if (identity === undefined) {
    flow.table.dispose(request.socket, state);
    return flow.fail('fault', request, {
      scheme: scheme.name,
      cause: 'QuerySecurityContextToken failed after a verified response',
    });
  }
  state.complete = true;
  // Digest authenticates requests, not connections: the identity is not kept for later requests.
  state.identity = undefined;
  flow.table.touch(state);
  const headers: [string, string][] = info.length > 0 ? [[flow.names.info, bytesToHeader(info)]] : [];
  return { kind: 'authenticated', identity, headers };
}

/**
 * The request-target Digest's `uri` is compared with. A request to a proxy carries the absolute form
 * (RFC 7230 §5.3.2), but clients answer proxy challenges with the origin form (curl and
 * python-requests send `uri="/path?query"`; Apache's mod_auth_digest compares the same parts): the
 * absolute form is reduced to it, octets untouched.
 */
export function digestUri(target: string): string {
  const m = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/.exec(target);
  if (m === null) return target;
  const rest = target.slice(m[0].length);
  return rest === '' ? '/' : rest.startsWith('?') ? `/${rest}` : rest;
}

async function readBody(flow: FlowContext, request: AuthRequest): Promise<Uint8Array | undefined> {
  if (request.readBody === undefined) return undefined;
  try {
    const body = await request.readBody();
    return body.length <= (flow.options.maxBodyBytes ?? 1 << 20) ? body : undefined;
  } catch {
    return undefined;
  }
}
