/**
 * Drives real handshakes through the dispatcher's faithful API (statuses, never exceptions), with a
 * hook that replaces the token of one leg. Package faults (a package throwing inside the dispatcher)
 * and statuses outside winerror.h's table are findings.
 */
import {
  AscReq,
  IscReq,
  SecBufferType,
  SecPkgCred,
  SecStatus,
  createSspi,
  isKnownStatus,
  isSuccess,
  secBuffer,
  secBufferDesc,
  statusName,
} from '@sspkit/core';
import type { CredHandle, CtxtHandle, SecurityPackageModule, SspiDispatcher } from '@sspkit/core';
import { Finding } from './target.js';

export interface PackageSetup {
  readonly package: string;
  modules(): SecurityPackageModule[];
  readonly clientAuthData?: object;
  readonly serverAuthData?: object;
  readonly clientReq: number;
  readonly serverReq: number;
  readonly targetName: string;
  /** Legs (0 = the client's first token) whose receiver must refuse any changed token: a MAC covers them. */
  readonly authenticatedLegs: readonly number[];
  /** For the other legs: whether this change of the token is one a MAC or a decryption must refuse. */
  readonly protectedChange?: (leg: number, sent: Uint8Array, delivered: Uint8Array) => boolean;
}

export interface Harness {
  readonly sspi: SspiDispatcher;
  readonly setup: PackageSetup;
  readonly clientCred: CredHandle;
  readonly serverCred: CredHandle;
  readonly faults: string[];
}

export async function harness(setup: PackageSetup): Promise<Harness> {
  const faults: string[] = [];
  const sspi = await createSspi({
    modules: setup.modules(),
    onPackageFault: (f) => faults.push(`${f.operation}: ${String(f.error)}`),
  });
  const cc = await sspi.acquireCredentialsHandle({
    package: setup.package,
    credentialUse: SecPkgCred.OUTBOUND,
    ...(setup.clientAuthData ? { authData: setup.clientAuthData } : {}),
  });
  const sc = await sspi.acquireCredentialsHandle({
    package: setup.package,
    credentialUse: SecPkgCred.INBOUND,
    ...(setup.serverAuthData ? { authData: setup.serverAuthData } : {}),
  });
  if (!cc.credential || !sc.credential) throw new Error(`${setup.package}: no credentials (${statusName(cc.status)})`);
  return { sspi, setup, clientCred: cc.credential, serverCred: sc.credential, faults };
}

/** A status the dispatcher may return: winerror.h's table, and no package fault behind it. */
export function expectKnown(h: Harness, status: number, what: string): void {
  if (!isKnownStatus(status)) throw new Finding(`${what}: unknown status 0x${(status >>> 0).toString(16)}`);
  if (h.faults.length > 0) throw new Finding(`${what}: package fault ${h.faults.splice(0).join('; ')}`);
}

export interface Handshake {
  client?: CtxtHandle;
  server?: CtxtHandle;
  /** Both sides finished with success. */
  readonly done: boolean;
  /** Legs run. */
  readonly legs: number;
}

const ENDS = new Set<number>([SecStatus.SEC_E_OK, SecStatus.SEC_I_COMPLETE_NEEDED]);

/**
 * Runs a handshake, client first. `tamper(leg, token)` may replace the token in flight; a receiver
 * of a changed token at an authenticated leg must not succeed.
 */
export async function handshake(
  h: Harness,
  tamper?: (leg: number, token: Uint8Array) => Uint8Array | undefined,
): Promise<Handshake> {
  const { sspi, setup } = h;
  const r: { client?: CtxtHandle; server?: CtxtHandle } = {};
  let token: Uint8Array | undefined;
  let clientDone = false;
  let serverDone = false;
  let changed = false;
  let decided = false;
  for (let leg = 0; leg < 12; leg++) {
    const side = leg % 2 === 0 ? 'client' : 'server';
    if ((side === 'client' ? clientDone : serverDone) && token === undefined) break;
    const out = secBuffer(SecBufferType.TOKEN);
    const input = token !== undefined ? secBufferDesc(secBuffer(SecBufferType.TOKEN, token)) : undefined;
    const common = { output: secBufferDesc(out), ...(input ? { input } : {}) };
    const res =
      side === 'client'
        ? await sspi.initializeSecurityContext({
            credential: h.clientCred,
            ...(r.client ? { context: r.client } : {}),
            targetName: setup.targetName,
            contextReq: setup.clientReq | IscReq.ALLOCATE_MEMORY,
            ...common,
          })
        : await sspi.acceptSecurityContext({
            credential: h.serverCred,
            ...(r.server ? { context: r.server } : {}),
            contextReq: setup.serverReq | AscReq.ALLOCATE_MEMORY,
            ...common,
          });
    expectKnown(h, res.status, `${side} leg ${leg}`);
    if (res.context) r[side] = res.context;
    if (changed && (decided || setup.authenticatedLegs.includes(leg - 1)) && res.status === SecStatus.SEC_E_OK) {
      // Released first, so that the next input does not report these handles as a leak.
      release(h, r);
      throw new Finding(
        `${side} accepted a changed token at leg ${leg - 1}: ${Buffer.from(token ?? []).toString('hex')}`,
      );
    }
    if (!isSuccess(res.status)) return { ...r, done: false, legs: leg + 1 };
    if (res.status === SecStatus.SEC_I_COMPLETE_NEEDED || res.status === SecStatus.SEC_I_COMPLETE_AND_CONTINUE)
      expectKnown(h, await sspi.completeAuthToken(r[side]!, secBufferDesc(out)), 'CompleteAuthToken');
    if (ENDS.has(res.status)) {
      if (side === 'client') clientDone = true;
      else serverDone = true;
    }
    token = out.data.length > 0 ? out.data : undefined;
    changed = false;
    decided = false;
    if (token !== undefined && tamper) {
      const t = tamper(leg, token);
      if (t !== undefined) {
        changed = t.length !== token.length || t.some((x, i) => x !== token![i]);
        decided = changed && setup.protectedChange?.(leg, token, t) === true;
        token = t;
      }
    }
    if (clientDone && serverDone && token === undefined) return { ...r, done: true, legs: leg + 1 };
  }
  return { ...r, done: clientDone && serverDone, legs: 12 };
}

/** Deletes what a handshake left, checking the statuses. */
export function release(h: Harness, hs: Pick<Handshake, 'client' | 'server'>): void {
  if (hs.client) expectKnown(h, h.sspi.deleteSecurityContext(hs.client), 'DeleteSecurityContext');
  if (hs.server) expectKnown(h, h.sspi.deleteSecurityContext(hs.server), 'DeleteSecurityContext');
}
