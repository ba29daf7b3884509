import { describe, expect, it } from 'vitest';
import { decodeLogonInfo } from '../src/pac/logon-info.js';
import { logonSummary } from '../src/pac/logon-summary.js';
import { AD_TESTUSER1, AD_TRUST_RESOURCE_GROUPS } from './fixtures/pac-vectors.js';

const buf = (s: string): Buffer => Buffer.from(s, 'hex');

describe("the token's view of a PAC's logon information", () => {
  it('says what a fresh decode says', () => {
    for (const v of [AD_TESTUSER1, AD_TRUST_RESOURCE_GROUPS]) {
      const k = decodeLogonInfo(buf(v));
      const s = logonSummary(buf(v));
      expect('info' in s && s.info).toEqual({
        userSid: k.userSid,
        groupSids: k.groupSids,
        effectiveName: k.effectiveName,
        fullName: k.fullName,
        logonDomainName: k.logonDomainName,
        logonServer: k.logonServer,
      });
    }
  });

  it('decodes a buffer once: the same bytes (in another Buffer) give the same frozen answer', () => {
    const first = logonSummary(buf(AD_TRUST_RESOURCE_GROUPS));
    const again = logonSummary(buf(AD_TRUST_RESOURCE_GROUPS));
    expect(again).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect('info' in first && Object.isFrozen(first.info.groupSids)).toBe(true);
    expect(logonSummary(buf(AD_TESTUSER1))).not.toBe(first);
  });

  it('tells apart buffers that differ in one byte, and keeps the reason a buffer is undecodable', () => {
    const good = buf(AD_TESTUSER1);
    const truncated = good.subarray(0, 40);
    const bad = logonSummary(truncated);
    expect(bad).toEqual({ error: expect.any(String) as string });
    expect(logonSummary(Buffer.from(truncated))).toBe(bad);
    const flipped = Buffer.from(good);
    flipped[flipped.length - 1] = (flipped[flipped.length - 1] ?? 0) ^ 1;
    expect(logonSummary(flipped)).not.toBe(logonSummary(good));
  });

  it('is bounded: the least recently used buffer is decoded again after 256 others', () => {
    const kept = logonSummary(buf(AD_TESTUSER1));
    const base = buf(AD_TESTUSER1);
    for (let i = 0; i < 256; i++) {
      const other = Buffer.concat([base, Buffer.from([i & 0xff, i >> 8])]);
      logonSummary(other);
    }
    expect(logonSummary(buf(AD_TESTUSER1))).not.toBe(kept);
    expect(logonSummary(buf(AD_TESTUSER1))).toEqual(kept);
  });
});
