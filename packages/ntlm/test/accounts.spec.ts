/**
 * Account names fold as Windows folds them (RtlUpcaseUnicodeChar, one UTF-16 code unit at a time,
 * then ordinal comparison), in the store and in NTOWFv2's Uppercase(User) alike.
 */
import { describe, expect, it } from 'vitest';
import { InMemoryAccountStore } from '../src/accounts.js';
import { ntowfv2 } from '../src/crypto/owf.js';
import { upcase } from '../src/upcase.js';
import { client, handshake, server } from './fixtures.js';
import { toHex } from './helpers.js';

describe('Windows upper-casing of account names', () => {
  it('maps one code unit to one: no "ß" → "SS", no dotless ı or long ſ into ASCII', () => {
    expect(upcase('straße')).toBe('STRAßE');
    expect(upcase('alıce')).toBe('ALıCE');
    expect(upcase('ſam')).toBe('ſAM');
    expect(upcase('élodie')).toBe('ÉLODIE');
    expect(upcase('σοφία')).toBe('ΣΟΦΊΑ');
    expect(upcase('alice')).toBe('ALICE');
    expect(upcase('𐐨x')).toBe('𐐨X'); // supplementary characters are two units, left as they are
  });

  it('NTOWFv2 hashes the name upper-cased the same way', () => {
    const h = new Uint8Array(16).fill(7);
    expect(toHex(ntowfv2(h, 'straße', 'D'))).toBe(toHex(ntowfv2(h, 'STRAßE', 'D')));
    expect(toHex(ntowfv2(h, 'straße', 'D'))).not.toBe(toHex(ntowfv2(h, 'STRASSE', 'D')));
  });
});

describe('the account store under Windows folding', () => {
  const store = () =>
    new InMemoryAccountStore()
      .addPassword('EXAMPLE', 'strasse', 'strasse-pw')
      .addPassword('EXAMPLE', 'straße', 'strasse-eszett-pw')
      .addPassword('EXAMPLE', 'alice', 'alice-pw')
      .addPassword('EXAMPLE', 'alıce', 'dotless-pw');

  it('"straße" and "alıce" are their own accounts, not strasse and alice', () => {
    const s = store();
    expect(s.lookup('STRAßE', 'example')?.user).toBe('straße');
    expect(s.lookup('STRASSE', 'EXAMPLE')?.user).toBe('strasse');
    expect(s.lookup('ALıCE', 'EXAMPLE')?.user).toBe('alıce');
    expect(s.lookup('ALICE', 'EXAMPLE')?.user).toBe('alice');
  });

  it("straße logs on with its own password, not with strasse's (and the other way round)", async () => {
    const accounts = store();
    const as = (user: string, password: string) =>
      handshake(client({ credentials: { user, domain: 'EXAMPLE', password } }), server({ accounts }));
    expect((await as('straße', 'strasse-pw')).done.status).toBe('SEC_E_LOGON_DENIED');
    expect((await as('straße', 'strasse-eszett-pw')).done.status).toBe('SEC_E_OK');
    expect((await as('STRAßE', 'strasse-eszett-pw')).done.status).toBe('SEC_E_OK');
    expect((await as('alıce', 'alice-pw')).done.status).toBe('SEC_E_LOGON_DENIED');
    expect((await as('alıce', 'dotless-pw')).done.status).toBe('SEC_E_OK');
    expect((await as('ALICE', 'alice-pw')).done.status).toBe('SEC_E_OK');
  });

  it('refuses to hold two accounts that fold to the same name', () => {
    expect(() =>
      new InMemoryAccountStore().addPassword('EXAMPLE', 'Alice', 'a').addPassword('example', 'ALICE', 'b'),
    ).toThrow(/ambiguous accounts/);
    expect(() => new InMemoryAccountStore().addPassword('', 'Élodie', 'a').addPassword('', 'élodie', 'b')).toThrow(
      /ambiguous accounts/,
    );
    // Different domains are different accounts.
    expect(() =>
      new InMemoryAccountStore().addPassword('A', 'alice', 'a').addPassword('B', 'alice', 'b'),
    ).not.toThrow();
  });

  it('a client that names no domain finds no account when several domains hold that name', () => {
    const s = new InMemoryAccountStore().addPassword('A', 'alice', 'a').addPassword('B', 'alice', 'b');
    expect(s.lookup('alice', '')).toBeUndefined();
    expect(new InMemoryAccountStore().addPassword('A', 'alice', 'a').lookup('alice', '')?.domain).toBe('A');
  });
});
