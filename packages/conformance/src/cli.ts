/**
 * `sspkit conformance <module> [--package NAME] [--json] [--junit FILE]`: loads a package module by
 * path (or package specifier), runs every check and prints the table or the JSON report.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
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
  /** Base for relative paths (default `process.cwd()`). */
  readonly cwd?: string;
}

/** Exit codes: 0 conforms, 1 a required check failed, 2 the module could not be loaded or run. */
export const ConformanceExit = { OK: 0, FAILED: 1, ERROR: 2 } as const;

/** Loads a package module and its `sspkitConformance` config (an object, or a function returning one). */
export async function loadConformanceModule(modulePath: string, cwd = process.cwd()): Promise<{ module: SecurityPackageModule; config: ConformanceConfig }> {
  const { module, namespace: ns } = await importPackageModule(modulePath, cwd);
  const raw = ns[CONFIG_EXPORT];
  const config = (typeof raw === 'function' ? await (raw as () => unknown)() : raw ?? {}) as ConformanceConfig;
  if (typeof config !== 'object' || config === null) throw new Error(`${modulePath}: ${CONFIG_EXPORT} must be an object or a function returning one`);
  return { module, config };
}

/** Runs the suite for the CLI and returns the process exit code. */
export async function conformanceCommand(o: ConformanceCommandOptions): Promise<number> {
  let loaded;
  try {
    loaded = await loadConformanceModule(o.modulePath, o.cwd);
  } catch (e) {
    o.write(`sspkit conformance: cannot load ${o.modulePath}: ${e instanceof Error ? e.message : String(e)}\n`);
    return ConformanceExit.ERROR;
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
    o.write(`sspkit conformance: ${o.modulePath} could not be run: ${e instanceof Error ? e.message : String(e)}\n`);
    return ConformanceExit.ERROR;
  }
  o.write(o.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
  if (o.junitFile !== undefined) await writeFile(resolve(o.cwd ?? process.cwd(), o.junitFile), junitReport(report), 'utf8');
  return report.ok ? ConformanceExit.OK : ConformanceExit.FAILED;
}
