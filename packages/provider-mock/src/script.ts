/**
 * Scriptable statuses and faults, and the call log: what makes the Mock a test double.
 */
import type { SecpkgFunctionTable, SecpkgUserFunctionTable } from '@sspkit/core';

/** Every slot the Mock implements, by table member name. */
export type MockSlot = keyof SecpkgFunctionTable | keyof SecpkgUserFunctionTable;

/**
 * One scripted behaviour. It applies to the `call`-th call of `slot` (1-based, counted per package
 * instance), or to every call when `call` is absent, at most `times` times.
 * - `status`: an error status is returned instead of doing the work (nothing changes); a success
 *   status (SEC_I_*) replaces the status of a call that succeeded, after doing the work. Returning
 *   SEC_I_COMPLETE_NEEDED / SEC_I_COMPLETE_AND_CONTINUE from a handshake leg makes the context wait
 *   for CompleteAuthToken before any per-message call.
 * - `throws`: the slot throws an Error with this message (to test the dispatcher's fault handling).
 * - `delayMs`: asynchronous slots wait this long before answering.
 */
export interface ScriptRule {
  slot: MockSlot;
  call?: number;
  times?: number;
  status?: number;
  throws?: string;
  delayMs?: number;
}

/** Slots the contract lets answer with a promise (reference: calls that may wait on the network). */
const ASYNC_SLOTS: ReadonlySet<MockSlot> = new Set<MockSlot>([
  'acquireCredentialsHandle',
  'addCredentials',
  'initLsaModeContext',
  'acceptLsaModeContext',
  'completeAuthToken',
  'applyControlToken',
  'changeAccountPassword',
  'logonUser',
  'logonUserEx',
  'logonUserEx2',
  'logonUserEx3',
  'callPackage',
  'callPackageUntrusted',
  'callPackagePassthrough',
]);

/** One recorded call of a table slot. */
export interface CallRecord {
  /** Order of the call among all calls of this package instance, from 1. */
  readonly seq: number;
  readonly table: 'lsa' | 'user';
  readonly slot: MockSlot;
  /** The n-th call of this slot, from 1. */
  readonly call: number;
  /** A summary of the arguments, with secrets left out (passwords are never recorded). */
  readonly args: Readonly<Record<string, unknown>>;
  /** The status returned, or 'threw'. */
  status?: number | 'threw';
}

/**
 * Records the call log keeps by default: the newest ones (a ring). A handshake makes about ten, so
 * this is the last ~100 handshakes, a few hundred KB at most, however long the process runs.
 */
export const DEFAULT_LOG_LIMIT = 1000;

/** Holds the rules and the log; consulted by every instrumented slot. */
export class Script {
  /** The newest {@link logLimit} call records, oldest first. */
  readonly log: CallRecord[] = [];
  /** How many records {@link log} keeps (oldest dropped first); 0 records nothing, Infinity everything. */
  logLimit: number;
  readonly #rules: (ScriptRule & { fired: number })[] = [];
  readonly #counts = new Map<MockSlot, number>();
  #seq = 0;
  /** Whether calls are recorded; the benchmark turns this off. */
  recording = true;

  constructor(logLimit: number = DEFAULT_LOG_LIMIT) {
    if (!(logLimit >= 0)) throw new RangeError('logLimit must be 0 or more');
    this.logLimit = logLimit;
  }

  /** Adds a rule. `delayMs` only for slots that may answer asynchronously (a sync slot must not). */
  add(rule: ScriptRule): void {
    if (rule.delayMs !== undefined && !ASYNC_SLOTS.has(rule.slot))
      throw new RangeError(`delayMs: ${rule.slot} is a synchronous slot`);
    this.#rules.push({ ...rule, fired: 0 });
  }

  /** Removes every rule. */
  clearRules(): void {
    this.#rules.length = 0;
  }

  /** Empties the call log and the per-slot call counters. */
  clearLog(): void {
    this.log.length = 0;
    this.#counts.clear();
    this.#seq = 0;
  }

  /** Counts a call and returns its record plus the rule that applies to it, if any. */
  begin(
    table: 'lsa' | 'user',
    slot: MockSlot,
    args: () => Record<string, unknown>,
  ): { record: CallRecord | undefined; rule: ScriptRule | undefined } {
    const call = (this.#counts.get(slot) ?? 0) + 1;
    this.#counts.set(slot, call);
    let rule: ScriptRule | undefined;
    for (const r of this.#rules) {
      if (r.slot !== slot) continue;
      if (r.call !== undefined && r.call !== call) continue;
      const limit = r.times ?? (r.call !== undefined ? 1 : Number.POSITIVE_INFINITY);
      if (r.fired >= limit) continue;
      r.fired++;
      rule = r;
      break;
    }
    if ((!this.recording || this.logLimit < 1) && !rule) return { record: undefined, rule };
    const record: CallRecord = { seq: ++this.#seq, table, slot, call, args: args() };
    this.log.push(record);
    if (this.log.length > this.logLimit) this.log.splice(0, this.log.length - this.logLimit);
    return { record, rule };
  }

  /** The calls of one slot still in the log, in order. */
  calls(slot: MockSlot): CallRecord[] {
    return this.log.filter((r) => r.slot === slot);
  }
}
