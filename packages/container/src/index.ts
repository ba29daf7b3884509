/**
 * @sspkit/container — the composition root. The only package that imports inversify and
 * reflect-metadata: core and the packages stay free of decorators and containers.
 *
 * Bindings (decorator-free, `toResolvedValue`):
 *   SSPKIT.Environment → SecurityEnvironment (clock, random source)
 *   SSPKIT.Packages    → readonly PackageBinding[] (the package modules to load, in order)
 *   SSPKIT.Registry    → Registry, loaded with every package (singleton, async: use getAsync)
 *   SSPKIT.DispatcherOptions → DispatcherOptions (onPackageFault …) the dispatcher is built with
 *   SSPKIT.Dispatcher  → SspiDispatcher over that registry (singleton, async: use getAsync)
 *   SSPKIT.ReplayStore, SSPKIT.NonceCountStore → the shared-state stores (in memory; `bindRedisStores`
 *   puts them on Redis, see stores.ts)
 */
import 'reflect-metadata';
import { Container, ContainerModule } from 'inversify';
import { Registry, SspiDispatcher, systemEnvironment } from '@sspkit/core';
import type { DispatcherOptions, SecurityEnvironment, SecurityPackageModule } from '@sspkit/core';
import { MockPackage } from '@sspkit/provider-mock';
import type { MockPackageOptions } from '@sspkit/provider-mock';
import { STORES, memoryStoresModule } from './stores.js';

export { bindRedisStores, memoryStoresModule } from './stores.js';
export type { RedisStoreOptions } from './stores.js';

/** Service identifiers; `Symbol.for` so two installed copies agree. */
export const SSPKIT = {
  Environment: Symbol.for('sspkit.Environment'),
  Packages: Symbol.for('sspkit.Packages'),
  Registry: Symbol.for('sspkit.Registry'),
  DispatcherOptions: Symbol.for('sspkit.DispatcherOptions'),
  Dispatcher: Symbol.for('sspkit.Dispatcher'),
  /** Whether the registry was resolved (packages can no longer be swapped). */
  State: Symbol.for('sspkit.ContainerState'),
  ...STORES,
} as const;

interface ContainerState {
  resolved: boolean;
}

/** A package module to load, with the name of the package it provides (for swapping). */
export interface PackageBinding {
  readonly name: string;
  readonly module: SecurityPackageModule;
  readonly source?: string;
}

export interface SspkitModuleOptions {
  packages: readonly PackageBinding[];
  environment?: SecurityEnvironment;
  /** The dispatcher's options, e.g. `onPackageFault` to log or count a package's faults. */
  dispatcher?: DispatcherOptions;
}

/** The bindings of sspkit as one ContainerModule. */
export function sspkitModule(options: SspkitModuleOptions): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<ContainerState>(SSPKIT.State).toConstantValue({ resolved: false });
    bind<SecurityEnvironment>(SSPKIT.Environment).toConstantValue(options.environment ?? systemEnvironment);
    bind<readonly PackageBinding[]>(SSPKIT.Packages).toConstantValue([...options.packages]);
    bind<Registry>(SSPKIT.Registry)
      .toResolvedValue(
        async (environment: SecurityEnvironment, packages: readonly PackageBinding[], state: ContainerState) => {
          state.resolved = true;
          const registry = new Registry({ environment });
          for (const p of packages) await registry.load(p.module, p.source ?? p.name);
          return registry;
        },
        [SSPKIT.Environment, SSPKIT.Packages, SSPKIT.State],
      )
      .inSingletonScope();
    bind<DispatcherOptions>(SSPKIT.DispatcherOptions).toConstantValue({ ...options.dispatcher });
    bind<SspiDispatcher>(SSPKIT.Dispatcher)
      .toResolvedValue(
        (registry: Registry, dispatcherOptions: DispatcherOptions) => new SspiDispatcher(registry, dispatcherOptions),
        [SSPKIT.Registry, SSPKIT.DispatcherOptions],
      )
      .inSingletonScope();
  });
}

/** A container with the sspkit bindings loaded. */
export function createSspkitContainer(options: SspkitModuleOptions): Container {
  const container = new Container();
  container.load(sspkitModule(options), memoryStoresModule());
  return container;
}

/** Resolves the dispatcher (the registry loads its packages on first resolution). */
export function resolveDispatcher(container: Container): Promise<SspiDispatcher> {
  return container.getAsync<SspiDispatcher>(SSPKIT.Dispatcher);
}

/**
 * Sets the dispatcher's options (`onPackageFault` …) of a container someone else composed — a test
 * observing the faults of the packages it swapped in — before anything was resolved.
 */
export function setDispatcherOptions(container: Container, options: DispatcherOptions): void {
  if (container.get<ContainerState>(SSPKIT.State).resolved) {
    throw new Error(
      'setDispatcherOptions: the registry was already resolved; set options before the first resolveDispatcher()',
    );
  }
  container.rebind<DispatcherOptions>(SSPKIT.DispatcherOptions).toConstantValue({ ...options });
}

/**
 * Replaces the package named `name` with another module, before anything was resolved.
 * This is how a test swaps a real package for a double; the application code is untouched.
 */
export function replacePackage(container: Container, name: string, replacement: PackageBinding): void {
  if (container.get<ContainerState>(SSPKIT.State).resolved)
    throw new Error(
      'replacePackage: the registry was already resolved; swap packages before the first resolveDispatcher()',
    );
  const current = container.get<readonly PackageBinding[]>(SSPKIT.Packages);
  const key = name.toLowerCase();
  if (!current.some((p) => p.name.toLowerCase() === key))
    throw new Error(`replacePackage: no package named "${name}" is bound`);
  container
    .rebind<readonly PackageBinding[]>(SSPKIT.Packages)
    .toConstantValue(current.map((p) => (p.name.toLowerCase() === key ? replacement : p)));
}

/**
 * Swaps the package named `name` for a Mock package registered under the same name, so the
 * application's `acquireCredentialsHandle({ package: name })` reaches the Mock. Returns the Mock,
 * for scripting and for assertions on its call log.
 */
export function swapForMock(
  container: Container,
  name: string,
  options: Omit<MockPackageOptions, 'name'> = {},
): MockPackage {
  const mock = new MockPackage({ ...options, name });
  replacePackage(container, name, { name, module: mock.module, source: `mock for ${name}` });
  return mock;
}
