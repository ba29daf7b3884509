/**
 * The shared replay check of the native acceptors (issue 14): every AP-REQ authenticator the
 * library accepts is recorded once in a ReplayStore shared by every server instance, so an AP-REQ
 * accepted by one instance is refused by all the others (RFC 4120 §3.2.3: "the server MUST utilize
 * a replay cache"). MIT's own replay cache stays on; it is per host (a file) or per process.
 *
 * Order, as MIT's krb5_rd_req (rd_req_dec.c): the ticket and the authenticator are decrypted and
 * checked first, then the authenticator is stored in the replay cache, then the times are checked.
 * Here the library's gss_accept_sec_context does the first part, and the record is made after it
 * succeeds and before the context is handed out: a forged or corrupted authenticator (which fails
 * to decrypt) never reaches the store, so an unauthenticated sender can neither poison the record
 * of a genuine AP-REQ nor fill the store.
 */
import { createHash } from 'node:crypto';
import { SecStatus } from '@sspkit/core';
import type { ReplayStore } from '@sspkit/core';
import { configuredClockSkewSeconds } from '../ffi/clockskew.js';
import { GssRoutine, Krb5Minor, MappedStatus, mapGssStatus } from '../ffi/index.js';
import { authenticatorOf } from './ap-req.js';
import type { ApReqAuthenticator } from './ap-req.js';
import type { CtxEntry } from './state.js';

/** Replay options of a native package (module default) or of one acceptor credential. */
export interface NativeReplayOptions {
  /** Where accepted authenticators are recorded (default: none, MIT's own replay cache only). */
  readonly replayStore?: ReplayStore;
  /** Allowed clock skew in seconds (default: `[libdefaults] clockskew` of krb5.conf, else 300). */
  readonly clockSkewSeconds?: number;
  /** How long the store may take to answer before the leg fails closed (default 2,000 ms). */
  readonly replayTimeoutMs?: number;
}

/** Default bound on one store round trip. */
export const DEFAULT_REPLAY_TIMEOUT_MS = 2_000;

/** What an acceptor leg checks against. */
export interface ReplayCheck {
  readonly store: ReplayStore;
  readonly skewMs: number;
  readonly timeoutMs: number;
}

/**
 * The status MIT's own replay cache refusal gets (KRB5KRB_AP_ERR_REPEAT through the status table):
 * a replay refused by the shared record reads exactly as one refused by the host's cache.
 */
export const REPLAY_STATUS =
  MappedStatus[mapGssStatus(GssRoutine.FAILURE, Krb5Minor.KRB5KRB_AP_ERR_REPEAT, 'accept-first')];

/**
 * A store that cannot answer: the same status as a KDC that cannot be reached, since the acceptor
 * cannot authenticate without it and the client may try again later; SEC_E_INTERNAL_ERROR is kept
 * for faults of the package itself.
 */
export const STORE_DOWN_STATUS = SecStatus.SEC_E_NO_AUTHENTICATING_AUTHORITY;

function positive(v: number | undefined): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0;
}

/** Validates replay options (credential or module); an error message, or undefined. */
export function invalidReplayOptions(o: NativeReplayOptions): string | undefined {
  if (o.replayStore !== undefined && typeof (o.replayStore as Partial<ReplayStore>).recordOnce !== 'function')
    return 'replayStore has no recordOnce()';
  if (o.clockSkewSeconds !== undefined && !positive(o.clockSkewSeconds)) return 'clockSkewSeconds must be > 0';
  if (o.replayTimeoutMs !== undefined && !positive(o.replayTimeoutMs)) return 'replayTimeoutMs must be > 0';
  return undefined;
}

/** The check a credential uses: its own options over the package's; undefined without a store. */
export function replayCheckFor(cred: NativeReplayOptions, pkg: NativeReplayOptions): ReplayCheck | undefined {
  const store = cred.replayStore ?? pkg.replayStore;
  if (store === undefined) return undefined;
  const skew = cred.clockSkewSeconds ?? pkg.clockSkewSeconds ?? configuredClockSkewSeconds();
  return {
    store,
    skewMs: skew * 1000,
    timeoutMs: cred.replayTimeoutMs ?? pkg.replayTimeoutMs ?? DEFAULT_REPLAY_TIMEOUT_MS,
  };
}

/**
 * The record's key. MIT's rcache2 keys on the authenticator ciphertext's checksum (its last bytes,
 * k5_rc_tag_from_ciphertext), which no one can produce without the session key; this key hashes the
 * whole ciphertext (SHA-256), which contains that checksum, with the etype, so any store (Redis keys
 * included) holds a fixed-size value and never the ciphertext itself.
 */
export function replayKey(a: ApReqAuthenticator): string {
  const h = createHash('sha256');
  const etype = Buffer.alloc(4);
  etype.writeInt32BE(a.etype);
  h.update(etype).update(a.cipher);
  return `krb5-ap-req:${h.digest('hex')}`;
}

/**
 * How long the record must hold a key: an authenticator stamped up to one skew ahead of this clock
 * is acceptable until one skew after its stamp (RFC 4120 §3.2.3), i.e. until now + 2 × skew. (MIT's
 * rcache2 keeps a tag for one skew after storing it.)
 */
export function retainUntil(check: ReplayCheck, now: number): number {
  return now + 2 * check.skewMs;
}

/** A refusal: the status and why. */
export interface ReplayRefusal {
  readonly status: number;
  readonly cause: Error;
}

/**
 * Records an accepted authenticator; a refusal when it was already recorded (by any instance) or
 * the store could not answer in time (fail closed: never an acceptance).
 */
export async function recordAuthenticator(
  check: ReplayCheck,
  a: ApReqAuthenticator,
  now = Date.now(),
): Promise<ReplayRefusal | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the replay store did not answer within ${check.timeoutMs} ms`)),
      check.timeoutMs,
    );
  });
  try {
    const verdict = await Promise.race([check.store.recordOnce(replayKey(a), retainUntil(check, now)), late]);
    if (verdict === 'fresh') return undefined;
    if (verdict === 'replay') {
      return {
        status: REPLAY_STATUS,
        cause: new Error('the AP-REQ is a replay: its authenticator was already accepted (shared replay record)'),
      };
    }
    return { status: STORE_DOWN_STATUS, cause: new Error(`the replay store answered ${String(verdict)}`) };
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return {
      status: STORE_DOWN_STATUS,
      cause: new Error(`the replay store could not record the authenticator: ${reason}`, { cause: err }),
    };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The check of one acceptor leg the library accepted: the AP-REQ it carried (if any) is recorded,
 * and a context that completes must have had one recorded. Otherwise a token the library reads but
 * this reader does not (some BER MIT tolerates) would be accepted without the shared check.
 */
export async function checkAcceptedLeg(
  entry: CtxEntry,
  token: Uint8Array,
  continueNeeded: boolean,
): Promise<ReplayRefusal | undefined> {
  const check = entry.replay;
  if (check === undefined) return undefined;
  const authenticator = authenticatorOf(token, entry.mech);
  if (authenticator !== undefined) {
    const refused = await recordAuthenticator(check, authenticator);
    if (refused !== undefined) return refused;
    entry.replayRecorded = true;
  }
  if (continueNeeded || entry.replayRecorded === true) return undefined;
  return {
    status: SecStatus.SEC_E_INVALID_TOKEN,
    cause: new Error('the context completed, but no AP-REQ in its tokens could be read for the shared replay check'),
  };
}
