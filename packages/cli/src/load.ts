import { Registry, SspiDispatcher, importPackageModule } from '@sspkit/core';
import type { SecurityPackageModule } from '@sspkit/core';
import { catalog } from './catalog.js';
import { useLabEnvironment } from './lab-pointer.js';
import type { CatalogEntry } from './catalog.js';

/** The dispatcher the CLI works with: the catalog's packages plus any --module given. */
export interface LoadedSspi {
  readonly sspi: SspiDispatcher;
  readonly entries: readonly CatalogEntry[];
  /** Packages the catalog could not offer on this machine, with the reason. */
  readonly unavailable: readonly { readonly name: string; readonly reason: string }[];
}

/**
 * Imports a package module from a file (TypeScript works: the CLI runs under tsx), a package
 * directory (its package.json entry) or a package specifier.
 */
export async function importModule(path: string): Promise<SecurityPackageModule> {
  return (await importPackageModule(path)).module;
}

export async function loadSspi(modulePaths: readonly string[] = [], labDir?: string): Promise<LoadedSspi> {
  // Before any GSSAPI call: point MIT krb5 at the lab, when one is running.
  useLabEnvironment(labDir);
  const registry = new Registry();
  const unavailable: { name: string; reason: string }[] = [];
  const entries = catalog();
  for (const entry of entries) {
    try {
      const module = await entry.load();
      if (module) await registry.load(module, entry.name);
      else unavailable.push({ name: entry.name, reason: 'not available on this machine' });
    } catch (e) {
      unavailable.push({ name: entry.name, reason: e instanceof Error ? e.message : String(e) });
    }
  }
  for (const path of modulePaths) await registry.load(await importModule(path), path);
  return { sspi: new SspiDispatcher(registry), entries, unavailable };
}
