/**
 * sspkit's own RFC 4121 tokens (packages/provider-native/src/lucid) against MIT's, byte for byte,
 * on real contexts from the lab KDC: every token the TypeScript side makes is opened by the
 * library's gss_unwrap / gss_unwrap_iov / gss_verify_mic on the peer context and the other way
 * round, sealed and integrity-only, in gss_wrap's one-token form and in EncryptMessage's in-place
 * layout (with SIGN_ONLY data), then sequence checks (duplicate, gap, old) and tampering.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labCopyCcache } from '@sspkit/krb5-lab';
import type { Lab } from '@sspkit/krb5-lab';
import {
  acquireCredFrom,
  exportLucid,
  getMic,
  GssFlag,
  importName,
  isGssErrorObject,
  IovType,
  unwrap,
  unwrapIov,
  verifyMic,
  wrap,
  wrapIov,
} from '../packages/provider-native/src/ffi/index.js';
import type { MappedStatusName, NativeHandle } from '../packages/provider-native/src/ffi/index.js';
import { openSession } from '../packages/provider-native/src/lucid/index.js';
import type { Rfc4121Session } from '../packages/provider-native/src/lucid/index.js';
import { gssHandshake } from './native/handshake.js';
import { hostbased, startLab, stopLab } from './native/lab.js';

const FLAGS = GssFlag.MUTUAL | GssFlag.REPLAY | GssFlag.SEQUENCE | GssFlag.CONF | GssFlag.INTEG;

function expectFailure(fn: () => unknown, status: MappedStatusName): void {
  try {
    fn();
  } catch (err) {
    expect(isGssErrorObject(err), String(err)).toBe(true);
    if (isGssErrorObject(err)) expect(err.statusName, err.message).toBe(status);
    return;
  }
  throw new Error(`expected ${status}, call succeeded`);
}

describe('RFC 4121 tokens in TypeScript against MIT krb5', () => {
  let lab: Lab;
  let serverCred: NativeHandle;
  let clientCred: NativeHandle;
  let target: NativeHandle;

  beforeAll(async () => {
    lab = await startLab();
    serverCred = (
      await acquireCredFrom({ usage: 'ACCEPT', mech: 'krb5', store: { keytab: `FILE:${lab.serviceKeytab}` } })
    ).cred;
    const ccache = labCopyCcache(lab, join(lab.dir, 'rfc4121.ccache'));
    clientCred = (await acquireCredFrom({ usage: 'INITIATE', mech: 'krb5', store: { ccache: `FILE:${ccache}` } })).cred;
    target = importName(hostbased(lab), 'hostbased');
  });
  afterAll(async () => {
    serverCred?.release();
    clientCred?.release();
    target?.release();
    await stopLab(lab);
  });

  /** A fresh context pair; `ts` says which side makes its tokens in TypeScript. */
  async function pair(ts: 'client' | 'server'): Promise<{
    session: Rfc4121Session;
    mine: NativeHandle;
    peer: NativeHandle;
    release(): void;
  }> {
    const est = await gssHandshake({ mech: 'krb5', clientCred, serverCred, target, flags: FLAGS });
    const mine = ts === 'client' ? est.client : est.server;
    const peer = ts === 'client' ? est.server : est.client;
    const session = openSession(mine, est.clientFlags);
    if (session === null) throw new Error('no RFC 4121 session for the lab enctype');
    return {
      session,
      mine,
      peer,
      release(): void {
        session.wipe();
        est.client.release();
        est.server.release();
        est.accepted.source?.release();
      },
    };
  }

  it('reads the lab context as an AES enctype with an acceptor subkey, leaving the context usable', async () => {
    const est = await gssHandshake({ mech: 'krb5', clientCred, serverCred, target, flags: FLAGS });
    try {
      const l = exportLucid(est.client);
      expect(l.protocol).toBe(1);
      expect([17, 18, 19, 20]).toContain(l.ctxKey?.enctype);
      expect(l.acceptorSubkey).not.toBeNull();
      // The GSS context still works after the export (MIT's own export function would delete it).
      const msg = Buffer.from('after lucid');
      expect(unwrap(est.server.ptr, wrap(est.client.ptr, true, 0, msg).token).message).toEqual(msg);
    } finally {
      est.client.release();
      est.server.release();
      est.accepted.source?.release();
    }
  });

  for (const side of ['client', 'server'] as const) {
    describe(`TypeScript on the ${side} side`, () => {
      it('gss_wrap form, sealed and integrity-only, both directions, every length 0–70 and 1 KiB, 5000 B', async () => {
        const p = await pair(side);
        try {
          const sizes = [...Array.from({ length: 71 }, (_, i) => i), 1024, 5000];
          for (const n of sizes)
            for (const encrypt of [true, false]) {
              const msg = Buffer.alloc(n, n & 0xff);
              for (let i = 0; i < n; i++) msg[i] = (i * 31 + n) & 0xff;
              const out = unwrap(p.peer.ptr, p.session.wrap(encrypt, msg));
              expect(out.message, `ts→lib ${n} ${encrypt}`).toEqual(msg);
              expect(out.encrypted).toBe(encrypt);
              const back = p.session.unwrap(wrap(p.peer.ptr, encrypt, 0, msg).token);
              expect(Buffer.from(back.message), `lib→ts ${n} ${encrypt}`).toEqual(msg);
              expect(back.encrypted).toBe(encrypt);
            }
        } finally {
          p.release();
        }
      });

      it('in place (TOKEN + DATA, trailer rotated into the header), with SIGN_ONLY data, both directions', async () => {
        const p = await pair(side);
        try {
          for (const encrypt of [true, false])
            for (const [n, signed] of [
              [0, 0],
              [64, 0],
              [65, 0],
              [64, 13],
              [3000, 40],
            ] as const) {
              const plain = Buffer.from(Array.from({ length: n }, (_, i) => (i * 7) & 0xff));
              const extra = Buffer.alloc(signed, 0x5a);
              // TypeScript seals, the library opens.
              const header = Buffer.alloc(p.session.sealedHeaderLength);
              const data = Buffer.from(plain);
              const len = p.session.wrapInPlace(encrypt, header, [
                { data: extra, signOnly: true },
                { data, signOnly: false },
              ]);
              expect(len).toBe(encrypt ? p.session.sealedHeaderLength : p.session.signedHeaderLength);
              if (encrypt && n > 0) expect(data.equals(plain)).toBe(false);
              const opened = unwrapIov(p.peer.ptr, [
                { type: IovType.HEADER, data: header.subarray(0, len) },
                { type: IovType.SIGN_ONLY, data: extra },
                { type: IovType.DATA, data },
              ]);
              expect(opened.encrypted).toBe(encrypt);
              expect(data, `ts→lib ${n}/${signed} ${encrypt}`).toEqual(plain);
              // The library seals, TypeScript opens.
              const h2 = Buffer.alloc(len);
              const d2 = Buffer.from(plain);
              const sealed = wrapIov(p.peer.ptr, encrypt, 0, [
                { type: IovType.HEADER, data: h2 },
                { type: IovType.SIGN_ONLY, data: extra },
                { type: IovType.DATA, data: d2 },
                { type: IovType.PADDING, data: Buffer.alloc(0) },
              ]);
              expect(sealed.lengths[0]).toBe(len);
              const sealedFlag = p.session.unwrapInPlace(h2, [
                { data: extra, signOnly: true },
                { data: d2, signOnly: false },
              ]);
              expect(sealedFlag).toBe(encrypt);
              expect(d2, `lib→ts ${n}/${signed} ${encrypt}`).toEqual(plain);
            }
        } finally {
          p.release();
        }
      });

      it('MICs both ways, over several parts', async () => {
        const p = await pair(side);
        try {
          const parts = [Buffer.from('part one, '), Buffer.alloc(0), Buffer.alloc(100, 3)];
          const whole = Buffer.concat(parts);
          expect(verifyMic(p.peer.ptr, whole, p.session.getMic(parts))).toBe(0);
          p.session.verifyMic(parts, getMic(p.peer.ptr, 0, whole));
          p.session.verifyMic([whole], getMic(p.peer.ptr, 0, whole));
        } finally {
          p.release();
        }
      });

      it('duplicate, gap and old tokens, tampering and the wrong direction map as the library maps them', async () => {
        const p = await pair(side);
        try {
          const msg = Buffer.from('sequence');
          const t0 = wrap(p.peer.ptr, true, 0, msg).token;
          p.session.unwrap(t0);
          expectFailure(() => p.session.unwrap(t0), 'SEC_E_OUT_OF_SEQUENCE');
          wrap(p.peer.ptr, true, 0, msg);
          const t2 = wrap(p.peer.ptr, true, 0, msg).token;
          expectFailure(() => p.session.unwrap(t2), 'SEC_E_OUT_OF_SEQUENCE');
          // Every single-bit flip of a sealed token is refused as altered or out of sequence.
          const t3 = wrap(p.peer.ptr, true, 0, msg).token;
          for (let bit = 0; bit < t3.length * 8; bit++) {
            const bad = Buffer.from(t3);
            bad[bit >> 3]! ^= 1 << (bit & 7);
            expectFailure(() => p.session.unwrap(bad), 'SEC_E_MESSAGE_ALTERED');
          }
          const mic = getMic(p.peer.ptr, 0, msg);
          const badMic = Buffer.from(mic);
          badMic[badMic.length - 1]! ^= 1;
          expectFailure(() => p.session.verifyMic([msg], badMic), 'SEC_E_MESSAGE_ALTERED');
          // The library sees our replays the same way.
          const ours = p.session.wrap(true, msg);
          unwrap(p.peer.ptr, ours);
          let status: string | undefined;
          try {
            unwrap(p.peer.ptr, ours);
          } catch (err) {
            status = isGssErrorObject(err) ? err.statusName : String(err);
          }
          expect(status).toBe('SEC_E_OUT_OF_SEQUENCE');
          // A token of our own direction (reflected back to us) is refused.
          expectFailure(() => p.session.unwrap(p.session.wrap(true, msg)), 'SEC_E_MESSAGE_ALTERED');
        } finally {
          p.release();
        }
      });
    });
  }

  it('wiping the session zeroes its keys: it can make no token afterwards', async () => {
    const p = await pair('client');
    p.session.wrap(true, Buffer.from('x'));
    p.session.wipe();
    expect(() => p.session.wrap(true, Buffer.from('x'))).toThrow();
    p.release();
  });
});
