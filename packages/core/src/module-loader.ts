/**
 * Finding and importing a package module the way a user names it: a file (`.ts` works under tsx), a
 * package directory (its package.json entry: `exports["."]`, then `main`), a directory of source
 * with an `index` file, or a package specifier resolved from the caller's directory.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SecurityPackageModule } from './tables.js';

/** Conditions tried, in order, when `exports["."]` is a conditions object (Node's ESM `import`). */
const CONDITIONS = ['import', 'node', 'default'] as const;
const INDEX_FILES = ['index.ts', 'index.mts', 'index.js', 'index.mjs'] as const;

/** The entry of an `exports` value for ".": a string, or the first matching condition, nested. */
function exportTarget(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    for (const v of value as unknown[]) {
      const t = exportTarget(v);
      if (t !== undefined) return t;
    }
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  for (const c of CONDITIONS) if (c in record) return exportTarget(record[c]);
  return undefined;
}

/** The file a package directory's package.json designates, or an explanation of why there is none. */
function packageEntry(dir: string): string {
  const manifest = join(dir, 'package.json');
  const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { exports?: unknown; main?: unknown };
  let target: string | undefined;
  if (pkg.exports !== undefined) {
    const exp = pkg.exports;
    const isMap =
      typeof exp === 'object' && exp !== null && !Array.isArray(exp) && Object.keys(exp).some((k) => k.startsWith('.'));
    target = exportTarget(isMap ? (exp as Record<string, unknown>)['.'] : exp);
    if (target === undefined) throw new Error(`${manifest}: exports has no "." entry for import`);
  } else if (typeof pkg.main === 'string') {
    target = pkg.main;
  } else {
    throw new Error(`${manifest} names no entry (neither exports["."] nor main)`);
  }
  const file = resolve(dir, target);
  if (!existsSync(file)) throw new Error(`${manifest} names ${target}, which does not exist (is the package built?)`);
  return file;
}

/**
 * The package directory of a bare specifier (a package name, no subpath), searched in node_modules
 * upwards from each base in turn.
 */
function packageDirOf(specifier: string, bases: readonly string[]): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/')) return undefined;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  if (name === undefined || name !== specifier) return undefined;
  for (const base of bases) {
    for (let dir = base; ; dir = dirname(dir)) {
      const candidate = join(dir, 'node_modules', name);
      if (existsSync(join(candidate, 'package.json'))) return candidate;
      if (dirname(dir) === dir) break;
    }
  }
  return undefined;
}

/** Where a bare specifier is looked for: the working directory, then the running program's own. */
function specifierBases(cwd: string): string[] {
  const program = process.argv[1];
  return program === undefined ? [cwd] : [cwd, dirname(resolve(program))];
}

/**
 * The URL to import for a module named by a user: a file path, a directory (package.json entry, or
 * an index file), or a bare package specifier (its package directory under node_modules, looked for
 * from `cwd`, then from the running program's directory, so `sspkit conformance @sspkit/ntlm` finds
 * the packages the CLI itself depends on).
 * Anything else is returned unchanged for `import()` to resolve or refuse.
 */
export function resolveModuleSpecifier(pathOrSpecifier: string, cwd: string = process.cwd()): string {
  const file = resolve(cwd, pathOrSpecifier);
  if (existsSync(file)) {
    if (!statSync(file).isDirectory()) return pathToFileURL(file).href;
    if (existsSync(join(file, 'package.json'))) return pathToFileURL(packageEntry(file)).href;
    const index = INDEX_FILES.map((f) => join(file, f)).find((f) => existsSync(f));
    if (index === undefined) {
      throw new Error(`${pathOrSpecifier} is a directory with neither a package.json nor an index file`);
    }
    return pathToFileURL(index).href;
  }
  const dir = packageDirOf(pathOrSpecifier, specifierBases(cwd));
  return dir === undefined ? pathOrSpecifier : pathToFileURL(packageEntry(dir)).href;
}

/** A loaded module namespace and the registry entry points found in it. */
export interface LoadedPackageModule {
  readonly module: SecurityPackageModule;
  readonly namespace: Readonly<Record<string, unknown>>;
}

/**
 * Imports a package module ({@link resolveModuleSpecifier}) and picks its `spLsaModeInitialize` and
 * `spUserModeInitialize` named exports (or those of its default export).
 */
export async function importPackageModule(
  pathOrSpecifier: string,
  cwd: string = process.cwd(),
): Promise<LoadedPackageModule> {
  const namespace = (await import(resolveModuleSpecifier(pathOrSpecifier, cwd))) as Record<string, unknown>;
  const fallback = namespace['default'];
  const source =
    typeof namespace['spLsaModeInitialize'] === 'function' || typeof fallback !== 'object' || fallback === null
      ? namespace
      : (fallback as Record<string, unknown>);
  const lsa = source['spLsaModeInitialize'];
  const user = source['spUserModeInitialize'];
  if (typeof lsa !== 'function') throw new Error(`${pathOrSpecifier} does not export spLsaModeInitialize`);
  const module: SecurityPackageModule = { spLsaModeInitialize: lsa as SecurityPackageModule['spLsaModeInitialize'] };
  if (typeof user === 'function') {
    module.spUserModeInitialize = user as NonNullable<SecurityPackageModule['spUserModeInitialize']>;
  }
  return { module, namespace };
}
