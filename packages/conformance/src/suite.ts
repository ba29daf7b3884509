/**
 * The suite inside a package author's own test runner. The framework is passed in, so nothing
 * here depends on one runner's globals: `describe` and `it` are all it needs.
 */
import { ALL_CHECKS } from './catalog.js';
import { CONFIG_EXPORT } from './cli.js';
import { createSession, runCheck } from './runner.js';
import type { ConformanceSession } from './runner.js';
import type { CheckResult, ConformanceConfig, ConformanceOptions } from './types.js';

/** What `it` passes to a test body in vitest (and what we use of it): `skip(note)` marks a skip. */
interface TestContextLike {
  skip?: (note?: string) => void;
}

/** The two functions the suite needs from a test framework (vitest, jest, node:test wrappers…). */
export interface TestFramework {
  describe(name: string, body: () => void): unknown;
  it(name: string, body: (context: TestContextLike) => Promise<void>, timeout?: number): unknown;
}

/** Options of {@link defineConformanceSuite}: the run's options plus the framework. */
export interface ConformanceSuiteOptions extends Omit<ConformanceOptions, 'module'> {
  readonly module: ConformanceOptions['module'];
  readonly test: TestFramework;
  /** Title of the outer `describe` (default `SSPI conformance: <package name or source>`). */
  readonly title?: string;
  /** Per-test timeout passed to `it` (default 60 000 ms; some checks run hundreds of handshakes). */
  readonly timeoutMs?: number;
}

/** The failure message a failed check throws: which step, what was seen, what was expected. */
function failureMessage(r: CheckResult): string {
  return `${r.id} failed at ${r.step ?? '?'}: seen ${r.seen ?? '?'}, expected ${r.expected ?? '?'}`;
}

/**
 * Defines one test per check, grouped by SSPI area, in the caller's framework. The module is loaded
 * and probed once, lazily, by the first test. A check whose gate does not hold is skipped through
 * the test context's `skip(note)` when the framework has one (vitest), else it passes with no
 * assertion. An optional check that fails is reported as a failure too: pass it in `skip` to accept it.
 */
export function defineConformanceSuite(options: ConformanceSuiteOptions): void {
  const { test, title, timeoutMs, ...run } = options;
  let session: Promise<ConformanceSession> | undefined;
  // The module's own `sspkitConformance` export (what the CLI reads) applies too; explicit options win.
  const load = (): Promise<ConformanceSession> =>
    (session ??= (async () => {
      const own = (run.module as { [CONFIG_EXPORT]?: unknown })[CONFIG_EXPORT];
      const config = (typeof own === 'function' ? await (own as () => unknown)() : own) as
        ConformanceConfig | undefined;
      return createSession(typeof config === 'object' && config !== null ? { ...config, ...run } : run);
    })());
  const areas = [...new Set(ALL_CHECKS.map((c) => c.area))];
  const selected = run.only ? ALL_CHECKS.filter((c) => run.only!.includes(c.id)) : ALL_CHECKS;
  test.describe(title ?? `SSPI conformance: ${run.packageName ?? run.source ?? 'package'}`, () => {
    for (const area of areas) {
      const checks = selected.filter((c) => c.area === area);
      if (checks.length === 0) continue;
      test.describe(area, () => {
        for (const check of checks) {
          test.it(
            `${check.id}: ${check.title}`,
            async (context) => {
              const r = await runCheck(await load(), check);
              if (r.outcome === 'skip') {
                context?.skip?.(r.reason);
                return;
              }
              if (r.outcome === 'fail') throw new Error(failureMessage(r));
            },
            timeoutMs ?? 60_000,
          );
        }
      });
    }
  });
}
