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
    super(`${step}: seen ${seen}, expected ${expected}`);
    this.name = 'CheckFailure';
    this.step = step;
    this.seen = seen;
    this.expected = expected;
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

/** `SEC_E_OK` or `SEC_E_INVALID_TOKEN | SEC_E_INCOMPLETE_MESSAGE`. */
export function statusList(statuses: readonly number[]): string {
  return statuses.map((s) => statusName(s)).join(' | ');
}
