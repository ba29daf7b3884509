/**
 * What the client keeps per scheme: an outbound credential per scheme (acquired once), a context per
 * connection for the connection-bound schemes (Negotiate, Kerberos, NTLM: RFC 4559 §4, MS-NTHT), and a
 * context per origin and realm for Digest, whose later requests are signed with MakeSignature (the
 * next nonce-count, as on Windows).
 */
import {
  IscReq,
  SecBufferType,
  SecPkgCred,
  SecStatus,
  SspiError,
  isSuccess,
  secBuffer,
  secBufferDesc,
} from '@sspkit/core';
import type { AuthData, CredHandle, CtxtHandle, SecBuffer, SspiDispatcher } from '@sspkit/core';
import { secChannelBindings, tlsServerEndPoint } from '../common/channel-bindings.js';
import type { Lane } from './lane.js';
import type { AuthFetchOptions, ClientScheme } from './types.js';

const enc = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));
const text = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');

/** Outbound credentials, one per scheme, freed by `close()`. */
export class Credentials {
  readonly #handles = new Map<ClientScheme, Promise<CredHandle>>();
  constructor(
    readonly sspi: SspiDispatcher,
    readonly options: AuthFetchOptions,
  ) {}

  authData(scheme: ClientScheme): AuthData | undefined {
    const a = this.options.authData;
    return typeof a === 'function' ? a(scheme) : a?.[scheme];
  }

  get(scheme: ClientScheme): Promise<CredHandle> {
    let h = this.#handles.get(scheme);
    if (h === undefined) {
      const authData = this.authData(scheme);
      h = this.sspi
        .acquireCredentialsHandle({
          package: scheme,
          credentialUse: SecPkgCred.OUTBOUND,
          ...(authData !== undefined ? { authData } : {}),
        })
        .then((r) => {
          if (r.status !== SecStatus.SEC_E_OK || r.credential === undefined) {
            throw new SspiError(r.status, 'AcquireCredentialsHandle', {
              cause: r.cause,
              detail: `${scheme} credentials`,
            });
          }
          return r.credential;
        });
      h.catch(() => this.#handles.delete(scheme));
      this.#handles.set(scheme, h);
    }
    return h;
  }

  async close(): Promise<void> {
    for (const h of this.#handles.values()) {
      const c = await h.catch(() => undefined);
      if (c?.isValid) this.sspi.freeCredentialsHandle(c);
    }
    this.#handles.clear();
  }
}

/** Runs one ISC leg through the dispatcher; throws SspiError with the package's cause on failure. */
async function isc(
  sspi: SspiDispatcher,
  credential: CredHandle,
  context: CtxtHandle | undefined,
  targetName: string,
  contextReq: number,
  input: SecBuffer[],
): Promise<{ status: number; context: CtxtHandle | undefined; token: Uint8Array | undefined; attributes: number }> {
  const out = secBuffer(SecBufferType.TOKEN);
  const r = await sspi.initializeSecurityContext({
    credential,
    ...(context !== undefined ? { context } : {}),
    targetName,
    contextReq: (contextReq | IscReq.ALLOCATE_MEMORY) >>> 0,
    ...(input.length > 0 ? { input: secBufferDesc(...input) } : {}),
    output: secBufferDesc(out),
  });
  if (!isSuccess(r.status)) throw new SspiError(r.status, 'InitializeSecurityContext', { cause: r.cause });
  return {
    status: r.status,
    context: r.context ?? context,
    token: out.data.length > 0 ? out.data : undefined,
    attributes: r.contextAttributes,
  };
}

/** A connection-bound handshake (Negotiate, Kerberos, NTLM) on one lane. */
export class ConnectionAuth {
  context: CtxtHandle | undefined;
  complete = false;
  /** The lane generation the handshake belongs to: a new socket means a new handshake. */
  readonly generation: number;
  readonly #req: number;

  constructor(
    readonly scheme: ClientScheme,
    readonly lane: Lane,
    readonly sspi: SspiDispatcher,
    readonly credential: CredHandle,
    readonly target: string,
    mutual: boolean,
    readonly bindings: boolean,
  ) {
    this.generation = lane.generation;
    const base = IscReq.CONNECTION | IscReq.INTEGRITY;
    this.#req = mutual && scheme !== 'NTLM' ? base | IscReq.MUTUAL_AUTH : base;
  }

  #extra(): SecBuffer[] {
    if (!this.bindings || this.lane.peerCertificate === undefined) return [];
    const hash = tlsServerEndPoint(this.lane.peerCertificate);
    return hash === undefined ? [] : [secBuffer(SecBufferType.CHANNEL_BINDINGS, secChannelBindings(hash))];
  }

  /** The next token to send (the first one without input). */
  async step(input: Uint8Array | undefined): Promise<Uint8Array | undefined> {
    if (this.complete) {
      throw new SspiError(SecStatus.SEC_E_OUT_OF_SEQUENCE, 'InitializeSecurityContext', {
        detail: `${this.scheme}: the server sent a token after the handshake completed`,
      });
    }
    const inputs = [...(input !== undefined ? [secBuffer(SecBufferType.TOKEN, input)] : []), ...this.#extra()];
    const r = await isc(this.sspi, this.credential, this.context, this.target, this.#req, inputs);
    this.context = r.context;
    if (r.status === SecStatus.SEC_E_OK) this.complete = true;
    return r.token;
  }

  /** After a success response: the server must have proved itself when mutual authentication was asked. */
  async finish(finalToken: Uint8Array | undefined): Promise<void> {
    if (finalToken !== undefined && !this.complete) await this.step(finalToken);
    if (!this.complete) {
      throw new SspiError(SecStatus.SEC_E_MUTUAL_AUTH_FAILED, 'InitializeSecurityContext', {
        detail: `${this.scheme}: the server answered without completing the handshake (no final token)`,
      });
    }
  }

  dispose(): void {
    if (this.context?.isValid) this.sspi.deleteSecurityContext(this.context);
    this.context = undefined;
  }
}

/** Digest for one origin and realm: ISC answers a challenge, MakeSignature signs later requests. */
export class DigestAuth {
  context: CtxtHandle | undefined;
  readonly #req: number;

  constructor(
    readonly sspi: SspiDispatcher,
    readonly credential: CredHandle,
    readonly mutual: boolean,
  ) {
    this.#req = IscReq.HTTP | (mutual ? IscReq.MUTUAL_AUTH : 0);
  }

  /** Answers `challenge` for this request (a new context; or the same one for `stale=true`). */
  async answer(
    challenge: string,
    method: string,
    uri: string,
    body: Uint8Array | undefined,
    stale: boolean,
  ): Promise<string> {
    if (!stale) this.dispose();
    const inputs = [
      secBuffer(SecBufferType.TOKEN, enc(challenge)),
      secBuffer(SecBufferType.PKG_PARAMS, enc(method)),
      secBuffer(SecBufferType.PKG_PARAMS, body ?? new Uint8Array(0)),
    ];
    const r = await isc(this.sspi, this.credential, this.context, uri, this.#req, inputs);
    this.context = r.context;
    if (r.token === undefined)
      throw new SspiError(SecStatus.SEC_E_INTERNAL_ERROR, 'InitializeSecurityContext', {
        detail: 'Digest produced no Authorization',
      });
    return text(r.token);
  }

  /** The `Authorization` of a later request on the same nonce (next nonce-count), or undefined. */
  sign(method: string, uri: string, body: Uint8Array | undefined): string | undefined {
    if (this.context === undefined) return undefined;
    const out = secBuffer(SecBufferType.PADDING, new Uint8Array(8192));
    const desc = secBufferDesc(
      secBuffer(SecBufferType.TOKEN),
      secBuffer(SecBufferType.PKG_PARAMS, enc(method)),
      secBuffer(SecBufferType.PKG_PARAMS, enc(uri)),
      secBuffer(SecBufferType.PKG_PARAMS, body ?? new Uint8Array(0)),
      out,
    );
    const st = this.sspi.makeSignature(this.context, 0, desc, 0);
    return st === SecStatus.SEC_E_OK && out.data.length > 0 ? text(out.data) : undefined;
  }

  /** Checks `rspauth` (and takes `nextnonce`) from `Authentication-Info`. */
  async verifyInfo(info: string): Promise<void> {
    if (this.context === undefined) return;
    await isc(this.sspi, this.credential, this.context, '', this.#req, [secBuffer(SecBufferType.TOKEN, enc(info))]);
  }

  dispose(): void {
    if (this.context?.isValid) this.sspi.deleteSecurityContext(this.context);
    this.context = undefined;
  }
}
