/**
 * `sspkit decode` on live tokens from a throwaway MIT realm: AP-REQs (raw Kerberos and inside MIT's
 * SPNEGO) and an rc4-hmac ticket, decrypted with the service keytab. (The Samba AD PAC case is in
 * decode-pac-samba.int.spec.ts.)
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AscReq, IscReq, SecBufferType, clientContext, createSspi, secBuffer, serverContext } from '@sspkit/core';
import type { Lab } from '@sspkit/krb5-lab';
import { decodeCommand } from '@sspkit/cli';
import type { Explanation, Field } from '@sspkit/decode';
import { kerberosModule, negotiateModule, secChannelBindings } from '@sspkit/provider-native';
import { encodeSecChannelBindings } from '@sspkit/ntlm';
import { startLab, stopLab } from './native/lab.js';

function decode(token: Uint8Array, keytab: string): { code: number; e: Explanation; values: Map<string, string[]> } {
  const out: string[] = [];
  const code = decodeCommand(Buffer.from(token).toString('base64'), { json: true, keytab }, (s) => out.push(s));
  const e = JSON.parse(out.join('\n')) as Explanation;
  const values = new Map<string, string[]>();
  const walk = (fs: readonly Field[]): void => {
    for (const f of fs) {
      values.set(f.label, [...(values.get(f.label) ?? []), f.value ?? '']);
      walk(f.children ?? []);
    }
  };
  const all = (ts: Explanation['tokens']): void => {
    for (const t of ts) {
      walk(t.fields);
      all(t.inner ?? []);
    }
  };
  all(e.tokens);
  return { code, e, values };
}

describe('decode against a live MIT realm', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab();
  });
  afterAll(async () => {
    await stopLab(lab);
  });

  it.each(['Kerberos', 'Negotiate-MIT'] as const)(
    '%s: the AP-REQ decrypts with the keytab and names the client and the bindings',
    async (pkg) => {
      const sspi = await createSspi({ modules: [kerberosModule, negotiateModule] });
      const data = Buffer.concat([Buffer.from('tls-server-end-point:'), Buffer.alloc(32, 0x5a)]);
      const client = await clientContext(sspi, {
        package: pkg,
        authData: { ccache: lab.ccache },
        targetName: 'HTTP/localhost',
        requirements: IscReq.MUTUAL_AUTH,
      });
      const server = await serverContext(sspi, {
        package: pkg,
        authData: { keytab: lab.serviceKeytab },
        requirements: AscReq.CONNECTION,
      });
      try {
        const cb = () => secBuffer(SecBufferType.CHANNEL_BINDINGS, secChannelBindings(data));
        const apReq = await client.step(undefined, { extraInput: [cb()] });
        const d = decode(apReq!, lab.serviceKeytab);
        expect(d.code).toBe(0);
        expect(d.values.get('cname')?.[0]).toBe(`${lab.userPrincipal.split('@')[0]} (NT-PRINCIPAL (1))`);
        expect(d.values.get('realm')).toContain(lab.realm);
        const expected = decode(encodeSecChannelBindings({ applicationData: data }), lab.serviceKeytab).values;
        expect(d.values.get('Bnd')).toEqual(expected.get('MD5 binding hash (NTLM MsvAvChannelBindings, Kerberos Bnd)'));
        const apRep = await server.step(apReq, { extraInput: [cb()] });
        expect(decode(apRep!, lab.serviceKeytab).e.tokens[0]?.summary).toMatch(
          pkg === 'Kerberos' ? /AP-REP/ : /NegTokenResp/,
        );
      } finally {
        client.dispose();
        server.dispose();
      }
    },
  );
});

describe('decode an rc4-hmac ticket (RFC 4757) from a live MIT realm', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab();
  });
  afterAll(async () => {
    await stopLab(lab);
  });

  it('a service with only an rc4-hmac key gets an rc4-hmac ticket, and it decrypts', async () => {
    const keytab = join(lab.dir, 'rc4.keytab');
    const kadmin = (q: string): void => {
      execFileSync('kadmin.local', ['-r', lab.realm, '-q', q], {
        env: { ...process.env, ...lab.env },
        stdio: 'ignore',
      });
    };
    kadmin('addprinc -randkey -e rc4-hmac:normal HTTP/rc4.localhost');
    kadmin(`ktadd -k ${keytab} -e rc4-hmac:normal HTTP/rc4.localhost`);
    const sspi = await createSspi({ modules: [kerberosModule] });
    const client = await clientContext(sspi, {
      package: 'Kerberos',
      authData: { ccache: lab.ccache },
      targetName: 'HTTP/rc4.localhost',
      requirements: IscReq.MUTUAL_AUTH,
    });
    try {
      const d = decode((await client.step())!, keytab);
      expect(d.values.get('etype')?.[0]).toBe('rc4-hmac (23)');
      expect(d.code).toBe(0);
      expect(d.values.get('cname')?.[0]).toMatch(/^alice/);
      expect(d.values.get('decryption')).toBeUndefined();
    } finally {
      client.dispose();
    }
  });
});
