/**
 * The LSA-mode function table of Digest (SECPKG_FUNCTION_TABLE): credentials, the two handshake
 * legs, deletion, credential queries. Every entry returns a status and never throws; protocol work
 * is done by the state machines in `http/` and `sasl/`.
 */
import {
  AscReq,
  IscReq,
  NtStatus,
  SecBufferType,
  SecPkgCred,
  SecPkgCredAttr,
  SecStatus,
  TIMESTAMP_FOREVER,
  findBuffer,
} from '@sspkit/core';
import type { LsaModeContextResult, LsaSecHandle, SecBufferDesc, SecpkgFunctionTable } from '@sspkit/core';
import { clientAttributes, serverAttributes } from './context.js';
import type { DigestContextRecord } from './context.js';
import { clientSecretFrom, isIdentityShape, serverCredentialFrom } from './credentials.js';
import type { DigestCredential, DigestServerHalf } from './credentials.js';
import type { DigestClientSecret } from './http/client-context.js';
import { isServerAuthDataRecord } from './server-auth-data.js';
import { HttpClientContext } from './http/client-context.js';
import { HttpServerContext } from './http/server-context.js';
import { httpClientInput, httpServerInput, inputToken } from './layout.js';
import { DIGEST_PACKAGE_INFO, DIGEST_PACKAGE_NAME } from './package-info.js';
import { SaslClientContext } from './sasl/client-context.js';
import { SaslServerContext } from './sasl/server-context.js';
import { causeOf, failure } from './cause.js';
import type { DigestError } from './errors.js';
import { emit, errorStatus, stepStatus } from './state.js';
import type { DigestState } from './state.js';

const HTTP_ISC = IscReq.HTTP | IscReq.USE_HTTP_STYLE;

function handleOf(h: LsaSecHandle | undefined): number | undefined {
  return typeof h === 'number' ? h : typeof h === 'bigint' ? Number(h) : undefined;
}

/** Builds the LSA table over one module state. */
export function createLsaTable(state: DigestState): SecpkgFunctionTable {
  const outputToken = (output: SecBufferDesc | undefined) => findBuffer(output, SecBufferType.TOKEN);

  function newClientContext(
    cred: DigestCredential,
    target: string | undefined,
    req: number,
  ): DigestContextRecord | number {
    const secret = cred.client;
    if (secret === undefined) return SecStatus.SEC_E_NO_CREDENTIALS;
    if ((req & HTTP_ISC) !== 0) {
      const algorithms = state.defaults.httpClientAlgorithms;
      const ctx = new HttpClientContext(secret, {
        integrity: (req & IscReq.INTEGRITY) !== 0,
        mutual: (req & IscReq.MUTUAL_AUTH) !== 0,
        ...(algorithms !== undefined ? { algorithms } : {}),
      });
      return { kind: 'http-client', ctx, req, target: target ?? '/', username: secret.username, answered: false };
    }
    const ciphers = state.defaults.saslClientCiphers;
    const ctx = new SaslClientContext(secret, {
      integrity: (req & IscReq.INTEGRITY) !== 0,
      confidentiality: (req & IscReq.CONFIDENTIALITY) !== 0,
      ...(ciphers !== undefined ? { ciphers } : {}),
    });
    return {
      kind: 'sasl-client',
      ctx,
      req,
      target: target ?? '',
      username: secret.username,
      answered: false,
      established: false,
    };
  }

  return {
    initialize: () => SecStatus.SEC_E_OK,
    shutdown: () => SecStatus.SEC_E_OK,
    getInfo: () => ({ status: SecStatus.SEC_E_OK, packageInfo: DIGEST_PACKAGE_INFO }),

    acquireCredentialsHandle(principal, use, _logonId, authData) {
      try {
        if ((use & SecPkgCred.BOTH) === 0)
          return failure(SecStatus.SEC_E_INVALID_PARAMETER, 'credential use names neither INBOUND nor OUTBOUND');
        const noAuthData = authData === undefined || authData === null;
        let client: DigestClientSecret | undefined;
        if ((use & SecPkgCred.OUTBOUND) !== 0) {
          // The default client identity stands in only when no auth data was passed at all. A server
          // record (with INBOUND) carries no client identity; anything else must be a usable one.
          if (noAuthData) {
            client = state.defaults.defaultClient;
            if (client === undefined)
              return failure(SecStatus.SEC_E_NO_CREDENTIALS, 'no auth data and no default client identity');
          } else if (isIdentityShape(authData)) {
            client = clientSecretFrom(authData, principal);
            if (client === undefined)
              return failure(SecStatus.SEC_E_UNKNOWN_CREDENTIALS, 'outbound identity without a user or password');
          } else if ((use & SecPkgCred.INBOUND) === 0 || !isServerAuthDataRecord(authData)) {
            return failure(SecStatus.SEC_E_UNKNOWN_CREDENTIALS, 'outbound auth data is not a SEC_WINNT_AUTH_IDENTITY');
          }
        }
        let server: DigestServerHalf | undefined;
        if ((use & SecPkgCred.INBOUND) !== 0) {
          const built = serverCredentialFrom(authData, state.defaults);
          if (!built.ok) return failure(errorStatus(built.error), built.error);
          server = built.value;
        }
        const handle = state.nextHandle();
        state.credentials.set(handle, {
          use,
          ...(client !== undefined ? { client } : {}),
          ...(server !== undefined ? { http: server.http, sasl: server.sasl } : {}),
          name: client?.username ?? server?.http.realm ?? DIGEST_PACKAGE_NAME,
        });
        return { status: SecStatus.SEC_E_OK, credentialHandle: handle, expirationTime: TIMESTAMP_FOREVER };
      } catch {
        // A user store that throws lands here; its message may name a path or a user.
        return failure(SecStatus.SEC_E_NO_CREDENTIALS, 'the user store failed while the credential was built');
      }
    },

    queryCredentialsAttributes(handle, attribute) {
      const cred = state.credentials.get(handleOf(handle) ?? -1);
      if (cred === undefined) return { status: SecStatus.SEC_E_INVALID_HANDLE };
      if (attribute !== SecPkgCredAttr.NAMES) return { status: SecStatus.SEC_E_UNSUPPORTED_FUNCTION };
      return { status: SecStatus.SEC_E_OK, buffer: { userName: cred.name } };
    },

    freeCredentialsHandle(handle) {
      return state.credentials.delete(handleOf(handle) ?? -1) ? SecStatus.SEC_E_OK : SecStatus.SEC_E_INVALID_HANDLE;
    },

    async initLsaModeContext(credHandle, ctxHandle, target, req, _rep, input, output): Promise<LsaModeContextResult> {
      // Reference §7: Digest refuses delegation and credential prompting.
      if ((req & (IscReq.DELEGATE | IscReq.PROMPT_FOR_CREDS)) !== 0)
        return failure(SecStatus.SEC_E_UNSUPPORTED_FUNCTION, 'Digest cannot delegate or prompt for credentials');
      let handle = handleOf(ctxHandle);
      let rec = handle !== undefined ? state.contexts.get(handle) : undefined;
      if (handle !== undefined && rec === undefined)
        return failure(SecStatus.SEC_E_INVALID_HANDLE, 'unknown context handle');
      if (rec === undefined) {
        const cred = state.credentials.get(handleOf(credHandle) ?? -1);
        if (cred === undefined) return failure(SecStatus.SEC_E_INVALID_HANDLE, 'unknown credential handle');
        const created = newClientContext(cred, target, req);
        if (typeof created === 'number')
          return failure(created, 'the credential has no client identity (an inbound-only server record)');
        rec = created;
        handle = state.nextHandle();
        state.contexts.set(handle, rec);
      }
      if (handle === undefined || (rec.kind !== 'http-client' && rec.kind !== 'sasl-client'))
        return failure(SecStatus.SEC_E_INVALID_HANDLE, 'the handle is a server context');
      const allocate = (req & IscReq.ALLOCATE_MEMORY) !== 0;
      const token = inputToken(input);
      const done = (status: number, why?: string | DigestError): LsaModeContextResult => ({
        status,
        newContextHandle: handle,
        contextAttributes: rec.kind === 'http-client' || rec.kind === 'sasl-client' ? clientAttributes(rec) : 0,
        expirationTime: TIMESTAMP_FOREVER,
        ...(why !== undefined ? { cause: causeOf(why) } : {}),
      });
      if (token === undefined) {
        emit(outputToken(output), undefined, allocate);
        // Before a challenge the client has nothing to say: the request goes out unauthenticated.
        if (!rec.answered) return done(SecStatus.SEC_I_CONTINUE_NEEDED);
        if (rec.kind === 'http-client') {
          // No Authentication-Info came back: fine unless mutual authentication was asked for.
          if ((rec.req & IscReq.MUTUAL_AUTH) !== 0 && !rec.ctx.serverVerified)
            return done(
              SecStatus.SEC_E_MUTUAL_AUTH_FAILED,
              'ISC_REQ_MUTUAL_AUTH, but no Authentication-Info with rspauth came back',
            );
          return done(SecStatus.SEC_E_OK);
        }
        return done(SecStatus.SEC_E_INVALID_TOKEN, 'the SASL server sent no token where response-auth was expected');
      }
      let r;
      if (rec.kind === 'http-client') {
        // A stale challenge answers the *current* request: the target this call names if it names a
        // new one, else the request last signed (MakeSignature), else the context's first target.
        const last = rec.ctx.lastRequest;
        const uri = target !== undefined && target !== '' && target !== rec.target ? target : (last?.uri ?? rec.target);
        const parts = httpClientInput(input);
        const method = parts.method ?? last?.method;
        r = rec.ctx.initialize(token, uri, { ...parts, ...(method !== undefined ? { method } : {}) });
      } else {
        r = rec.ctx.initialize(token, rec.target);
      }
      if (!r.ok) return done(errorStatus(r.error), r.error);
      rec.answered = true;
      if (rec.kind === 'sasl-client' && r.value.next === 'done') rec.established = true;
      const st = emit(outputToken(output), r.value.token, allocate);
      if (st !== SecStatus.SEC_E_OK)
        return done(st, 'the output token does not fit the output buffer (or it is read-only)');
      return done(stepStatus(r.value));
    },

    async acceptLsaModeContext(credHandle, ctxHandle, input, req, _rep, output): Promise<LsaModeContextResult> {
      let handle = handleOf(ctxHandle);
      let rec = handle !== undefined ? state.contexts.get(handle) : undefined;
      if (handle !== undefined && rec === undefined)
        return failure(SecStatus.SEC_E_INVALID_HANDLE, 'unknown context handle');
      if (rec === undefined) {
        const cred = state.credentials.get(handleOf(credHandle) ?? -1);
        if (cred === undefined) return failure(SecStatus.SEC_E_INVALID_HANDLE, 'unknown credential handle');
        if (cred.http === undefined || cred.sasl === undefined)
          return failure(SecStatus.SEC_E_NO_CREDENTIALS, 'the credential has no server half (OUTBOUND only)');
        // The context requirements bind every response the context accepts (AcceptSecurityContext (Digest): the fContextReq flags bind the context).
        const integrity = (req & AscReq.INTEGRITY) !== 0;
        const confidentiality = (req & AscReq.CONFIDENTIALITY) !== 0;
        rec =
          (req & AscReq.HTTP) !== 0
            ? { kind: 'http-server', ctx: new HttpServerContext(cred.http, { integrity }), req }
            : {
                kind: 'sasl-server',
                ctx: new SaslServerContext(cred.sasl, { integrity, confidentiality }),
                req,
                established: false,
              };
        handle = state.nextHandle();
        state.contexts.set(handle, rec);
      }
      if (handle === undefined || (rec.kind !== 'http-server' && rec.kind !== 'sasl-server'))
        return failure(SecStatus.SEC_E_INVALID_HANDLE, 'the handle is a client context');
      const allocate = (req & AscReq.ALLOCATE_MEMORY) !== 0;
      const server = rec;
      const done = (status: number, why?: string | DigestError): LsaModeContextResult => ({
        status,
        newContextHandle: handle,
        contextAttributes: serverAttributes(server, allocate),
        expirationTime: TIMESTAMP_FOREVER,
        ...(why !== undefined ? { cause: causeOf(why) } : {}),
      });
      const token = inputToken(input);
      let r;
      if (server.kind === 'http-server') {
        const parts = httpServerInput(input);
        if (parts.realm !== undefined && parts.realm !== server.ctx.wireRealm)
          return done(
            SecStatus.SEC_E_INVALID_PARAMETER,
            'the realm buffer ([4] PKG_PARAMS) names another realm than the credential',
          );
        r = await server.ctx.accept(token, parts);
      } else {
        // Reference §7: ASC after the context is complete answers STATUS_LOGON_FAILURE.
        if (server.established)
          return done(NtStatus.STATUS_LOGON_FAILURE, 'AcceptSecurityContext on a completed SASL context');
        r = await server.ctx.accept(token);
        if (r.ok && r.value.next === 'done') server.established = true;
      }
      if (!r.ok) return done(errorStatus(r.error), r.error);
      const st = emit(outputToken(output), r.value.token, allocate);
      if (st !== SecStatus.SEC_E_OK)
        return done(st, 'the output token does not fit the output buffer (or it is read-only)');
      return done(stepStatus(r.value));
    },

    deleteContext(handle) {
      const h = handleOf(handle) ?? -1;
      const rec = state.contexts.get(h);
      if (rec === undefined) return SecStatus.SEC_E_INVALID_HANDLE;
      if (rec.kind === 'sasl-client' || rec.kind === 'sasl-server') rec.ctx.wipe();
      state.contexts.delete(h);
      return SecStatus.SEC_E_OK;
    },
  };
}
