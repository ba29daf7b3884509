/**
 * CI's share of the native fuzz targets (Kerberos and Negotiate-MIT over MIT GSSAPI, against a lab
 * KDC the first target starts): a short budget each; the recorded million-input runs are in
 * test/fuzz/README.md. FUZZ_SEED and FUZZ_NATIVE_RUNS change the seed and the budget.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { protectedChanged } from './fuzz/krb-protected.js';
import { stopFuzzLab } from './fuzz/native-lab.js';
import { runTarget } from './fuzz/run.js';
import { NATIVE_TARGETS } from './fuzz/targets/native.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261203);
const RUNS = Number(process.env.FUZZ_NATIVE_RUNS ?? 5000);

afterAll(stopFuzzLab);

describe(`native fuzz targets, ${RUNS} inputs each (seed ${SEED})`, () => {
  for (const target of NATIVE_TARGETS)
    it(target.name, async () => {
      const r = await runTarget(target, { runs: RUNS, seed: SEED });
      expect(r.findings).toEqual([]);
      expect(r.runs).toBe(RUNS);
    });
});

describe('what the native handshake targets count as a change a MAC must refuse', () => {
  const corpus = JSON.parse(readFileSync(new URL('./fuzz/corpus/native.json', import.meta.url), 'utf8')) as Record<
    string,
    { handshake: string[] }
  >;
  const flip = (t: Buffer, at: number): Buffer => {
    const c = Buffer.from(t);
    c[at] = c[at]! ^ 1;
    return c;
  };
  for (const [name, { handshake }] of Object.entries(corpus))
    it(`${name}: a cipher byte of the AP-REQ and of the AP-REP, but not the ticket's clear realm`, () => {
      const [apReq, apRep] = handshake.map((b) => Buffer.from(b, 'base64'));
      expect(protectedChanged(apReq!, flip(apReq!, apReq!.length - 1))).toBe(true);
      expect(protectedChanged(apRep!, flip(apRep!, apRep!.length - 1))).toBe(true);
      expect(protectedChanged(apReq!, flip(apReq!, apReq!.indexOf('SSPKIT.LAB')))).toBe(false);
      expect(protectedChanged(apReq!, apReq!.subarray(0, 100))).toBe(false);
    });
  it("negotiate-mit: not a responseToken whose [2] header claims no content (MIT's decoder reads on)", () => {
    const resp = Buffer.from(corpus['negotiate-mit']!.handshake[1]!, 'base64');
    const at = resp.indexOf(Buffer.from('a2819e04', 'hex'));
    expect(at).toBeGreaterThan(0);
    const lenient = Buffer.from(resp);
    lenient[at + 2] = 0;
    expect(protectedChanged(resp, lenient)).toBe(false);
    expect(protectedChanged(resp, flip(resp, resp.length - 1))).toBe(true);
  });
});
