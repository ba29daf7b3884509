/**
 * The packages over MIT GSSAPI (provider-native's Kerberos and Negotiate-MIT) against a throwaway
 * lab KDC the first target starts (native-lab.ts): mutated tokens at every leg of a real handshake
 * (AP-REQ or NegTokenInit to the acceptor, AP-REP or NegTokenResp to the initiator), mutated MIC
 * and wrap tokens on an established context, and mutated exported contexts. Seeds: this run's own
 * tokens plus those recorded from another lab in corpus/native.json (`pnpm fuzz --record-native`).
 */
import fc from 'fast-check';
import { readFileSync, writeFileSync } from 'node:fs';
import { AscReq, IscReq, SecBufferType, SecPkgAttr, SecStatus, secBuffer, secBufferDesc } from '@sspkit/core';
import { kerberosModule, negotiateModule } from '@sspkit/provider-native';
import { protectedChanged } from '../krb-protected.js';
import { fuzzLab } from '../native-lab.js';
import { expectKnown, handshake, harness, release } from '../sspi-harness.js';
import type { Handshake, Harness, PackageSetup } from '../sspi-harness.js';
import { Finding, fromBase64 } from '../target.js';
import type { FuzzTarget } from '../target.js';
import { handshakeTargetFor } from './handshake.js';
import { messageTargetFor } from './message.js';

const PACKAGES = { kerberos: 'Kerberos', 'negotiate-mit': 'Negotiate-MIT' } as const;
type Name = keyof typeof PACKAGES;

async function setup(name: Name): Promise<PackageSetup> {
  const { lab, ccache } = await fuzzLab();
  return {
    package: PACKAGES[name],
    modules: () => [kerberosModule, negotiateModule],
    clientAuthData: { ccache },
    serverAuthData: { keytab: lab.serviceKeytab },
    clientReq: IscReq.INTEGRITY | IscReq.CONFIDENTIALITY | IscReq.MUTUAL_AUTH,
    serverReq: AscReq.INTEGRITY | AscReq.CONFIDENTIALITY,
    targetName: 'HTTP/localhost',
    authenticatedLegs: [],
    // The ciphers of the AP-REQ and the AP-REP (and a mechListMIC) decide; the clear fields do not.
    protectedChange: (_leg, sent, delivered) => protectedChanged(sent, delivered),
  };
}

interface Recorded {
  handshake: string[];
  message: string[];
  exported: string[];
}
const corpusFile = new URL('../corpus/native.json', import.meta.url);
const recorded = (name: Name, kind: keyof Recorded): Uint8Array[] => {
  const all = JSON.parse(readFileSync(corpusFile, 'utf8')) as Record<Name, Recorded>;
  return all[name][kind].map(fromBase64);
};

/** A handshake that completed after a change must still authenticate the genuine user. */
function sameUser(): (h: Harness, hs: Handshake) => void {
  let genuine: string | undefined;
  return (h, hs) => {
    const user = h.sspi.querySecurityContextToken(hs.server!).token?.user;
    genuine ??= user;
    if (user === undefined || user !== genuine) throw new Finding(`completed as ${String(user)}, not ${genuine}`);
  };
}

const nativeHandshakeTarget = (name: Name): FuzzTarget =>
  handshakeTargetFor({
    name,
    description: `${PACKAGES[name]} (MIT GSSAPI, lab KDC): ISC/ASC with a mutated token at one leg`,
    setup: () => setup(name),
    seeds: () => recorded(name, 'handshake'),
    completed: sameUser(),
  });

const nativeMessageTarget = (name: Name): FuzzTarget =>
  messageTargetFor({
    name,
    description: `${PACKAGES[name]} (MIT GSSAPI): VerifySignature/DecryptMessage with mutated MIC/wrap tokens`,
    setup: () => setup(name),
    seeds: () => recorded(name, 'message'),
  });

async function exportedContexts(h: Harness): Promise<Uint8Array[]> {
  const hs = await handshake(h);
  const out: Uint8Array[] = [];
  for (const ctx of [hs.client, hs.server]) {
    const r = ctx ? h.sspi.exportSecurityContext(ctx, 0) : undefined;
    if (r?.packedContext) out.push(r.packedContext);
  }
  release(h, hs);
  return out;
}

/** ImportSecurityContext with mutated packed contexts (a tag, a side byte, MIT's interprocess token). */
const nativeImportTarget: FuzzTarget = (() => {
  const seeds: Uint8Array[] = [];
  return {
    name: 'import-native',
    description: 'ImportSecurityContext (Kerberos, Negotiate-MIT) with mutated exported contexts',
    corpus: () => seeds,
    arbitrary: fc.uint8Array({ maxLength: 400 }),
    prepare: async () => {
      const hs: Harness[] = [];
      for (const name of Object.keys(PACKAGES) as Name[]) {
        const h = await harness(await setup(name));
        seeds.push(...(await exportedContexts(h)), ...recorded(name, 'exported'));
        hs.push(h);
      }
      return (c) => {
        const h = hs[c.rng.below(hs.length)]!;
        const r = h.sspi.importSecurityContext(h.setup.package, c.data, undefined, 'server');
        expectKnown(h, r.status, 'ImportSecurityContext');
        if (!r.context) return;
        expectKnown(h, h.sspi.queryContextAttributes(r.context, SecPkgAttr.SIZES).status, 'QueryContextAttributes');
        const msg = secBufferDesc(
          secBuffer(SecBufferType.DATA, c.data.subarray(0, 16)),
          secBuffer(SecBufferType.TOKEN, c.data.subarray(0, 32)),
        );
        expectKnown(h, h.sspi.verifySignature(r.context, msg, 0), 'VerifySignature');
        expectKnown(h, h.sspi.deleteSecurityContext(r.context), 'DeleteSecurityContext');
      };
    },
  };
})();

export const NATIVE_TARGETS: readonly FuzzTarget[] = [
  nativeHandshakeTarget('kerberos'),
  nativeHandshakeTarget('negotiate-mit'),
  nativeMessageTarget('kerberos'),
  nativeMessageTarget('negotiate-mit'),
  nativeImportTarget,
];

/** Records corpus/native.json from the running lab: a clean handshake, signatures and sealed messages, exports. */
export async function recordNativeCorpus(): Promise<void> {
  const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');
  const out: Partial<Record<Name, Recorded>> = {};
  for (const name of Object.keys(PACKAGES) as Name[]) {
    const h = await harness(await setup(name));
    const tokens: Uint8Array[] = [];
    const hs = await handshake(h, (_leg, t) => void tokens.push(t));
    if (!hs.done || !hs.client) throw new Error(`${name}: no clean handshake`);
    const message: Uint8Array[] = [];
    const sizes = h.sspi.queryContextAttributes(hs.client, SecPkgAttr.SIZES).buffer as {
      securityTrailer: number;
      maxSignature: number;
    };
    for (const seal of [false, true]) {
      const token = secBuffer(SecBufferType.TOKEN, new Uint8Array(seal ? sizes.securityTrailer : sizes.maxSignature));
      const data = secBuffer(SecBufferType.DATA, Uint8Array.from(Buffer.from('seed message')));
      const st = seal
        ? h.sspi.encryptMessage(hs.client, 0, secBufferDesc(token, data), 0)
        : h.sspi.makeSignature(hs.client, 0, secBufferDesc(data, token), 0);
      if (st !== SecStatus.SEC_E_OK) throw new Error(`${name}: per-message call failed: ${st}`);
      message.push(token.data, data.data);
    }
    release(h, hs);
    out[name] = {
      handshake: tokens.map(b64),
      message: message.map(b64),
      exported: (await exportedContexts(h)).map(b64),
    };
  }
  writeFileSync(corpusFile, `${JSON.stringify(out, null, 2)}\n`);
}
