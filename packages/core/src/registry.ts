/**
 * The package registry: loads security package modules the way the LSA and secur32 do
 * (SpLsaModeInitialize → InitializePackage → Initialize → GetInfo → SpUserModeInitialize →
 * InstanceInit), checks interface versions, and finds packages by name, case-insensitively.
 */
import { SspiError } from './errors.js';
import { SecPkgInterfaceVersion } from './flags.js';
import { SecStatus, isSuccess, statusName } from './status.js';
import { LSA_TABLE_MEMBERS, USER_TABLE_EXTENSIONS, USER_TABLE_MEMBERS } from './tables.js';
import type {
  LocatedPackage,
  LsaSecpkgFunctionTable,
  SecpkgDllFunctions,
  SecpkgFunctionTable,
  SecpkgParameters,
  SecpkgUserFunctionTable,
  SecurityPackageModule,
} from './tables.js';
import type { SecPkgInfo, TimeStamp } from './types.js';
import { timeStampFromMillis } from './types.js';

/** The clock and random source packages see through their helper tables; inject both in tests. */
export interface SecurityEnvironment {
  /** Milliseconds since the Unix epoch. */
  clock(): number;
  /** Cryptographically strong random bytes (a deterministic stream in tests). */
  randomBytes(length: number): Uint8Array;
}

/** The process's real clock and CSPRNG. */
export const systemEnvironment: SecurityEnvironment = {
  clock: () => Date.now(),
  randomBytes: (length) => {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i += 65536)
      globalThis.crypto.getRandomValues(out.subarray(i, Math.min(length, i + 65536)));
    return out;
  },
};

/** A package the registry accepted. Tables are masked to the versions the package declared. */
export interface RegisteredPackage {
  readonly packageId: number;
  readonly name: string;
  readonly info: SecPkgInfo;
  readonly lsa: SecpkgFunctionTable;
  readonly user: SecpkgUserFunctionTable | undefined;
  readonly lsaVersion: number;
  readonly userVersion: number | undefined;
  /** Where the module came from (a path or a label), for diagnostics. */
  readonly source: string;
  /** @internal False once the registry shut the package down: its handles are dead from then on. */
  readonly lifecycle: { loaded: boolean };
}

/** What one `load` did: the packages registered and those refused by their own Initialize. */
export interface LoadReport {
  readonly packages: readonly RegisteredPackage[];
  readonly refused: readonly {
    readonly index: number;
    readonly name: string | undefined;
    readonly status: number;
    readonly reason: string;
  }[];
}

export interface RegistryOptions {
  environment?: SecurityEnvironment;
  parameters?: Partial<SecpkgParameters>;
  /** LsaVersion passed to SpLsaModeInitialize / SpUserModeInitialize (default SECPKG_INTERFACE_VERSION). */
  lsaVersion?: number;
}

const KNOWN_VERSIONS: ReadonlySet<number> = new Set(Object.values(SecPkgInterfaceVersion));
/**
 * The user table is defined through ImportContext by VERSION, MarshalAttributeData by VERSION_2
 * (ntsecpkg.h, SECPKG_INTERFACE_VERSION_*).
 */
const USER_VERSIONS: ReadonlySet<number> = new Set([SecPkgInterfaceVersion.VERSION, SecPkgInterfaceVersion.VERSION_2]);

function versionText(v: number): string {
  return `0x${(v >>> 0).toString(16).padStart(8, '0')}`;
}

/** SEC_E_CANNOT_INSTALL; `cause` keeps what the module threw, so the author sees their own error. */
function refuse(operation: string, detail: string, cause?: unknown): SspiError {
  return new SspiError(SecStatus.SEC_E_CANNOT_INSTALL, operation, cause === undefined ? { detail } : { detail, cause });
}

/** Copies the members a version defines, bound to their table; later members are dropped. */
function maskTable<T extends object>(table: T, members: readonly (readonly [string, number])[], version: number): T {
  const out: Record<string, unknown> = {};
  const source = table as Record<string, unknown>;
  for (const [name, since] of members) {
    const fn = source[name];
    if (typeof fn === 'function' && since <= version) out[name] = (fn as (...a: unknown[]) => unknown).bind(table);
  }
  return Object.freeze(out) as T;
}

/** Registry of security packages. One process may hold several (tests do). */
export class Registry {
  readonly #byName = new Map<string, RegisteredPackage>();
  readonly #byId = new Map<number, RegisteredPackage>();
  readonly #env: SecurityEnvironment;
  readonly #parameters: SecpkgParameters;
  readonly #lsaVersion: number;
  #nextId = 1;
  /** Loads run one at a time, so a name checked free is still free when it is registered. */
  #loading: Promise<unknown> = Promise.resolve();

  constructor(options: RegistryOptions = {}) {
    this.#env = options.environment ?? systemEnvironment;
    this.#lsaVersion = options.lsaVersion ?? SecPkgInterfaceVersion.VERSION;
    this.#parameters = {
      version: 0,
      machineState: 0x1b, // ENCRYPTION_PERMITTED | STRONG_ENCRYPTION_PERMITTED | WORKSTATION | STANDALONE
      setupMode: 0,
      domainName: '',
      dnsDomainName: '',
      ...options.parameters,
    };
  }

  /** The injected environment (clock, random source). */
  get environment(): SecurityEnvironment {
    return this.#env;
  }

  /** Finds a package by name, case-insensitively (as SECUR32_findPackageW does). */
  get(name: string): RegisteredPackage | undefined {
    return typeof name === 'string' ? this.#byName.get(name.toLowerCase()) : undefined;
  }

  /** Finds a package by its package id. */
  getById(packageId: number): RegisteredPackage | undefined {
    return this.#byId.get(packageId);
  }

  /** Every registered package, in load order. */
  list(): RegisteredPackage[] {
    return [...this.#byId.values()];
  }

  /**
   * Loads a package module in the Windows order. Refuses the whole module (SspiError
   * SEC_E_CANNOT_INSTALL, nothing registered) when an entry point fails, a table version is not one
   * this registry understands, or a package name is taken; a package whose own Initialize returns
   * an error is left out and reported, as the LSA unloads it.
   */
  load(module: SecurityPackageModule, source = 'module'): Promise<LoadReport> {
    const run = this.#loading.then(() => this.#load(module, source));
    this.#loading = run.catch(() => undefined);
    return run;
  }

  async #load(module: SecurityPackageModule, source: string): Promise<LoadReport> {
    if (typeof module?.spLsaModeInitialize !== 'function')
      throw refuse('SpLsaModeInitialize', `${source} does not export spLsaModeInitialize`);
    let lsaInit: Awaited<ReturnType<SecurityPackageModule['spLsaModeInitialize']>>;
    try {
      lsaInit = await module.spLsaModeInitialize(this.#lsaVersion);
    } catch (e) {
      throw refuse('SpLsaModeInitialize', `${source} threw`, e);
    }
    if (typeof lsaInit !== 'object' || lsaInit === null || typeof lsaInit.status !== 'number')
      throw refuse('SpLsaModeInitialize', `${source} returned no result`);
    if (!isSuccess(lsaInit.status))
      throw refuse('SpLsaModeInitialize', `${source} returned ${statusName(lsaInit.status)}`);
    if (!KNOWN_VERSIONS.has(lsaInit.packageVersion)) {
      throw refuse(
        'SpLsaModeInitialize',
        `${source} declares SECPKG_FUNCTION_TABLE version ${versionText(lsaInit.packageVersion)}, which this registry does not understand (known: SECPKG_INTERFACE_VERSION … SECPKG_INTERFACE_VERSION_11)`,
      );
    }
    if (!Array.isArray(lsaInit.tables) || lsaInit.tables.length === 0)
      throw refuse('SpLsaModeInitialize', `${source} returned no function tables`);

    const pending: { index: number; id: number; lsa: SecpkgFunctionTable; info: SecPkgInfo }[] = [];
    const refused: { index: number; name: string | undefined; status: number; reason: string }[] = [];
    const rollback = (): void => {
      for (const p of pending) safeShutdown(p.lsa);
    };
    const helpers = this.#helperTable();

    // Array.isArray above narrowed the list to any[]; its elements are what the slot declares.
    for (const [index, raw] of (lsaInit.tables as readonly SecpkgFunctionTable[]).entries()) {
      const lsa = maskTable(raw, LSA_TABLE_MEMBERS, lsaInit.packageVersion);
      const id = this.#nextId++;
      let apName: string | undefined;
      try {
        if (lsa.initializePackage) {
          const r = lsa.initializePackage(id, helpers, undefined, undefined);
          if (!isSuccess(r.status)) {
            refused.push({
              index,
              name: undefined,
              status: r.status,
              reason: `InitializePackage returned ${statusName(r.status)}`,
            });
            continue;
          }
          apName = r.authenticationPackageName;
        }
        const st = lsa.initialize ? lsa.initialize(id, this.#parameters, helpers) : SecStatus.SEC_E_OK;
        if (!isSuccess(st)) {
          refused.push({ index, name: apName, status: st, reason: `SpInitialize returned ${statusName(st)}` });
          continue;
        }
        const infoResult = lsa.getInfo?.();
        if (!infoResult || !isSuccess(infoResult.status) || !infoResult.packageInfo) {
          rollback();
          safeShutdown(lsa);
          throw refuse('SpGetInfo', `table ${index} of ${source} gives no package information`);
        }
        pending.push({ index, id, lsa, info: Object.freeze({ ...infoResult.packageInfo }) });
      } catch (e) {
        if (e instanceof SspiError) throw e;
        rollback();
        throw refuse('SpLsaModeInitialize', `table ${index} of ${source} threw during initialisation`, e);
      }
    }

    const seen = new Set<string>();
    for (const p of pending) {
      if (typeof p.info.name !== 'string' || p.info.name.length === 0) {
        rollback();
        throw refuse('SpGetInfo', `table ${p.index} of ${source} has no package name`);
      }
      const key = p.info.name.toLowerCase();
      if (this.#byName.has(key) || seen.has(key)) {
        rollback();
        throw refuse('SpGetInfo', `a package named "${p.info.name}" is already registered`);
      }
      seen.add(key);
    }

    let userTables: readonly SecpkgUserFunctionTable[] = [];
    let userVersion: number | undefined;
    if (module.spUserModeInitialize) {
      let userInit;
      try {
        userInit = await module.spUserModeInitialize(this.#lsaVersion);
      } catch (e) {
        rollback();
        throw refuse('SpUserModeInitialize', `${source} threw`, e);
      }
      if (
        typeof userInit !== 'object' ||
        userInit === null ||
        typeof userInit.status !== 'number' ||
        !Array.isArray(userInit.tables)
      ) {
        rollback();
        throw refuse('SpUserModeInitialize', `${source} returned no result`);
      }
      if (!isSuccess(userInit.status)) {
        rollback();
        throw refuse('SpUserModeInitialize', `${source} returned ${statusName(userInit.status)}`);
      }
      if (!USER_VERSIONS.has(userInit.packageVersion)) {
        rollback();
        throw refuse(
          'SpUserModeInitialize',
          `${source} declares SECPKG_USER_FUNCTION_TABLE version ${versionText(userInit.packageVersion)}, which this registry does not understand (the user table knows SECPKG_INTERFACE_VERSION and _2)`,
        );
      }
      if (userInit.tables.length > lsaInit.tables.length) {
        rollback();
        throw refuse(
          'SpUserModeInitialize',
          `${source} returned ${userInit.tables.length} user tables for ${lsaInit.tables.length} packages`,
        );
      }
      userVersion = userInit.packageVersion;
      userTables = userInit.tables;
    }

    const registered: RegisteredPackage[] = [];
    const dll = this.#dllFunctions();
    for (const p of pending) {
      const rawUser = userTables[p.index];
      const user =
        rawUser && userVersion !== undefined
          ? maskTable(rawUser, [...USER_TABLE_MEMBERS, ...USER_TABLE_EXTENSIONS], userVersion)
          : undefined;
      if (user?.instanceInit) {
        let st: number;
        let thrown: unknown;
        try {
          // As secur32 does: InstanceInit gets the interface version the loader speaks.
          st = user.instanceInit(this.#lsaVersion, dll);
        } catch (e) {
          st = SecStatus.SEC_E_INTERNAL_ERROR;
          thrown = e;
        }
        if (!isSuccess(st)) {
          rollback();
          for (const r of registered) this.#forget(r);
          throw refuse(
            'SpInstanceInit',
            `package "${p.info.name}" ${thrown === undefined ? `returned ${statusName(st)}` : 'threw'}`,
            thrown,
          );
        }
      }
      const pkg: RegisteredPackage = Object.freeze({
        packageId: p.id,
        name: p.info.name,
        info: p.info,
        lsa: p.lsa,
        user,
        lsaVersion: lsaInit.packageVersion,
        userVersion,
        source,
        lifecycle: { loaded: true },
      });
      this.#byName.set(pkg.name.toLowerCase(), pkg);
      this.#byId.set(pkg.packageId, pkg);
      registered.push(pkg);
    }
    return { packages: registered, refused };
  }

  /** Calls Shutdown on every package and forgets them all. */
  shutdown(): void {
    for (const pkg of this.list()) {
      safeShutdown(pkg.lsa);
      this.#forget(pkg);
    }
  }

  #forget(pkg: RegisteredPackage): void {
    pkg.lifecycle.loaded = false;
    this.#byName.delete(pkg.name.toLowerCase());
    this.#byId.delete(pkg.packageId);
  }

  #locate(pkg: RegisteredPackage | undefined): LocatedPackage | undefined {
    return pkg && { packageId: pkg.packageId, info: pkg.info, functionTable: pkg.lsa, userFunctionTable: pkg.user };
  }

  #helperTable(): LsaSecpkgFunctionTable {
    const env = this.#env;
    return Object.freeze({
      allocateLsaHeap: (length: number) => new Uint8Array(length),
      freeLsaHeap: (buffer: Uint8Array) => buffer.fill(0),
      clock: () => env.clock(),
      now: (): TimeStamp => timeStampFromMillis(env.clock()),
      randomBytes: (length: number) => env.randomBytes(length),
      locatePackage: (name: string) => this.#locate(this.get(name)),
      locatePackageById: (id: number) => this.#locate(this.getById(id)),
    });
  }

  #dllFunctions(): SecpkgDllFunctions {
    const callbacks = new Map<number, (argument: unknown) => number>();
    return Object.freeze({
      allocateHeap: (length: number) => new Uint8Array(length),
      freeHeap: (buffer: Uint8Array) => buffer.fill(0),
      registerCallback: (callbackId: number, callback: (argument: unknown) => number) => {
        callbacks.set(callbackId, callback);
        return SecStatus.SEC_E_OK;
      },
      locatePackageById: (id: number) => this.#locate(this.getById(id)),
    });
  }
}

function safeShutdown(table: SecpkgFunctionTable): void {
  try {
    table.shutdown?.();
  } catch {
    // A package that throws while shutting down is gone either way.
  }
}
