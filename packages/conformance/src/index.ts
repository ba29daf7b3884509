// @sspkit/conformance: named exports only.
export { defineConformanceSuite, failureMessage } from './suite.js';
export type { ConformanceSuiteOptions, TestFramework } from './suite.js';
export { runConformance, createSession, runCheck, selectChecks, buildReport } from './runner.js';
export type { ConformanceSession } from './runner.js';
export { conformanceCommand, loadConformanceModule, ConformanceExit, CONFIG_EXPORT } from './cli.js';
export type { ConformanceErrorReport } from './cli.js';
export type { ConformanceCommandOptions } from './cli.js';
export { formatReport, junitReport } from './report.js';
export { ALL_CHECKS } from './catalog.js';
export { describeGate, gateReason } from './probe.js';
export type { Probe } from './probe.js';
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
  SideOptions,
  SlotName,
} from './types.js';
