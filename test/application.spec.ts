/**
 * The application path of the root README ("Use it in your application"), run from source: the
 * files under test/app are the README's code blocks, byte for byte, and they run here under tsx.
 * test/packaging.int.spec.ts runs the same files compiled against the packed, npm-installed packages.
 */
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { resolveDispatcher } from '@sspkit/container';
import { InMemoryAccountStore } from '@sspkit/ntlm';
import { productionContainer } from './app/composition.js';

const root = join(import.meta.dirname, '..');
const tsx = createRequire(import.meta.url).resolve('tsx/cli');
const run = promisify(execFile);

/** The README's `ts`/`jsonc` blocks whose first line names a file: path → code without that line. */
function readmeFiles(readme: string): Map<string, string> {
  const files = new Map<string, string>();
  const blocks = readme.matchAll(/```(?:ts|jsonc)\n\/\/ (test\/app\/[\w.-]+)\n([\s\S]*?)```/g);
  for (const m of blocks) files.set(m[1]!, m[2]!);
  return files;
}

describe('the application path (README, test/app)', () => {
  it('the README shows every file of test/app, exactly', () => {
    const shown = readmeFiles(readFileSync(join(root, 'README.md'), 'utf8'));
    const files = readdirSync(join(root, 'test/app'))
      .filter((f) => /\.(ts|json)$/.test(f))
      .map((f) => `test/app/${f}`);
    expect([...shown.keys()].sort()).toEqual(files.sort());
    for (const f of files) {
      // After editing (or formatting) a file of test/app, copy it into its README block.
      expect(shown.get(f), `README.md's block for ${f}`).toBe(readFileSync(join(root, f), 'utf8'));
    }
  });

  it('production authenticates against the account store and denies a wrong password', async () => {
    const { stdout } = await run(process.execPath, [tsx, 'test/app/main.ts'], { cwd: root });
    expect(JSON.parse(stdout)).toEqual({
      alice: { kind: 'authenticated', user: 'EXAMPLE\\alice' },
      intruder: { kind: 'denied', reason: 'SEC_E_LOGON_DENIED' },
    });
  });

  it("the application's node:test file swaps NTLM for the Mock and passes", async () => {
    const { stdout } = await run(process.execPath, [tsx, '--test', 'test/app/login.test.ts'], { cwd: root });
    expect(stdout).toMatch(/^# pass 3$/m);
    expect(stdout).toMatch(/^# fail 0$/m);
  });

  it('the programmatic conformance run of the bound NTLM package conforms', async () => {
    const { stdout } = await run(process.execPath, [tsx, 'test/app/conformance.ts'], { cwd: root });
    expect(JSON.parse(stdout)).toMatchObject({ package: 'NTLM', ok: true, failed: [] });
  });

  it('without the swap the container runs the real NTLM package', async () => {
    const sspi = await resolveDispatcher(productionContainer({ accounts: new InMemoryAccountStore() }));
    expect(sspi.querySecurityPackageInfo('NTLM').packageInfo?.comment).not.toMatch(/sspkit deterministic test package/);
  });
});
