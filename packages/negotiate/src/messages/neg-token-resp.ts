/**
 * NegTokenResp (RFC 4178 §4.2.2):
 *
 *   NegTokenResp ::= SEQUENCE { negState [0] ENUMERATED OPTIONAL, supportedMech [1] MechType OPTIONAL,
 *                               responseToken [2] OCTET STRING OPTIONAL, mechListMIC [3] OCTET STRING OPTIONAL }
 */
import type { DecodeResult, Tlv } from '@sspkit/der';
import {
  enumerated,
  enumeratedOf,
  explicit,
  fail,
  octets,
  octetString,
  oid,
  oidOf,
  ok,
  sequence,
  taggedFields,
} from '@sspkit/der';

/** negState (RFC 4178 §4.2.2). */
export const NegState = {
  acceptCompleted: 0,
  acceptIncomplete: 1,
  reject: 2,
  requestMic: 3,
} as const;
export type NegStateValue = (typeof NegState)[keyof typeof NegState];

/** A decoded NegTokenResp. */
export interface NegTokenResp {
  readonly kind: 'resp';
  readonly negState?: NegStateValue;
  readonly supportedMech?: string;
  readonly responseToken?: Uint8Array;
  readonly mechListMIC?: Uint8Array;
}

/** What the encoder needs. */
export type NegTokenRespFields = Omit<NegTokenResp, 'kind'>;

/** The NegTokenResp SEQUENCE (not yet tagged [1]). */
export function negTokenRespBody(f: NegTokenRespFields): Uint8Array {
  const parts: Uint8Array[] = [];
  if (f.negState !== undefined) parts.push(explicit(0, enumeratedOf(f.negState)));
  if (f.supportedMech !== undefined) parts.push(explicit(1, oidOf(f.supportedMech)));
  if (f.responseToken !== undefined) parts.push(explicit(2, octetString(f.responseToken)));
  if (f.mechListMIC !== undefined) parts.push(explicit(3, octetString(f.mechListMIC)));
  return sequence(...parts);
}

function isNegState(n: number): n is NegStateValue {
  return n === 0 || n === 1 || n === 2 || n === 3;
}

/** Decodes the NegTokenResp SEQUENCE node. */
export function decodeNegTokenRespNode(seq: Tlv): DecodeResult<NegTokenResp> {
  const fields = taggedFields(seq, [0, 1, 2, 3], 'NegTokenResp');
  if (!fields.ok) return fields;
  const f = fields.value;
  let negState: NegStateValue | undefined;
  const stateNode = f.get(0);
  if (stateNode !== undefined) {
    const v = enumerated(stateNode, 'negState');
    if (!v.ok) return v;
    if (!isNegState(v.value)) return fail('bad-value', `negState ${v.value}`);
    negState = v.value;
  }
  let supportedMech: string | undefined;
  const mechNode = f.get(1);
  if (mechNode !== undefined) {
    const m = oid(mechNode, 'supportedMech');
    if (!m.ok) return m;
    supportedMech = m.value;
  }
  let responseToken: Uint8Array | undefined;
  const tokenNode = f.get(2);
  if (tokenNode !== undefined) {
    const t = octets(tokenNode, 'responseToken');
    if (!t.ok) return t;
    responseToken = t.value;
  }
  let mechListMIC: Uint8Array | undefined;
  const micNode = f.get(3);
  if (micNode !== undefined) {
    const m = octets(micNode, 'mechListMIC');
    if (!m.ok) return m;
    mechListMIC = m.value;
  }
  return ok({
    kind: 'resp',
    ...(negState !== undefined && { negState }),
    ...(supportedMech !== undefined && { supportedMech }),
    ...(responseToken !== undefined && { responseToken }),
    ...(mechListMIC !== undefined && { mechListMIC }),
  });
}
