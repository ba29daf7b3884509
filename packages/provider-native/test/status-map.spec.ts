/** The GSS → SSPI status table (values: winerror.h; GSS: RFC 2744 §3.9.1). */
import { describe, expect, it } from 'vitest';
import { GssRoutine, GssSupplementary, Krb5Minor, MappedStatus, mapGssStatus } from '../src/ffi/index.js';

describe('mapGssStatus', () => {
  it('uses the exact winerror.h values', () => {
    expect(MappedStatus.SEC_E_MESSAGE_ALTERED).toBe(0x8009030f);
    expect(MappedStatus.SEC_E_OUT_OF_SEQUENCE).toBe(0x80090310);
    expect(MappedStatus.SEC_E_NO_AUTHENTICATING_AUTHORITY).toBe(0x80090311);
    expect(MappedStatus.SEC_E_WRONG_PRINCIPAL).toBe(0x80090322);
    expect(MappedStatus.SEC_E_BAD_BINDINGS).toBe(0x80090346);
  });

  it.each([
    [GssRoutine.BAD_SIG, 0, 'SEC_E_MESSAGE_ALTERED'],
    [GssRoutine.DEFECTIVE_TOKEN, 0, 'SEC_E_INVALID_TOKEN'],
    [GssRoutine.NO_CRED, 0, 'SEC_E_NO_CREDENTIALS'],
    [GssRoutine.CONTEXT_EXPIRED, 0, 'SEC_E_CONTEXT_EXPIRED'],
    [GssRoutine.CREDENTIALS_EXPIRED, 0, 'SEC_E_CONTEXT_EXPIRED'],
    [GssRoutine.NO_CONTEXT, 0, 'SEC_E_INVALID_HANDLE'],
    [GssRoutine.BAD_BINDINGS, 0, 'SEC_E_BAD_BINDINGS'],
    [GssRoutine.BAD_NAME, 0, 'SEC_E_TARGET_UNKNOWN'],
    [GssRoutine.FAILURE, Krb5Minor.KRB5_KDC_UNREACH >>> 0, 'SEC_E_NO_AUTHENTICATING_AUTHORITY'],
    [GssRoutine.FAILURE, Krb5Minor.KRB5KDC_ERR_PREAUTH_FAILED >>> 0, 'SEC_E_LOGON_DENIED'],
    [GssRoutine.FAILURE, Krb5Minor.KRB5KDC_ERR_S_PRINCIPAL_UNKNOWN >>> 0, 'SEC_E_TARGET_UNKNOWN'],
    [GssRoutine.FAILURE, Krb5Minor.KRB5KRB_AP_ERR_MODIFIED >>> 0, 'SEC_E_WRONG_PRINCIPAL'],
    [GssRoutine.FAILURE, Krb5Minor.KRB5_KT_NOTFOUND >>> 0, 'SEC_E_WRONG_PRINCIPAL'],
    [GssRoutine.NO_CRED, Krb5Minor.KRB5_KT_NOTFOUND >>> 0, 'SEC_E_NO_CREDENTIALS'],
    [GssRoutine.FAILURE, Krb5Minor.KRB5KRB_AP_ERR_TKT_EXPIRED >>> 0, 'SEC_E_CONTEXT_EXPIRED'],
    [GssRoutine.FAILURE, Krb5Minor.KRB5KRB_AP_ERR_SKEW >>> 0, 'SEC_E_TIME_SKEW'],
    [GssRoutine.FAILURE, 12345, 'SEC_E_INTERNAL_ERROR'],
    [GssSupplementary.DUPLICATE_TOKEN, 0, 'SEC_E_OUT_OF_SEQUENCE'],
    [GssSupplementary.OLD_TOKEN, 0, 'SEC_E_OUT_OF_SEQUENCE'],
    [GssSupplementary.UNSEQ_TOKEN, 0, 'SEC_E_OUT_OF_SEQUENCE'],
    [GssSupplementary.GAP_TOKEN, 0, 'SEC_E_OUT_OF_SEQUENCE'],
    [GssSupplementary.CONTINUE_NEEDED, 0, 'SEC_E_OK'],
    [0, 0, 'SEC_E_OK'],
    [0x01000000, 0, 'SEC_E_INVALID_PARAMETER'],
  ] as const)('major 0x%s minor %s → %s', (major, minor, status) => {
    expect(mapGssStatus(major, minor)).toBe(status);
  });

  it('treats an unparsable first acceptor token as INVALID_TOKEN', () => {
    expect(mapGssStatus(GssRoutine.FAILURE, 100001, 'accept-first')).toBe('SEC_E_INVALID_TOKEN');
    expect(mapGssStatus(GssRoutine.FAILURE, 100001)).toBe('SEC_E_INTERNAL_ERROR');
  });

  it('classifies a received token that fails to decode or verify instead of INTERNAL_ERROR', () => {
    const asn1BadId = 1859794438;
    // "Unspecified GSS failure" (minor 0) on a later leg: MIT's answer to a corrupted reply.
    expect(mapGssStatus(GssRoutine.FAILURE, 0, 'received-token')).toBe('SEC_E_INVALID_TOKEN');
    expect(mapGssStatus(GssRoutine.FAILURE, asn1BadId, 'received-token')).toBe('SEC_E_INVALID_TOKEN');
    expect(mapGssStatus(GssRoutine.FAILURE, asn1BadId)).toBe('SEC_E_INTERNAL_ERROR');
    expect(mapGssStatus(GssRoutine.FAILURE, Krb5Minor.KRB5KRB_AP_ERR_MSG_TYPE >>> 0, 'received-token')).toBe(
      'SEC_E_INVALID_TOKEN',
    );
    // A flipped mechanism OID: the token is bad, the package is not missing.
    expect(mapGssStatus(GssRoutine.BAD_MECH, 0, 'received-token')).toBe('SEC_E_INVALID_TOKEN');
    expect(mapGssStatus(GssRoutine.BAD_MECH, 0, 'accept-first')).toBe('SEC_E_INVALID_TOKEN');
    expect(mapGssStatus(GssRoutine.BAD_MECH, 0)).toBe('SEC_E_SECPKG_NOT_FOUND');
  });

  it('reports an AP-REP the initiator cannot verify as MUTUAL_AUTH_FAILED', () => {
    const modified = Krb5Minor.KRB5KRB_AP_ERR_MODIFIED >>> 0;
    expect(mapGssStatus(GssRoutine.FAILURE, modified, 'received-token', 'initiator')).toBe('SEC_E_MUTUAL_AUTH_FAILED');
    const integrity = Krb5Minor.KRB5KRB_AP_ERR_BAD_INTEGRITY >>> 0;
    expect(mapGssStatus(GssRoutine.FAILURE, integrity, 'received-token', 'initiator')).toBe('SEC_E_MUTUAL_AUTH_FAILED');
    // On the acceptor the same code keeps its Windows meaning (a ticket its key cannot decrypt).
    expect(mapGssStatus(GssRoutine.FAILURE, modified, 'received-token')).toBe('SEC_E_WRONG_PRINCIPAL');
  });
});
