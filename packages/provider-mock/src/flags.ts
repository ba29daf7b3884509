/**
 * The Mock's generic capability bits, and how ISC/ASC request and return flags map to them
 * (a data table, per side, as the four flag sets differ).
 */
import { AscReq, AscRet, IscReq, IscRet } from '@sspkit/core';

export const Cap = {
  DELEGATE: 0x1,
  MUTUAL: 0x2,
  REPLAY: 0x4,
  SEQUENCE: 0x8,
  CONFIDENTIALITY: 0x10,
  INTEGRITY: 0x20,
  CONNECTION: 0x40,
} as const;

type Row = readonly [cap: number, iscReq: number, iscRet: number, ascReq: number, ascRet: number];

const TABLE: readonly Row[] = [
  [Cap.DELEGATE, IscReq.DELEGATE, IscRet.DELEGATE, AscReq.DELEGATE, AscRet.DELEGATE],
  [Cap.MUTUAL, IscReq.MUTUAL_AUTH, IscRet.MUTUAL_AUTH, AscReq.MUTUAL_AUTH, AscRet.MUTUAL_AUTH],
  [Cap.REPLAY, IscReq.REPLAY_DETECT, IscRet.REPLAY_DETECT, AscReq.REPLAY_DETECT, AscRet.REPLAY_DETECT],
  [Cap.SEQUENCE, IscReq.SEQUENCE_DETECT, IscRet.SEQUENCE_DETECT, AscReq.SEQUENCE_DETECT, AscRet.SEQUENCE_DETECT],
  [Cap.CONFIDENTIALITY, IscReq.CONFIDENTIALITY, IscRet.CONFIDENTIALITY, AscReq.CONFIDENTIALITY, AscRet.CONFIDENTIALITY],
  [Cap.INTEGRITY, IscReq.INTEGRITY, IscRet.INTEGRITY, AscReq.INTEGRITY, AscRet.INTEGRITY],
  [Cap.CONNECTION, IscReq.CONNECTION, IscRet.CONNECTION, AscReq.CONNECTION, AscRet.CONNECTION],
];

function map(value: number, from: 1 | 3 | 0, to: 0 | 2 | 4): number {
  let out = 0;
  for (const row of TABLE) if ((value & row[from]) !== 0) out |= row[to];
  return out >>> 0;
}

/** ISC_REQ_* → generic bits. */
export const capsFromIscReq = (req: number): number => map(req, 1, 0);
/** ASC_REQ_* → generic bits. */
export const capsFromAscReq = (req: number): number => map(req, 3, 0);
/** Generic bits → ISC_RET_*. */
export const iscRetFromCaps = (caps: number): number => map(caps, 0, 2);
/** Generic bits → ASC_RET_*. */
export const ascRetFromCaps = (caps: number): number => map(caps, 0, 4);
