import { describe, expect, it } from 'vitest';
import { channelBindingsHash } from '../src/crypto/channel-bindings.js';
import { sealKey, signKey } from '../src/crypto/keys.js';
import { ntHash, ntowfv2 } from '../src/crypto/owf.js';
import { MessageProtector } from '../src/crypto/protect.js';
import { rc4Once as rc4k } from '@sspkit/legacy-crypto';
import { computeResponseV2 } from '../src/crypto/responses.js';
import { ascii, hex, toHex } from './helpers.js';
import { V } from './vectors.js';

const responseKey = (): Uint8Array => ntowfv2(ntHash(V.password), V.user, V.domain);
const v2 = () => computeResponseV2(responseKey(), V.serverChallenge, V.clientChallenge, V.time, V.targetInfoV2);

describe('MS-NLMP §4.2.4 NTLMv2 authentication', () => {
  it('§4.2.4.1.1 NTOWFv2 / LMOWFv2 = ResponseKeyNT', () => {
    expect(toHex(responseKey())).toBe('0c868a403bfd7a93a3001ef22ef02e3f');
  });

  it('§4.2.4.1.2 session base key', () => {
    expect(toHex(v2().sessionBaseKey)).toBe('8de40ccadbc14a82f15cb0ad0de95ca3');
  });

  it('§4.2.4.1.3 temp (NTLMv2_CLIENT_CHALLENGE) and §4.2.4.2.2 NTLMv2 response', () => {
    const temp =
      '0101000000000000' +
      '0000000000000000' +
      'aaaaaaaaaaaaaaaa' +
      '00000000' +
      '02000c0044006f006d00610069006e0001000c00530065007200760065007200' +
      '00000000' +
      '00000000';
    expect(toHex(v2().ntChallengeResponse)).toBe('68cd0ab851e51c96aabc927bebef6a1c' + temp);
  });

  it('§4.2.4.2.1 LMv2 response', () => {
    expect(toHex(v2().lmChallengeResponse)).toBe('86c35097ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa');
  });

  it('§4.2.4.2.3 encrypted session key = RC4K(KeyExchangeKey, RandomSessionKey)', () => {
    expect(toHex(rc4k(v2().sessionBaseKey, V.randomSessionKey))).toBe('c5dad2544fc9799094ce1ce90bc9d03e');
  });

  it('§4.2.4.4 SEALKEY and SIGNKEY, client to server (128-bit, ESS)', () => {
    expect(toHex(sealKey(V.randomSessionKey, 'client-to-server', 128, true))).toBe('59f600973cc4960a25480a7c196e4c58');
    expect(toHex(signKey(V.randomSessionKey, 'client-to-server'))).toBe('4788dc861b4782f35d43fd98fe1a2d39');
  });

  it('§4.2.4.4 GSS_WrapEx example: sealed data and signature', () => {
    const p = new MessageProtector({
      exportedSessionKey: V.randomSessionKey,
      isClient: true,
      extendedSessionSecurity: true,
      keyExchange: true,
      strength: 128,
    });
    const { outputs, signature } = p.seal([{ data: V.plaintext, confidential: true }]);
    expect(toHex(outputs[0] ?? new Uint8Array())).toBe('54e50165bf1936dc996020c1811b0f06fb5f');
    expect(toHex(signature)).toBe('010000007fb38ec5c55d497600000000');
  });

  it('§4.2.4.4 example unseals on the server side, and a flipped bit is rejected', () => {
    const opts = {
      exportedSessionKey: V.randomSessionKey,
      extendedSessionSecurity: true,
      keyExchange: true,
      strength: 128,
    } as const;
    const server = new MessageProtector({ ...opts, isClient: false });
    const sealed = hex('54e50165bf1936dc996020c1811b0f06fb5f');
    const sig = hex('010000007fb38ec5c55d497600000000');
    const out = server.unseal([{ data: sealed, confidential: true }], sig);
    expect(out && toHex(out[0] ?? new Uint8Array())).toBe(toHex(V.plaintext));

    const server2 = new MessageProtector({ ...opts, isClient: false });
    const bad = sealed.slice();
    bad[3] = (bad[3] ?? 0) ^ 1;
    expect(server2.unseal([{ data: bad, confidential: true }], sig)).toBeUndefined();
  });
});

describe('channel bindings hash', () => {
  // Microsoft Open Specifications blog, "NTLM and Channel Binding Hash (aka Extended Protection for
  // Authentication)", 2013-03-26: tls-server-end-point application data and its MD5.
  it('hashes the gss_channel_bindings_struct of the published example', () => {
    const appData = new Uint8Array([
      ...ascii('tls-server-end-point:'),
      ...hex('ea05fefecc6b0bd571dbbc5baa3ed45386d0446835f7b74c85621b9983475f95'),
    ]);
    expect(toHex(channelBindingsHash({ applicationData: appData }))).toBe('6586e99d81c2fc984e47172fd4dd0310');
  });
});
