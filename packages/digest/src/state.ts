/** The state one loaded Digest module keeps: credential and context records behind LSA handles. */
import { SecBufferFlag, SecStatus, writeBuffer } from '@sspkit/core';
import type { SecBuffer } from '@sspkit/core';
import type { DigestContextRecord } from './context.js';
import type { DigestCredential, DigestModuleDefaults } from './credentials.js';
import type { DigestError } from './errors.js';
import { statusForCode } from './status-map.js';
import type { Step } from './step.js';
import { wireToBytes } from './bytes.js';

/** Handles and records of one module instance (a DLL's globals, in Windows terms). */
export class DigestState {
  readonly credentials = new Map<number, DigestCredential>();
  readonly contexts = new Map<number, DigestContextRecord>();
  readonly defaults: DigestModuleDefaults;
  #next = 1;

  constructor(defaults: DigestModuleDefaults) {
    this.defaults = defaults;
  }

  /** A fresh LSA handle value. */
  nextHandle(): number {
    return this.#next++;
  }
}

/** Status of a failed step. */
export function errorStatus(error: DigestError): number {
  return statusForCode(error.code);
}

/** Status of a successful step (the Digest SSP's semantics, Microsoft Learn). */
export function stepStatus(step: Step): number {
  if (step.next === 'continue')
    return step.completeNeeded ? SecStatus.SEC_I_COMPLETE_AND_CONTINUE : SecStatus.SEC_I_CONTINUE_NEEDED;
  return step.completeNeeded ? SecStatus.SEC_I_COMPLETE_NEEDED : SecStatus.SEC_E_OK;
}

/**
 * Writes a byte-string token into an output buffer. `allocate` follows *_REQ_ALLOCATE_MEMORY; calls
 * without that flag (CompleteAuthToken, MakeSignature) allocate when the caller passed an empty buffer.
 */
export function emit(buffer: SecBuffer | undefined, token: string | undefined, allocate: boolean | 'if-empty'): number {
  const bytes = wireToBytes(token ?? '');
  if (buffer === undefined) return bytes.length === 0 ? SecStatus.SEC_E_OK : SecStatus.SEC_E_INVALID_TOKEN;
  if ((buffer.flags & SecBufferFlag.READONLY) !== 0)
    return bytes.length === 0 ? SecStatus.SEC_E_OK : SecStatus.SEC_E_INVALID_TOKEN;
  if (bytes.length === 0) {
    // Nothing to send: cbBuffer becomes 0 so the caller does not transmit stale bytes.
    buffer.data = buffer.data.subarray(0, 0);
    return SecStatus.SEC_E_OK;
  }
  const alloc = allocate === 'if-empty' ? buffer.data.length === 0 : allocate;
  return writeBuffer(buffer, bytes, alloc);
}
