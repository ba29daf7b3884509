/**
 * `sspkit conformance <module> [--package NAME] [--json] [--junit FILE]`: loads a package module by
 * path (or package specifier), runs every check and prints the table or the JSON report.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { inspect } from 'node:util';
import { importPackageModule } from '@sspkit/core';
import type { SecurityPackageModule } from '@sspkit/core';
import { formatReport, junitReport } from './report.js';
import { runConformance } from './runner.js';
import type { ConformanceConfig } from './types.js';

/** The export a module may provide to tell a standalone run its credentials (see the README). */
export const CONFIG_EXPORT = 'sspkitConformance';

/** Options of {@link conformanceCommand}. */
export interface ConformanceCommandOptions {
  /** A file path (`.ts` works under tsx) or a package specifier (`@sspkit/provider-mock`). */
  readonly modulePath: string;
  readonly packageName?: string;
  readonly json: boolean;
  readonly junitFile?: string;
  /** Where output goes (stdout in the CLI). */
  readonly write: (s: string) => void;
  /** Where diagnostics go besides the report (stderr in the CLI; default `write`). */
  readonly writeError?: (s: string) => void;
  /** Base for relative paths (default `process.cwd()`). */
  readonly cwd?: string;
}

/**
 * Exit codes, so a CI pipeline can tell the outcomes apart (the first that applies, in this order):
 * 2 the module could not be loaded or the run aborted; 1 a required check failed; 4 the JUnit
 * report could not be written (the verdict was printed); 3 every required check passed but an
 * optional one failed (WARN); 0 every check passed or was skipped.
 */
export const ConformanceExit = { OK: 0, FAILED: 1, ERROR: 2, OPTIONAL_FAILED: 3, REPORT_NOT_WRITTEN: 4 } as const;

/** What `--json` prints when there is no report: the module did not load, or the run aborted. */
export interface ConformanceErrorReport {
  readonly schema: 'sspkit.conformance/1';
  readonly ok: false;
  readonly error: { readonly stage: 'load' | 'run'; readonly source: string; readonly message: string };
}

/** Loads a package module and its `sspkitConformance` config (an object, or a function returning one). */
async function loadConformanceModule(
  modulePath: string,
  cwd = process.cwd(),
): Promise<{ module: SecurityPackageModule; config: ConformanceConfig }> {
  const { module, namespace: ns } = await importPackageModule(modulePath, cwd);
  const raw = ns[CONFIG_EXPORT];
  const config = (typeof raw === 'function' ? await (raw as () => unknown)() : (raw ?? {})) as ConformanceConfig;
  if (typeof config !== 'object' || config === null)
    throw new Error(`${modulePath}: ${CONFIG_EXPORT} must be an object or a function returning one`);
  return { module, config };
}

/** Runs the suite for the CLI and returns the process exit code ({@link ConformanceExit}). */
export async function conformanceCommand(o: ConformanceCommandOptions): Promise<number> {
  const failWith = (stage: 'load' | 'run', e: unknown): number => {
    // The package's own exception (kept by the registry as the cause) says what the author must fix.
    const cause = e instanceof Error && e.cause !== undefined ? e.cause : undefined;
    const because = cause instanceof Error ? cause.message : cause === undefined ? undefined : inspect(cause);
    const message = `${e instanceof Error ? e.message : String(e)}${because === undefined ? '' : `: ${because}`}`;
    if (o.json) {
      const report: ConformanceErrorReport = {
        schema: 'sspkit.conformance/1',
        ok: false,
        error: { stage, source: o.modulePath, message },
      };
      o.write(`${JSON.stringify(report, null, 2)}\n`);
    } else {
      o.write(
        stage === 'load'
          ? `sspkit conformance: cannot load ${o.modulePath}: ${message}\n`
          : `sspkit conformance: ${o.modulePath} could not be run: ${message}\n`,
      );
    }
    return ConformanceExit.ERROR;
  };
  let loaded;
  try {
    loaded = await loadConformanceModule(o.modulePath, o.cwd);
  } catch (e) {
    return failWith('load', e);
  }
  let report;
  try {
    // The module under test describes its credentials and documented statuses; it does not get to
    // choose which checks run (`only`) — a standalone run is always the whole suite.
    const { only: _ignored, ...config } = loaded.config as typeof loaded.config & { only?: unknown };
    report = await runConformance({
      ...config,
      module: loaded.module,
      source: o.modulePath,
      ...(o.packageName !== undefined ? { packageName: o.packageName } : {}),
    });
  } catch (e) {
    return failWith('run', e);
  }
  o.write(o.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
  let written = true;
  if (o.junitFile !== undefined) {
    try {
      await writeFile(resolve(o.cwd ?? process.cwd(), o.junitFile), junitReport(report), 'utf8');
    } catch (e) {
      written = false;
      // stderr: with --json, stdout stays one JSON document.
      (o.writeError ?? o.write)(
        `sspkit conformance: cannot write the JUnit report ${o.junitFile}: ${e instanceof Error ? e.message : String(e)}\n`,
      );
    }
  }
  if (!report.ok) return ConformanceExit.FAILED;
  if (!written) return ConformanceExit.REPORT_NOT_WRITTEN;
  return report.summary.failed > 0 ? ConformanceExit.OPTIONAL_FAILED : ConformanceExit.OK;
}
