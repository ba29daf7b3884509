/** Small helpers shared by the check files. */
import { AscRet, IscRet, SecPkgFlag, SecStatus, isSuccess } from '@sspkit/core';
import type { CtxtHandle } from '@sspkit/core';
import type { Harness, Pair } from '../harness.js';
import { messageBytes, seal, sign, unseal, verify } from '../messages.js';
import type { CheckContext } from '../types.js';

export const S = SecStatus;

/**
 * Whether `mode` applies: the package declares its capability (INTEGRITY for `sign`, PRIVACY for
 * `seal`) and the baseline handshake granted the matching ISC_RET and ASC_RET flags. A round trip
 * needs both sides, and an application must not call per-message functions on a context that was
 * not granted them (HTTP Digest declares INTEGRITY for its SASL mode and grants none in HTTP mode;
 * a one-sided grant fails handshake.flags-agree). A failed baseline counts as granted, so the check
 * runs and fails on its own handshake instead of skipping.
 */
export function offers(h: Harness, mode: 'sign' | 'seal'): boolean {
  const [cap, isc, asc] =
    mode === 'sign'
      ? [SecPkgFlag.INTEGRITY, IscRet.INTEGRITY, AscRet.INTEGRITY]
      : [SecPkgFlag.PRIVACY, IscRet.CONFIDENTIALITY, AscRet.CONFIDENTIALITY];
  if (!h.declares(cap)) return false;
  const b = h.probe.baseline;
  return !b.ok || ((b.clientFlags & isc) !== 0 && (b.serverFlags & asc) !== 0);
}

/** Which protection applies (see {@link offers}): `sign`, else `seal`, else none. */
export function protection(h: Harness): 'sign' | 'seal' | undefined {
  if (offers(h, 'sign')) return 'sign';
  if (offers(h, 'seal')) return 'seal';
  return undefined;
}

/** Skips unless the package declares integrity or confidentiality and the handshake grants it. */
export function needProtection(h: Harness, t: CheckContext): 'sign' | 'seal' {
  const p = protection(h);
  if (p) return p;
  if (!h.declares(SecPkgFlag.INTEGRITY) && !h.declares(SecPkgFlag.PRIVACY))
    t.skip('the package declares neither SECPKG_FLAG_INTEGRITY nor SECPKG_FLAG_PRIVACY');
  t.skip(
    'the handshake granted neither INTEGRITY nor CONFIDENTIALITY on both sides (ISC_RET and ASC_RET): an application may not call the per-message functions',
  );
}

/** Skips unless `mode` applies (the gate already checked the declared capability). */
export function needMode(h: Harness, t: CheckContext, mode: 'sign' | 'seal'): void {
  const [flags, call] =
    mode === 'sign'
      ? ['ISC_RET_INTEGRITY and ASC_RET_INTEGRITY', 'MakeSignature']
      : ['ISC_RET_CONFIDENTIALITY and ASC_RET_CONFIDENTIALITY', 'EncryptMessage'];
  if (!offers(h, mode)) t.skip(`the handshake did not grant ${flags}: an application may not call ${call}`);
}

/**
 * The protection one context was granted: `sign` when the package declares INTEGRITY and the
 * handshake returned ISC_RET/ASC_RET_INTEGRITY, else `seal` likewise for CONFIDENTIALITY, else none
 * (a package may protect messages in one mode and not in another: HTTP Digest).
 */
export function grantedProtection(
  h: Harness,
  side: 'client' | 'server',
  attributes: number,
): 'sign' | 'seal' | undefined {
  const [integrity, confidentiality] =
    side === 'client' ? [IscRet.INTEGRITY, IscRet.CONFIDENTIALITY] : [AscRet.INTEGRITY, AscRet.CONFIDENTIALITY];
  if (h.declares(SecPkgFlag.INTEGRITY) && (attributes & integrity) !== 0) return 'sign';
  if (h.declares(SecPkgFlag.PRIVACY) && (attributes & confidentiality) !== 0) return 'seal';
  return undefined;
}

/** Calls a raw table slot (underneath the dispatcher), turning a throw into a description. */
export function rawCall(fn: () => unknown): number | string {
  try {
    const r = fn();
    const st = typeof r === 'number' ? r : (r as { status?: unknown } | undefined)?.status;
    return typeof st === 'number' ? st >>> 0 : 'no status';
  } catch (e) {
    return `a throw (${e instanceof Error ? e.name : 'exception'})`;
  }
}

/** Sends one message from `from` to `to` with the given protection; records both statuses. */
export function exchange(
  h: Harness,
  t: CheckContext,
  mode: 'sign' | 'seal',
  from: CtxtHandle,
  to: CtxtHandle,
  label: string,
): void {
  const data = messageBytes(label, 40);
  if (mode === 'sign') {
    const s = sign(h.sspiOf(from), from, data, h.generous);
    t.status(`MakeSignature (${label})`, s.status, [S.SEC_E_OK]);
    t.status(`VerifySignature (${label})`, verify(h.sspiOf(to), to, s.wire), [S.SEC_E_OK]);
  } else {
    const s = seal(h.sspiOf(from), from, data, h.generous);
    t.status(`EncryptMessage (${label})`, s.status, [S.SEC_E_OK]);
    const u = unseal(h.sspiOf(to), to, s.wire);
    t.status(`DecryptMessage (${label})`, u.status, [S.SEC_E_OK]);
    t.ensure(
      Buffer.compare(u.data, data) === 0,
      `DecryptMessage (${label}) plaintext`,
      'different bytes',
      'the original plaintext',
    );
  }
}

/** One message each way on an established pair. */
export function bothWays(h: Harness, t: CheckContext, mode: 'sign' | 'seal', p: Pair, label: string): void {
  exchange(h, t, mode, p.client, p.server, `${label} client→server`);
  exchange(h, t, mode, p.server, p.client, `${label} server→client`);
}

/** The attribute query of a context, or a skip when the package has no query slot. */
export function query(
  h: Harness,
  t: CheckContext,
  ctx: CtxtHandle,
  attribute: number,
): { status: number; buffer?: unknown } {
  if (!h.probe.slots.has('user.queryContextAttributes') && !h.probe.slots.has('lsa.queryContextAttributes'))
    t.skip('the package has no queryContextAttributes slot');
  return h.sspiOf(ctx).queryContextAttributes(ctx, attribute);
}

/** Runs an optional attribute: skip when the package answers SEC_E_UNSUPPORTED_FUNCTION, else require SEC_E_OK. */
export function optionalAttribute(
  h: Harness,
  t: CheckContext,
  ctx: CtxtHandle,
  attribute: number,
  name: string,
): unknown {
  const r = query(h, t, ctx, attribute);
  if (r.status === S.SEC_E_UNSUPPORTED_FUNCTION)
    t.skip(`the package does not support ${name} (SEC_E_UNSUPPORTED_FUNCTION)`);
  t.status(`QueryContextAttributes(${name}) on the ${ctx.side}`, r.status, [S.SEC_E_OK]);
  return r.buffer;
}

/** Whether a status is a success. */
export const ok = isSuccess;
