// @sspkit/conformance: what a package author calls (the suite in vitest, the runner, the command,
// the report formats). The runner's steps, the probes and the gates are internal; the tests import
// them by relative path.
export { defineConformanceSuite } from './suite.js';
export type { ConformanceSuiteOptions, TestFramework } from './suite.js';
export { runConformance } from './runner.js';
export { conformanceCommand, ConformanceExit, CONFIG_EXPORT } from './cli.js';
export type { ConformanceErrorReport } from './cli.js';
export type { ConformanceCommandOptions } from './cli.js';
export { formatReport, junitReport } from './report.js';
export { ALL_CHECKS } from './catalog.js';
export type {
  CheckArea,
  CheckContext,
  CheckResult,
  ClientSideOptions,
  ConformanceCheck,
  ConformanceConfig,
  ConformanceOptions,
  ConformanceReport,
  Gate,
  Outcome,
  SharedStoreConfig,
  SideOptions,
  SlotName,
} from './types.js';
