import { describe, expect, it } from 'vitest';
import { lmowfv1, ntHash } from '../src/crypto/owf.js';
import { MessageProtector } from '../src/crypto/protect.js';
import { rc4Once as rc4k } from '@sspkit/legacy-crypto';
import { computeResponseV1, kxkeyV1 } from '../src/crypto/responses.js';
import { toHex } from './helpers.js';
import { V } from './vectors.js';

const noFlags = { ess: false, lmKey: false, nonNtSessionKey: false } as const;

describe('MS-NLMP §4.2.2 NTLMv1 authentication (opt-in path)', () => {
  it('§4.2.2.1.1 LMOWFv1', () => {
    expect(toHex(lmowfv1(V.password) ?? new Uint8Array())).toBe('e52cac67419a9a224a3b108f3fa6cb6d');
  });
  it('§4.2.2.1.2 NTOWFv1', () => {
    expect(toHex(ntHash(V.password))).toBe('a4f49c406510bdcab6824ee7c30fd852');
  });

  const r = () =>
    computeResponseV1(ntHash(V.password), lmowfv1(V.password), V.serverChallenge, V.clientChallenge, false);

  it('§4.2.2.1.3 session base key and §4.2.2.2.1 NTLMv1 response', () => {
    expect(toHex(r().sessionBaseKey)).toBe('d87262b0cde4b1cb7499becccdf10784');
    expect(toHex(r().ntChallengeResponse)).toBe('67c43011f30298a2ad35ece64f16331c44bdbed927841f94');
  });

  it('§4.2.2.2.2 LMv1 response', () => {
    expect(toHex(r().lmChallengeResponse)).toBe('98def7b87f88aa5dafe2df779688a172def11c7d5ccdef13');
  });

  it('§4.2.2.2.3 encrypted session key (plain KXKEY, NON_NT_SESSION_KEY, LM_KEY)', () => {
    const res = r();
    const lm = lmowfv1(V.password);
    const kx = (o: typeof noFlags | { ess: false; lmKey: boolean; nonNtSessionKey: boolean }) =>
      kxkeyV1(res.sessionBaseKey, res.lmChallengeResponse, V.serverChallenge, lm, o);
    expect(toHex(rc4k(kx(noFlags), V.randomSessionKey))).toBe('518822b1b3f350c8958682ecbb3e3cb7');
    expect(toHex(rc4k(kx({ ess: false, lmKey: false, nonNtSessionKey: true }), V.randomSessionKey))).toBe(
      '7452ca55c225a1ca04b48fae32cf56fc',
    );
    expect(toHex(rc4k(kx({ ess: false, lmKey: true, nonNtSessionKey: false }), V.randomSessionKey))).toBe(
      '4cd7bb57d697ef9b549f02b8f9b37864',
    );
  });

  it('§4.2.2.4 GSS_WrapEx example (no ESS: CRC32 checksum, RC4 pad/checksum/seqnum)', () => {
    const p = new MessageProtector({
      exportedSessionKey: V.randomSessionKey,
      isClient: true,
      extendedSessionSecurity: false,
      keyExchange: true,
      strength: 128,
    });
    const { outputs, signature } = p.seal([{ data: V.plaintext, confidential: true }]);
    expect(toHex(outputs[0] ?? new Uint8Array())).toBe('56fe04d861f9319af0d7238a2e3b4d457fb8');
    expect(toHex(signature)).toBe('0100000045c844e509dcd1df2e459d36');
  });
});

describe('MS-NLMP §4.2.3 NTLMv1 with extended session security', () => {
  const r = () => computeResponseV1(ntHash(V.password), undefined, V.serverChallenge, V.clientChallenge, true);
  it('§4.2.3.2.1 LMv1 response carries the client challenge', () => {
    expect(toHex(r().lmChallengeResponse)).toBe('aaaaaaaaaaaaaaaa' + '00'.repeat(16));
  });
  it('§4.2.3.2.2 NTLMv1 response', () => {
    expect(toHex(r().ntChallengeResponse)).toBe('7537f803ae367128ca458204bde7caf81e97ed2683267232');
  });
  it('§4.2.3.1.2 key exchange key', () => {
    const res = r();
    const kx = kxkeyV1(res.sessionBaseKey, res.lmChallengeResponse, V.serverChallenge, undefined, {
      ess: true,
      lmKey: false,
      nonNtSessionKey: false,
    });
    expect(toHex(kx)).toBe('eb93429a8bd952f8b89c55b87f475edc');
  });
});
