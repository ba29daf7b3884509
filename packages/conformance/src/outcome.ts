/**
 * How a check ends early: a failure carrying "seen vs expected", or a skip discovered at run time.
 * Thrown by the check context and the harness, caught by the runner; never escapes a run.
 */
import { statusName } from '@sspkit/core';

/** A check failed at `step`: `seen` is what the package did, `expected` what SSPI requires. */
export class CheckFailure extends Error {
  readonly step: string;
  readonly seen: string;
  readonly expected: string;

  constructor(step: string, seen: string, expected: string) {
    super(`${String(step)}: seen ${String(seen)}, expected ${String(expected)}`);
    this.name = 'CheckFailure';
    // Checks build these texts from a package's answers: a malformed answer must still read as text.
    this.step = String(step);
    this.seen = String(seen);
    this.expected = String(expected);
  }
}

/** A check does not apply, for a reason found while running (e.g. an attribute the package does not support). */
export class CheckSkip extends Error {
  readonly reason: string;

  constructor(reason: string) {
    super(reason);
    this.name = 'CheckSkip';
    this.reason = reason;
  }
}

/** A package's answer as report text, whatever its shape (`undefined`, a bigint, a cycle). */
export function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** `SEC_E_OK` or `SEC_E_INVALID_TOKEN | SEC_E_INCOMPLETE_MESSAGE`. */
export function statusList(statuses: readonly number[]): string {
  return statuses.map((s) => statusName(s)).join(' | ');
}
