/** What a fuzz target is, and what it reports when an input breaks the contract. */
import type fc from 'fast-check';
import type { Rng } from './mutate.js';

/** One input: bytes, where they came from, and a mutator the dispatcher targets apply to live tokens. */
export interface FuzzCase {
  readonly data: Uint8Array;
  readonly origin: 'mutation' | 'generated' | 'regression';
  readonly rng: Rng;
  /** Mutates a live token (a handshake leg, a signature) with the same schedule as the corpus. */
  readonly mutate: (live: Uint8Array) => Uint8Array;
  /** The bytes `mutate` last returned: what a finding reports when a live token was changed. */
  delivered?: Uint8Array;
}

export type CaseCheck = (c: FuzzCase) => void | Promise<void>;

export interface FuzzTarget {
  readonly name: string;
  readonly description: string;
  /** Real inputs the mutator starts from (also the splice partners). */
  corpus(): Uint8Array[];
  /** Structured generation. */
  readonly arbitrary: fc.Arbitrary<Uint8Array>;
  /** Builds what the check needs (a dispatcher, an established context) once per run. */
  prepare(): Promise<CaseCheck>;
}

/** A broken contract: the runner records it with the input. */
export class Finding extends Error {
  override readonly name = 'Finding';
}

export const latin1 = (b: Uint8Array): string => Buffer.from(b).toString('latin1');
export const fromLatin1 = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'latin1'));
export const fromHex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'));
export const fromBase64 = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'base64'));
