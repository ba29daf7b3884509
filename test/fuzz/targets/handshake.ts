/**
 * Accept/InitializeSecurityContext with a fuzzed token at every leg of a real handshake: the token
 * of one leg is mutated (or replaced by a generated one) in flight, and the handshake continues.
 */
import fc from 'fast-check';
import { SETUPS } from '../packages.js';
import { handshake, harness, release } from '../sspi-harness.js';
import type { Handshake, Harness, PackageSetup } from '../sspi-harness.js';
import { Finding } from '../target.js';
import type { FuzzTarget } from '../target.js';

type SetupName = keyof typeof SETUPS;

export interface HandshakeTargetOptions {
  readonly name: string;
  readonly description: string;
  readonly setup: () => Promise<PackageSetup>;
  /** Recorded tokens added to the clean handshake's own as seeds. */
  readonly seeds?: () => Uint8Array[];
  /** Checks a handshake that completed despite the change (e.g. still the genuine user). */
  readonly completed?: (h: Harness, hs: Handshake) => void;
}

export function handshakeTargetFor(o: HandshakeTargetOptions): FuzzTarget {
  let recorded: Uint8Array[] = [];
  return {
    name: `handshake-${o.name}`,
    description: o.description,
    corpus: () => recorded,
    arbitrary: fc.uint8Array({ maxLength: 600 }),
    prepare: async () => {
      const setup = await o.setup();
      const h = await harness(setup);
      const tokens: Uint8Array[] = [];
      const clean = await handshake(h, (_leg, t) => {
        tokens.push(t);
        return undefined;
      });
      if (!clean.done) throw new Error(`${o.name}: the clean handshake did not finish`);
      o.completed?.(h, clean);
      release(h, clean);
      recorded = [...tokens, ...(o.seeds?.() ?? [])];
      return async (c) => {
        // Which leg to hit: spread over the legs a clean handshake has.
        const target = c.rng.below(tokens.length);
        const hs = await handshake(h, (leg, t) =>
          leg === target ? (c.origin === 'mutation' ? c.mutate(t) : c.data) : undefined,
        );
        if (hs.done) o.completed?.(h, hs);
        release(h, hs);
        if (h.sspi.liveHandleCount > 2) throw new Finding(`handles leak: ${h.sspi.liveHandleCount} live`);
      };
    },
  };
}

export function handshakeTarget(name: Exclude<SetupName, 'negotiate-mock'>): FuzzTarget {
  const setup = SETUPS[name];
  return handshakeTargetFor({
    name,
    description: `${setup.package}: ISC/ASC with a mutated token at one leg`,
    setup: () => Promise.resolve(setup),
  });
}
