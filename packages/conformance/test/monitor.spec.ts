import { describe, expect, it } from 'vitest';
import { SecPkgFlag } from '@sspkit/core';
import { describeGate, gateReason } from '../src/probe.js';
import type { Probe } from '../src/probe.js';
import { Monitor, collectStrings } from '../src/monitor.js';

describe('Monitor', () => {
  it('records console output and passes it through with every secret replaced, longest first', () => {
    const m = new Monitor(['hunter2', 'hunter2-long']);
    const seen: unknown[] = [];
    const original = console.info;
    console.info = (...a: unknown[]) => seen.push(a.join(' '));
    const restore = m.captureConsole();
    try {
      console.info('password is %s and %s', 'hunter2-long', 'hunter2');
    } finally {
      restore();
      console.info = original;
    }
    expect(seen).toEqual(['password is *** and ***']);
    expect(m.leaks()).toEqual(['secret #1 in console.info', 'secret #2 in console.info']);
  });

  it('finds secrets in nested errors and values, and in tokens as UTF-8 or UTF-16LE, without naming them', () => {
    const m = new Monitor(['s3cret!']);
    m.fault('AcceptSecurityContext', new Error('outer', { cause: { detail: ['deep s3cret!'] } }));
    m.token('client token of leg 1', Buffer.from('xxs3cret!xx', 'utf16le'));
    const leaks = m.leaks();
    expect(leaks).toEqual([
      'secret #1 in error thrown by AcceptSecurityContext',
      'secret #1 in cleartext in client token of leg 1',
    ]);
    expect(leaks.join()).not.toContain('s3cret!');
  });

  it('collects strings from cyclic objects without looping', () => {
    const a: Record<string, unknown> = { name: 'x' };
    a['self'] = a;
    expect(collectStrings(a)).toEqual(['x']);
  });
});

describe('gates', () => {
  const probe: Probe = {
    info: { name: 'P', comment: '', capabilities: SecPkgFlag.INTEGRITY, version: 1, rpcId: 0xffff, maxToken: 100 },
    lsaVersion: 0x10000,
    userVersion: 0x10000,
    slots: new Set(['user.makeSignature']),
    baseline: { ok: true, statuses: [], clientFlags: 0x4, serverFlags: 0x0, legs: 2 },
  };
  it('hold when every condition holds and name the first that does not', () => {
    expect(
      gateReason({ capabilities: SecPkgFlag.INTEGRITY, slots: ['user.makeSignature'], clientGranted: 0x4 }, probe),
    ).toBeUndefined();
    expect(gateReason({ capabilities: SecPkgFlag.PRIVACY }, probe)).toBe(
      'the package does not declare SECPKG_FLAG_PRIVACY',
    );
    expect(gateReason({ withoutCapabilities: SecPkgFlag.INTEGRITY }, probe)).toBe(
      'the package declares SECPKG_FLAG_INTEGRITY',
    );
    expect(gateReason({ slots: ['user.exportContext'] }, probe)).toBe('the package has no user.exportContext slot');
    expect(gateReason({ serverGranted: 0x4 }, probe)).toBe('the handshake did not grant ASC_RET_REPLAY_DETECT');
    expect(gateReason({ clientGranted: 0x4 }, { ...probe, baseline: { ...probe.baseline, ok: false } })).toBe(
      'the baseline handshake did not complete, so no flags were granted',
    );
  });
  it('describe themselves for the README', () => {
    expect(describeGate({})).toBe('always');
    expect(describeGate({ capabilities: SecPkgFlag.INTEGRITY, serverGranted: 0x4 })).toBe(
      'SECPKG_FLAG_INTEGRITY; granted ASC_RET_REPLAY_DETECT',
    );
  });
});
