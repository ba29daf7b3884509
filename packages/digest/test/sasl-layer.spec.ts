import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { expandDesKey } from '@sspkit/legacy-crypto';
import { createDesStream } from '../src/crypto/des.js';
import { SASL_CIPHERS } from '../src/sasl/ciphers.js';
import { SaslSecurityLayer } from '../src/sasl/security-layer.js';

// RC4 itself (RFC 6229 vectors) is tested in @sspkit/legacy-crypto.

describe('DES via des-ede3 with K1=K2=K3', () => {
  it('matches the FIPS 81 appendix B example (key 0123456789abcdef, "Now is t")', () => {
    // Kc whose first 7 octets spread (7 bits per octet, odd parity) to the FIPS key, then IV 0.
    const seed = Buffer.from('00451338957377', 'hex');
    expect(Buffer.from(expandDesKey(seed)).toString('hex')).toBe('0123456789abcdef');
    const kc = Buffer.concat([seed, Buffer.alloc(1), Buffer.alloc(8)]);
    const out = createDesStream('des', kc, true).update(Buffer.from('4e6f772069732074', 'hex'));
    expect(Buffer.from(out).toString('hex')).toBe('3fa40e8a984d4815');
  });
});

describe('RFC 2831 §2.3/§2.4 security layers', () => {
  const ha1 = createHash('md5').update('session').digest();
  const pair = (cipher?: (typeof SASL_CIPHERS)[number]) => ({
    client: new SaslSecurityLayer({ role: 'client', ha1, ...(cipher !== undefined ? { cipher } : {}) }),
    server: new SaslSecurityLayer({ role: 'server', ha1, ...(cipher !== undefined ? { cipher } : {}) }),
  });

  it('integrity: trailer is MAC(10) ‖ 0x0001 ‖ seq, verified in order', () => {
    const { client, server } = pair();
    const m1 = Buffer.from('hello');
    const t1 = client.sign(m1);
    expect(t1.length).toBe(16);
    expect(t1.subarray(10).toString('hex')).toBe('000100000000');
    const t2 = client.sign(Buffer.from('second'));
    expect(t2.subarray(12).readUInt32BE(0)).toBe(1);
    expect(server.verify(m1, t1).ok).toBe(true);
    expect(server.verify(Buffer.from('second'), t2).ok).toBe(true);
  });
  it('integrity: a tampered message is MESSAGE_ALTERED, a skipped one OUT_OF_SEQUENCE', () => {
    const { client, server } = pair();
    const t1 = client.sign(Buffer.from('a'));
    const bad = server.verify(Buffer.from('b'), t1);
    expect(!bad.ok && bad.error.code).toBe('MESSAGE_ALTERED');
    const t2 = client.sign(Buffer.from('c'));
    const skipped = server.verify(Buffer.from('c'), t2);
    expect(!skipped.ok && skipped.error.code).toBe('OUT_OF_SEQUENCE');
  });
  it('uses different keys per direction', () => {
    const { client, server } = pair();
    const t = client.sign(Buffer.from('x'));
    const echo = new SaslSecurityLayer({ role: 'client', ha1 });
    const r = echo.verify(Buffer.from('x'), t);
    expect(!r.ok && r.error.code).toBe('MESSAGE_ALTERED');
    expect(server.verify(Buffer.from('x'), t).ok).toBe(true);
  });
  for (const cipher of SASL_CIPHERS) {
    it(`confidentiality with ${cipher}: round trip both ways over several messages, tamper detected`, () => {
      const { client, server } = pair(cipher);
      for (const text of ['', 'a', 'exactly8', 'a somewhat longer message of 37 bytes']) {
        const sealed = client.seal(Buffer.from(text));
        expect(sealed.includes(Buffer.from('somewhat'))).toBe(false);
        const opened = server.unseal(sealed);
        expect(opened.ok && opened.value.toString()).toBe(text);
        const back = server.unseal === undefined ? undefined : server.seal(Buffer.from(text.toUpperCase()));
        const reply = back !== undefined ? client.unseal(back) : undefined;
        expect(reply?.ok && reply.value.toString()).toBe(text.toUpperCase());
      }
      const sealed = client.seal(Buffer.from('payload'));
      sealed[0] = (sealed[0] ?? 0) ^ 0x80;
      expect(server.unseal(sealed).ok).toBe(false);
    });
  }
});

describe('wiping on DeleteSecurityContext', () => {
  it('a wiped layer has lost its keys: its MACs no longer verify at the peer', () => {
    const ha1 = createHash('md5').update('wipe test').digest();
    const client = new SaslSecurityLayer({ role: 'client', ha1, cipher: 'rc4' });
    const server = new SaslSecurityLayer({ role: 'server', ha1, cipher: 'rc4' });
    const msg = Buffer.from('before');
    expect(server.verify(msg, client.sign(msg)).ok).toBe(true);
    client.wipe();
    expect(server.verify(msg, client.sign(msg)).ok).toBe(false);
  });
});
