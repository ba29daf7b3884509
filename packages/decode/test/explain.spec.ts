/**
 * The explainer against real tokens recorded from a throwaway MIT realm and sspkit's NTLM package
 * (fixtures/tokens.json, fixtures/record.ts), RFC 7616 §3.9.1's Digest example, and hand-built DER.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { explain, parseKeytab, renderText } from '../src/index.js';
import type { Field, TokenExplanation } from '../src/index.js';

interface Recorded {
  Kerberos: string[];
  Negotiate: string[];
  NTLM: string[];
  keytab: string;
  channelBindings: string;
  userPrincipal: string;
}
const rec = JSON.parse(readFileSync(new URL('./fixtures/tokens.json', import.meta.url), 'utf8')) as Recorded;
const kt = parseKeytab(Buffer.from(rec.keytab, 'base64'));
if (!kt.ok) throw new Error(kt.reason);
const keytab = kt.entries;

/** Every `label: value` line of a token and its inner tokens, for order-independent lookups. */
function flat(t: TokenExplanation): Map<string, string[]> {
  const m = new Map<string, string[]>();
  const walk = (fs: readonly Field[]): void => {
    for (const f of fs) {
      m.set(f.label, [...(m.get(f.label) ?? []), f.value ?? '']);
      walk(f.children ?? []);
    }
  };
  const all = (x: TokenExplanation): void => {
    walk(x.fields);
    for (const i of x.inner ?? []) all(i);
  };
  all(t);
  return m;
}
const one = (input: string | Uint8Array, opts = {}): TokenExplanation => {
  const e = explain(input, opts);
  expect(e.tokens).toHaveLength(1);
  return e.tokens[0]!;
};

describe("Kerberos (recorded from MIT krb5 through sspkit's native package)", () => {
  const [apReq, apRep] = rec.Kerberos as [string, string];

  it('explains a GSS-framed AP-REQ without a keytab: realm, service, enctype, kvno, options', () => {
    const t = one(apReq);
    expect(t.summary).toMatch(/AP-REQ.*TOK_ID 0100/);
    expect(t.stopped).toBeUndefined();
    const f = flat(t);
    expect(f.get('realm')).toEqual(['SSPKIT.LAB']);
    expect(f.get('sname')?.[0]).toMatch(/^HTTP\/localhost \(NT-SRV-HST/);
    expect(f.get('etype')?.[0]).toMatch(/aes256-cts-hmac-sha1-96 \(18\)/);
    expect(f.get('kvno')).toEqual(['2']);
    expect(f.get('ap-options')).toEqual(['mutual-required']);
    expect(f.has('decrypted ticket (EncTicketPart)')).toBe(false);
  });

  it('with the keytab decrypts the ticket (client, times, PAC) and the authenticator (GSS checksum)', () => {
    const f = flat(one(apReq, { keytab }));
    expect(f.get('cname')?.[0]).toMatch(/^alice \(NT-PRINCIPAL/);
    expect(f.get('crealm')).toContain('SSPKIT.LAB');
    expect(f.get('authtime')?.[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(f.get('Name')).toEqual(['alice']); // PAC client info
    expect(f.get('Flags')?.[0]).toMatch(/MUTUAL, REPLAY, SEQUENCE, CONF, INTEG/);
    // The channel-binding hash in the authenticator is the one NTLM carries for the same bindings.
    const cb = flat(one(Buffer.from(rec.channelBindings, 'base64')));
    const md5 = cb.get('MD5 binding hash (NTLM MsvAvChannelBindings, Kerberos Bnd)')?.[0];
    expect(f.get('Bnd')).toEqual([md5]);
  });

  it('a key of the right name but the wrong value says the integrity check failed', () => {
    const wrong = keytab.map((k) => ({ ...k, key: new Uint8Array(k.key.length).fill(7) }));
    expect(flat(one(apReq, { keytab: wrong })).get('decryption')?.[0]).toMatch(/integrity check failed/);
    expect(flat(one(apReq, { keytab: [] })).get('decryption')?.[0]).toMatch(
      /no key in the keytab for HTTP\/localhost@SSPKIT.LAB/,
    );
  });

  it('explains the AP-REP', () => {
    const t = one(apRep);
    expect(t.summary).toMatch(/AP-REP/);
    expect(flat(t).get('msg-type')).toEqual(['15']);
  });
});

describe("SPNEGO (recorded from MIT's SPNEGO mechanism)", () => {
  const [init, resp] = rec.Negotiate as [string, string];
  it('NegTokenInit: mechanism list, the optimistic token, no MIC', () => {
    const t = one(`Authorization: Negotiate ${init}`, { keytab });
    expect(t.summary).toBe('SPNEGO NegTokenInit (RFC 4178 §4.2.1)');
    const f = flat(t);
    expect(f.get('[0]')).toEqual(['Kerberos 5 (1.2.840.113554.1.2.2)']);
    expect(f.get('mechListMIC')).toEqual(['absent']);
    expect(t.inner?.[0]?.summary).toMatch(/AP-REQ/);
    expect(f.get('cname')?.[0]).toMatch(/^alice/);
  });
  it('NegTokenResp: state and supported mechanism, the AP-REP inside', () => {
    const t = one(`WWW-Authenticate: Negotiate ${resp}`);
    const f = flat(t);
    expect(f.get('negState')).toEqual(['accept-completed (0)']);
    expect(f.get('supportedMech')).toEqual(['Kerberos 5 (1.2.840.113554.1.2.2)']);
    expect(t.inner?.[0]?.summary).toMatch(/AP-REP/);
  });
});

describe("NTLM (recorded from sspkit's NTLM package)", () => {
  const [neg, chal, auth] = rec.NTLM as [string, string, string];
  it('names every flag, the AV pairs with timestamps, MsvAvFlags, the binding hash, the MIC and the version', () => {
    expect(one(neg).summary).toMatch(/NEGOTIATE_MESSAGE \(type 1\)/);
    const c = flat(one(`WWW-Authenticate: NTLM ${chal}`));
    expect(c.get('ServerChallenge')?.[0]).toMatch(/^[0-9a-f]{16}$/);
    expect(c.get('MsvAvTimestamp')?.[0]).toMatch(/^\d{4}-.*Z \(\d+\)$/);
    const a = flat(one(`Authorization: NTLM ${auth}`));
    expect(a.get('UserName')).toEqual(['"alice"']);
    expect(a.get('DomainName')).toEqual(['"SSPKIT"']);
    expect(a.get('MsvAvFlags')?.[0]).toMatch(/MIC_PRESENT/);
    expect(a.get('MsvAvTargetName')).toEqual(['"HTTP/sspkit.test"']);
    expect(a.get('MsvAvChannelBindings')?.[0]).toMatch(/^MD5 [0-9a-f]{32}$/);
    expect(a.get('MIC')?.[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(a.get('Version')?.[0]).toMatch(/NTLM revision 15/);
    expect(a.get('NtChallengeResponse')?.[0]).toMatch(/^NTLMv2 response/);
    expect(a.has('NTLMSSP_NEGOTIATE_KEY_EXCH')).toBe(true);
  });
});

describe('Digest (RFC 7616 §3.9.1)', () => {
  it('splits several challenges in one header (RFC 7235 §4.1) and names the parameters', () => {
    const e = explain(
      'WWW-Authenticate: Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, ' +
        'nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS", ' +
        'Digest realm="http-auth@example.org", algorithm=MD5, nonce="x", Negotiate',
    );
    expect(e.tokens.map((t) => t.kind)).toEqual(['digest-challenge', 'digest-challenge', 'unknown']);
    expect(flat(e.tokens[0]!).get('algorithm')?.[0]).toMatch(/^SHA-256/);
    expect(flat(e.tokens[1]!).get('algorithm')?.[0]).toMatch(/^MD5/);
  });
  it('credentials and Authentication-Info', () => {
    const c = one(
      'Authorization: Digest username="Mufasa", realm="http-auth@example.org", uri="/dir/index.html", algorithm=SHA-256, ' +
        'nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", nc=00000001, cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", qop=auth, ' +
        'response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"',
    );
    expect(c.kind).toBe('digest-credentials');
    expect(flat(c).get('nc')?.[0]).toMatch(/^00000001/);
    const i = one('Authentication-Info: rspauth="abc", qop=auth, nc=00000001, cnonce="x", nextnonce="n2"');
    expect(i.kind).toBe('digest-authentication-info');
  });
  it('says where a duplicate parameter makes the message invalid', () => {
    expect(one('Authorization: Digest username="a", username="b"').stopped?.reason).toMatch(/appears twice/);
  });
});

describe('inputs', () => {
  const [neg] = rec.NTLM as [string];
  const bytes = Buffer.from(neg, 'base64');
  it.each([
    ['base64', neg],
    ['URL-safe base64 without padding', neg.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')],
    ['hex', bytes.toString('hex')],
    ['spaced hex', bytes.toString('hex').replace(/(..)/g, '$1 ')],
    ['a header line', `Proxy-Authorization: NTLM ${neg}`],
    ['raw bytes', new Uint8Array(bytes)],
  ])('reads %s', (_name, input) => {
    expect(one(input).summary).toMatch(/NEGOTIATE_MESSAGE/);
  });
  it('reports unknown input without throwing', () => {
    expect(one('hello world').kind).toBe('unknown');
    expect(one(new Uint8Array([0xff, 0, 1])).stopped?.reason).toMatch(/not SPNEGO, Kerberos, NTLM/);
    expect(one('Authorization: Basic YWxpY2U6c2VjcmV0').fields.map((f) => f.value)).toEqual(['alice', '(not shown)']);
    expect(renderText(explain('Authorization: Basic YWxpY2U6c2VjcmV0'))).not.toContain('secret');
  });
  it('explains channel-binding application data given as text', () => {
    expect(flat(one('tls-server-end-point:abc')).get('type')).toEqual(['tls-server-end-point']);
  });
});

describe('KRB-ERROR (hand-built DER, RFC 4120 §5.9.1)', () => {
  const tlv = (tag: number, ...content: Uint8Array[]): Uint8Array => {
    const body = Buffer.concat(content);
    const len = body.length < 128 ? [body.length] : [0x81, body.length];
    return Buffer.concat([Uint8Array.of(tag, ...len), body]);
  };
  const int = (n: number): Uint8Array => tlv(0x02, Uint8Array.of(n));
  const str = (s: string): Uint8Array => tlv(0x1b, Buffer.from(s));
  const c = (n: number, v: Uint8Array): Uint8Array => tlv(0xa0 + n, v);
  const err = tlv(
    0x7e,
    tlv(
      0x30,
      c(0, int(5)),
      c(1, int(30)),
      c(4, tlv(0x18, Buffer.from('20261203101112Z'))),
      c(5, int(0)),
      c(6, int(41)),
      c(9, str('SSPKIT.LAB')),
      c(10, tlv(0x30, c(0, int(3)), c(1, tlv(0x30, str('HTTP'), str('localhost'))))),
      c(11, str('decrypt integrity check failed')),
    ),
  );
  it('names the error code and the text', () => {
    const f = flat(one(err));
    expect(f.get('error-code')).toEqual(['KRB_AP_ERR_MODIFIED (41)']);
    expect(f.get('e-text')).toEqual(['decrypt integrity check failed']);
    expect(f.get('stime')).toEqual(['2026-12-03T10:11:12Z']);
    expect(f.get('sname')?.[0]).toMatch(/^HTTP\/localhost/);
  });
  it('a truncated KRB-ERROR reports where it stopped', () => {
    const t = one(err.subarray(0, err.length - 5));
    expect(t.stopped?.reason).toMatch(/past the end/);
  });
});
