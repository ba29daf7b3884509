/**
 * Owned native handles (gss_name_t, gss_cred_id_t, gss_ctx_id_t). Explicit release is the rule;
 * a FinalizationRegistry releases what the caller forgot. The registry holds a cell shared with
 * the wrapper, and whichever path runs first zeroes the cell, so a handle is never freed twice.
 */
import { gssLibrary } from './library.js';

/** What a handle refers to, which decides its release function. */
export type HandleKind = 'name' | 'cred' | 'context';

interface Cell {
  ptr: bigint;
  readonly kind: HandleKind;
  /** Runs once, right after the native object is freed (by release or by the finalizer). */
  after?: (() => void) | undefined;
}

let finalized = 0;

const registry = new FinalizationRegistry<Cell>((cell) => {
  if (cell.ptr === 0n) return;
  const ptr = cell.ptr;
  cell.ptr = 0n;
  finalized++;
  releaseNative(cell.kind, ptr);
  runAfter(cell);
});

function runAfter(cell: Cell): void {
  const after = cell.after;
  cell.after = undefined;
  after?.();
}

let releaseArea: { readonly holder: Buffer; readonly minorAt: bigint; readonly holderAt: bigint } | undefined;

/**
 * Releases one native handle with the GSSAPI function for its kind. Release calls are synchronous
 * and never nest, so one long-lived area (addresses taken once) serves them all.
 */
function releaseNative(kind: HandleKind, ptr: bigint): void {
  const lib = gssLibrary();
  if (releaseArea === undefined) {
    const area = Buffer.alloc(128);
    const base = lib.koffi.address(area);
    releaseArea = { holder: area.subarray(8, 16), minorAt: base, holderAt: base + 8n };
  }
  const { holder, minorAt, holderAt } = releaseArea;
  holder.writeBigUInt64LE(ptr, 0);
  if (kind === 'name') lib.gss.gss_release_name(minorAt, holderAt);
  else if (kind === 'cred') lib.gss.gss_release_cred(minorAt, holderAt);
  else lib.gss.gss_delete_sec_context(minorAt, holderAt, null);
}

/** Thrown when a released (or never created) handle is used: the call would crash the process. */
export class ReleasedHandleError extends Error {
  override readonly name = 'ReleasedHandleError';
}

/** A native handle with single-release semantics. */
export class NativeHandle {
  private readonly cell: Cell;
  private registered = false;
  private pins = 0;
  private releaseDeferred = false;
  /** Set while an async call uses the handle, so a concurrent call cannot race it. */
  busy = false;

  constructor(kind: HandleKind, ptr = 0n) {
    this.cell = { ptr, kind };
    if (ptr !== 0n) this.track();
  }

  /** The kind of object this handle owns. */
  get kind(): HandleKind {
    return this.cell.kind;
  }

  /** The raw pointer; throws rather than hand a dead handle to the library. */
  get ptr(): bigint {
    if (this.cell.ptr === 0n) throw new ReleasedHandleError(`${this.cell.kind} handle is released`);
    return this.cell.ptr;
  }

  /** The raw pointer or 0n (for in/out parameters that start empty). */
  get rawOrZero(): bigint {
    return this.cell.ptr;
  }

  /** True once released (or before the library filled it). */
  get isEmpty(): boolean {
    return this.cell.ptr === 0n;
  }

  /** Records the value the library wrote back into an in/out handle parameter. */
  update(ptr: bigint): void {
    this.cell.ptr = ptr;
    if (ptr !== 0n) this.track();
  }

  /** Forgets the pointer without freeing it (the library consumed it, e.g. export_sec_context). */
  detach(): void {
    this.cell.ptr = 0n;
    this.untrack();
  }

  /** Hands the pointer (and the duty to release it) to another owner; this handle becomes empty. */
  ptrTransfer(): bigint {
    const ptr = this.ptr;
    this.detach();
    return ptr;
  }

  /**
   * Marks the handle as in use by a native call running on a worker thread: a release requested
   * meanwhile (FreeCredentialsHandle during an in-flight first ISC leg) waits for {@link unpin}.
   */
  pin(): void {
    this.pins++;
  }

  /** Ends a {@link pin}; performs a release that was requested while pinned. */
  unpin(): void {
    if (this.pins > 0) this.pins--;
    if (this.pins === 0 && this.releaseDeferred) {
      this.releaseDeferred = false;
      this.release();
    }
  }

  /** Frees the native object now (or once unpinned); later calls are no-ops. */
  release(): void {
    if (this.cell.ptr === 0n) return;
    if (this.pins > 0) {
      this.releaseDeferred = true;
      return;
    }
    const ptr = this.cell.ptr;
    this.cell.ptr = 0n;
    this.untrack();
    releaseNative(this.cell.kind, ptr);
    runAfter(this.cell);
  }

  /**
   * Runs `fn` once the native object has really been freed (after a deferred release too): what
   * the object depends on (a private ccache under a credential) goes only after it.
   */
  afterRelease(fn: () => void): void {
    this.cell.after = fn;
  }

  private track(): void {
    if (this.registered) return;
    registry.register(this, this.cell, this);
    this.registered = true;
  }

  private untrack(): void {
    if (!this.registered) return;
    registry.unregister(this);
    this.registered = false;
  }
}

/** How many handles the finalizer has released (tests and leak diagnostics). */
export function finalizedHandleCount(): number {
  return finalized;
}
