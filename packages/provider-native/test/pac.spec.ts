import { describe, expect, it } from 'vitest';
import { decodeLogonInfo, PacDecodeError } from '../src/pac/logon-info.js';
import { AD_TESTUSER1, AD_TRUST_RESOURCE_GROUPS, MS_PAC_EXAMPLE } from './fixtures/pac-vectors.js';

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'));

describe('PAC logon information (KERB_VALIDATION_INFO)', () => {
  it('decodes the [MS-PAC] section 3 example as the specification annotates it', () => {
    const k = decodeLogonInfo(hex(MS_PAC_EXAMPLE));
    expect(k.logonTime?.toISOString()).toBe('2006-04-28T01:42:50.925Z');
    expect(k.logoffTime).toBeNull();
    expect(k.kickOffTime).toBeNull();
    expect(k.passwordLastSet?.toISOString()).toBe('2006-03-18T10:44:54.837Z');
    expect(k.passwordCanChange?.toISOString()).toBe('2006-03-19T10:44:54.837Z');
    expect(k.effectiveName).toBe('lzhu');
    expect(k.fullName).toBe('Liqiang(Larry) Zhu');
    expect(k.logonScript).toBe('ntds2.bat');
    expect([k.profilePath, k.homeDirectory, k.homeDirectoryDrive]).toEqual(['', '', '']);
    expect(k.logonCount).toBe(4180);
    expect(k.badPasswordCount).toBe(0);
    expect(k.userId).toBe(2914711);
    expect(k.primaryGroupId).toBe(513);
    expect(k.groupIds.map((g) => g.rid)).toEqual([
      3392609, 2999049, 3322974, 513, 2931095, 3338539, 3354830, 3026599, 3338538, 2931096, 3392610, 3342740, 3392630,
      3014318, 2937394, 3278870, 3038018, 3322975, 3513546, 2966661, 3338434, 3271401, 3051245, 3271606, 3026603,
      3018354,
    ]);
    expect(k.groupIds.every((g) => g.attributes === 7)).toBe(true);
    expect(k.userFlags).toBe(32);
    expect(k.logonServer).toBe('NTDEV-DC-05');
    expect(k.logonDomainName).toBe('NTDEV');
    expect(k.logonDomainSid).toBe('S-1-5-21-397955417-626881126-188441444');
    expect(k.userSid).toBe('S-1-5-21-397955417-626881126-188441444-2914711');
    expect(k.userAccountControl).toBe(16);
    expect(k.extraSids).toHaveLength(13);
    expect(k.extraSids.slice(0, 12)).toEqual([
      { sid: 'S-1-5-21-773533881-1816936887-355810188-513', attributes: 7 },
      ...[3101812, 3291368, 3291341, 3322973, 3479105, 3271400, 3283393, 3338537, 3038991, 3037999, 3248111].map(
        (rid) => ({
          sid: `S-1-5-21-397955417-626881126-188441444-${rid}`,
          attributes: 0x20000007,
        }),
      ),
    ]);
    expect(k.resourceGroupDomainSid).toBeNull();
    expect(k.resourceGroupIds).toEqual([]);
    // 26 domain groups and 13 extra SIDs; no resource groups (UserFlags lacks 0x200).
    expect(k.groupSids).toHaveLength(39);
    expect(k.groupSids[3]).toBe('S-1-5-21-397955417-626881126-188441444-513');
  });

  it('decodes a Windows Server PAC (testuser1 of TEST)', () => {
    const k = decodeLogonInfo(hex(AD_TESTUSER1));
    expect(k.logonTime?.toISOString()).toBe('2017-05-06T15:53:11.825Z');
    expect(k.effectiveName).toBe('testuser1');
    expect(k.fullName).toBe('Test1 User1');
    expect(k.logonCount).toBe(216);
    expect(k.userId).toBe(1105);
    expect(k.primaryGroupId).toBe(513);
    expect(k.groupIds).toEqual([513, 1108, 1109, 1115, 1116].map((rid) => ({ rid, attributes: 7 })));
    expect(k.logonServer).toBe('ADDC');
    expect(k.logonDomainName).toBe('TEST');
    expect(k.logonDomainSid).toBe('S-1-5-21-3167651404-3865080224-2280184895');
    expect(k.userAccountControl).toBe(528);
    expect(k.extraSids).toEqual([
      { sid: 'S-1-5-21-3167651404-3865080224-2280184895-1114', attributes: 536870919 },
      { sid: 'S-1-5-21-3167651404-3865080224-2280184895-1111', attributes: 536870919 },
    ]);
    expect(k.resourceGroupDomainSid).toBeNull();
  });

  it('includes resource groups from a trusting domain when UserFlags says so', () => {
    const k = decodeLogonInfo(hex(AD_TRUST_RESOURCE_GROUPS));
    expect(k.userId).toBe(1106);
    expect(k.userFlags).toBe(544);
    expect(k.logonServer).toBe('UDC');
    expect(k.logonDomainName).toBe('USER');
    expect(k.extraSids).toEqual([{ sid: 'S-1-18-1', attributes: 7 }]);
    expect(k.resourceGroupDomainSid).toBe('S-1-5-21-3062750306-1230139592-1973306805');
    expect(k.resourceGroupIds).toEqual([
      { rid: 1107, attributes: 536870919 },
      { rid: 1108, attributes: 536870919 },
    ]);
    expect(k.groupSids).toEqual([
      'S-1-5-21-2284869408-3503417140-1141177250-1110',
      'S-1-5-21-2284869408-3503417140-1141177250-513',
      'S-1-5-21-2284869408-3503417140-1141177250-1109',
      'S-1-18-1',
      'S-1-5-21-3062750306-1230139592-1973306805-1107',
      'S-1-5-21-3062750306-1230139592-1973306805-1108',
    ]);
  });

  it('rejects every truncation with PacDecodeError', () => {
    const full = hex(AD_TRUST_RESOURCE_GROUPS);
    // The vector ends in four bytes of padding; every shorter prefix is missing real data.
    for (let n = 0; n < full.length - 4; n++) {
      expect(() => decodeLogonInfo(full.subarray(0, n)), `prefix of ${n} bytes`).toThrow(PacDecodeError);
    }
  });

  it('rejects counts that do not fit, inconsistent conformance and big-endian NDR', () => {
    const base = hex(AD_TESTUSER1);
    const withU32 = (offset: number, v: number): Uint8Array => {
      const b = Uint8Array.from(base);
      new DataView(b.buffer).setUint32(offset, v, true);
      return b;
    };
    // GroupCount sits at 20 + 6*8 + 6*8 + 2*2 + 2*4 = 128 bytes in.
    expect(() => decodeLogonInfo(withU32(128, 0x7fffffff))).toThrow(PacDecodeError);
    expect(() => decodeLogonInfo(withU32(128, 4))).toThrow(/conformance/);
    const bigEndian = Uint8Array.from(base);
    bigEndian[1] = 0x00;
    expect(() => decodeLogonInfo(bigEndian)).toThrow(/big-endian/);
  });

  it('never throws anything but PacDecodeError on corrupted input', () => {
    const base = hex(MS_PAC_EXAMPLE);
    let seed = 12345;
    const rand = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    for (let i = 0; i < 3000; i++) {
      const b = Uint8Array.from(base);
      for (let k = 0; k < 1 + Math.floor(rand() * 6); k++) b[Math.floor(rand() * b.length)] = Math.floor(rand() * 256);
      try {
        decodeLogonInfo(b);
      } catch (err) {
        expect(err).toBeInstanceOf(PacDecodeError);
      }
    }
  });
});
