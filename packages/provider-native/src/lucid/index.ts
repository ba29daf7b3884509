/**
 * Per-message protection in TypeScript for established krb5 contexts (issue 15): the context's
 * keys and sequence numbers are read once from the library (ffi/lucid.ts) and every later MIC and
 * Wrap token is made and checked here — AES through OpenSSL's EVP (ffi/evp.ts) or node:crypto,
 * HMAC-SHA-1 in TypeScript — which costs a fraction of a library call through the FFI for short
 * messages. Contexts this cannot serve keep using the library.
 */
import { evpAesEngine } from '../ffi/evp.js';
import { exportLucid, GssFlag } from '../ffi/index.js';
import { nodeAesEngine } from './aes-engine.js';
import type { LucidContext, NativeHandle } from '../ffi/index.js';
import { ContextKeys } from './keys.js';
import { SeqState, SEQSTATE_BYTES } from './seqstate.js';
import { Rfc4121Session } from './session.js';

export { Rfc4121Session } from './session.js';
export type { DataPiece } from './session.js';

/** Bytes of Rfc4121Session.saveState(). */
export const SESSION_STATE_BYTES = 8 + SEQSTATE_BYTES;

/**
 * A session from a lucid export, or null when the context's tokens are not RFC 4121 ones sspkit
 * makes (RFC 1964 enctypes, Camellia, DCE-style contexts). `saved` restores the sequence state an
 * ExportSecurityContext recorded (the library's own copy is stale once sspkit made tokens).
 */
export function sessionFromLucid(lucid: LucidContext, gssFlags: number, saved?: Uint8Array): Rfc4121Session | null {
  const wipe = (): void => {
    lucid.ctxKey?.key.fill(0);
    lucid.acceptorSubkey?.key.fill(0);
  };
  if (lucid.protocol !== 1 || (gssFlags & GssFlag.DCE_STYLE) !== 0) {
    wipe();
    return null;
  }
  // AES through OpenSSL's EVP when it can be called (ffi/evp.ts), else node:crypto.
  const keys = ContextKeys.of(lucid.ctxKey, lucid.acceptorSubkey, evpAesEngine() ?? nodeAesEngine);
  if (keys === null) {
    wipe();
    return null;
  }
  if (saved !== undefined && saved.length === SESSION_STATE_BYTES) {
    const b = Buffer.from(saved.buffer, saved.byteOffset, saved.byteLength);
    return new Rfc4121Session(keys, lucid.initiate, b.readBigUInt64BE(0), SeqState.load(saved, 8));
  }
  const recv = new SeqState(lucid.recvSeq, (gssFlags & GssFlag.REPLAY) !== 0, (gssFlags & GssFlag.SEQUENCE) !== 0);
  return new Rfc4121Session(keys, lucid.initiate, lucid.sendSeq, recv);
}

/** Exports the context's lucid state and builds a session from it (null: keep the library). */
export function openSession(ctx: NativeHandle, gssFlags: number, saved?: Uint8Array): Rfc4121Session | null {
  return sessionFromLucid(exportLucid(ctx), gssFlags, saved);
}
