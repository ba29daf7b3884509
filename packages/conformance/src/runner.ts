/**
 * Runs checks: one fresh harness per check, gates evaluated against the package's declarations,
 * every outcome reduced to pass / fail / skip with the status seen vs the status expected.
 */
import { SecStatus, flagNames, SecPkgFlag, AscRet, IscRet, isSuccess, statusName } from '@sspkit/core';
import { ALL_CHECKS } from './catalog.js';
import { Harness, resolveConfig } from './harness.js';
import type { ResolvedConfig } from './harness.js';
import { Monitor } from './monitor.js';
import { CheckFailure, CheckSkip, statusList } from './outcome.js';
import { declarationsOf, gateReason, probeBaseline } from './probe.js';
import type { Probe } from './probe.js';
import type { CheckContext, CheckResult, ConformanceCheck, ConformanceOptions, ConformanceReport } from './types.js';

/** Checks whose documented statuses may include a success (see `accepted`). */
const SUCCESS_DOCUMENTABLE: ReadonlySet<string> = new Set(['handshake.missing-input']);

/** A loaded run: the options, their defaults, and what the package declares. */
export interface ConformanceSession {
  readonly options: ConformanceOptions;
  readonly config: ResolvedConfig;
  readonly probe: Probe;
}

/** Loads the module once, reads its declarations and runs the baseline handshake. */
export async function createSession(options: ConformanceOptions): Promise<ConformanceSession> {
  const config = resolveConfig(options);
  const monitor = new Monitor(config.secrets);
  const restore = monitor.captureConsole();
  const h = new Harness(options, config, monitor);
  try {
    await h.load();
    h.probe = declarationsOf(h);
    const probe = await probeBaseline(h, h.probe);
    return { options, config, probe };
  } finally {
    h.dispose();
    restore();
  }
}

class Recorder implements CheckContext {
  last: { step: string; seen: string; expected: string } | undefined;
  readonly #check: ConformanceCheck;
  readonly #config: ResolvedConfig;
  readonly #monitor: Monitor;

  constructor(check: ConformanceCheck, config: ResolvedConfig, monitor: Monitor) {
    this.#check = check;
    this.#config = config;
    this.#monitor = monitor;
  }

  accepted(key: string, defaults: readonly number[]): readonly number[] {
    const d = this.#config.documented;
    const documented = d[`${this.#check.id}:${key}`] ?? d[this.#check.id];
    if (documented === undefined) return defaults;
    // A check that expects a refusal cannot be documented into accepting: that would make a defect pass.
    // (Except where accepting is a legitimate protocol shape: a server-first mechanism answers
    // AcceptSecurityContext without input with its challenge.)
    const negative = defaults.every((s) => !isSuccess(s)) && !SUCCESS_DOCUMENTABLE.has(this.#check.id);
    if (negative && documented.some((s) => isSuccess(s))) {
      throw new CheckFailure(
        `documented statuses for ${this.#check.id}`,
        statusList(documented),
        'refusals only (this check expects the package to refuse)',
      );
    }
    return documented;
  }

  status(step: string, seen: number, expected: readonly number[]): void {
    const value = seen >>> 0;
    let seenText = statusName(value);
    if (value === SecStatus.SEC_E_INTERNAL_ERROR) {
      const fault = this.#monitor.faults.at(-1);
      if (fault) seenText += ` (the package threw in ${fault.operation}: ${fault.message})`;
    }
    if (!expected.map((e) => e >>> 0).includes(value)) throw new CheckFailure(step, seenText, statusList(expected));
    this.last = { step, seen: seenText, expected: statusList(expected) };
  }

  ensure(condition: boolean, step: string, seen: string, expected: string): void {
    if (!condition) throw new CheckFailure(step, seen, expected);
    this.last = { step: String(step), seen: String(expected), expected: String(expected) };
  }

  fail(step: string, seen: string, expected: string): never {
    throw new CheckFailure(step, seen, expected);
  }

  skip(reason: string): never {
    throw new CheckSkip(reason);
  }

  note(seen: string, expected: string): void {
    this.last = { step: 'summary', seen: String(seen), expected: String(expected) };
  }
}

/** Runs one check in a fresh harness; never throws, whatever the package answers. */
export async function runCheck(session: ConformanceSession, check: ConformanceCheck): Promise<CheckResult> {
  try {
    return await runCheckOnce(session, check);
  } catch (e) {
    // A defect of the suite itself, or an answer so malformed that even reporting it threw: the
    // check fails with its own id, and the run goes on.
    const message = e instanceof Error ? e.message : Object.prototype.toString.call(e);
    const base = { id: check.id, area: check.area, group: check.group, title: check.title, required: check.required };
    return {
      ...base,
      outcome: 'fail',
      step: 'harness',
      seen: `unexpected exception: ${new Monitor(session.config.secrets).redact(message)}`,
      expected: 'statuses, never an exception',
    };
  }
}

async function runCheckOnce(session: ConformanceSession, check: ConformanceCheck): Promise<CheckResult> {
  const base = { id: check.id, area: check.area, group: check.group, title: check.title, required: check.required };
  const configured = session.config.skip[check.id];
  if (configured !== undefined) return { ...base, outcome: 'skip', reason: `skipped by configuration: ${configured}` };
  const gate = gateReason(check.gate, session.probe, session.options);
  if (gate !== undefined) return { ...base, outcome: 'skip', reason: gate };
  const monitor = new Monitor(session.config.secrets);
  const restore = monitor.captureConsole();
  const h = new Harness(session.options, session.config, monitor);
  const t = new Recorder(check, session.config, monitor);
  try {
    await h.load();
    h.probe = session.probe;
    await check.run(h, t);
    const last = t.last;
    return last
      ? { ...base, outcome: 'pass', step: last.step, seen: monitor.redact(last.seen), expected: last.expected }
      : { ...base, outcome: 'pass' };
  } catch (e) {
    if (e instanceof CheckSkip) return { ...base, outcome: 'skip', reason: monitor.redact(e.reason) };
    if (e instanceof CheckFailure)
      return { ...base, outcome: 'fail', step: e.step, seen: monitor.redact(e.seen), expected: e.expected };
    const message = e instanceof Error ? e.message : Object.prototype.toString.call(e);
    return {
      ...base,
      outcome: 'fail',
      step: 'harness',
      seen: `unexpected exception: ${monitor.redact(message)}`,
      expected: 'statuses, never an exception',
    };
  } finally {
    try {
      h.dispose();
    } catch {
      // Cleanup failures must not hide the check's own outcome.
    }
    restore();
  }
}

/** The checks a run includes, in catalog order. */
function selectChecks(only?: readonly string[]): ConformanceCheck[] {
  if (!only) return [...ALL_CHECKS];
  const unknown = only.filter((id) => !ALL_CHECKS.some((c) => c.id === id));
  if (unknown.length > 0) throw new RangeError(`unknown check id(s): ${unknown.join(', ')}`);
  return ALL_CHECKS.filter((c) => only.includes(c.id));
}

/** Builds the report from a session and its results. */
function buildReport(session: ConformanceSession, results: readonly CheckResult[]): ConformanceReport {
  const p = session.probe;
  const failed = results.filter((r) => r.outcome === 'fail');
  const requiredFailed = failed.filter((r) => r.required).length;
  return {
    schema: 'sspkit.conformance/1',
    package: {
      name: p.info.name,
      source: session.options.source ?? 'module',
      comment: p.info.comment,
      version: p.info.version,
      maxToken: p.info.maxToken,
      capabilities: p.info.capabilities,
      capabilityNames: flagNames(SecPkgFlag, p.info.capabilities).map((n) => `SECPKG_FLAG_${n}`),
      lsaTableVersion: p.lsaVersion,
      userTableVersion: p.userVersion ?? null,
      slots: [...p.slots].sort(),
    },
    baseline: {
      ok: p.baseline.ok,
      statuses: p.baseline.statuses,
      clientFlags: p.baseline.clientFlags,
      clientFlagNames: flagNames(IscRet, p.baseline.clientFlags).map((n) => `ISC_RET_${n}`),
      serverFlags: p.baseline.serverFlags,
      serverFlagNames: flagNames(AscRet, p.baseline.serverFlags).map((n) => `ASC_RET_${n}`),
    },
    summary: {
      total: results.length,
      passed: results.filter((r) => r.outcome === 'pass').length,
      failed: failed.length,
      skipped: results.filter((r) => r.outcome === 'skip').length,
      requiredFailed,
      requiredSkipped: results.filter(
        (r) => r.required && r.outcome === 'skip' && r.reason?.startsWith('skipped by configuration'),
      ).length,
    },
    ok: requiredFailed === 0,
    checks: results,
  };
}

/** Runs every check (or `options.only`) against the module and returns the report. */
export async function runConformance(options: ConformanceOptions): Promise<ConformanceReport> {
  const checks = selectChecks(options.only);
  const session = await createSession(options);
  const results: CheckResult[] = [];
  for (const check of checks) results.push(await runCheck(session, check));
  return buildReport(session, results);
}
