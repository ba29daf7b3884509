import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
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

// The reference every constant must match, exactly (../shared beside the checkout, as in CI).
const reference = readFileSync(fileURLToPath(new URL('../../../../shared/reference/sspi-reference.md', import.meta.url)), 'utf8');

function section(start: string, end: string): string {
  const from = reference.indexOf(start);
  const to = reference.indexOf(end, from + start.length);
  if (from < 0 || to < 0) throw new Error(`reference section ${start} not found`);
  return reference.slice(from, to);
}

describe('constants match the reference, value for value', () => {
  it('every SEC_E_* / SEC_I_* status of reference §5, and nothing invented', () => {
    const text = section('Codes in value order:', 'Aliases:');
    const pairs = [...text.matchAll(/(SEC_[EI]_[A-Z0-9_]+)(?: \(sic\))? (0x[0-9A-F]{8})/g)].map((m) => [m[1]!, Number(m[2])] as const);
    expect(pairs.length).toBeGreaterThan(90);
    expect(Object.entries(SecStatus).sort()).toEqual([...pairs].sort());
    expect(SecStatusAlias).toEqual({ SEC_E_NO_SPM: 0x80090304, SEC_E_NOT_SUPPORTED: 0x80090302 });
  });

  it('every SECBUFFER_* type and attribute bit', () => {
    const text = section('**SECBUFFER_\\* types:**', '**BufferType flag bits**');
    const pairs = [...text.matchAll(/([A-Z_0-9]+)(?: \(S2 only\))? (\d+)/g)].map((m) => [m[1]!, Number(m[2])] as const);
    expect(Object.entries(SecBufferType).sort()).toEqual([...pairs].sort());
    expect(SecBufferFlag).toEqual({ ATTRMASK: 0xf0000000, READONLY: 0x80000000, READONLY_WITH_CHECKSUM: 0x10000000, RESERVED: 0x60000000, UNMAPPED: 0x40000000, KERNEL_MAP: 0x20000000 });
  });

  it('every SECPKG_FLAG_*', () => {
    const text = section('**SECPKG_FLAG_\\***', '**SECPKG_CRED_\\***');
    const pairs = [...text.matchAll(/([A-Z_0-9]+) (0x[0-9a-fA-F]+)/g)].map((m) => [m[1]!, Number(m[2])] as const);
    expect(Object.entries(SecPkgFlag).sort()).toEqual([...pairs].sort());
  });

  it('every SECPKG_ATTR_*', () => {
    const text = section('**SECPKG_ATTR_\\***', 'Schannel-only').replace('SASL_CONTEXT and THUNK_ALL (ntsecpkg.h)', 'SASL_CONTEXT (also THUNK_ALL)');
    const pairs: (readonly [string, number])[] = [];
    for (const m of text.matchAll(/([A-Z][A-Z_]+) (?:\(also ([A-Z_]+)\) )?(0x[0-9a-f]+|\d+)/g)) {
      pairs.push([m[1]!, Number(m[3])]);
      if (m[2]) pairs.push([m[2], Number(m[3])]);
    }
    expect(Object.entries(SecPkgAttr).sort()).toEqual([...pairs].sort());
  });

  it('the four request/return flag sets, row by row', () => {
    const rows = section('| Bit | ISC_REQ_*', '- **64-bit flags**').split('\n').filter((l) => /^\| 0x/.test(l));
    const sets = [IscReq, IscRet, AscReq, AscRet] as Readonly<Record<string, number>>[];
    let checked = 0;
    for (const row of rows) {
      const cells = row.split('|').map((c) => c.trim()).filter((c) => c.length > 0);
      const bit = Number(cells[0]);
      cells.slice(1).forEach((cell, i) => {
        const name = cell.split(' ')[0]!;
        if (name === '–' || name.startsWith('(')) return;
        expect(sets[i]![name], `${name} in set ${i}`).toBe(bit);
        checked++;
      });
    }
    expect(checked).toBeGreaterThan(100);
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
    expect(all.length).toBe(Object.keys(SecStatus).length + 1);
    for (const s of all) expect(s.meaning.length).toBeGreaterThan(10);
    expect(describeStatus(0x80090308)).toMatchObject({ name: 'SEC_E_INVALID_TOKEN', hex: '0x80090308', severity: 'error' });
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
