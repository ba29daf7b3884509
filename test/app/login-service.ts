/**
 * A small application service, as an application developer would write it: it authenticates
 * clients that speak a connection-oriented SSPI package (NTLM in production) over some transport,
 * and knows nothing of which package implementation is behind the name.
 */
import {
  AscReq,
  SecBufferType,
  SecPkgCred,
  SecStatus,
  isSuccess,
  secBuffer,
  secBufferDesc,
  statusName,
} from '@sspkit/core';
import type { CredHandle, CtxtHandle, SspiDispatcher } from '@sspkit/core';

export type LoginStep =
  | { readonly kind: 'challenge'; readonly token: Uint8Array }
  | { readonly kind: 'authenticated'; readonly user: string; readonly token?: Uint8Array }
  | { readonly kind: 'denied'; readonly reason: string };

export class LoginService {
  readonly #sspi: SspiDispatcher;
  readonly #packageName: string;
  #credential: CredHandle | undefined;
  readonly #sessions = new Map<string, CtxtHandle>();

  constructor(sspi: SspiDispatcher, packageName: string) {
    this.#sspi = sspi;
    this.#packageName = packageName;
  }

  /** Handles one client token for a connection; the context lives as long as the connection. */
  async step(connectionId: string, clientToken: Uint8Array): Promise<LoginStep> {
    if (!this.#credential) {
      const r = await this.#sspi.acquireCredentialsHandle({
        package: this.#packageName,
        credentialUse: SecPkgCred.INBOUND,
      });
      if (!isSuccess(r.status)) return { kind: 'denied', reason: statusName(r.status) };
      this.#credential = r.credential!;
    }
    const existing = this.#sessions.get(connectionId);
    const output = secBuffer(SecBufferType.TOKEN);
    const r = await this.#sspi.acceptSecurityContext({
      credential: this.#credential,
      ...(existing ? { context: existing } : {}),
      contextReq: AscReq.ALLOCATE_MEMORY | AscReq.CONFIDENTIALITY,
      input: secBufferDesc(secBuffer(SecBufferType.TOKEN, clientToken)),
      output: secBufferDesc(output),
    });
    if (!isSuccess(r.status)) {
      this.close(connectionId);
      return { kind: 'denied', reason: statusName(r.status) };
    }
    if (r.context) this.#sessions.set(connectionId, r.context);
    if (r.status === SecStatus.SEC_I_CONTINUE_NEEDED) return { kind: 'challenge', token: output.data };
    const token = this.#sspi.querySecurityContextToken(r.context!);
    if (!isSuccess(token.status)) return { kind: 'denied', reason: statusName(token.status) };
    const user = token.token!.domain ? `${token.token!.domain}\\${token.token!.user}` : token.token!.user;
    return output.data.length > 0
      ? { kind: 'authenticated', user, token: output.data }
      : { kind: 'authenticated', user };
  }

  /** Forgets a connection's context. */
  close(connectionId: string): void {
    const ctx = this.#sessions.get(connectionId);
    if (ctx) this.#sspi.deleteSecurityContext(ctx);
    this.#sessions.delete(connectionId);
  }
}
