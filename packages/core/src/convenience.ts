/**
 * The convenience layer over the faithful API: contexts that loop the handshake, call
 * CompleteAuthToken when told to, size buffers from SECPKG_ATTR_SIZES, and throw {@link SspiError}
 * instead of returning statuses. Nothing here talks to a package directly.
 */
import type { SecBuffer } from './buffers.js';
import { SecBufferType, findBuffer, secBuffer, secBufferDesc } from './buffers.js';
import type { SspiDispatcher } from './dispatcher.js';
import type { AcceptParams, AcquireCredentialsParams, HandshakeResult, InitializeParams } from './dispatcher-types.js';
import { SspiError } from './errors.js';
import { AscReq, IscReq, SecPkgAttr, SecPkgCred } from './flags.js';
import type { CredHandle, CtxtHandle } from './handles.js';
import { SecStatus, isSuccess, statusName } from './status.js';
import type { AccessToken, AuthData, ContextAttributeValue, SecPkgContextSizes } from './types.js';

/** One handshake leg as the convenience layer saw it. */
export interface LegRecord {
  readonly side: 'client' | 'server';
  readonly status: number;
  readonly statusName: string;
  readonly inputLength: number;
  readonly outputLength: number;
  /** Set when the leg asked for CompleteAuthToken and it was called. */
  readonly completeAuthToken?: { readonly status: number; readonly statusName: string };
}

export interface ContextOptions {
  /** The package, by name (case-insensitive). */
  package: string;
  /** Use this credential (not freed by the context) instead of acquiring one. */
  credential?: CredHandle;
  /** pszPrincipal for AcquireCredentialsHandle. */
  principal?: string;
  /** pAuthData for AcquireCredentialsHandle (user/domain/password, keytab…). */
  authData?: AuthData;
  /** ISC_REQ_* / ASC_REQ_* (ALLOCATE_MEMORY is always added). */
  requirements?: number;
  targetDataRep?: number;
}

export interface ClientOptions extends ContextOptions {
  /** pszTargetName: the service principal or, for Digest, the request URI. */
  targetName?: string;
}

/** Extra input buffers for one leg (channel bindings, Digest request parts…). */
export interface StepOptions {
  extraInput?: SecBuffer[];
  /** Buffers describing the whole message for CompleteAuthToken (defaults to the output token). */
  completeWith?: SecBuffer[];
}

function check(status: number, operation: string, cause?: unknown): void {
  if (!isSuccess(status)) throw new SspiError(status, operation, cause === undefined ? undefined : { cause });
}

/** Encrypted message parts, as EncryptMessage leaves them (TOKEN, DATA, PADDING). */
export interface SealedMessage {
  readonly token: Uint8Array;
  readonly data: Uint8Array;
  readonly padding: Uint8Array;
}

abstract class HandshakeContext {
  readonly sspi: SspiDispatcher;
  readonly legs: LegRecord[] = [];
  protected context: CtxtHandle | undefined;
  protected readonly credential: CredHandle;
  readonly #ownsCredential: boolean;
  #complete = false;
  #attributes = 0;
  #sizes: SecPkgContextSizes | undefined;
  #sendSeq = 0;
  #recvSeq = 0;

  protected constructor(sspi: SspiDispatcher, credential: CredHandle, ownsCredential: boolean) {
    this.sspi = sspi;
    this.credential = credential;
    this.#ownsCredential = ownsCredential;
  }

  protected static async credentialFor(
    sspi: SspiDispatcher,
    options: ContextOptions,
    use: number,
  ): Promise<{ credential: CredHandle; owned: boolean }> {
    if (options.credential) return { credential: options.credential, owned: false };
    const params: AcquireCredentialsParams = { package: options.package, credentialUse: use };
    if (options.principal !== undefined) params.principal = options.principal;
    if (options.authData !== undefined) params.authData = options.authData;
    const r = await sspi.acquireCredentialsHandle(params);
    check(r.status, 'AcquireCredentialsHandle', r.cause);
    return { credential: r.credential!, owned: true };
  }

  abstract readonly side: 'client' | 'server';
  protected abstract leg(input: SecBuffer[], output: SecBuffer): Promise<HandshakeResult>;

  /** True once the handshake finished on this side. */
  get complete(): boolean {
    return this.#complete;
  }

  /** ISC_RET_* / ASC_RET_* granted by the last leg. */
  get contextAttributes(): number {
    return this.#attributes;
  }

  /** The underlying handle, for calls the convenience layer does not wrap. */
  get handle(): CtxtHandle | undefined {
    return this.context;
  }

  /**
   * Runs one handshake leg with the peer's token (none on the first client leg) and returns the
   * token to send, if any. Calls CompleteAuthToken when the package asks for it.
   */
  async step(input?: Uint8Array, options: StepOptions = {}): Promise<Uint8Array | undefined> {
    if (this.#complete)
      throw new SspiError(
        SecStatus.SEC_E_OUT_OF_SEQUENCE,
        this.side === 'client' ? 'InitializeSecurityContext' : 'AcceptSecurityContext',
        { detail: 'handshake already complete' },
      );
    const extra = options.extraInput;
    const inBuffers = input
      ? extra === undefined
        ? [secBuffer(SecBufferType.TOKEN, input)]
        : [secBuffer(SecBufferType.TOKEN, input), ...extra]
      : [...(extra ?? [])];
    const outToken = secBuffer(SecBufferType.TOKEN);
    const r = await this.leg(inBuffers, outToken);
    const operation = this.side === 'client' ? 'InitializeSecurityContext' : 'AcceptSecurityContext';
    let complete: LegRecord['completeAuthToken'];
    if (r.context) this.context = r.context;
    if (isSuccess(r.status)) {
      this.#attributes = r.contextAttributes;
      if (r.status === SecStatus.SEC_I_COMPLETE_NEEDED || r.status === SecStatus.SEC_I_COMPLETE_AND_CONTINUE) {
        const desc = secBufferDesc(...(options.completeWith ?? [outToken]));
        const st = await this.sspi.completeAuthToken(this.context!, desc);
        complete = { status: st, statusName: statusName(st) };
      }
    }
    this.legs.push({
      side: this.side,
      status: r.status,
      statusName: statusName(r.status),
      inputLength: input?.length ?? 0,
      outputLength: outToken.data.length,
      ...(complete ? { completeAuthToken: complete } : {}),
    });
    check(r.status, operation, r.cause);
    if (complete)
      check(
        complete.status,
        'CompleteAuthToken',
        isSuccess(complete.status) ? undefined : this.sspi.failureCause(this.context!),
      );
    if (r.status === SecStatus.SEC_E_OK || r.status === SecStatus.SEC_I_COMPLETE_NEEDED) this.#complete = true;
    return outToken.data.length > 0 ? outToken.data : undefined;
  }

  #ctx(): CtxtHandle {
    if (!this.context) throw new SspiError(SecStatus.SEC_E_INVALID_HANDLE, undefined, { detail: 'no context yet' });
    return this.context;
  }

  /** QueryContextAttributes, throwing on failure. */
  query<A extends number>(attribute: A): ContextAttributeValue<A> {
    const r = this.sspi.queryContextAttributes(this.#ctx(), attribute);
    check(r.status, 'QueryContextAttributes');
    return r.buffer as ContextAttributeValue<A>;
  }

  /** SECPKG_ATTR_SIZES, fetched once. */
  get sizes(): SecPkgContextSizes {
    this.#sizes ??= this.query(SecPkgAttr.SIZES);
    return this.#sizes;
  }

  /** A per-message status; a failure is thrown with the package's account of it as the cause. */
  #check(status: number, operation: string): void {
    if (!isSuccess(status)) check(status, operation, this.sspi.failureCause(this.#ctx()));
  }

  /** MakeSignature over `data` with the next sequence number; returns the signature. */
  sign(data: Uint8Array): Uint8Array {
    const token = secBuffer(SecBufferType.TOKEN, new Uint8Array(this.sizes.maxSignature));
    const desc = secBufferDesc(secBuffer(SecBufferType.DATA, data), token);
    this.#check(this.sspi.makeSignature(this.#ctx(), 0, desc, this.#sendSeq++), 'MakeSignature');
    return token.data;
  }

  /** VerifySignature; throws SspiError (SEC_E_MESSAGE_ALTERED, SEC_E_OUT_OF_SEQUENCE…) on failure. */
  verify(data: Uint8Array, signature: Uint8Array): void {
    const desc = secBufferDesc(secBuffer(SecBufferType.DATA, data), secBuffer(SecBufferType.TOKEN, signature));
    this.#check(this.sspi.verifySignature(this.#ctx(), desc, this.#recvSeq++), 'VerifySignature');
  }

  /** EncryptMessage over a copy of `data`; returns TOKEN, DATA and PADDING as the package left them. */
  encrypt(data: Uint8Array, qop = 0): SealedMessage {
    const sizes = this.sizes;
    const token = secBuffer(SecBufferType.TOKEN, new Uint8Array(sizes.securityTrailer));
    const body = secBuffer(SecBufferType.DATA, Uint8Array.from(data));
    const padding = secBuffer(SecBufferType.PADDING, new Uint8Array(sizes.blockSize));
    this.#check(
      this.sspi.encryptMessage(this.#ctx(), qop, secBufferDesc(token, body, padding), this.#sendSeq++),
      'EncryptMessage',
    );
    return { token: token.data, data: body.data, padding: padding.data };
  }

  /** DecryptMessage; returns the plaintext or throws. */
  decrypt(message: SealedMessage): Uint8Array {
    const body = secBuffer(SecBufferType.DATA, Uint8Array.from(message.data));
    const desc = secBufferDesc(secBuffer(SecBufferType.TOKEN, Uint8Array.from(message.token)), body);
    if (message.padding.length > 0)
      desc.buffers.push(secBuffer(SecBufferType.PADDING, Uint8Array.from(message.padding)));
    this.#check(this.sspi.decryptMessage(this.#ctx(), desc, this.#recvSeq++), 'DecryptMessage');
    return findBuffer(desc, SecBufferType.DATA)!.data;
  }

  /** QuerySecurityContextToken: the authenticated client's token (server side). */
  token(): AccessToken {
    const r = this.sspi.querySecurityContextToken(this.#ctx());
    check(r.status, 'QuerySecurityContextToken');
    return r.token!;
  }

  /** Deletes the context and frees the credential if this object acquired it. Idempotent. */
  dispose(): void {
    if (this.context?.isValid) this.sspi.deleteSecurityContext(this.context);
    if (this.#ownsCredential && this.credential.isValid) this.sspi.freeCredentialsHandle(this.credential);
  }
}

/** The client side: InitializeSecurityContext in a loop. */
export class ClientContext extends HandshakeContext {
  readonly side = 'client' as const;
  readonly #options: ClientOptions;

  private constructor(sspi: SspiDispatcher, credential: CredHandle, owned: boolean, options: ClientOptions) {
    super(sspi, credential, owned);
    this.#options = options;
  }

  /** Acquires outbound credentials (unless given) and returns a context ready for its first leg. */
  static async create(sspi: SspiDispatcher, options: ClientOptions): Promise<ClientContext> {
    const { credential, owned } = await HandshakeContext.credentialFor(sspi, options, SecPkgCred.OUTBOUND);
    return new ClientContext(sspi, credential, owned, options);
  }

  protected leg(input: SecBuffer[], output: SecBuffer): Promise<HandshakeResult> {
    const o = this.#options;
    // Optional members set in place: spreading temporaries costs an allocation each, on every leg.
    const params: InitializeParams = {
      credential: this.credential,
      contextReq: ((o.requirements ?? 0) | IscReq.ALLOCATE_MEMORY) >>> 0,
      targetDataRep: o.targetDataRep ?? 0,
      output: secBufferDesc(output),
    };
    if (this.context) params.context = this.context;
    if (o.targetName !== undefined) params.targetName = o.targetName;
    if (input.length > 0) params.input = secBufferDesc(...input);
    return this.sspi.initializeSecurityContext(params);
  }
}

/** The server side: AcceptSecurityContext in a loop. */
export class ServerContext extends HandshakeContext {
  readonly side = 'server' as const;
  readonly #options: ContextOptions;

  private constructor(sspi: SspiDispatcher, credential: CredHandle, owned: boolean, options: ContextOptions) {
    super(sspi, credential, owned);
    this.#options = options;
  }

  /** Acquires inbound credentials (unless given) and returns a context ready for its first leg. */
  static async create(sspi: SspiDispatcher, options: ContextOptions): Promise<ServerContext> {
    const { credential, owned } = await HandshakeContext.credentialFor(sspi, options, SecPkgCred.INBOUND);
    return new ServerContext(sspi, credential, owned, options);
  }

  protected leg(input: SecBuffer[], output: SecBuffer): Promise<HandshakeResult> {
    const o = this.#options;
    const params: AcceptParams = {
      credential: this.credential,
      contextReq: ((o.requirements ?? 0) | AscReq.ALLOCATE_MEMORY) >>> 0,
      targetDataRep: o.targetDataRep ?? 0,
      output: secBufferDesc(output),
    };
    if (this.context) params.context = this.context;
    if (input.length > 0) params.input = secBufferDesc(...input);
    return this.sspi.acceptSecurityContext(params);
  }
}

/** Creates a client context (InitializeSecurityContext loop). */
export function clientContext(sspi: SspiDispatcher, options: ClientOptions): Promise<ClientContext> {
  return ClientContext.create(sspi, options);
}

/** Creates a server context (AcceptSecurityContext loop). */
export function serverContext(sspi: SspiDispatcher, options: ContextOptions): Promise<ServerContext> {
  return ServerContext.create(sspi, options);
}

/**
 * Runs a whole handshake between two in-process contexts, client first, until both are complete.
 * Returns every leg in order. Throws SspiError on the first failing leg.
 */
export async function runHandshake(client: ClientContext, server: ServerContext, maxLegs = 16): Promise<LegRecord[]> {
  let token = await client.step();
  let turn: 'server' | 'client' = 'server';
  for (let i = 0; i < maxLegs && !(client.complete && server.complete); i++) {
    const ctx = turn === 'server' ? server : client;
    if (ctx.complete) {
      if (token !== undefined)
        throw new SspiError(SecStatus.SEC_E_INVALID_TOKEN, undefined, {
          detail: `${turn} is complete but received a token`,
        });
      break;
    }
    token = await ctx.step(token);
    turn = turn === 'server' ? 'client' : 'server';
  }
  if (!(client.complete && server.complete))
    throw new SspiError(SecStatus.SEC_E_INTERNAL_ERROR, undefined, { detail: 'handshake did not finish' });
  return [...client.legs, ...server.legs].length ? interleave(client.legs, server.legs) : [];
}

function interleave(client: LegRecord[], server: LegRecord[]): LegRecord[] {
  const out: LegRecord[] = [];
  for (let i = 0; i < Math.max(client.length, server.length); i++) {
    if (client[i]) out.push(client[i]!);
    if (server[i]) out.push(server[i]!);
  }
  return out;
}
