/**
 * Bit-flip and truncation matrices (issue 18 §2) for the packages over MIT GSSAPI, against the lab
 * KDC: Kerberos, Negotiate-MIT (MIT's SPNEGO) and the TypeScript Negotiate with Kerberos inside.
 * Every token each side receives (AP-REQ, AP-REP; SPNEGO NegTokenInit/NegTokenResp) is flipped bit
 * by bit and truncated at every length, each in a fresh pair of contexts (see bitflip/matrix.ts):
 * about 8,000 runs per package, ~1.5 s each on this file's first measurement (no sampling).
 *
 * Tolerated successes (the matrix then requires the same authenticated user on both sides) are
 * asserted by field name (bitflip/krb-fields.ts), never by offset. In the AP-REQ: its msg-type and
 * the ap-options bits (not integrity protected, RFC 4120 §5.5.1), and the ticket's clear realm,
 * sname (name-type and name-string) and the kvno of its enc-part (RFC 4120 §5.3, §5.2.9: only the
 * enc-part's cipher is protected). The kvno is the byte once reported as "offset 122": decoding the
 * AP-REQ there gives `ticket.enc-part.kvno` (the INTEGER's value, 2 in the lab), every one of its
 * eight bits tolerated. MIT's acceptor, holding no single service name (a host-based or default
 * acceptor credential), scans the whole keytab and tries every key of a similar enctype whatever
 * the kvno (krb5 rd_req_dec.c, decrypt_try_server); the ticket then decrypts with the genuine key,
 * so a changed kvno, realm or sname only names the key and cannot change who is authenticated. In
 * SPNEGO: the second mechanism OID of mechTypes, supportedMech and negState, which the mechListMIC
 * does not cover when the first mechanism is chosen and the MIC omitted (RFC 4178 §4.2.1, §5), and
 * for MIT's SPNEGO also bits of some DER headers (tags and lengths it does not check). In the
 * AP-REP, its msg-type (MIT knows the message by its APPLICATION tag). Nothing in a cipher, an
 * etype or the authenticator; no truncation. The last byte of the AP-REP once seemed tolerated,
 * which was the matrix flipping past the end of a shorter fresh token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSspi, IscReq, SecStatus } from '@sspkit/core';
import type { SspiDispatcher } from '@sspkit/core';
import { labCopyCcache } from '@sspkit/krb5-lab';
import type { Lab } from '@sspkit/krb5-lab';
import { createNegotiateModule } from '@sspkit/negotiate';
import { kerberosModule, negotiateModule } from '@sspkit/provider-native';
import { join } from 'node:path';
import { startLab, stopLab } from './native/lab.js';
import { bitflipMatrix } from './bitflip/matrix.js';
import { fieldAt } from './bitflip/krb-fields.js';

/** Fields of an AP-REQ and an AP-REP no key protects (RFC 4120 §5.3, §5.5.1, §5.5.2). */
const AP_REQ_CLEAR = [
  'msg-type',
  'ap-options',
  'ticket.realm',
  'ticket.sname.name-type',
  'ticket.sname.name-string',
  'ticket.enc-part.kvno',
];
const AP_REP_CLEAR = ['msg-type'];
/** SPNEGO fields outside the mechListMIC when the first mechanism is chosen (RFC 4178 §5). */
const SPNEGO_CLEAR = ['mechTypes', 'supportedMech', 'negState'];
/** DER headers MIT's SPNEGO decoder does not check. */
const MIT_SPNEGO_HEADERS = [
  'negotiation-token (tag)',
  'mechTypes (tag)',
  'negState (tag)',
  'supportedMech (tag)',
  'responseToken (tag)',
];
const krb = (leg: number, f: string | undefined): boolean =>
  f !== undefined && (leg === 0 ? AP_REQ_CLEAR : AP_REP_CLEAR).includes(f);
const spnego = (leg: number, f: string | undefined): boolean =>
  f !== undefined && (SPNEGO_CLEAR.includes(f) || krb(leg, f.replace(/^(mechToken|responseToken)\./, '')));
const ALLOWED: Record<string, (leg: number, field: string | undefined) => boolean> = {
  Kerberos: krb,
  'Negotiate-MIT': (leg, f) => spnego(leg, f) || (f !== undefined && MIT_SPNEGO_HEADERS.includes(f)),
  Negotiate: spnego,
};

let lab: Lab;
let sspi: SspiDispatcher;
let ccache: string;
beforeAll(async () => {
  lab = await startLab();
  sspi = await createSspi({
    modules: [kerberosModule, negotiateModule, createNegotiateModule({ packages: ['Kerberos'] })],
  });
  ccache = labCopyCcache(lab, join(lab.dir, 'bitflip.ccache'));
});
afterAll(async () => {
  await stopLab(lab);
});

describe.each(['Kerberos', 'Negotiate-MIT', 'Negotiate'])('%s bit flips and truncations', (pkg) => {
  it('never answers a tampered token with INTERNAL_ERROR, an empty continue or another user', async () => {
    const report = await bitflipMatrix({
      sspi,
      package: pkg,
      client: { authData: { ccache }, targetName: 'HTTP/localhost', requirements: IscReq.MUTUAL_AUTH },
      server: { authData: { keytab: lab.serviceKeytab } },
    });
    expect(report.legs.length).toBeGreaterThanOrEqual(2);
    const fields = report.tolerated.map(
      (leg, i) => new Set(leg.map((t) => (t.kind === 'flip' ? fieldAt(report.genuine[i]!, t.offset) : 'truncation'))),
    );
    const allowed = ALLOWED[pkg]!;
    fields.forEach((leg, i) => {
      for (const f of leg) expect.soft(allowed(i, f), `leg ${i}: ${String(f)}`).toBe(true);
    });
    // The one byte reported as "offset 122" of the AP-REQ is the ticket's kvno.
    expect([...fields[0]!].some((f) => f?.endsWith('ticket.enc-part.kvno'))).toBe(true);
    expect(report.violations).toEqual([]);
    // A mutation past the end of every fresh token in 20 tries is skipped: rare.
    expect(report.skipped).toBeLessThan(report.runs / 100);
    expect(report.statuses.get(SecStatus.SEC_E_INTERNAL_ERROR)).toBeUndefined();
    expect(report.statuses.get(SecStatus.SEC_E_SECPKG_NOT_FOUND)).toBeUndefined();
  }, 120_000);
});
