import { SspiDispatcher } from './dispatcher.js';
import type { DispatcherOptions } from './dispatcher-types.js';
import { Registry } from './registry.js';
import type { RegistryOptions } from './registry.js';
import type { SecurityPackageModule } from './tables.js';

export interface CreateSspiOptions extends RegistryOptions, DispatcherOptions {
  /** Package modules to load, in order. */
  modules?: readonly (SecurityPackageModule | { readonly module: SecurityPackageModule; readonly source: string })[];
}

/** Builds a registry, loads the given modules into it, and returns a dispatcher over it. */
export async function createSspi(options: CreateSspiOptions = {}): Promise<SspiDispatcher> {
  const registry = new Registry(options);
  for (const m of options.modules ?? []) {
    if ('spLsaModeInitialize' in m) await registry.load(m);
    else await registry.load(m.module, m.source);
  }
  return new SspiDispatcher(registry, options);
}
