/**
 * Channel bindings on a Kerberos / Negotiate server (RFC 5056, RFC 5929): a server that gives
 * AcceptSecurityContext a SECBUFFER_CHANNEL_BINDINGS buffer requires them. The right bindings pass,
 * different ones fail (SEC_E_BAD_BINDINGS), and a client that sends none fails too unless the
 * server asks for ASC_REQ_ALLOW_MISSING_BINDINGS (the Windows semantics; MIT tells through
 * GSS_C_CHANNEL_BOUND_FLAG, MIT >= 1.19). Without bindings on the server nothing is checked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AscReq,
  IscReq,
  SecBufferType,
  clientContext,
  createSspi,
  isSspiError,
  secBuffer,
  serverContext,
} from '@sspkit/core';
import type { SspiDispatcher } from '@sspkit/core';
import { labCopyCcache } from '@sspkit/krb5-lab';
import type { Lab } from '@sspkit/krb5-lab';
import { kerberosModule, negotiateModule, secChannelBindings } from '@sspkit/provider-native';
import { join } from 'node:path';
import { startLab, stopLab } from './native/lab.js';

let lab: Lab;
let sspi: SspiDispatcher;
let ccache: string;
beforeAll(async () => {
  lab = await startLab();
  sspi = await createSspi({ modules: [kerberosModule, negotiateModule] });
  ccache = labCopyCcache(lab, join(lab.dir, 'bindings.ccache'));
});
afterAll(async () => {
  await stopLab(lab);
});

const cb = (s: string) => [secBuffer(SecBufferType.CHANNEL_BINDINGS, secChannelBindings(Buffer.from(s)))];

/** Runs a handshake; the status name of the first failure, or 'SEC_E_OK'. */
async function outcome(
  pkg: string,
  client: string | null,
  server: string | null,
  allowMissing = false,
): Promise<string> {
  const c = await clientContext(sspi, {
    package: pkg,
    authData: { ccache },
    targetName: 'HTTP/localhost',
    requirements: IscReq.MUTUAL_AUTH,
  });
  const requirements = AscReq.CONNECTION | (allowMissing ? AscReq.ALLOW_MISSING_BINDINGS : 0);
  const s = await serverContext(sspi, { package: pkg, authData: { keytab: lab.serviceKeytab }, requirements });
  const clientExtra = client === null ? {} : { extraInput: cb(client) };
  const serverExtra = server === null ? {} : { extraInput: cb(server) };
  try {
    let token = await c.step(undefined, clientExtra);
    for (let i = 0; i < 8 && !(c.complete && s.complete); i++) {
      if (token === undefined) break;
      token = await s.step(token, serverExtra);
      if (token === undefined || token.length === 0 || c.complete) break;
      token = await c.step(token, clientExtra);
    }
    return s.complete ? 'SEC_E_OK' : 'incomplete';
  } catch (err) {
    return isSspiError(err) ? err.code : String(err);
  } finally {
    c.dispose();
    s.dispose();
  }
}

describe.each(['Kerberos', 'Negotiate-MIT'])('%s server channel bindings', (pkg) => {
  const A = 'tls-server-end-point:A';
  const B = 'tls-server-end-point:B';

  it('the right bindings pass', async () => {
    expect(await outcome(pkg, A, A)).toBe('SEC_E_OK');
  });

  it('different bindings fail', async () => {
    expect(await outcome(pkg, A, B)).toBe('SEC_E_BAD_BINDINGS');
    expect(await outcome(pkg, A, B, true)).toBe('SEC_E_BAD_BINDINGS');
  });

  it('a client sending none fails when the server gives bindings', async () => {
    expect(await outcome(pkg, null, A)).toBe('SEC_E_BAD_BINDINGS');
  });

  it('a client sending none passes with ASC_REQ_ALLOW_MISSING_BINDINGS', async () => {
    expect(await outcome(pkg, null, A, true)).toBe('SEC_E_OK');
    expect(await outcome(pkg, A, A, true)).toBe('SEC_E_OK');
  });

  it('a server giving no bindings checks none', async () => {
    expect(await outcome(pkg, null, null)).toBe('SEC_E_OK');
    expect(await outcome(pkg, A, null)).toBe('SEC_E_OK');
  });
});
