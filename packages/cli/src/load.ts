import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Registry, SspiDispatcher } from '@sspkit/core';
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

/** Imports a package module from a path (TypeScript works: the CLI runs under tsx). */
export async function importModule(path: string): Promise<SecurityPackageModule> {
  const mod = (await import(pathToFileURL(resolve(path)).href)) as Partial<SecurityPackageModule> & { default?: Partial<SecurityPackageModule> };
  const m = typeof mod.spLsaModeInitialize === 'function' ? mod : mod.default;
  if (!m || typeof m.spLsaModeInitialize !== 'function') throw new Error(`${path} does not export spLsaModeInitialize`);
  return m as SecurityPackageModule;
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
