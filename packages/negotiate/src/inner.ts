/**
 * One context of a composed package, driven through its function tables exactly as the dispatcher
 * would drive it: LSA legs, then InitUserModeContext when the package maps its context, user-mode
 * calls for the mechListMIC, both halves deleted at the end. Nothing here knows which package it is.
 */
import {
  AscReq,
  IscReq,
  IscRet,
  SecBufferType,
  SecPkgAttr,
  SecStatus,
  isSuccess,
  secBuffer,
  secBufferDesc,
  statusName,
} from '@sspkit/core';
import type { LsaModeContextResult, LsaSecHandle, SecBuffer, SecBufferDesc, SecurityStatus } from '@sspkit/core';
import type { Mechanism } from './mechanisms.js';

/** What one leg of the inner package produced. */
export interface InnerLeg {
  readonly status: SecurityStatus;
  readonly token: Uint8Array | undefined;
  readonly contextAttributes: number;
  readonly expiry?: bigint;
  readonly cause?: unknown;
}

/** A failure status with its cause, never thrown. */
export interface Failure {
  readonly status: SecurityStatus;
  readonly cause: Error;
}

/** Builds a failure whose cause names the package and, when there is one, the package's own cause. */
export function failure(status: SecurityStatus, message: string, inner?: unknown): Failure {
  return { status, cause: inner === undefined ? new Error(message) : new Error(message, { cause: inner }) };
}

/** Largest MIC any composed package may return; Kerberos (RFC 4121 §4.2.6.1) needs 28, NTLM 16. */
const MIC_BUFFER = 1024;

export class InnerContext {
  readonly mech: Mechanism;
  readonly side: 'client' | 'server';
  readonly #cred: LsaSecHandle;
  #handle: LsaSecHandle | undefined;
  #mapped = false;
  complete = false;
  attributes = 0;
  expiry: bigint | undefined;

  constructor(mech: Mechanism, side: 'client' | 'server', cred: LsaSecHandle) {
    this.mech = mech;
    this.side = side;
    this.#cred = cred;
  }

  /** A complete context the package built itself (ImportSecurityContext). */
  static adopt(mech: Mechanism, handle: LsaSecHandle): InnerContext {
    const c = new InnerContext(mech, 'server', 0);
    c.#handle = handle;
    c.#mapped = true;
    c.complete = true;
    return c;
  }

  /** The inner package's handle (for per-message calls once complete). */
  get handle(): LsaSecHandle | undefined {
    return this.#handle;
  }

  get mapped(): boolean {
    return this.#mapped;
  }

  /** One InitializeSecurityContext / AcceptSecurityContext leg of the inner package. */
  async step(
    token: Uint8Array | undefined,
    bindings: SecBuffer | undefined,
    targetName: string | undefined,
    req: number,
  ): Promise<InnerLeg> {
    const lsa = this.mech.located.functionTable;
    const inputBuffers: SecBuffer[] = [];
    if (token !== undefined) inputBuffers.push(secBuffer(SecBufferType.TOKEN, token));
    if (bindings !== undefined) inputBuffers.push(bindings);
    const input: SecBufferDesc | undefined = inputBuffers.length > 0 ? secBufferDesc(...inputBuffers) : undefined;
    const outToken = secBuffer(SecBufferType.TOKEN);
    const output = secBufferDesc(outToken);
    let r: LsaModeContextResult;
    try {
      if (this.side === 'client') {
        if (!lsa.initLsaModeContext)
          return this.#fail(SecStatus.SEC_E_UNSUPPORTED_FUNCTION, 'has no InitLsaModeContext');
        const ctxReq = (req | IscReq.ALLOCATE_MEMORY) >>> 0;
        r = await lsa.initLsaModeContext(
          this.#handle === undefined ? this.#cred : undefined,
          this.#handle,
          targetName,
          ctxReq,
          0,
          input,
          output,
        );
      } else {
        if (!lsa.acceptLsaModeContext)
          return this.#fail(SecStatus.SEC_E_UNSUPPORTED_FUNCTION, 'has no AcceptLsaModeContext');
        const ctxReq = (req | AscReq.ALLOCATE_MEMORY) >>> 0;
        r = await lsa.acceptLsaModeContext(
          this.#handle === undefined ? this.#cred : undefined,
          this.#handle,
          input,
          ctxReq,
          0,
          output,
        );
      }
    } catch (e) {
      return this.#fail(SecStatus.SEC_E_INTERNAL_ERROR, 'threw', e);
    }
    if (r.newContextHandle !== undefined) this.#handle = r.newContextHandle;
    const status = r.status >>> 0;
    if (!isSuccess(status)) {
      r.contextData?.fill(0);
      return {
        status,
        token: undefined,
        contextAttributes: 0,
        cause: this.#cause(`returned ${statusName(status)}`, r.cause),
      };
    }
    if (this.#handle === undefined) return this.#fail(SecStatus.SEC_E_INTERNAL_ERROR, 'returned no context handle');
    if (r.mappedContext) {
      const st = this.#mapUserMode(r.contextData);
      if (st !== SecStatus.SEC_E_OK) return this.#fail(st, 'refused InitUserModeContext');
    }
    // ALLOCATE_MEMORY was ours, not the caller's: its return bit is the outer package's to report.
    this.attributes = (r.contextAttributes ?? 0) & ~IscRet.ALLOCATED_MEMORY;
    if (r.expirationTime !== undefined) this.expiry = r.expirationTime;
    if (status === SecStatus.SEC_E_OK) this.complete = true;
    const produced = outToken.data.length > 0 ? outToken.data : undefined;
    return {
      status,
      token: produced,
      contextAttributes: this.attributes,
      ...(r.expirationTime !== undefined && { expiry: r.expirationTime }),
    };
  }

  #mapUserMode(data: Uint8Array | undefined): SecurityStatus {
    const init = this.mech.located.userFunctionTable?.initUserModeContext;
    try {
      if (!init || this.#handle === undefined) return SecStatus.SEC_E_OK;
      const st = init(this.#handle, data ?? new Uint8Array(0));
      if (st === SecStatus.SEC_E_OK) this.#mapped = true;
      return st >>> 0;
    } catch {
      return SecStatus.SEC_E_INTERNAL_ERROR;
    } finally {
      data?.fill(0);
    }
  }

  /** MakeSignature over `data` with the inner context: the mechListMIC (RFC 4178 §5). */
  makeMic(data: Uint8Array): { status: SecurityStatus; mic?: Uint8Array } {
    const fn = this.mech.located.userFunctionTable?.makeSignature;
    if (!fn || this.#handle === undefined) return { status: SecStatus.SEC_E_UNSUPPORTED_FUNCTION };
    const sig = secBuffer(SecBufferType.TOKEN, new Uint8Array(MIC_BUFFER));
    const desc = secBufferDesc(secBuffer(SecBufferType.DATA, new Uint8Array(data)), sig);
    try {
      const st = fn(this.#handle, 0, desc, 0) >>> 0;
      return st === SecStatus.SEC_E_OK ? { status: st, mic: new Uint8Array(sig.data) } : { status: st };
    } catch {
      return { status: SecStatus.SEC_E_INTERNAL_ERROR };
    }
  }

  /** VerifySignature of the peer's mechListMIC. */
  verifyMic(data: Uint8Array, mic: Uint8Array): SecurityStatus {
    const fn = this.mech.located.userFunctionTable?.verifySignature;
    if (!fn || this.#handle === undefined) return SecStatus.SEC_E_UNSUPPORTED_FUNCTION;
    const desc = secBufferDesc(
      secBuffer(SecBufferType.DATA, new Uint8Array(data)),
      secBuffer(SecBufferType.TOKEN, new Uint8Array(mic)),
    );
    try {
      return fn(this.#handle, desc, 0, undefined) >>> 0;
    } catch {
      return SecStatus.SEC_E_INTERNAL_ERROR;
    }
  }

  /**
   * [MS-SPNG] §3.3.5.1: after the mechListMIC an RC4-keyed package (NTLM) starts the application's
   * messages on a fresh keystream, as Windows does and as MIT SPNEGO asks gss-ntlmssp to. Packages
   * without the sspkit extension slot have no such state.
   */
  resetCipher(direction: 'outbound' | 'inbound'): SecurityStatus {
    const fn = this.mech.located.userFunctionTable?.resetCipherState;
    if (!fn || this.#handle === undefined) return SecStatus.SEC_E_OK;
    try {
      return fn(this.#handle, direction) >>> 0;
    } catch {
      return SecStatus.SEC_E_INTERNAL_ERROR;
    }
  }

  /** QueryContextAttributes on the inner context, from the half the dispatcher would use. */
  query(attribute: number): { status: SecurityStatus; buffer?: unknown } {
    if (this.#handle === undefined) return { status: SecStatus.SEC_E_INVALID_HANDLE };
    const user = this.mech.located.userFunctionTable?.queryContextAttributes;
    const lsa = this.mech.located.functionTable.queryContextAttributes;
    const fn = this.#mapped ? (user ?? lsa) : (lsa ?? user);
    if (!fn) return { status: SecStatus.SEC_E_UNSUPPORTED_FUNCTION };
    try {
      const r = fn(this.#handle, attribute);
      return { status: r.status >>> 0, buffer: r.buffer };
    } catch {
      return { status: SecStatus.SEC_E_INTERNAL_ERROR };
    }
  }

  /** SECPKG_ATTR_SIZES of the inner context, when it has them. */
  maxSignature(): number | undefined {
    const r = this.query(SecPkgAttr.SIZES);
    const v = (r.buffer as { maxSignature?: unknown } | undefined)?.maxSignature;
    return r.status === SecStatus.SEC_E_OK && typeof v === 'number' ? v : undefined;
  }

  /** Deletes both halves of the inner context (DeleteUserModeContext, then DeleteContext). */
  delete(): void {
    const h = this.#handle;
    if (h === undefined) return;
    this.#handle = undefined;
    try {
      this.mech.located.userFunctionTable?.deleteUserModeContext?.(h);
    } catch {
      // the LSA half is still deleted below
    }
    try {
      this.mech.located.functionTable.deleteContext?.(h);
    } catch {
      // nothing more can be done for a package that throws while deleting
    }
  }

  #cause(message: string, inner?: unknown): Error {
    return new Error(`${this.mech.name} ${message}`, inner === undefined ? undefined : { cause: inner });
  }

  #fail(status: SecurityStatus, message: string, inner?: unknown): InnerLeg {
    return { status, token: undefined, contextAttributes: 0, cause: this.#cause(message, inner) };
  }
}
