/** A package module named the way users name it: a file, a package directory, a source directory. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { importPackageModule, resolveModuleSpecifier } from '@sspkit/core';

const root = mkdtempSync(join(tmpdir(), 'sspkit-loader-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const entry = `export const spLsaModeInitialize = () => ({ status: 0, packageVersion: 0x10000, tables: [] });
export const spUserModeInitialize = () => ({ status: 0, packageVersion: 0x10000, tables: [] });
export const marker = 'loaded';
`;
function pkg(name: string, manifest: object | undefined, files: Record<string, string>): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'dist'), { recursive: true });
  if (manifest !== undefined) writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest));
  for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text);
  return dir;
}
const url = (dir: string, file: string): string => pathToFileURL(join(dir, file)).href;

describe('resolveModuleSpecifier', () => {
  it('a file is itself', () => {
    const dir = pkg('file', undefined, { 'm.mjs': entry });
    expect(resolveModuleSpecifier('m.mjs', dir)).toBe(url(dir, 'm.mjs'));
  });

  it('a package directory: exports["."] (string, then import/node/default conditions), then main', () => {
    const s = pkg(
      's',
      { exports: { '.': './dist/a.mjs' }, main: './dist/b.mjs' },
      { 'dist/a.mjs': entry, 'dist/b.mjs': entry },
    );
    expect(resolveModuleSpecifier(s)).toBe(url(s, 'dist/a.mjs'));
    const c = pkg(
      'c',
      { exports: { '.': { types: './dist/a.d.ts', import: './dist/a.mjs', require: './dist/a.cjs' } } },
      { 'dist/a.mjs': entry },
    );
    expect(resolveModuleSpecifier(c)).toBe(url(c, 'dist/a.mjs'));
    const sugar = pkg('sugar', { exports: { default: './dist/a.mjs' } }, { 'dist/a.mjs': entry });
    expect(resolveModuleSpecifier(sugar)).toBe(url(sugar, 'dist/a.mjs'));
    const main = pkg('main', { main: './dist/b.mjs' }, { 'dist/b.mjs': entry });
    expect(resolveModuleSpecifier(main)).toBe(url(main, 'dist/b.mjs'));
  });

  it('says why a directory names no loadable entry', () => {
    expect(() => resolveModuleSpecifier(pkg('none', { name: 'x' }, {}))).toThrow(/neither exports\["\."\] nor main/);
    expect(() => resolveModuleSpecifier(pkg('unbuilt', { main: './dist/gone.mjs' }, {}))).toThrow(/does not exist/);
    expect(() => resolveModuleSpecifier(pkg('empty', undefined, {}))).toThrow(/neither a package.json nor an index/);
  });

  it('a source directory without package.json: its index file', () => {
    const dir = pkg('src', undefined, { 'index.mjs': entry });
    expect(resolveModuleSpecifier(dir)).toBe(url(dir, 'index.mjs'));
  });

  it('a bare package name: its directory under node_modules, from the working directory up', () => {
    const app = pkg('app', { name: 'app' }, {});
    const dep = join(app, 'node_modules', '@acme', 'ssp');
    mkdirSync(join(dep, 'dist'), { recursive: true });
    writeFileSync(join(dep, 'package.json'), JSON.stringify({ exports: './dist/i.mjs' }));
    writeFileSync(join(dep, 'dist/i.mjs'), entry);
    mkdirSync(join(app, 'sub'));
    expect(resolveModuleSpecifier('@acme/ssp', join(app, 'sub'))).toBe(url(dep, 'dist/i.mjs'));
  });
});

describe('importPackageModule', () => {
  it('imports a package directory and finds both initialisers', async () => {
    const dir = pkg('full', { exports: { '.': { import: './dist/a.mjs' } } }, { 'dist/a.mjs': entry });
    const loaded = await importPackageModule(dir);
    expect(typeof loaded.module.spLsaModeInitialize).toBe('function');
    expect(typeof loaded.module.spUserModeInitialize).toBe('function');
    expect(loaded.namespace['marker']).toBe('loaded');
  });

  it('refuses a module without spLsaModeInitialize', async () => {
    const dir = pkg('bare', { main: './dist/a.mjs' }, { 'dist/a.mjs': 'export const x = 1;\n' });
    await expect(importPackageModule(dir)).rejects.toThrow(/does not export spLsaModeInitialize/);
  });
});
