/**
 * The Kerberos and Negotiate packages through the core dispatcher against the lab KDC. The lab
 * user is `nobody`, so gss_localname maps the principal to an account every Debian system has.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AscReq,
  IscReq,
  NegotiationState,
  SecBufferType,
  SecPkgAttr,
  SecPkgCred,
  SecQop,
  SecStatus,
  clientContext,
  createSspi,
  isSspiError,
  runHandshake,
  secBuffer,
  secBufferDesc,
  serverContext,
} from '@sspkit/core';
import type { ClientContext, ServerContext, SspiDispatcher } from '@sspkit/core';
import { labCopyCcache, labStartKdc, labStopKdc } from '@sspkit/krb5-lab';
import type { Lab } from '@sspkit/krb5-lab';
import { kerberosModule, nativeCallStats, negotiateModule, secChannelBindings } from '@sspkit/provider-native';
import { isGssErrorObject } from '../packages/provider-native/src/ffi/index.js';
import { startLab, stopLab } from './native/lab.js';

const REQ =
  IscReq.MUTUAL_AUTH |
  IscReq.REPLAY_DETECT |
  IscReq.SEQUENCE_DETECT |
  IscReq.CONFIDENTIALITY |
  IscReq.INTEGRITY |
  IscReq.CONNECTION;

describe.each(['Kerberos', 'Negotiate-MIT'] as const)('%s through the dispatcher', (pkg) => {
  let lab: Lab;
  let sspi: SspiDispatcher;
  let ccache: string;

  beforeAll(async () => {
    lab = await startLab({ user: 'nobody' });
    ccache = labCopyCcache(lab, join(lab.dir, 'pkg.ccache'));
    sspi = await createSspi({ modules: [kerberosModule, negotiateModule] });
  });
  afterAll(async () => {
    await stopLab(lab);
  });

  async function pair(
    targetName: string,
    extra: { client?: object; server?: object } = {},
  ): Promise<{ client: ClientContext; server: ServerContext }> {
    const client = await clientContext(sspi, {
      package: pkg,
      authData: { ccache },
      targetName,
      requirements: REQ,
      ...extra.client,
    });
    const server = await serverContext(sspi, {
      package: pkg,
      authData: { keytab: lab.serviceKeytab },
      requirements: AscReq.CONNECTION,
      ...extra.server,
    });
    return { client, server };
  }

  it('is listed by EnumerateSecurityPackages', () => {
    const names = sspi.enumerateSecurityPackages().packages.map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['Kerberos', 'Negotiate-MIT']));
  });

  it.each(['HTTP/localhost', 'HTTP/localhost@SSPKIT.LAB', 'HTTP@localhost'])(
    'authenticates to target %s',
    async (target) => {
      const { client, server } = await pair(target);
      try {
        await runHandshake(client, server);
        expect(client.contextAttributes & IscRet_MUTUAL).toBe(IscRet_MUTUAL);
        expect(server.query(SecPkgAttr.NAMES).userName).toBe(lab.userPrincipal);
        expect(client.query(SecPkgAttr.NATIVE_NAMES)).toEqual({
          clientName: lab.userPrincipal,
          serverName: lab.servicePrincipal,
        });
      } finally {
        client.dispose();
        server.dispose();
      }
    },
  );

  // A fresh pair per test: a refused message leaves a sequence gap that the next test would hit.
  describe('an established pair', () => {
    let client: ClientContext;
    let server: ServerContext;
    beforeEach(async () => {
      ({ client, server } = await pair('HTTP/localhost'));
      await runHandshake(client, server);
    });
    afterEach(() => {
      client.dispose();
      server.dispose();
      expect(sspi.liveHandleCount).toBe(0);
    });

    it('signs and verifies both ways; a changed message is MESSAGE_ALTERED', () => {
      const data = Buffer.from('signed by the client');
      server.verify(data, client.sign(data));
      client.verify(data, server.sign(data));
      const sig = client.sign(data);
      let code = '';
      let cause: unknown;
      try {
        server.verify(Buffer.from('signed by the clienT'), sig);
      } catch (err) {
        code = isSspiError(err) ? err.code : 'other';
        cause = (err as Error).cause;
      }
      expect(code).toBe('SEC_E_MESSAGE_ALTERED');
      // The library's own account of it travels as the cause (failureCause), and is forgotten by
      // the next per-message call on the context.
      expect(isGssErrorObject(cause)).toBe(true);
      expect(String((cause as Error).message)).toMatch(/MIC|integrity/i);
      expect(sspi.failureCause(server.handle!)).toBe(cause);
      server.sign(data);
      expect(sspi.failureCause(server.handle!)).toBeUndefined();
    });

    it('encrypts TOKEN+DATA+PADDING in place and decrypts both ways', () => {
      const data = Buffer.from('confidential payload');
      const sealed = client.encrypt(data);
      expect(Buffer.from(sealed.data).equals(data)).toBe(false);
      expect(sealed.data.length).toBe(data.length);
      expect(sealed.token.length).toBe(client.sizes.securityTrailer);
      expect(Buffer.from(server.decrypt(sealed)).toString()).toBe('confidential payload');
      expect(Buffer.from(client.decrypt(server.encrypt(Buffer.from('reply')))).toString()).toBe('reply');
    });

    it('honours SECQOP_WRAP_NO_ENCRYPT and reports it on decrypt', () => {
      const data = Buffer.from('integrity only');
      const sealed = client.encrypt(data, SecQop.WRAP_NO_ENCRYPT);
      expect(Buffer.from(sealed.data).equals(data)).toBe(true);
      const token = secBuffer(SecBufferType.TOKEN, Uint8Array.from(sealed.token));
      const body = secBuffer(SecBufferType.DATA, Uint8Array.from(sealed.data));
      const qop = { value: 0 };
      expect(sspi.decryptMessage(server.handle!, secBufferDesc(token, body), 0, qop)).toBe(SecStatus.SEC_E_OK);
      expect(qop.value).toBe(SecQop.WRAP_NO_ENCRYPT);
    });

    it('answers the context attributes', () => {
      const sizes = client.query(SecPkgAttr.SIZES);
      expect(sizes.maxToken).toBe(48000);
      expect(sizes.maxSignature).toBeGreaterThan(0);
      expect(sizes.securityTrailer).toBeGreaterThan(sizes.maxSignature);
      const life = client.query(SecPkgAttr.LIFESPAN);
      expect(life.expiry > life.start).toBe(true);
      expect(client.query(SecPkgAttr.FLAGS).flags).toBe(client.contextAttributes);
      expect(
        Buffer.from(client.query(SecPkgAttr.SESSION_KEY).sessionKey).equals(
          Buffer.from(server.query(SecPkgAttr.SESSION_KEY).sessionKey),
        ),
      ).toBe(true);
      expect(client.query(SecPkgAttr.PACKAGE_INFO).packageInfo.name).toBe(pkg);
      const neg = sspi.queryContextAttributes(client.handle!, SecPkgAttr.NEGOTIATION_INFO);
      if (pkg === 'Negotiate-MIT') {
        expect(neg.status).toBe(SecStatus.SEC_E_OK);
        expect(neg.buffer).toMatchObject({
          packageInfo: { name: 'Kerberos' },
          negotiationState: NegotiationState.COMPLETE,
        });
      } else expect(neg.status).toBe(SecStatus.SEC_E_UNSUPPORTED_FUNCTION);
    });

    it('gives the server a token naming the client and its local account', () => {
      const token = server.token();
      expect(token.user).toBe(lab.userPrincipal);
      expect(token.domain).toBe(lab.realm);
      expect(token.localAccount).toMatchObject({ name: 'nobody', uid: 65534, gid: 65534 });
      expect(token.localAccount?.groups).toContain(65534);
      // MIT 1.20 KDCs put a minimal PAC in every ticket; its buffers arrive as authenticated attributes.
      expect(token.attributes?.['pac']).toBe(true);
      expect(token.attributes?.['authorizationData']).toContain('urn:mspac:client-info');
      expect(sspi.querySecurityContextToken(client.handle!).status).toBe(SecStatus.SEC_E_NO_IMPERSONATION);
    });

    it('exports and re-imports the server context', () => {
      const exp = sspi.exportSecurityContext(server.handle!, 0);
      expect(exp.status).toBe(SecStatus.SEC_E_OK);
      const imp = sspi.importSecurityContext(pkg, exp.packedContext!);
      expect(imp.status).toBe(SecStatus.SEC_E_OK);
      const sealed = client.encrypt(Buffer.from('to the copy'));
      const body = secBuffer(SecBufferType.DATA, Uint8Array.from(sealed.data));
      const st = sspi.decryptMessage(
        imp.context!,
        secBufferDesc(secBuffer(SecBufferType.TOKEN, Uint8Array.from(sealed.token)), body),
        0,
      );
      expect(st).toBe(SecStatus.SEC_E_OK);
      expect(Buffer.from(body.data).toString()).toBe('to the copy');
      expect(sspi.deleteSecurityContext(imp.context!)).toBe(SecStatus.SEC_E_OK);
    });
  });

  it('delegates the client TGT when ISC_REQ_DELEGATE is asked for', async () => {
    const { client, server } = await pair('HTTP/localhost', { client: { requirements: REQ | IscReq.DELEGATE } });
    try {
      await runHandshake(client, server);
      expect(client.contextAttributes & IscReq.DELEGATE).toBe(IscReq.DELEGATE);
      expect(server.contextAttributes & AscReq.DELEGATE).toBe(AscReq.DELEGATE);
      expect(server.token().attributes?.['delegatedCredential']).toBe(true);
    } finally {
      client.dispose();
      server.dispose();
    }
  });

  it('keeps working when the credential is freed while the first leg waits on the library', async () => {
    const acquired = await sspi.acquireCredentialsHandle({
      package: pkg,
      credentialUse: SecPkgCred.OUTBOUND,
      authData: { ccache },
    });
    const firstOut = secBufferDesc(secBuffer(SecBufferType.TOKEN));
    const pending = sspi.initializeSecurityContext({
      credential: acquired.credential!,
      targetName: 'HTTP/localhost',
      contextReq: REQ | IscReq.ALLOCATE_MEMORY,
      output: firstOut,
    });
    // Freed while gss_init_sec_context runs on a worker thread: the release must wait for it.
    expect(sspi.freeCredentialsHandle(acquired.credential!)).toBe(SecStatus.SEC_E_OK);
    const leg1 = await pending;
    expect(leg1.status).toBe(SecStatus.SEC_I_CONTINUE_NEEDED);
    const server = await serverContext(sspi, { package: pkg, authData: { keytab: lab.serviceKeytab } });
    try {
      const reply = (await server.step(firstOut.buffers[0]!.data)) ?? new Uint8Array(0);
      const leg2 = await sspi.initializeSecurityContext({
        context: leg1.context!,
        contextReq: REQ | IscReq.ALLOCATE_MEMORY,
        input: secBufferDesc(secBuffer(SecBufferType.TOKEN, reply)),
        output: secBufferDesc(secBuffer(SecBufferType.TOKEN)),
      });
      expect(leg2.status).toBe(SecStatus.SEC_E_OK);
      expect(server.token().user).toBe(lab.userPrincipal);
    } finally {
      server.dispose();
      if (leg1.context) sspi.deleteSecurityContext(leg1.context);
    }
  });

  it('runs first legs on a worker thread until the service ticket is pinned, then inline; a pinned leg needs neither the ccache nor the KDC', async () => {
    const path = labCopyCcache(lab, join(lab.dir, `inline-${pkg}.ccache`));
    const credential = (
      await sspi.acquireCredentialsHandle({
        package: pkg,
        credentialUse: SecPkgCred.OUTBOUND,
        authData: { ccache: path },
      })
    ).credential!;
    const serverCred = (
      await sspi.acquireCredentialsHandle({
        package: pkg,
        credentialUse: SecPkgCred.INBOUND,
        authData: { keytab: lab.serviceKeytab },
      })
    ).credential!;
    // Async calls of both lanes (the pin's ccache read is a local-lane call).
    const gate = { stats: nativeCallStats };
    const once = async (requirements = REQ): Promise<number> => {
      const before = gate.stats().started;
      const client = await clientContext(sspi, {
        package: pkg,
        credential,
        targetName: 'HTTP/localhost',
        requirements,
      });
      const server = await serverContext(sspi, {
        package: pkg,
        credential: serverCred,
        requirements: AscReq.CONNECTION,
      });
      try {
        await runHandshake(client, server);
        expect(server.query(SecPkgAttr.NAMES).userName).toBe(lab.userPrincipal);
        return gate.stats().started - before;
      } finally {
        client.dispose();
        server.dispose();
      }
    };
    try {
      // Async calls per handshake. 1st: the first leg on a worker. 2nd: the same, then the pin (the
      // credential's ccache read on a worker; the credential over the private copy is acquired
      // inline). Later: none — the first leg runs inline from the pinned ticket.
      expect([await once(), await once(), await once(), await once()]).toEqual([1, 2, 0, 0]);
      // Delegation forwards a TGT, which the pin does not hold: a worker thread again.
      expect(await once(REQ | IscReq.DELEGATE)).toBe(1);
      // The pin is a private copy of the service ticket: the credential's ccache removed and the
      // KDC stopped, it still authenticates, inline.
      rmSync(path);
      await labStopKdc(lab);
      try {
        expect(await once()).toBe(0);
      } finally {
        await labStartKdc(lab, false);
      }
    } finally {
      sspi.freeCredentialsHandle(credential);
      sspi.freeCredentialsHandle(serverCred);
    }
  });

  it('checks channel bindings from SECBUFFER_CHANNEL_BINDINGS', async () => {
    const cb = (s: string) => secBuffer(SecBufferType.CHANNEL_BINDINGS, secChannelBindings(Buffer.from(s)));
    const { client, server } = await pair('HTTP/localhost');
    try {
      const t1 = await client.step(undefined, { extraInput: [cb('tls-server-end-point:A')] });
      let code = '';
      try {
        await server.step(t1, { extraInput: [cb('tls-server-end-point:B')] });
      } catch (err) {
        code = isSspiError(err) ? err.code : 'other';
      }
      expect(code).toBe('SEC_E_BAD_BINDINGS');
    } finally {
      client.dispose();
      server.dispose();
    }
  });

  it('acquires from a password; a wrong one is LOGON_DENIED; a stopped KDC is NO_AUTHENTICATING_AUTHORITY', async () => {
    const ok = await sspi.acquireCredentialsHandle({
      package: pkg,
      credentialUse: 2,
      authData: { user: 'nobody', domain: lab.realm, password: lab.password },
    });
    expect(ok.status).toBe(SecStatus.SEC_E_OK);
    const client = await clientContext(sspi, {
      package: pkg,
      credential: ok.credential!,
      targetName: 'HTTP/localhost',
      requirements: REQ,
    });
    const server = await serverContext(sspi, { package: pkg, authData: { keytab: lab.serviceKeytab } });
    await runHandshake(client, server);
    expect(server.token().user).toBe(lab.userPrincipal);
    client.dispose();
    server.dispose();
    sspi.freeCredentialsHandle(ok.credential!);
    const bad = await sspi.acquireCredentialsHandle({
      package: pkg,
      credentialUse: 2,
      authData: { user: 'nobody', domain: lab.realm, password: 'wrong-pw-xyz' },
    });
    expect(bad.status).toBe(SecStatus.SEC_E_LOGON_DENIED);
    // The library's own text travels as the cause (the convenience layer's SspiError.cause), never the password.
    expect(String((bad.cause as Error | undefined)?.message)).toMatch(/password|preauth|integrity/i);
    expect(JSON.stringify(bad.cause) + String(bad.cause)).not.toContain('wrong-pw-xyz');
    const thrown = await clientContext(sspi, {
      package: pkg,
      authData: { user: 'nobody', domain: lab.realm, password: 'wrong-pw-xyz' },
    }).catch((e: unknown) => e);
    expect(thrown).toMatchObject({ code: 'SEC_E_LOGON_DENIED', cause: expect.any(Error) });
    await labStopKdc(lab);
    try {
      const down = await sspi.acquireCredentialsHandle({
        package: pkg,
        credentialUse: 2,
        authData: { user: 'nobody', domain: lab.realm, password: lab.password },
      });
      expect(down.status).toBe(SecStatus.SEC_E_NO_AUTHENTICATING_AUTHORITY);
    } finally {
      await labStartKdc(lab, false);
    }
  });

  it('reports an unknown service as TARGET_UNKNOWN', async () => {
    const { client, server } = await pair('HTTP/nowhere.invalid');
    try {
      const r = await sspi.initializeSecurityContext({
        credential: (client as unknown as { credential: never }).credential,
        targetName: 'HTTP/nowhere.invalid',
        contextReq: REQ,
        output: secBufferDesc(secBuffer(SecBufferType.TOKEN)),
      });
      expect(r.status).toBe(SecStatus.SEC_E_TARGET_UNKNOWN);
    } finally {
      client.dispose();
      server.dispose();
    }
  });
});

const IscRet_MUTUAL = 0x2;
