/** The FFI layer's error: a GSS outcome, its mapped SSPI status, and the library's own text. */
import { GSS_C_GSS_CODE, GSS_C_MECH_CODE, isGssError } from './major.js';
import { takeBufferDesc } from './memory.js';
import type { GssLibrary } from './library.js';
import { isKnownMinor, MappedStatus, mapGssStatus } from './status-map.js';
import { krb5CodeForText } from './krb5-text.js';
import type { CallPhase, MappedStatusName } from './status-map.js';

const BRAND = Symbol.for('sspkit.GssError');

/** A failed GSSAPI call. `status` is the SSPI value; `messages` is gss_display_status's text. */
export class GssError extends Error {
  override readonly name = 'GssError';
  readonly [BRAND] = true;
  readonly status: number;
  constructor(
    readonly call: string,
    readonly major: number,
    readonly minor: number,
    readonly statusName: MappedStatusName,
    readonly messages: readonly string[],
  ) {
    super(`${call}: ${messages.join('; ') || `major 0x${(major >>> 0).toString(16)}, minor ${minor}`}`);
    this.status = MappedStatus[statusName];
  }
}

/** Brand check that survives duplicate installs. */
export function isGssErrorObject(value: unknown): value is GssError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

/** gss_display_status's lines for the major code and for the minor code, kept apart. */
function displayStatusParts(
  lib: GssLibrary,
  major: number,
  minor: number,
  mech: bigint | null,
): { gss: string[]; mechanism: string[] } {
  const collect = (code: number, type: number, mechOid: bigint | null): string[] => {
    const lines: string[] = [];
    const scratchMinor = Buffer.alloc(4);
    const context = Buffer.alloc(4);
    const desc = Buffer.alloc(lib.layout.bufferDesc.size);
    // The message context walks multi-line messages; bounded in case a buggy mech never resets it.
    for (let i = 0; i < 8; i++) {
      const rc = lib.gss.gss_display_status(scratchMinor, code >>> 0, type, mechOid, context, desc);
      if (isGssError(rc)) break;
      const text = takeBufferDesc(lib, scratchMinor, desc).toString('utf8');
      if (text !== '' && !lines.includes(text)) lines.push(text);
      if (context.readUInt32LE(0) === 0) break;
    }
    return lines;
  };
  return {
    gss: collect(major, GSS_C_GSS_CODE, null),
    mechanism: minor === 0 ? [] : collect(minor, GSS_C_MECH_CODE, mech ?? lib.oids.mechKrb5),
  };
}

/** Throws a GssError when `major` carries an error or a replay/ordering bit (SEC_E_OUT_OF_SEQUENCE). */
export function check(
  lib: GssLibrary,
  call: string,
  major: number,
  minorBuf: Buffer,
  mech: bigint | null = null,
  phase?: CallPhase,
  side?: 'initiator',
): void {
  const statusName = mapGssStatus(major, minorBuf.readUInt32LE(0), phase, side);
  if (statusName === 'SEC_E_OK') return;
  const minor = minorBuf.readUInt32LE(0);
  const parts = displayStatusParts(lib, major, minor, mech);
  let mapped: MappedStatusName = statusName;
  if (!isKnownMinor(minor)) {
    // The mechglue renumbers a minor code when another mechanism (SPNEGO wrapping krb5) reports
    // a value already registered for krb5; the text still names the krb5 error, so recover it.
    const recovered = parts.mechanism.map((text) => krb5CodeForText(text)).find((c) => c !== undefined);
    if (recovered !== undefined) mapped = mapGssStatus(major, recovered, phase, side);
  }
  throw new GssError(call, major >>> 0, minor | 0, mapped, [...parts.gss, ...parts.mechanism]);
}
