/**
 * The conformance suite's vocabulary: what a check is, what gates it, what it reports, and the
 * options a package author gives (the module, credentials, documented statuses).
 */
import type { AuthData, SecurityPackageModule, SecpkgFunctionTable, SecpkgUserFunctionTable } from '@sspkit/core';
import type { Harness } from './harness.js';

/** The SSPI area a check belongs to (one source file per area). */
export type CheckArea =
  | 'package-info'
  | 'credentials'
  | 'handshake'
  | 'per-message'
  | 'attributes'
  | 'token'
  | 'export-import'
  | 'lifetime'
  | 'concurrency'
  | 'hygiene';

/** A slot of either function table, as `lsa.<member>` or `user.<member>`. */
export type SlotName = `lsa.${keyof SecpkgFunctionTable}` | `user.${keyof SecpkgUserFunctionTable}`;

/**
 * What a package must declare for a check to apply. Every listed condition must hold; a check whose
 * gate does not hold is skipped with the reason, never failed.
 */
export interface Gate {
  /** SECPKG_FLAG_* bits the package must declare in SecPkgInfo.fCapabilities (all of them). */
  readonly capabilities?: number;
  /** SECPKG_FLAG_* bits the package must NOT declare (e.g. CLIENT_ONLY for acceptor checks). */
  readonly withoutCapabilities?: number;
  /** Table slots that must be present (after masking to the declared table version). */
  readonly slots?: readonly SlotName[];
  /** ISC_RET_* bits the client side must have been granted in the baseline handshake. */
  readonly clientGranted?: number;
  /** ASC_RET_* bits the server side must have been granted in the baseline handshake. */
  readonly serverGranted?: number;
  /** The author declared a store shared between instances (`sharedStore` in the config). */
  readonly sharedStore?: true;
}

/** pass / fail / skip, with what was seen and what was expected. */
export type Outcome = 'pass' | 'fail' | 'skip';

/** One check of the suite: data (id, group, gate) plus the function that runs it. */
export interface ConformanceCheck {
  /** Stable identifier, `area.name` (used in reports, `documented` and `skip`). */
  readonly id: string;
  readonly area: CheckArea;
  /** The SSPI function (group) the check exercises, e.g. `MakeSignature/VerifySignature`. */
  readonly group: string;
  readonly title: string;
  /** A failing required check makes the run fail; an optional one is reported as a warning. */
  readonly required: boolean;
  readonly gate: Gate;
  /** Runs the check in a fresh harness; records statuses through `t`, throws only via `t`. */
  run(h: Harness, t: CheckContext): Promise<void>;
}

/** What a check sees besides the harness: assertions that record "seen vs expected". */
export interface CheckContext {
  /** The statuses this check accepts for `key`: the check's default unless the author documented others. */
  accepted(key: string, defaults: readonly number[]): readonly number[];
  /** Records a status and fails the check unless it is one of `expected`. */
  status(step: string, seen: number, expected: readonly number[]): void;
  /** Fails the check unless `condition` holds. */
  ensure(condition: boolean, step: string, seen: string, expected: string): void;
  /** Fails the check now. */
  fail(step: string, seen: string, expected: string): never;
  /** Skips the check now (a condition discovered at run time, e.g. an attribute the package does not support). */
  skip(reason: string): never;
  /** Records a pass note (shown as "seen" for a passing check). */
  note(seen: string, expected: string): void;
}

/** The result of one check. */
export interface CheckResult {
  readonly id: string;
  readonly area: CheckArea;
  readonly group: string;
  readonly title: string;
  readonly required: boolean;
  readonly outcome: Outcome;
  /** Which step decided the outcome (e.g. `VerifySignature after flipping bit 13`). */
  readonly step?: string;
  readonly seen?: string;
  readonly expected?: string;
  /** Why the check was skipped. */
  readonly reason?: string;
}

/** One side's credentials and request flags. */
export interface SideOptions {
  /** pAuthData for AcquireCredentialsHandle (e.g. `{ user, domain, password }`). */
  readonly authData?: AuthData;
  /** pszPrincipal for AcquireCredentialsHandle. */
  readonly principal?: string;
  /** ISC_REQ_* / ASC_REQ_* to request (default: connection, integrity, confidentiality, replay and sequence detection, plus mutual authentication when declared). */
  readonly contextReq?: number;
}

/** The client side: also the target name and the name the server should report for the client. */
export interface ClientSideOptions extends SideOptions {
  /** pszTargetName (default `host/conformance.test`). */
  readonly targetName?: string;
  /** The user name the server must report (NAMES, token); default: `authData.user`, else the credential's NAMES. */
  readonly expectedUser?: string;
  /** Auth data with a wrong password; default: `authData` with `password` changed. */
  readonly wrongAuthData?: AuthData;
}

/**
 * What a package author (or a module's `sspkitConformance` export) tells the suite. Every field is
 * optional: a package whose default credentials work needs none.
 */
export interface ConformanceConfig {
  /** The package to test when the module holds several (default: the first). */
  readonly packageName?: string;
  readonly client?: ClientSideOptions;
  readonly server?: SideOptions;
  /**
   * The package's documented statuses, by expectation key (`<check id>` or `<check id>:<step>`, see
   * the README), replacing the suite's defaults; e.g. `{ 'credentials.wrong-password': [SEC_E_LOGON_DENIED, 0xc000006d] }`.
   */
  readonly documented?: Readonly<Record<string, readonly number[]>>;
  /** Check ids to skip, with the reason shown in the report. */
  readonly skip?: Readonly<Record<string, string>>;
  /** Further secrets that must never appear in errors, statuses or logs (the client password is always included). */
  readonly secrets?: readonly string[];
  /**
   * The package keeps its replay state (Digest nonce counts, Kerberos authenticators) in a store
   * several server instances share, e.g. Redis. Declaring it runs `handshake.replay-shared-store`.
   */
  readonly sharedStore?: SharedStoreConfig;
}

/** How the suite builds server instances that share one store (see {@link ConformanceConfig.sharedStore}). */
export interface SharedStoreConfig {
  /**
   * Server auth data for one instance (called once per instance): every result must use the same
   * shared store and the same shared keys, as instances of one service do.
   */
  readonly serverAuthData: () => AuthData;
  /**
   * A new instance of the package, as another process would load it (default: the module under test,
   * loaded again into its own registry). A module whose state is per module instance returns a new one.
   */
  readonly instance?: () => SecurityPackageModule;
}

/** Options of a run: the module under test, an optional peer, and the config. */
export interface ConformanceOptions extends ConformanceConfig {
  /** The package module under test (exports spLsaModeInitialize / spUserModeInitialize). */
  readonly module: SecurityPackageModule;
  /** Where the module came from, for the report. */
  readonly source?: string;
  /** A second implementation of the same protocol to run the handshake against. */
  readonly peer?: SecurityPackageModule;
  /** Which side the peer plays (default `server`: the module under test initiates). */
  readonly peerRole?: 'client' | 'server';
  /** The peer's package name (default: the package name under test). */
  readonly peerPackageName?: string;
  /** Only these check ids (default: every check). */
  readonly only?: readonly string[];
}

/** A run's report: the stable `--json` shape (see the README). */
export interface ConformanceReport {
  readonly schema: 'sspkit.conformance/1';
  readonly package: {
    readonly name: string;
    readonly source: string;
    readonly comment: string;
    readonly version: number;
    readonly maxToken: number;
    readonly capabilities: number;
    readonly capabilityNames: readonly string[];
    readonly lsaTableVersion: number;
    readonly userTableVersion: number | null;
    readonly slots: readonly string[];
  };
  readonly baseline: {
    readonly ok: boolean;
    readonly statuses: readonly string[];
    readonly clientFlags: number;
    readonly clientFlagNames: readonly string[];
    readonly serverFlags: number;
    readonly serverFlagNames: readonly string[];
  };
  readonly summary: {
    readonly total: number;
    readonly passed: number;
    readonly failed: number;
    readonly skipped: number;
    readonly requiredFailed: number;
    /** Required checks the caller skipped by configuration (`skip`): the verdict is conditional on them. */
    readonly requiredSkipped: number;
  };
  /** True when no required check failed. */
  readonly ok: boolean;
  readonly checks: readonly CheckResult[];
}
