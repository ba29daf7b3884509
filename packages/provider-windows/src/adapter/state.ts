/**
 * The package's handle tables: LSA_SEC_HANDLE numbers → the native CredHandle / CtxtHandle each
 * wraps, plus a process-wide count of everything native the provider holds open (handles, access
 * tokens, memory blocks), which the leak tests read after thousands of calls.
 */
import type { NativeBlock, NativeMemory } from '../marshal/memory.js';
import type { Advapi32, Secur32 } from '../ffi/secur32.js';

/** What the adapter calls: the bound functions and native memory (a fake of it in unit tests). */
export interface Native {
  readonly secur32: Secur32;
  readonly advapi32: Advapi32;
  readonly memory: NativeMemory & { readonly liveBlocks?: number };
}

export interface CredEntry {
  /** The 16-byte CredHandle secur32 filled. */
  readonly handle: NativeBlock;
  readonly use: number;
  readonly expiry: bigint;
}

export interface CtxEntry {
  /** The 16-byte CtxtHandle secur32 filled. */
  readonly handle: NativeBlock;
  readonly side: 'client' | 'server';
  readonly requested: number;
  attributes: number;
  expiry: bigint;
  complete: boolean;
  /** Cause of the last failed per-message call (a status note, never message contents). */
  lastFailure: unknown;
  /** cbMaxSignature and cbSecurityTrailer (SecPkgContext_Sizes), read once the context is complete. */
  sizes?: { readonly maxSignature: number; readonly securityTrailer: number } | null;
}

let openNative = 0;

/** Credentials, contexts and token handles the provider holds open, in every package. */
export function liveHandleCount(): number {
  return openNative;
}

/** Counts an access-token handle opened (+1) or closed (-1). */
export function countTokenHandle(delta: 1 | -1): void {
  openNative += delta;
}

/** One package's handles. */
export class HandleTables {
  readonly creds = new Map<number, CredEntry>();
  readonly contexts = new Map<number, CtxEntry>();
  #next = 1;

  addCred(entry: CredEntry): number {
    const h = this.#next++;
    this.creds.set(h, entry);
    openNative++;
    return h;
  }

  addContext(entry: CtxEntry): number {
    const h = this.#next++;
    this.contexts.set(h, entry);
    openNative++;
    return h;
  }

  /** Forgets a credential; the caller has released its native handle. */
  dropCred(h: number): CredEntry | undefined {
    const e = this.creds.get(h);
    if (e) {
      this.creds.delete(h);
      openNative--;
    }
    return e;
  }

  /** Forgets a context; the caller has released its native handle. */
  dropContext(h: number): CtxEntry | undefined {
    const e = this.contexts.get(h);
    if (e) {
      this.contexts.delete(h);
      openNative--;
    }
    return e;
  }
}

/** Reads a TimeStamp (LARGE_INTEGER) from a block. */
export function timeStampOf(block: NativeBlock): bigint {
  return new DataView(block.bytes.buffer, block.bytes.byteOffset).getBigInt64(0, true);
}
