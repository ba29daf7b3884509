import { describe, expect, it } from 'vitest';
import { isIdentity, marshalIdentity, releaseIdentity } from '../src/marshal/identity.js';
import { FakeMemory } from './fake-memory.js';

describe('SEC_WINNT_AUTH_IDENTITY_W / _EXW layout', () => {
  it('writes User, Domain, Password as UTF-16 with lengths in characters and SEC_WINNT_AUTH_IDENTITY_UNICODE', () => {
    const mem = new FakeMemory();
    const m = marshalIdentity(mem, { user: 'alice', domain: 'SSPKIT.LAB', password: 'pässword' });
    const v = new DataView(m.struct.bytes.buffer);
    expect(m.struct.bytes.length).toBe(48);
    expect(mem.readWide({ address: v.getBigUint64(0, true) })).toBe('alice');
    expect(v.getUint32(8, true)).toBe(5);
    expect(mem.readWide({ address: v.getBigUint64(16, true) })).toBe('SSPKIT.LAB');
    expect(v.getUint32(24, true)).toBe(10);
    expect(mem.readWide({ address: v.getBigUint64(32, true) })).toBe('pässword');
    expect(v.getUint32(40, true)).toBe(8);
    expect(v.getUint32(44, true)).toBe(2);
    releaseIdentity(mem, m);
  });

  it('uses the EX structure (Version 0x200, Length 72) when a Negotiate package list is given', () => {
    const mem = new FakeMemory();
    const m = marshalIdentity(mem, { user: 'u', password: 'p', packageList: '!NTLM' });
    const v = new DataView(m.struct.bytes.buffer);
    expect(v.getUint32(0, true)).toBe(0x200);
    expect(v.getUint32(4, true)).toBe(72);
    expect(v.getBigUint64(24, true)).toBe(0n); // no domain: NULL, length 0
    expect(mem.readWide({ address: v.getBigUint64(56, true) })).toBe('!NTLM');
    expect(v.getUint32(64, true)).toBe(5);
    releaseIdentity(mem, m);
  });

  it('wipes the password from native memory when released', () => {
    const mem = new FakeMemory();
    releaseIdentity(mem, marshalIdentity(mem, { user: 'alice', password: 'hunter2' }));
    expect(mem.blocks.size).toBe(0);
    for (const f of mem.freed) expect(f.bytes.every((b) => b === 0)).toBe(true);
  });

  it('recognises only identity-shaped auth data', () => {
    expect(isIdentity({ user: 'a', password: 'b' })).toBe(true);
    expect(isIdentity({})).toBe(false);
    expect(isIdentity({ keytab: '/etc/krb5.keytab' })).toBe(false);
    expect(isIdentity({ user: 1 })).toBe(false);
  });
});
