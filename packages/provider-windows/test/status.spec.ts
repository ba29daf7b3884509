import { describe, expect, it } from 'vitest';
import { NtStatus, SecStatus, isSuccess } from '@sspkit/core';
import { isNtStatusError, mapSecur32Status, ntStatusMappings } from '../src/status.js';

describe('secur32 status mapping', () => {
  it('passes every SECURITY_STATUS through unchanged, known or not, SEC_I_* included', () => {
    for (const v of [...Object.values(SecStatus), 0x80091234]) {
      const m = mapSecur32Status(v, 'handshake');
      expect(m).toEqual({ status: v >>> 0, raw: v >>> 0 });
    }
  });

  it('takes the signed LONG koffi returns (SECURITY_STATUS is a LONG)', () => {
    expect(mapSecur32Status(SecStatus.SEC_E_LOGON_DENIED | 0, 'handshake').status).toBe(SecStatus.SEC_E_LOGON_DENIED);
    expect(mapSecur32Status(NtStatus.STATUS_UNSUCCESSFUL | 0, 'acquire').status).toBe(SecStatus.SEC_E_NO_CREDENTIALS);
  });

  it('maps Wine’s leaked STATUS_UNSUCCESSFUL from AcquireCredentialsHandle, keeping the raw value', () => {
    expect(mapSecur32Status(0xc0000001, 'acquire-identity').status).toBe(SecStatus.SEC_E_LOGON_DENIED);
    const m = mapSecur32Status(0xc0000001, 'acquire');
    expect(m.status).toBe(SecStatus.SEC_E_NO_CREDENTIALS);
    expect(m.raw).toBe(0xc0000001);
    expect(m.note).toContain('0xC0000001');
    expect(mapSecur32Status(0xc0000001, 'handshake').status).toBe(SecStatus.SEC_E_INTERNAL_ERROR);
  });

  it('maps every NTSTATUS of the table to an SEC_E error (never a success), and unknown ones to the call’s default', () => {
    for (const call of ['acquire', 'acquire-identity', 'handshake', 'message', 'query', 'other'] as const) {
      for (const [nt, sec] of ntStatusMappings(call)) {
        expect(isNtStatusError(nt)).toBe(true);
        expect(mapSecur32Status(nt, call).status).toBe(sec);
        expect(isSuccess(sec)).toBe(false);
        expect(Object.values(SecStatus)).toContain(sec);
      }
    }
    expect(mapSecur32Status(0xc0001234, 'message').status).toBe(SecStatus.SEC_E_INTERNAL_ERROR);
    expect(mapSecur32Status(NtStatus.STATUS_LOGON_FAILURE, 'handshake').status).toBe(SecStatus.SEC_E_LOGON_DENIED);
  });

  it('does not take SEC_E values (severity 10, facility 9) for NTSTATUS', () => {
    expect(isNtStatusError(SecStatus.SEC_E_INTERNAL_ERROR)).toBe(false);
    expect(isNtStatusError(SecStatus.SEC_I_CONTINUE_NEEDED)).toBe(false);
  });
});
