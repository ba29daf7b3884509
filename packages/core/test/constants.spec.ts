import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  AscReq,
  AscRet,
  IscReq,
  IscRet,
  SecBufferFlag,
  SecBufferType,
  SecPkgAttr,
  SecPkgFlag,
  NtStatus,
  SecStatus,
  SecStatusAlias,
  SspiError,
  allStatuses,
  describeStatus,
  flagNames,
  formatStatus,
  isSspiError,
  isSuccess,
  statusFromName,
  statusName,
} from '@sspkit/core';

// The exact Windows values (winerror.h, sspi.h, ntsecpkg.h; each group names its source), kept in the
// repository so a clone with nothing beside it checks the same thing CI checks.
interface Group {
  readonly source: string;
  readonly values: Readonly<Record<string, string | number>>;
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/sspi-constants.json', import.meta.url), 'utf8')) as Record<
  'statuses' | 'bufferTypes' | 'bufferFlags' | 'packageFlags' | 'contextAttributes',
  Group
> &
  Record<'iscReq' | 'iscRet' | 'ascReq' | 'ascRet', Group> & { statuses: { aliases: Record<string, string> } };

/** The group's values as numbers, sorted by name, for an exact comparison with a core enum. */
function expected(group: Group): [string, number][] {
  expect(group.source).toMatch(/\.h\b/);
  return Object.entries(group.values)
    .map(([k, v]): [string, number] => [k, Number(v)])
    .sort();
}
const actual = (o: Readonly<Record<string, number>>): [string, number][] => Object.entries(o).sort();

describe('constants match the specification, value for value', () => {
  it('every SEC_E_* / SEC_I_* status of winerror.h, and nothing invented', () => {
    expect(Object.keys(fixture.statuses.values).length).toBeGreaterThan(90);
    expect(actual(SecStatus)).toEqual(expected(fixture.statuses));
    const aliases = Object.fromEntries(
      Object.entries(fixture.statuses.aliases).map(([alias, of]) => [alias, Number(fixture.statuses.values[of])]),
    );
    expect(SecStatusAlias).toEqual(aliases);
  });

  it('every SECBUFFER_* type and attribute bit', () => {
    expect(actual(SecBufferType)).toEqual(expected(fixture.bufferTypes));
    expect(actual(SecBufferFlag)).toEqual(expected(fixture.bufferFlags));
  });

  it('every SECPKG_FLAG_*', () => {
    expect(actual(SecPkgFlag)).toEqual(expected(fixture.packageFlags));
  });

  it('every SECPKG_ATTR_*', () => {
    expect(actual(SecPkgAttr)).toEqual(expected(fixture.contextAttributes));
  });

  it('the four request/return flag sets, flag for flag', () => {
    const sets = [
      [IscReq, fixture.iscReq],
      [IscRet, fixture.iscRet],
      [AscReq, fixture.ascReq],
      [AscRet, fixture.ascRet],
    ] as const;
    for (const [set, group] of sets) expect(actual(set)).toEqual(expected(group));
    expect(IscReq.HTTP).toBe(0x10000000);
    expect(AscReq.HTTP).toBe(0x10000000);
  });
});

describe('status helpers', () => {
  it('statusName gives canonical names, for signed values too', () => {
    expect(statusName(0x80090310)).toBe('SEC_E_OUT_OF_SEQUENCE');
    expect(statusName(0x80090308 | 0)).toBe('SEC_E_INVALID_TOKEN');
    expect(statusName(0)).toBe('SEC_E_OK');
    expect(statusName(0xc000006d)).toBe('STATUS_LOGON_FAILURE');
    expect(statusName(0x80091234)).toBe('0x80091234');
    expect(statusFromName('sec_e_no_spm')).toBe(0x80090304);
    expect(formatStatus(-2146893048)).toBe('0x80090308');
  });

  it('SEC_I_* codes are successes; SEC_E_* are not', () => {
    expect(isSuccess(SecStatus.SEC_I_COMPLETE_NEEDED)).toBe(true);
    expect(isSuccess(SecStatus.SEC_I_COMPLETE_AND_CONTINUE)).toBe(true);
    expect(isSuccess(SecStatus.SEC_E_OK)).toBe(true);
    expect(isSuccess(SecStatus.SEC_E_INVALID_HANDLE)).toBe(false);
    expect(isSuccess(SecStatus.SEC_E_INVALID_HANDLE | 0)).toBe(false);
  });

  it('every status has a meaning and a severity', () => {
    const all = allStatuses();
    // Every NTSTATUS but STATUS_SUCCESS, which shares 0 with SEC_E_OK.
    expect(all.length).toBe(Object.keys(SecStatus).length + Object.keys(NtStatus).length - 1);
    for (const s of all) expect(s.meaning.length).toBeGreaterThan(10);
    expect(describeStatus(0x80090308)).toMatchObject({
      name: 'SEC_E_INVALID_TOKEN',
      hex: '0x80090308',
      severity: 'error',
    });
    expect(describeStatus(0x00090312).severity).toBe('informational');
  });

  it('SspiError carries the status and its name, keeps the cause, and is recognised by brand', () => {
    const cause = new Error('gss: bad mic');
    const e = new SspiError(SecStatus.SEC_E_MESSAGE_ALTERED, 'VerifySignature', { cause });
    expect(e.status).toBe(0x8009030f);
    expect(e.code).toBe('SEC_E_MESSAGE_ALTERED');
    expect(e.message).toBe('VerifySignature: SEC_E_MESSAGE_ALTERED 0x8009030F');
    expect(e.cause).toBe(cause);
    expect(isSspiError(e)).toBe(true);
    expect(isSspiError(new Error('x'))).toBe(false);
    // A copy from another install: a different class, the same brand.
    const foreign = { [Symbol.for('sspkit.SspiError')]: true };
    expect(isSspiError(foreign)).toBe(true);
  });

  it('flagNames decodes bits, unknown bits as hex', () => {
    expect(flagNames(IscReq, 0x2 | 0x10 | 0x100)).toEqual(['MUTUAL_AUTH', 'CONFIDENTIALITY', 'ALLOCATE_MEMORY']);
    expect(flagNames(SecPkgFlag, 0x1 | 0x80000000)).toEqual(['INTEGRITY', '0x80000000']);
  });
});
