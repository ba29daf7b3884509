/** The package's own handle tables: LSA_SEC_HANDLE numbers → native credentials and contexts. */
import type { NativeHandle, GssMech, LocalAccount } from '../ffi/index.js';
import type { Rfc4121Session } from '../lucid/index.js';
import type { TicketPins } from './pins.js';
import type { NativeReplayOptions, ReplayCheck } from './replay.js';
import { TargetNameCache } from './target.js';

/**
 * A credential handle's state. `initiator`/`acceptor` are what ISC/ASC pass to the library (null =
 * the library's default credential); `owned` is what FreeCredentialsHandle releases. They differ for
 * a password credential used BOTH ways: MIT can only initiate with a password, so acceptance falls
 * back to the default keytab, as a Windows password credential accepts with the machine's keys.
 */
export interface CredEntry {
  readonly initiator: NativeHandle | null;
  readonly acceptor: NativeHandle | null;
  readonly owned: NativeHandle;
  readonly usage: 'INITIATE' | 'ACCEPT' | 'BOTH';
  readonly principal: string;
  /** Service tickets this credential obtained, pinned for inline first legs (initiators only). */
  readonly pins: TicketPins | null;
  /** Acceptors: a client may map to root or a system account (NativeAuthData.allowSystemAccounts). */
  readonly allowSystemAccounts?: boolean;
  /** Deadline of this credential's KDC-reaching first legs (`kdcTimeoutMs` in its auth data). */
  readonly kdcTimeoutMs?: number;
  /** Acceptors: the shared replay record and its settings from the auth data (adapter/replay.ts). */
  readonly replay?: NativeReplayOptions;
}

/** A context handle's state. */
export interface CtxEntry {
  readonly side: 'client' | 'server';
  readonly ctx: NativeHandle;
  readonly mech: GssMech;
  /** Initiator only: the imported target name, kept for later legs. */
  target: NativeHandle | null;
  /** Initiator only: the credential entry, to record the service ticket once obtained. */
  credEntry?: CredEntry;
  /** Initiator only: the target as given. */
  targetName?: string;
  /** Initiator only: the first leg used a pinned service ticket (see adapter/pins.ts). */
  pinned?: boolean;
  cred: NativeHandle | null;
  /** ISC_REQ / ASC_REQ bits of the first leg. */
  readonly requested: number;
  complete: boolean;
  gssFlags: number;
  /** Milliseconds since the epoch when the context was established and when it expires. */
  start: number;
  expiry: number;
  /**
   * Acceptor only: the authenticated initiator's name (owned). Fetched from the context on first
   * use (accepting without it is faster); null until then, and always for an imported context.
   */
  source: NativeHandle | null;
  /** True for a context rebuilt by ImportSecurityContext (its name carries no authorization data). */
  imported?: boolean;
  /** Acceptor only: a credential the client delegated (owned). */
  delegated: NativeHandle | null;
  /** DER of the negotiated mechanism (krb5 under SPNEGO once known). */
  negotiated: Uint8Array;
  /**
   * Acceptor only: the client's local name and account, resolved on worker threads when the
   * context completed because the user database may wait on a network (see token.ts).
   */
  account?: ResolvedAccount;
  /** Acceptor only: a leg's input carried channel bindings, which the client must then have sent. */
  bindingsGiven?: boolean;
  /** Acceptor only: copied from the credential (CredEntry.allowSystemAccounts). */
  allowSystemAccounts?: boolean;
  /** Acceptor only: the shared replay record this context's AP-REQ goes to (credential over package). */
  replay?: ReplayCheck;
  /** Acceptor only: an AP-REQ of this context was recorded there. */
  replayRecorded?: boolean;
  /** The error behind the last failed per-message call (the user table's failureCause). */
  lastFailure?: Error | undefined;
  /**
   * Per-message tokens made in TypeScript (src/lucid), set up on the first per-message call;
   * null when this context's tokens stay with the library. Its keys are wiped when the context goes.
   */
  rfc4121?: Rfc4121Session | null;
}

/** What gss_localname and the user database say about an authenticated client. */
export interface ResolvedAccount {
  readonly local: string | null;
  readonly account: LocalAccount | null;
}

/** Handle tables for one package instance. */
export class HandleTables {
  readonly creds = new Map<number, CredEntry>();
  readonly targets = new TargetNameCache();
  readonly contexts = new Map<number, CtxEntry>();
  #next = 1;

  /** Registers a new context entry; it keeps its credential alive until the context is deleted. */
  addContext(entry: CtxEntry): number {
    const handle = this.issue();
    entry.cred?.pin();
    this.contexts.set(handle, entry);
    return handle;
  }

  /** A new unique handle number. */
  issue(): number {
    return this.#next++;
  }

  /** Releases every native object of a context. */
  dropContext(handle: number): boolean {
    const e = this.contexts.get(handle);
    if (e === undefined) return false;
    this.contexts.delete(handle);
    // The context held its credential pinned (a credential freed while contexts use it lives on).
    e.cred?.unpin();
    e.ctx.release();
    e.rfc4121?.wipe();
    e.rfc4121 = null;
    // Target names are shared through the cache: the context only gives back its pin.
    e.target?.unpin();
    e.source?.release();
    e.delegated?.release();
    return true;
  }
}
