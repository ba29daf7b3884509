/**
 * The FFI layer against a real MIT KDC (the krb5 lab): handshakes, protection, and the mapping of
 * failures to SSPI statuses. Token formats are RFC 4121 (krb5) and RFC 4178 (SPNEGO).
 */
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { labCopyCcache, labStartKdc, labStopKdc } from '@sspkit/krb5-lab';
import type { Lab } from '@sspkit/krb5-lab';
import {
  acquireCredFrom,
  acquireCredWithPassword,
  displayName,
  exportSecContext,
  getMic,
  GssFlag,
  importName,
  importSecContext,
  inlineStore,
  inquireContext,
  inquireCred,
  isAvailable,
  NO_CLIENT_KEYS,
  sharedGate,
  isGssErrorObject,
  MappedStatus,
  oidToDotted,
  sessionKey,
  unwrap,
  unwrapIov,
  verifyMic,
  wrap,
  wrapIov,
  wrapIovLength,
  wrapSizeLimit,
  IovType,
  NativeHandle,
} from '../packages/provider-native/src/ffi/index.js';
import type { MappedStatusName } from '../packages/provider-native/src/ffi/index.js';
import { gssHandshake } from './native/handshake.js';
import { hostbased, startLab, stopLab } from './native/lab.js';

const KRB5_OID = '1.2.840.113554.1.2.2';
const FLAGS = GssFlag.MUTUAL | GssFlag.REPLAY | GssFlag.SEQUENCE | GssFlag.CONF | GssFlag.INTEG;

async function expectStatus(promise: Promise<unknown> | (() => unknown), status: MappedStatusName): Promise<void> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (err) {
    expect(isGssErrorObject(err)).toBe(true);
    if (isGssErrorObject(err)) {
      expect(err.statusName, err.message).toBe(status);
      expect(err.status).toBe(MappedStatus[status]);
      expect(err.messages.length).toBeGreaterThan(0);
    }
    return;
  }
  throw new Error(`expected ${status}, call succeeded`);
}

describe('GSSAPI through koffi against the lab KDC', () => {
  let lab: Lab;
  let serverCred: NativeHandle;
  let clientCred: NativeHandle;
  let target: NativeHandle;

  beforeAll(async () => {
    lab = await startLab();
    expect(isAvailable()).toMatchObject({ available: true });
    serverCred = (
      await acquireCredFrom({ usage: 'ACCEPT', mech: 'krb5', store: { keytab: `FILE:${lab.serviceKeytab}` } })
    ).cred;
    const ccache = labCopyCcache(lab, join(lab.dir, 'ffi.ccache'));
    clientCred = (await acquireCredFrom({ usage: 'INITIATE', mech: 'krb5', store: { ccache: `FILE:${ccache}` } })).cred;
    target = importName(hostbased(lab), 'hostbased');
  });
  afterAll(async () => {
    serverCred?.release();
    clientCred?.release();
    target?.release();
    await stopLab(lab);
  });

  it('reads the principal of a ccache credential', () => {
    expect(inquireCred(clientCred).name).toBe(lab.userPrincipal);
  });

  it('completes a Kerberos handshake and names the client on the server', async () => {
    const hs = await gssHandshake({ mech: 'krb5', clientCred, serverCred, target, flags: FLAGS });
    try {
      expect(hs.accepted.source).not.toBeNull();
      expect(displayName(hs.accepted.source?.ptr ?? 0n).text).toBe(lab.userPrincipal);
      expect(oidToDotted(hs.accepted.mech)).toBe(KRB5_OID);
      expect(hs.clientFlags & GssFlag.MUTUAL).toBe(GssFlag.MUTUAL);
      expect(hs.accepted.flags & GssFlag.CONF).toBe(GssFlag.CONF);
      const info = inquireContext(hs.client);
      expect(info).toMatchObject({
        source: lab.userPrincipal,
        target: lab.servicePrincipal,
        locallyInitiated: true,
        open: true,
      });
      expect(sessionKey(hs.client).key.equals(sessionKey(hs.server).key)).toBe(true);
      expect(sessionKey(hs.client).key.length).toBeGreaterThanOrEqual(16);
    } finally {
      hs.accepted.source?.release();
      hs.client.release();
      hs.server.release();
    }
  });

  it('completes a SPNEGO handshake that negotiates krb5', async () => {
    const spnegoClient = (
      await acquireCredFrom({ usage: 'INITIATE', mech: 'spnego', store: { ccache: `FILE:${lab.ccache}` } })
    ).cred;
    const spnegoServer = (
      await acquireCredFrom({ usage: 'ACCEPT', mech: 'spnego', store: { keytab: `FILE:${lab.serviceKeytab}` } })
    ).cred;
    const hs = await gssHandshake({
      mech: 'spnego',
      clientCred: spnegoClient,
      serverCred: spnegoServer,
      target,
      flags: FLAGS,
    });
    try {
      expect(oidToDotted(hs.clientMech)).toBe(KRB5_OID);
      expect(displayName(hs.accepted.source?.ptr ?? 0n).text).toBe(lab.userPrincipal);
      const { token } = wrap(hs.server.ptr, true, 0, Buffer.from('through spnego'));
      expect(unwrap(hs.client.ptr, token).message.toString()).toBe('through spnego');
    } finally {
      hs.accepted.source?.release();
      for (const h of [hs.client, hs.server, spnegoClient, spnegoServer]) h.release();
    }
  });

  describe('per-message protection (RFC 4121 §4.2)', () => {
    // A fresh pair per test: a refused message leaves a sequence gap the next test would trip on.
    let client: NativeHandle;
    let server: NativeHandle;
    beforeEach(async () => {
      const hs = await gssHandshake({ mech: 'krb5', clientCred, serverCred, target, flags: FLAGS });
      hs.accepted.source?.release();
      client = hs.client;
      server = hs.server;
    });
    afterEach(() => {
      client.release();
      server.release();
    });

    it('wraps and unwraps both ways, sealed and integrity-only', () => {
      const sealed = wrap(client.ptr, true, 0, Buffer.from('hello server'));
      expect(sealed.encrypted).toBe(true);
      expect(sealed.token.includes(Buffer.from('hello server'))).toBe(false);
      expect(unwrap(server.ptr, sealed.token)).toMatchObject({ encrypted: true });
      const plain = wrap(server.ptr, false, 0, Buffer.from('signed only'));
      expect(plain.encrypted).toBe(false);
      const opened = unwrap(client.ptr, plain.token);
      expect(opened.message.toString()).toBe('signed only');
      expect(opened.encrypted).toBe(false);
    });

    it('verifies a MIC and reports a tampered one as MESSAGE_ALTERED', async () => {
      const message = Buffer.from('signed message');
      const mic = getMic(client.ptr, 0, message);
      expect(verifyMic(server.ptr, message, mic)).toBe(0);
      const next = getMic(client.ptr, 0, message);
      await expectStatus(() => verifyMic(server.ptr, Buffer.from('signed massage'), next), 'SEC_E_MESSAGE_ALTERED');
    });

    it('reports a replayed MIC and a replayed wrap token as OUT_OF_SEQUENCE', async () => {
      const message = Buffer.from('once');
      const mic = getMic(client.ptr, 0, message);
      verifyMic(server.ptr, message, mic);
      await expectStatus(() => verifyMic(server.ptr, message, mic), 'SEC_E_OUT_OF_SEQUENCE');
      const { token } = wrap(client.ptr, true, 0, message);
      unwrap(server.ptr, token);
      await expectStatus(() => unwrap(server.ptr, token), 'SEC_E_OUT_OF_SEQUENCE');
    });

    it('reports a skipped message (gap) as OUT_OF_SEQUENCE', async () => {
      wrap(client.ptr, true, 0, Buffer.from('lost'));
      const { token } = wrap(client.ptr, true, 0, Buffer.from('arrives'));
      await expectStatus(() => unwrap(server.ptr, token), 'SEC_E_OUT_OF_SEQUENCE');
    });

    it('reports a truncated wrap token as INVALID_TOKEN or MESSAGE_ALTERED', () => {
      const { token } = wrap(client.ptr, true, 0, Buffer.from('cut me'));
      let status = '';
      try {
        unwrap(server.ptr, token.subarray(0, 10));
      } catch (err) {
        status = isGssErrorObject(err) ? err.statusName : 'other';
      }
      expect(['SEC_E_INVALID_TOKEN', 'SEC_E_MESSAGE_ALTERED']).toContain(status);
    });

    it('encrypts in place with a HEADER+DATA+PADDING layout and opens it as a stream', () => {
      const data = Buffer.from('in-place payload');
      const original = Buffer.from(data);
      const lengths = wrapIovLength(client.ptr, true, 0, [
        { type: IovType.HEADER, data: Buffer.alloc(0) },
        { type: IovType.DATA, data },
        { type: IovType.PADDING, data: Buffer.alloc(0) },
      ]);
      const header = Buffer.alloc(lengths[0] ?? 0);
      const padding = Buffer.alloc(lengths[2] ?? 0);
      const res = wrapIov(client.ptr, true, 0, [
        { type: IovType.HEADER, data: header },
        { type: IovType.DATA, data },
        { type: IovType.PADDING, data: padding },
      ]);
      expect(res.encrypted).toBe(true);
      expect(data.equals(original)).toBe(false);
      const stream = Buffer.concat([header, data, padding.subarray(0, res.lengths[2] ?? 0)]);
      const out = unwrapIov(server.ptr, [
        { type: IovType.STREAM, data: stream },
        { type: IovType.DATA, data: Buffer.alloc(0) },
      ]);
      expect(out.views[1]?.toString()).toBe('in-place payload');
    });

    it('reports a wrap size limit below the output size', () => {
      const limit = wrapSizeLimit(client.ptr, true, 0, 1000);
      expect(limit).toBeGreaterThan(900);
      expect(limit).toBeLessThan(1000);
    });

    it('exports and imports a context, keeping its keys and sequence state', () => {
      const token = exportSecContext(server);
      expect(server.isEmpty).toBe(true);
      const imported = importSecContext(token);
      server = imported;
      const sealed = wrap(client.ptr, true, 0, Buffer.from('after import'));
      expect(unwrap(imported.ptr, sealed.token).message.toString()).toBe('after import');
    });
  });

  it('binds channel bindings: equal ones pass, different ones fail with BAD_BINDINGS', async () => {
    const cb = (data: string) => ({
      initiatorAddrtype: 0,
      initiatorAddress: Buffer.alloc(0),
      acceptorAddrtype: 0,
      acceptorAddress: Buffer.alloc(0),
      applicationData: Buffer.from(data),
    });
    const ok = await gssHandshake({
      mech: 'krb5',
      clientCred,
      serverCred,
      target,
      flags: FLAGS,
      clientBindings: cb('tls-unique:A'),
      serverBindings: cb('tls-unique:A'),
    });
    ok.accepted.source?.release();
    ok.client.release();
    ok.server.release();
    await expectStatus(
      gssHandshake({
        mech: 'krb5',
        clientCred,
        serverCred,
        target,
        flags: FLAGS,
        clientBindings: cb('tls-unique:A'),
        serverBindings: cb('tls-unique:B'),
      }),
      'SEC_E_BAD_BINDINGS',
    );
  });

  it('acquires with a password and authenticates; a wrong password is LOGON_DENIED', async () => {
    const name = importName(lab.userPrincipal, 'principal');
    try {
      const good = await acquireCredWithPassword({
        name,
        password: Buffer.from(lab.password),
        usage: 'INITIATE',
        mech: 'krb5',
      });
      const hs = await gssHandshake({ mech: 'krb5', clientCred: good.cred, serverCred, target, flags: FLAGS });
      expect(displayName(hs.accepted.source?.ptr ?? 0n).text).toBe(lab.userPrincipal);
      hs.accepted.source?.release();
      hs.client.release();
      hs.server.release();
      good.cred.release();
      await expectStatus(
        (async () => {
          const bad = await acquireCredWithPassword({
            name,
            password: Buffer.from('not-the-password'),
            usage: 'INITIATE',
            mech: 'krb5',
          });
          try {
            await gssHandshake({ mech: 'krb5', clientCred: bad.cred, serverCred, target, flags: FLAGS });
          } finally {
            bad.cred.release();
          }
        })(),
        'SEC_E_LOGON_DENIED',
      );
    } finally {
      name.release();
    }
  });

  it('reports an unknown service principal as TARGET_UNKNOWN', async () => {
    const nobody = importName('HTTP@no-such-host.invalid', 'hostbased');
    try {
      await expectStatus(
        gssHandshake({ mech: 'krb5', clientCred, serverCred, target: nobody, flags: FLAGS }),
        'SEC_E_TARGET_UNKNOWN',
      );
    } finally {
      nobody.release();
    }
  });

  it('fails fast with NO_AUTHENTICATING_AUTHORITY when the KDC is down', async () => {
    const name = importName(lab.userPrincipal, 'principal');
    await labStopKdc(lab);
    try {
      await expectStatus(
        (async () => {
          const cred = await acquireCredWithPassword({
            name,
            password: Buffer.from(lab.password),
            usage: 'INITIATE',
            mech: 'krb5',
          });
          try {
            await gssHandshake({ mech: 'krb5', clientCred: cred.cred, serverCred, target, flags: FLAGS });
          } finally {
            cred.cred.release();
          }
        })(),
        'SEC_E_NO_AUTHENTICATING_AUTHORITY',
      );
    } finally {
      name.release();
      await labStartKdc(lab, false);
    }
  });

  it('acquires on the main thread only what cannot reach a KDC or a daemon', async () => {
    const local = { ccache: `FILE:${join(lab.dir, 'ffi.ccache')}` };
    expect(inlineStore('ACCEPT', { keytab: `FILE:${lab.serviceKeytab}` })).toEqual({
      keytab: `FILE:${lab.serviceKeytab}`,
    });
    // The store names an empty client keytab: MIT can then never fetch a TGT with this credential.
    expect(inlineStore('INITIATE', local)).toEqual({ ...local, client_keytab: NO_CLIENT_KEYS });
    expect(inlineStore('INITIATE', { ccache: 'KCM:' })).toBeNull();
    expect(inlineStore('INITIATE', {})).toBeNull();
    expect(inlineStore('INITIATE', { ...local, client_keytab: `FILE:${lab.serviceKeytab}` })).toBeNull();
    expect(inlineStore('BOTH', { ...local, keytab: `FILE:${lab.serviceKeytab}` })).toBeNull();
    // A default client keytab with keys lets MIT obtain TGTs by itself: a worker thread again.
    const previous = process.env['KRB5_CLIENT_KTNAME'];
    process.env['KRB5_CLIENT_KTNAME'] = `FILE:${lab.serviceKeytab}`;
    try {
      expect(inlineStore('INITIATE', local)).toBeNull();
    } finally {
      if (previous === undefined) delete process.env['KRB5_CLIENT_KTNAME'];
      else process.env['KRB5_CLIENT_KTNAME'] = previous;
    }
    const before = sharedGate().stats().started;
    const cred = (await acquireCredFrom({ usage: 'INITIATE', mech: 'krb5', store: local })).cred;
    expect(sharedGate().stats().started).toBe(before);
    expect(inquireCred(cred).name).toBe(lab.userPrincipal);
    cred.release();
  });

  it('acquires from stores laid out in the call frame and from stores too long for it', async () => {
    // Store strings go into the pooled frame when they fit (512 bytes), else into their own
    // Buffers: a non-ASCII path (UTF-8 lengths differ from string lengths) and a path of over 600
    // bytes must each name their ccache exactly.
    const { mkdirSync } = await import('node:fs');
    const wide = join(lab.dir, 'ñandú-café');
    const deep = join(lab.dir, 'd'.repeat(200), 'e'.repeat(200), 'f'.repeat(200));
    for (const d of [wide, deep]) mkdirSync(d, { recursive: true });
    const stores = [
      { ccache: `FILE:${labCopyCcache(lab, join(wide, 'ffi.ccache'))}` },
      { ccache: `FILE:${labCopyCcache(lab, join(deep, 'ffi.ccache'))}` },
    ];
    for (const store of stores) {
      const cred = (await acquireCredFrom({ usage: 'INITIATE', mech: 'krb5', store })).cred;
      expect(inquireCred(cred).name).toBe(lab.userPrincipal);
      cred.release();
    }
  });

  it('reports a missing ccache as NO_CREDENTIALS', async () => {
    await expectStatus(
      acquireCredFrom({ usage: 'INITIATE', mech: 'krb5', store: { ccache: `FILE:${join(lab.dir, 'absent.ccache')}` } }),
      'SEC_E_NO_CREDENTIALS',
    );
  });

  it('reports garbage as the first acceptor token as INVALID_TOKEN', async () => {
    const ctx = new NativeHandle('context');
    const { acceptSecContext } = await import('../packages/provider-native/src/ffi/index.js');
    await expectStatus(
      () => acceptSecContext({ cred: serverCred, ctx, input: Buffer.from('not a token at all') }),
      'SEC_E_INVALID_TOKEN',
    );
    ctx.release();
  });
});
