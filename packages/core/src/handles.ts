/**
 * Application-facing handles (CredHandle, CtxtHandle). They name their owning package, hide the
 * package's LSA_SEC_HANDLE, and remember whether they were freed: a freed or deleted handle, a
 * handle from another dispatcher, or an object that merely looks like a handle never reaches a
 * package (SEC_E_INVALID_HANDLE).
 */
import type { LsaSecHandle } from './types.js';
import type { RegisteredPackage } from './registry.js';

/** Which handshake call created a context. */
export type ContextSide = 'client' | 'server';

/** Internal bookkeeping behind a handle; never exported from the package barrel. */
export interface HandleEntry {
  readonly owner: object;
  readonly pkg: RegisteredPackage;
  lsaHandle: LsaSecHandle;
  live: boolean;
}

/** Bookkeeping of a context handle: which side created it and whether it was mapped to user mode. */
export interface ContextEntry extends HandleEntry {
  readonly side: ContextSide;
  /** The user-mode half knows the context (InitUserModeContext ran, or it was imported). */
  mapped: boolean;
}

let credEntryOf: (value: unknown) => HandleEntry | undefined;
let ctxtEntryOf: (value: unknown) => ContextEntry | undefined;

/** A credential handle (CredHandle), as AcquireCredentialsHandle returns it. Opaque. */
export class CredHandle {
  readonly #entry: HandleEntry;

  /** @internal Handles are issued by the dispatcher only. */
  constructor(entry: HandleEntry) {
    this.#entry = entry;
  }

  /** The name of the package that owns the credential. */
  get packageName(): string {
    return this.#entry.pkg.name;
  }

  /** False once FreeCredentialsHandle has run on it (or its package was shut down). */
  get isValid(): boolean {
    return this.#entry.live && this.#entry.pkg.lifecycle.loaded;
  }

  toString(): string {
    return `CredHandle(${this.#entry.pkg.name}${this.#entry.live ? '' : ', freed'})`;
  }

  toJSON(): { kind: 'credential'; package: string; valid: boolean } {
    return { kind: 'credential', package: this.#entry.pkg.name, valid: this.#entry.live };
  }

  static {
    credEntryOf = (value) =>
      typeof value === 'object' && value !== null && #entry in value ? value.#entry : undefined;
  }
}

/** A security context handle (CtxtHandle), as Initialize/AcceptSecurityContext return it. Opaque. */
export class CtxtHandle {
  readonly #entry: ContextEntry;

  /** @internal Handles are issued by the dispatcher only. */
  constructor(entry: ContextEntry) {
    this.#entry = entry;
  }

  /** The name of the package that owns the context. */
  get packageName(): string {
    return this.#entry.pkg.name;
  }

  /** Which side created the context: InitializeSecurityContext → client, Accept → server. */
  get side(): ContextSide {
    return this.#entry.side;
  }

  /** False once DeleteSecurityContext (or an export with DELETE_OLD) has run on it, or its package was shut down. */
  get isValid(): boolean {
    return this.#entry.live && this.#entry.pkg.lifecycle.loaded;
  }

  toString(): string {
    return `CtxtHandle(${this.#entry.pkg.name}, ${this.#entry.side}${this.#entry.live ? '' : ', deleted'})`;
  }

  toJSON(): { kind: 'context'; package: string; side: ContextSide; valid: boolean } {
    return { kind: 'context', package: this.#entry.pkg.name, side: this.#entry.side, valid: this.#entry.live };
  }

  static {
    ctxtEntryOf = (value) =>
      typeof value === 'object' && value !== null && #entry in value ? value.#entry : undefined;
  }
}

/** @internal The live entry behind a credential handle issued by `owner`, or undefined. */
export function liveCredEntry(owner: object, value: unknown): HandleEntry | undefined {
  const e = credEntryOf(value);
  return e !== undefined && e.live && e.owner === owner && e.pkg.lifecycle.loaded ? e : undefined;
}

/** @internal The live entry behind a context handle issued by `owner`, or undefined. */
export function liveCtxtEntry(owner: object, value: unknown): ContextEntry | undefined {
  const e = ctxtEntryOf(value);
  return e !== undefined && e.live && e.owner === owner && e.pkg.lifecycle.loaded ? e : undefined;
}
