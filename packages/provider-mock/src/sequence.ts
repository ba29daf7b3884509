/**
 * Receive-side sequence checking for one direction.
 * - SEQUENCE_DETECT: the next message must carry exactly the expected number.
 * - REPLAY_DETECT only: any number not seen before, within a 64-message window behind the highest.
 * - neither: every number is accepted.
 */
export class ReceiveWindow {
  #expected = 0;
  #highest = -1;
  #seen = 0n; // bit i = (highest - i) was seen
  readonly #sequence: boolean;
  readonly #replay: boolean;

  constructor(sequence: boolean, replay: boolean, start = 0) {
    this.#sequence = sequence;
    this.#replay = replay;
    this.#expected = start;
  }

  /** Whether `seq` may be accepted now; does not record it. */
  check(seq: number): boolean {
    if (this.#sequence) return seq === this.#expected;
    if (!this.#replay) return true;
    if (seq > this.#highest) return true;
    const age = this.#highest - seq;
    if (age >= 64) return false;
    return ((this.#seen >> BigInt(age)) & 1n) === 0n;
  }

  /** Records an accepted `seq`. */
  accept(seq: number): void {
    this.#expected = seq + 1;
    if (seq > this.#highest) {
      const shift = seq - this.#highest;
      this.#seen = shift >= 64 ? 1n : ((this.#seen << BigInt(shift)) | 1n) & 0xffffffffffffffffn;
      this.#highest = seq;
    } else {
      this.#seen |= 1n << BigInt(this.#highest - seq);
    }
  }

  /** State for export. */
  snapshot(): { expected: number; highest: number; seen: bigint } {
    return { expected: this.#expected, highest: this.#highest, seen: this.#seen };
  }

  /** Restores exported state. */
  restore(s: { expected: number; highest: number; seen: bigint }): void {
    this.#expected = s.expected;
    this.#highest = s.highest;
    this.#seen = s.seen;
  }
}
