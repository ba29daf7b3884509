/**
 * sspkit's RFC 8009 tokens (aes256-cts-hmac-sha384-192) against MIT's. The lab KDC issues
 * aes-sha1 session keys; listing the SHA-2 enctypes first in permitted_enctypes makes the
 * initiator offer them in its authenticator (RFC 4537) and MIT's acceptor then chooses an
 * aes256-cts-hmac-sha384-192 acceptor subkey, which every per-message token uses (RFC 4121 §2).
 */
import { readFileSync, writeFileSync } from 'node:fs';
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
  IovType,
  unwrap,
  unwrapIov,
  verifyMic,
  wrap,
  wrapIov,
} from '../packages/provider-native/src/ffi/index.js';
import type { NativeHandle } from '../packages/provider-native/src/ffi/index.js';
import { openSession } from '../packages/provider-native/src/lucid/index.js';
import { gssHandshake } from './native/handshake.js';
import { hostbased, startLab, stopLab } from './native/lab.js';

const FLAGS = GssFlag.MUTUAL | GssFlag.REPLAY | GssFlag.SEQUENCE | GssFlag.CONF | GssFlag.INTEG;
const SHA2_FIRST =
  'aes256-cts-hmac-sha384-192 aes128-cts-hmac-sha256-128 aes256-cts-hmac-sha1-96 aes128-cts-hmac-sha1-96';

describe('RFC 8009 tokens in TypeScript against MIT krb5 (SHA-2 acceptor subkey)', () => {
  let lab: Lab;
  let serverCred: NativeHandle;
  let clientCred: NativeHandle;
  let target: NativeHandle;

  beforeAll(async () => {
    lab = await startLab();
    // Before the library's first call in this worker: the SHA-2 enctypes first.
    const conf = join(lab.dir, 'krb5-sha2.conf');
    const base = readFileSync(lab.krb5Conf, 'utf8');
    writeFileSync(conf, base.replace('[libdefaults]', `[libdefaults]\n  permitted_enctypes = ${SHA2_FIRST}`));
    process.env['KRB5_CONFIG'] = conf;
    serverCred = (
      await acquireCredFrom({ usage: 'ACCEPT', mech: 'krb5', store: { keytab: `FILE:${lab.serviceKeytab}` } })
    ).cred;
    const ccache = labCopyCcache(lab, join(lab.dir, 'sha2.ccache'));
    clientCred = (await acquireCredFrom({ usage: 'INITIATE', mech: 'krb5', store: { ccache: `FILE:${ccache}` } })).cred;
    target = importName(hostbased(lab), 'hostbased');
  });
  afterAll(async () => {
    serverCred?.release();
    clientCred?.release();
    target?.release();
    await stopLab(lab);
  });

  for (const side of ['client', 'server'] as const) {
    it(`TypeScript on the ${side} side: one-token and in-place wraps and MICs, both ways`, async () => {
      const est = await gssHandshake({ mech: 'krb5', clientCred, serverCred, target, flags: FLAGS });
      const mine = side === 'client' ? est.client : est.server;
      const peer = side === 'client' ? est.server : est.client;
      const lucid = exportLucid(mine);
      expect(lucid.acceptorSubkey?.enctype).toBe(20);
      lucid.ctxKey?.key.fill(0);
      lucid.acceptorSubkey?.key.fill(0);
      const s = openSession(mine, est.clientFlags)!;
      try {
        expect(s.sealedHeaderLength).toBe(16 + 16 + 24 + 16);
        for (const n of [0, 1, 15, 16, 17, 64, 1000])
          for (const encrypt of [true, false]) {
            const msg = Buffer.from(Array.from({ length: n }, (_, i) => (i * 13 + n) & 0xff));
            expect(unwrap(peer.ptr, s.wrap(encrypt, msg)).message).toEqual(msg);
            expect(Buffer.from(s.unwrap(wrap(peer.ptr, encrypt, 0, msg).token).message)).toEqual(msg);
            const header = Buffer.alloc(s.sealedHeaderLength);
            const data = Buffer.from(msg);
            const extra = Buffer.alloc(9, 1);
            const len = s.wrapInPlace(encrypt, header, [
              { data, signOnly: false },
              { data: extra, signOnly: true },
            ]);
            unwrapIov(peer.ptr, [
              { type: IovType.HEADER, data: header.subarray(0, len) },
              { type: IovType.DATA, data },
              { type: IovType.SIGN_ONLY, data: extra },
            ]);
            expect(data).toEqual(msg);
            const h2 = Buffer.alloc(len);
            const d2 = Buffer.from(msg);
            wrapIov(peer.ptr, encrypt, 0, [
              { type: IovType.HEADER, data: h2 },
              { type: IovType.DATA, data: d2 },
              { type: IovType.SIGN_ONLY, data: extra },
            ]);
            expect(
              s.unwrapInPlace(h2, [
                { data: d2, signOnly: false },
                { data: extra, signOnly: true },
              ]),
            ).toBe(encrypt);
            expect(d2).toEqual(msg);
            expect(verifyMic(peer.ptr, msg, s.getMic([msg]))).toBe(0);
            s.verifyMic([msg], getMic(peer.ptr, 0, msg));
          }
      } finally {
        s.wipe();
        est.client.release();
        est.server.release();
        est.accepted.source?.release();
      }
    });
  }
});
