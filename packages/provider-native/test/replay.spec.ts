/**
 * The shared replay check's pure parts: finding the AP-REQ authenticator in a Kerberos GSS token or
 * a SPNEGO token (RFC 4120 §5.5.1, RFC 4121 §4.1, RFC 4178 §4.2), the key, the retention, the
 * verdicts and their statuses. The handshakes themselves are in test/native-replay-shared.int.spec.ts.
 */
import { describe, expect, it } from 'vitest';
import { MemoryReplayStore, SecStatus } from '@sspkit/core';
import type { ReplayStore } from '@sspkit/core';
import { encodeInitialContextToken, encodeNegTokenInit, encodeNegTokenResp, MechOid } from '@sspkit/negotiate';
import { authenticatorOf, authenticatorOfApReq } from '../src/adapter/ap-req.js';
import {
  checkAcceptedLeg,
  invalidReplayOptions,
  recordAuthenticator,
  REPLAY_STATUS,
  replayKey,
  retainUntil,
  STORE_DOWN_STATUS,
} from '../src/adapter/replay.js';
import type { ReplayCheck } from '../src/adapter/replay.js';
import type { CtxEntry } from '../src/adapter/state.js';
import { nativeModule } from '../src/adapter/tables.js';

/** A DER element (short or two-byte lengths are enough here). */
function der(id: number, ...parts: Uint8Array[]): Uint8Array {
  const body = Buffer.concat(parts);
  const len = body.length < 0x80 ? [body.length] : [0x82, body.length >> 8, body.length & 0xff];
  return Uint8Array.from([id, ...len, ...body]);
}
const int = (v: number): Uint8Array => der(0x02, Uint8Array.from([v]));
const tagged = (n: number, inner: Uint8Array): Uint8Array => der(0xa0 | n, inner);

const CIPHER = Uint8Array.from({ length: 120 }, (_, i) => (i * 37 + 11) & 0xff);

/** An AP-REQ with a stand-in ticket; the authenticator is EncryptedData { etype 18, kvno 1, cipher }. */
function apReq(cipher = CIPHER, msgType = 14): Uint8Array {
  const ticket = der(0x61, der(0x30, tagged(0, int(5)), tagged(1, der(0x1b, Buffer.from('R')))));
  const enc = der(0x30, tagged(0, int(18)), tagged(1, int(1)), tagged(2, der(0x04, cipher)));
  const body = der(
    0x30,
    tagged(0, int(5)),
    tagged(1, int(msgType)),
    tagged(2, der(0x03, Uint8Array.from([0, 0x20, 0, 0, 0]))),
    tagged(3, ticket),
    tagged(4, enc),
  );
  return der(0x6e, body);
}

const krb5Token = (ap = apReq(), mech: string = MechOid.kerberos): Uint8Array =>
  encodeInitialContextToken(mech, Uint8Array.from([0x01, 0x00, ...ap]));

describe('AP-REQ authenticator extraction', () => {
  it('reads a raw Kerberos GSS token (both Kerberos OIDs)', () => {
    expect(authenticatorOf(krb5Token(), 'krb5')).toEqual({ etype: 18, cipher: CIPHER });
    expect(authenticatorOf(krb5Token(apReq(), MechOid.kerberosMicrosoft), 'krb5')?.cipher).toEqual(CIPHER);
  });

  it('reads the mechToken of a NegTokenInit and the responseToken of a NegTokenResp', () => {
    const init = encodeNegTokenInit({ mechTypes: [MechOid.kerberos], mechToken: krb5Token() });
    expect(authenticatorOf(init, 'spnego')?.cipher).toEqual(CIPHER);
    const resp = encodeNegTokenResp({ responseToken: krb5Token() });
    expect(authenticatorOf(resp, 'spnego')?.cipher).toEqual(CIPHER);
    expect(authenticatorOf(encodeNegTokenInit({ mechTypes: [MechOid.kerberos] }), 'spnego')).toBeUndefined();
  });

  it('finds nothing in other tokens: another TOK_ID, another mechanism, another message type', () => {
    const ap = apReq();
    expect(
      authenticatorOf(encodeInitialContextToken(MechOid.kerberos, Uint8Array.from([2, 0, ...ap])), 'krb5'),
    ).toBeUndefined();
    expect(authenticatorOf(krb5Token(ap, MechOid.ntlm), 'krb5')).toBeUndefined();
    expect(authenticatorOfApReq(apReq(CIPHER, 15))).toBeUndefined();
    expect(authenticatorOf(krb5Token(), 'spnego')).toBeUndefined();
    expect(authenticatorOf(new Uint8Array(0), 'krb5')).toBeUndefined();
  });

  it('never throws on any truncation or single-bit flip of a token', () => {
    const token = encodeNegTokenInit({ mechTypes: [MechOid.kerberos], mechToken: krb5Token() });
    for (let n = 0; n < token.length; n++) {
      expect(authenticatorOf(token.subarray(0, n), 'spnego')).toBeUndefined();
      for (let bit = 0; bit < 8; bit++) {
        const flipped = Uint8Array.from(token);
        flipped[n] = (flipped[n] ?? 0) ^ (1 << bit);
        const found = authenticatorOf(flipped, 'spnego');
        if (found !== undefined) expect(found.cipher.length).toBeGreaterThan(0);
      }
    }
  });
});

const check = (store: ReplayStore, timeoutMs = 1000): ReplayCheck => ({ store, skewMs: 300_000, timeoutMs });

describe('the shared record', () => {
  it('keys on a hash of the ciphertext (with its etype), never the ciphertext itself', () => {
    const k = replayKey({ etype: 18, cipher: CIPHER });
    expect(k).toMatch(/^krb5-ap-req:[0-9a-f]{64}$/);
    expect(replayKey({ etype: 18, cipher: Uint8Array.from(CIPHER) })).toBe(k);
    const other = Uint8Array.from(CIPHER);
    other[0] = (other[0] ?? 0) ^ 1;
    expect(replayKey({ etype: 18, cipher: other })).not.toBe(k);
    expect(replayKey({ etype: 17, cipher: CIPHER })).not.toBe(k);
  });

  it('keeps a key for twice the clock skew', () => {
    expect(retainUntil(check(new MemoryReplayStore()), 1_000)).toBe(1_000 + 600_000);
  });

  it('a replay reads as MIT’s own replay cache refusal maps (KRB5KRB_AP_ERR_REPEAT)', async () => {
    expect(REPLAY_STATUS).toBe(SecStatus.SEC_E_OUT_OF_SEQUENCE);
    const c = check(new MemoryReplayStore());
    const a = { etype: 18, cipher: CIPHER };
    expect(await recordAuthenticator(c, a)).toBeUndefined();
    const again = await recordAuthenticator(c, a);
    expect(again?.status).toBe(SecStatus.SEC_E_OUT_OF_SEQUENCE);
    expect(again?.cause.message).toMatch(/already accepted/);
  });

  it('fails closed: a store that rejects, hangs or answers nonsense refuses with a cause', async () => {
    const a = { etype: 18, cipher: CIPHER };
    const rejects = await recordAuthenticator(check({ recordOnce: () => Promise.reject(new Error('down')) }), a);
    expect(rejects?.status).toBe(STORE_DOWN_STATUS);
    expect(STORE_DOWN_STATUS).toBe(SecStatus.SEC_E_NO_AUTHENTICATING_AUTHORITY);
    expect(rejects?.cause.message).toMatch(/could not record the authenticator: down/);
    const hangs = await recordAuthenticator(check({ recordOnce: () => new Promise(() => undefined) }, 20), a);
    expect(hangs?.cause.message).toMatch(/did not answer within 20 ms/);
    const odd = { recordOnce: () => Promise.resolve('maybe') } as unknown as ReplayStore;
    expect((await recordAuthenticator(check(odd), a))?.status).toBe(STORE_DOWN_STATUS);
  });

  it('a context that completes without a readable AP-REQ is refused when a store is configured', async () => {
    const entry = { mech: 'krb5', replay: check(new MemoryReplayStore()) } as unknown as CtxEntry;
    const refused = await checkAcceptedLeg(entry, Uint8Array.from([0x60, 0x00]), false);
    expect(refused?.status).toBe(SecStatus.SEC_E_INVALID_TOKEN);
    expect(await checkAcceptedLeg(entry, Uint8Array.from([0x60, 0x00]), true)).toBeUndefined();
    expect(await checkAcceptedLeg(entry, krb5Token(), false)).toBeUndefined();
    expect(entry.replayRecorded).toBe(true);
    const none = { mech: 'krb5' } as unknown as CtxEntry;
    expect(await checkAcceptedLeg(none, Uint8Array.from([0x60, 0x00]), false)).toBeUndefined();
  });

  it('validates options', () => {
    expect(invalidReplayOptions({})).toBeUndefined();
    expect(invalidReplayOptions({ replayStore: {} as ReplayStore })).toMatch(/recordOnce/);
    expect(invalidReplayOptions({ clockSkewSeconds: 0 })).toMatch(/clockSkewSeconds/);
    expect(invalidReplayOptions({ replayTimeoutMs: Number.NaN })).toMatch(/replayTimeoutMs/);
    expect(() => nativeModule('Kerberos', { clockSkewSeconds: -1 })).toThrow(TypeError);
  });
});
