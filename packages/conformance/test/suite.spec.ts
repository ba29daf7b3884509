import { describe, expect, it } from 'vitest';
import { ALL_CHECKS, defineConformanceSuite } from '../src/index.js';
import type { TestFramework } from '../src/index.js';
import { brokenMock } from './fixtures/base.js';
import { BROKEN_FIXTURES } from './fixtures/broken.js';

const CLIENT = { authData: { user: 'alice', password: 'alice-password' } };
const CLIENT_CONFIG = { client: CLIENT };

// The way a package author uses it: a few lines in their own vitest file (here the conformant fixture base).
defineConformanceSuite({ module: brokenMock(), source: 'fixture base', client: CLIENT, test: { describe, it } });

/** A framework double that records what the suite defines and runs each body by hand. */
function recorder(): {
  framework: TestFramework;
  tests: { name: string; path: string[]; body: (c: { skip?: (n?: string) => void }) => Promise<void> }[];
} {
  const path: string[] = [];
  const tests: { name: string; path: string[]; body: (c: { skip?: (n?: string) => void }) => Promise<void> }[] = [];
  return {
    tests,
    framework: {
      describe: (name, body) => {
        path.push(name);
        body();
        path.pop();
      },
      it: (name, body) => {
        tests.push({ name, path: [...path], body });
      },
    },
  };
}

describe('defineConformanceSuite with a framework passed in', () => {
  it("reads the module's own sspkitConformance export, as the CLI does", async () => {
    const { framework, tests } = recorder();
    const module = { ...brokenMock(), sspkitConformance: async () => CLIENT_CONFIG };
    defineConformanceSuite({ module, test: framework, only: ['credentials.wrong-password'] });
    const notes: (string | undefined)[] = [];
    await tests[0]!.body({ skip: (n) => notes.push(n) });
    // Without the export there would be no password and the check would skip.
    expect(notes).toEqual([]);
  });

  it('defines one test per check, grouped by area, without touching any global', () => {
    const { framework, tests } = recorder();
    defineConformanceSuite({ module: brokenMock(), client: CLIENT, packageName: 'Mock', test: framework });
    expect(tests).toHaveLength(ALL_CHECKS.length);
    expect(tests[0]!.path).toEqual(['SSPI conformance: Mock', 'package-info']);
    expect(tests.map((t) => t.name.split(':')[0])).toEqual(ALL_CHECKS.map((c) => c.id));
  });

  it("throws the check's seen-vs-expected from a failing test and calls skip(note) for a gated one", async () => {
    const { framework, tests } = recorder();
    const f = BROKEN_FIXTURES.find((x) => x.name === 'ignores-replays')!;
    defineConformanceSuite({
      module: f.module(),
      client: CLIENT,
      test: framework,
      only: ['per-message.replay', 'handshake.complete-needed', 'handshake.completes'],
    });
    expect(tests).toHaveLength(3);
    const byId = (id: string) => tests.find((t) => t.name.startsWith(`${id}:`))!;
    await expect(byId('handshake.completes').body({})).resolves.toBeUndefined();
    await expect(byId('per-message.replay').body({})).rejects.toThrow(
      'per-message.replay failed at VerifySignature client→server (1) replayed: seen SEC_E_OK, expected SEC_E_OUT_OF_SEQUENCE',
    );
    const notes: (string | undefined)[] = [];
    await byId('handshake.complete-needed').body({ skip: (n) => notes.push(n) });
    expect(notes).toEqual(['the package never returned SEC_I_COMPLETE_NEEDED']);
  });
});
