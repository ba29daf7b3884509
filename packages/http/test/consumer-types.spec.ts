/**
 * express and fastify are optional peers of @sspkit/http (package.json peerDependenciesMeta): an
 * application that has neither must still typecheck against the published declarations with
 * `skipLibCheck: false`. The package's and core's .d.ts are emitted into a temp dir and installed
 * there as npm would (dist only), beside undici (a real dependency) and @types/node, with nothing
 * else resolvable; a consumer that imports every export is then compiled. Offline: no registry.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const root = join(import.meta.dirname, '../../..');
const tsc = join(root, 'node_modules/typescript/bin/tsc');
const tmp = realpathSync(mkdtempSync(join(tmpdir(), 'sspkit-http-consumer-')));

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const json = (file: string, value: unknown): void => writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);

/** `tsc -p dir`; the compiler's diagnostics on failure. */
async function compile(dir: string): Promise<string> {
  try {
    await exec(process.execPath, [tsc, '-p', dir], { maxBuffer: 8 * 1024 * 1024 });
    return '';
  } catch (e) {
    const out = e as { stdout?: string; stderr?: string };
    return `${out.stdout ?? ''}${out.stderr ?? ''}` || String(e);
  }
}

/** Emits the declarations of http and core (what `pnpm build` puts in dist) into `tmp/decl`. */
async function emitDeclarations(): Promise<string> {
  const dir = join(tmp, 'emit');
  mkdirSync(dir);
  json(join(dir, 'tsconfig.json'), {
    extends: join(root, 'tsconfig.base.json'),
    compilerOptions: {
      noEmit: false,
      declaration: true,
      emitDeclarationOnly: true,
      rootDir: join(root, 'packages'),
      outDir: join(tmp, 'decl'),
      typeRoots: [join(root, 'node_modules/@types')],
      // Core from its sources as a file of this program (through node_modules it would not be emitted).
      paths: { '@sspkit/core': [join(root, 'packages/core/src/index.ts')] },
    },
    files: [join(root, 'packages/http/src/index.ts')],
  });
  return compile(dir);
}

/** Installs `name` into the app as its tarball would: package.json with the published exports, dist. */
function install(app: string, name: string, from: string): void {
  const dir = join(app, 'node_modules/@sspkit', name);
  mkdirSync(dir, { recursive: true });
  cpSync(from, join(dir, 'dist'), { recursive: true });
  json(join(dir, 'package.json'), {
    name: `@sspkit/${name}`,
    version: '0.1.0',
    type: 'module',
    exports: { '.': { types: './dist/index.d.ts', import: './dist/index.js' } },
  });
}

describe('@sspkit/http declarations without the optional peers', () => {
  it('a consumer with neither express nor fastify typechecks with skipLibCheck false', async () => {
    expect(await emitDeclarations()).toBe('');
    const app = join(tmp, 'app');
    mkdirSync(join(app, 'node_modules/@types'), { recursive: true });
    install(app, 'http', join(tmp, 'decl/http/src'));
    install(app, 'core', join(tmp, 'decl/core/src'));
    symlinkSync(realpathSync(join(root, 'packages/http/node_modules/undici')), join(app, 'node_modules/undici'));
    symlinkSync(realpathSync(join(root, 'node_modules/@types/node')), join(app, 'node_modules/@types/node'));
    json(join(app, 'package.json'), { name: 'consumer', private: true, type: 'module' });
    json(join(app, 'tsconfig.json'), {
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        skipLibCheck: false,
        noEmit: true,
        types: ['node'],
      },
      files: ['main.ts'],
    });
    writeFileSync(
      join(app, 'main.ts'),
      [
        "import * as core from '@sspkit/core';",
        "import * as http from '@sspkit/http';",
        "import type { SspkitExpressRequest, SspkitRequestState } from '@sspkit/http';",
        'export const surface = { core, http };',
        'export const state = (req: SspkitExpressRequest): SspkitRequestState | undefined => req.sspkit;',
        '',
      ].join('\n'),
    );
    expect(await compile(app)).toBe('');
  }, 120_000);
});
