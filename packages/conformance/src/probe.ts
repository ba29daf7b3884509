/**
 * What the package declares, read once per run: SecPkgInfo, table versions, the slots present,
 * and the flags a baseline handshake grants. Gates are evaluated against it.
 */
import { AscRet, IscRet, SecPkgFlag, flagNames, statusName } from '@sspkit/core';
import type { SecPkgInfo } from '@sspkit/core';
import type { Harness } from './harness.js';
import type { Gate, SlotName } from './types.js';

/** The run-wide declarations of the package under test. */
export interface Probe {
  readonly info: SecPkgInfo;
  readonly lsaVersion: number;
  readonly userVersion: number | undefined;
  /** Slots present after masking to the declared versions. */
  readonly slots: ReadonlySet<SlotName>;
  readonly baseline: {
    readonly ok: boolean;
    readonly statuses: readonly string[];
    readonly clientFlags: number;
    readonly serverFlags: number;
    readonly legs: number;
  };
}

/** A probe before the baseline handshake has run (used to build the harness that runs it). */
export function declarationsOf(h: Harness): Probe {
  const slots = new Set<SlotName>();
  for (const [k, v] of Object.entries(h.pkg.lsa)) if (typeof v === 'function') slots.add(`lsa.${k}` as SlotName);
  for (const [k, v] of Object.entries(h.pkg.user ?? {}))
    if (typeof v === 'function') slots.add(`user.${k}` as SlotName);
  return {
    info: h.pkg.info,
    lsaVersion: h.pkg.lsaVersion,
    userVersion: h.pkg.userVersion,
    slots,
    baseline: { ok: false, statuses: [], clientFlags: 0, serverFlags: 0, legs: 0 },
  };
}

/** Runs the baseline handshake in `h` and completes the probe with what it granted. */
export async function probeBaseline(h: Harness, declared: Probe): Promise<Probe> {
  try {
    const d = await (await h.handshake()).run();
    return {
      ...declared,
      baseline: {
        ok: d.state === 'done',
        statuses: d.legs.map((l) => `${l.side} ${statusName(l.status)}`),
        clientFlags: d.state === 'done' ? d.clientAttributes : 0,
        serverFlags: d.state === 'done' ? d.serverAttributes : 0,
        legs: d.legs.length,
      },
    };
  } catch {
    return declared;
  }
}

const iscName = (bits: number): string =>
  flagNames(IscRet, bits)
    .map((n) => `ISC_RET_${n}`)
    .join(' | ');
const ascName = (bits: number): string =>
  flagNames(AscRet, bits)
    .map((n) => `ASC_RET_${n}`)
    .join(' | ');
const capName = (bits: number): string =>
  flagNames(SecPkgFlag, bits)
    .map((n) => `SECPKG_FLAG_${n}`)
    .join(' | ');

/** Undefined when the gate holds, else the reason the check does not apply. */
export function gateReason(gate: Gate, p: Probe, config: { readonly sharedStore?: unknown } = {}): string | undefined {
  if (gate.sharedStore === true && config.sharedStore === undefined) {
    return 'the package declares no store shared between instances (config sharedStore)';
  }
  const caps = p.info.capabilities;
  if (gate.capabilities !== undefined && (caps & gate.capabilities) !== gate.capabilities) {
    return `the package does not declare ${capName(gate.capabilities & ~caps)}`;
  }
  if (gate.withoutCapabilities !== undefined && (caps & gate.withoutCapabilities) !== 0) {
    return `the package declares ${capName(caps & gate.withoutCapabilities)}`;
  }
  const missing = (gate.slots ?? []).filter((s) => !p.slots.has(s));
  if (missing.length > 0) return `the package has no ${missing.join(', ')} slot`;
  if (gate.clientGranted !== undefined || gate.serverGranted !== undefined) {
    if (!p.baseline.ok) return 'the baseline handshake did not complete, so no flags were granted';
    if (gate.clientGranted !== undefined && (p.baseline.clientFlags & gate.clientGranted) !== gate.clientGranted) {
      return `the handshake did not grant ${iscName(gate.clientGranted & ~p.baseline.clientFlags)}`;
    }
    if (gate.serverGranted !== undefined && (p.baseline.serverFlags & gate.serverGranted) !== gate.serverGranted) {
      return `the handshake did not grant ${ascName(gate.serverGranted & ~p.baseline.serverFlags)}`;
    }
  }
  return undefined;
}

/** A human description of a gate, for the README and `--json`. */
export function describeGate(gate: Gate): string {
  const parts: string[] = [];
  if (gate.capabilities) parts.push(capName(gate.capabilities));
  if (gate.withoutCapabilities) parts.push(`not ${capName(gate.withoutCapabilities)}`);
  if (gate.slots?.length) parts.push(gate.slots.join(', '));
  if (gate.clientGranted) parts.push(`granted ${iscName(gate.clientGranted)}`);
  if (gate.serverGranted) parts.push(`granted ${ascName(gate.serverGranted)}`);
  if (gate.sharedStore) parts.push('config sharedStore');
  return parts.length ? parts.join('; ') : 'always';
}

export { iscName, ascName, capName };
