/**
 * SSPI request/return flags ↔ GSS context flags, as data (one row per correspondence). ISC and ASC
 * use different bit values above 0x40, so each direction has its own table.
 */
import { AscReq, AscRet, IscReq, IscRet } from '@sspkit/core';
import { GssFlag } from '../ffi/index.js';

/** ISC_REQ_* bits → the GSS flags gss_init_sec_context is asked for. */
export const ISC_REQ_TO_GSS: readonly (readonly [number, number])[] = [
  [IscReq.DELEGATE, GssFlag.DELEG],
  [IscReq.MUTUAL_AUTH, GssFlag.MUTUAL],
  [IscReq.REPLAY_DETECT, GssFlag.REPLAY],
  [IscReq.SEQUENCE_DETECT, GssFlag.SEQUENCE],
  [IscReq.CONFIDENTIALITY, GssFlag.CONF],
  [IscReq.INTEGRITY, GssFlag.INTEG],
  [IscReq.USE_DCE_STYLE, GssFlag.DCE_STYLE],
  [IscReq.IDENTIFY, GssFlag.IDENTIFY],
  [IscReq.EXTENDED_ERROR, GssFlag.EXTENDED_ERROR],
];

/** GSS flags granted → ISC_RET_* bits. */
export const GSS_TO_ISC_RET: readonly (readonly [number, number])[] = [
  [GssFlag.DELEG, IscRet.DELEGATE],
  [GssFlag.MUTUAL, IscRet.MUTUAL_AUTH],
  [GssFlag.REPLAY, IscRet.REPLAY_DETECT],
  [GssFlag.SEQUENCE, IscRet.SEQUENCE_DETECT],
  [GssFlag.CONF, IscRet.CONFIDENTIALITY],
  [GssFlag.INTEG, IscRet.INTEGRITY],
  [GssFlag.DCE_STYLE, IscRet.USED_DCE_STYLE],
  [GssFlag.IDENTIFY, IscRet.IDENTIFY],
  [GssFlag.EXTENDED_ERROR, IscRet.EXTENDED_ERROR],
];

/** GSS flags granted → ASC_RET_* bits. */
export const GSS_TO_ASC_RET: readonly (readonly [number, number])[] = [
  [GssFlag.DELEG, AscRet.DELEGATE],
  [GssFlag.MUTUAL, AscRet.MUTUAL_AUTH],
  [GssFlag.REPLAY, AscRet.REPLAY_DETECT],
  [GssFlag.SEQUENCE, AscRet.SEQUENCE_DETECT],
  [GssFlag.CONF, AscRet.CONFIDENTIALITY],
  [GssFlag.INTEG, AscRet.INTEGRITY],
  [GssFlag.DCE_STYLE, AscRet.USED_DCE_STYLE],
  [GssFlag.IDENTIFY, AscRet.IDENTIFY],
  [GssFlag.EXTENDED_ERROR, AscRet.EXTENDED_ERROR],
];

/**
 * Request bits that are about the SSPI call, not the security context, echoed back as return
 * bits when asked for: memory allocation, and the connection semantics every GSS context has.
 */
const ISC_ECHO: readonly (readonly [number, number])[] = [
  [IscReq.ALLOCATE_MEMORY, IscRet.ALLOCATED_MEMORY],
  [IscReq.CONNECTION, IscRet.CONNECTION],
];
const ASC_ECHO: readonly (readonly [number, number])[] = [
  [AscReq.ALLOCATE_MEMORY, AscRet.ALLOCATED_MEMORY],
  [AscReq.CONNECTION, AscRet.CONNECTION],
];

/** Translates bits through a table. */
function translate(bits: number, table: readonly (readonly [number, number])[]): number {
  let out = 0;
  for (const [from, to] of table) if ((bits & from) !== 0) out |= to;
  return out >>> 0;
}

/** ISC_REQ_* → GSS request flags. */
export function gssFlagsFromIscReq(req: number): number {
  return translate(req, ISC_REQ_TO_GSS);
}

/** GSS granted flags (+ echoed request bits) → ISC_RET_*. */
export function iscRetFromGss(gss: number, req: number): number {
  return (translate(gss, GSS_TO_ISC_RET) | translate(req, ISC_ECHO)) >>> 0;
}

/** GSS granted flags (+ echoed request bits) → ASC_RET_*. */
export function ascRetFromGss(gss: number, req: number): number {
  return (translate(gss, GSS_TO_ASC_RET) | translate(req, ASC_ECHO)) >>> 0;
}
