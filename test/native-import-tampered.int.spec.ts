/**
 * ImportSecurityContext of the native packages with packed contexts that were not exported as they
 * are (issue 18, found by `pnpm fuzz import-native`): MIT's gss_import_sec_context trusts its
 * interprocess token, and libkrb5's profile_ser_internalize copied a profile file name of the length
 * the token claimed, past the end of the token (SIGSEGV). A packed context now carries a MAC, so a
 * changed one is refused (SEC_E_INVALID_TOKEN) before the library sees it.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IscReq, SecStatus } from '@sspkit/core';
import { labCopyCcache } from '@sspkit/krb5-lab';
import type { Lab } from '@sspkit/krb5-lab';
import { kerberosModule, negotiateModule, setContextTransferKey } from '@sspkit/provider-native';
import { join } from 'node:path';
import { handshake, harness } from './fuzz/sspi-harness.js';
import type { Harness } from './fuzz/sspi-harness.js';
import { startLab, stopLab } from './native/lab.js';

/** PROF_MAGIC_PROFILE, which opens the profile (the krb5.conf file names) in the serialized context. */
const PROFILE_MAGIC = Buffer.from('aaca6012', 'hex');

let lab: Lab;
const pairs = new Map<string, Harness>();
beforeAll(async () => {
  lab = await startLab();
  const ccache = labCopyCcache(lab, join(lab.dir, 'import.ccache'));
  for (const pkg of ['Kerberos', 'Negotiate-MIT'])
    pairs.set(
      pkg,
      await harness({
        package: pkg,
        modules: () => [kerberosModule, negotiateModule],
        clientAuthData: { ccache },
        serverAuthData: { keytab: lab.serviceKeytab },
        clientReq: IscReq.MUTUAL_AUTH,
        serverReq: 0,
        targetName: 'HTTP/localhost',
        authenticatedLegs: [],
      }),
    );
});
afterAll(async () => {
  await stopLab(lab);
});

async function exported(pkg: string): Promise<Uint8Array> {
  const h = pairs.get(pkg)!;
  const hs = await handshake(h);
  expect(hs.done).toBe(true);
  const r = h.sspi.exportSecurityContext(hs.server!, 0);
  expect(r.status).toBe(SecStatus.SEC_E_OK);
  return r.packedContext!;
}

describe.each(['Kerberos', 'Negotiate-MIT'])('%s ImportSecurityContext', (pkg) => {
  const sspi = { importSecurityContext: (p: string, b: Uint8Array) => pairs.get(p)!.sspi.importSecurityContext(p, b) };
  const remove = (p: string, ctx: Parameters<Harness['sspi']['deleteSecurityContext']>[0]) =>
    pairs.get(p)!.sspi.deleteSecurityContext(ctx);
  it('refuses a packed context whose profile file name runs past its end (was SIGSEGV in libkrb5)', async () => {
    const packed = Buffer.from(await exported(pkg));
    const at = packed.indexOf(PROFILE_MAGIC);
    expect(at).toBeGreaterThan(0);
    // magic, file count, then the first file name's length: claim far more than the token holds.
    packed.writeUInt32BE(0x7fffff00, at + 8);
    expect(sspi.importSecurityContext(pkg, packed).status).toBe(SecStatus.SEC_E_INVALID_TOKEN);
  });

  it('refuses the fuzzer input that crashed the process', () => {
    const regressions = JSON.parse(
      readFileSync(new URL('./fuzz/corpus/regressions.json', import.meta.url), 'utf8'),
    ) as Record<string, string[]>;
    for (const hex of regressions['import-native'] ?? [])
      expect(sspi.importSecurityContext(pkg, Buffer.from(hex, 'hex')).status).toBe(SecStatus.SEC_E_INVALID_TOKEN);
  });

  it('imports what it exported, and under a shared key in another process; not under another key', async () => {
    setContextTransferKey(Buffer.alloc(32, 1));
    const packed = await exported(pkg);
    const ok = sspi.importSecurityContext(pkg, packed);
    expect(ok.status).toBe(SecStatus.SEC_E_OK);
    remove(pkg, ok.context!);
    setContextTransferKey(Buffer.alloc(32, 2));
    expect(sspi.importSecurityContext(pkg, packed).status).toBe(SecStatus.SEC_E_INVALID_TOKEN);
    expect(() => setContextTransferKey(Buffer.alloc(16))).toThrow(RangeError);
  });
});
