/** Small helpers shared by the check files. */
import { SecPkgFlag, SecStatus, isSuccess } from '@sspkit/core';
import type { CtxtHandle } from '@sspkit/core';
import type { Harness, Pair } from '../harness.js';
import { messageBytes, seal, sign, unseal, verify } from '../messages.js';
import type { CheckContext } from '../types.js';

export const S = SecStatus;

/** Which protection the package declares: `sign` (INTEGRITY), else `seal` (PRIVACY), else none. */
export function protection(h: Harness): 'sign' | 'seal' | undefined {
  if (h.declares(SecPkgFlag.INTEGRITY)) return 'sign';
  if (h.declares(SecPkgFlag.PRIVACY)) return 'seal';
  return undefined;
}

/** Skips unless the package declares integrity or confidentiality. */
export function needProtection(h: Harness, t: CheckContext): 'sign' | 'seal' {
  const p = protection(h);
  if (!p) t.skip('the package declares neither SECPKG_FLAG_INTEGRITY nor SECPKG_FLAG_PRIVACY');
  return p;
}

/** Sends one message from `from` to `to` with the given protection; records both statuses. */
export function exchange(h: Harness, t: CheckContext, mode: 'sign' | 'seal', from: CtxtHandle, to: CtxtHandle, label: string): void {
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
    t.ensure(Buffer.compare(u.data, data) === 0, `DecryptMessage (${label}) plaintext`, 'different bytes', 'the original plaintext');
  }
}

/** One message each way on an established pair. */
export function bothWays(h: Harness, t: CheckContext, mode: 'sign' | 'seal', p: Pair, label: string): void {
  exchange(h, t, mode, p.client, p.server, `${label} client→server`);
  exchange(h, t, mode, p.server, p.client, `${label} server→client`);
}

/** The attribute query of a context, or a skip when the package has no query slot. */
export function query(h: Harness, t: CheckContext, ctx: CtxtHandle, attribute: number): { status: number; buffer?: unknown } {
  if (!h.probe.slots.has('user.queryContextAttributes') && !h.probe.slots.has('lsa.queryContextAttributes')) t.skip('the package has no queryContextAttributes slot');
  return h.sspiOf(ctx).queryContextAttributes(ctx, attribute);
}

/** Runs an optional attribute: skip when the package answers SEC_E_UNSUPPORTED_FUNCTION, else require SEC_E_OK. */
export function optionalAttribute(h: Harness, t: CheckContext, ctx: CtxtHandle, attribute: number, name: string): unknown {
  const r = query(h, t, ctx, attribute);
  if (r.status === S.SEC_E_UNSUPPORTED_FUNCTION) t.skip(`the package does not support ${name} (SEC_E_UNSUPPORTED_FUNCTION)`);
  t.status(`QueryContextAttributes(${name}) on the ${ctx.side}`, r.status, [S.SEC_E_OK]);
  return r.buffer;
}

/** Whether a status is a success. */
export const ok = isSuccess;
