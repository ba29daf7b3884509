/**
 * `pnpm bench [filter]`: runs every packages/<name>/bench/*.bench.ts (and test/bench/*.bench.ts),
 * one process each, in sequence so they do not compete for the two cores. Each prints its own
 * figures. Benchmarks are never tests: nothing here asserts a time.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const filter = process.argv[2];
const dirs = [
  ...readdirSync(join(root, 'packages')).map((p) => join(root, 'packages', p, 'bench')),
  join(root, 'test', 'bench'),
];
const files = dirs
  .filter((d) => existsSync(d))
  .flatMap((d) =>
    readdirSync(d)
      .filter((f) => f.endsWith('.bench.ts'))
      .map((f) => join(d, f)),
  );
// The benchmarks drive the same Debian peers as the interop tests.
spawnSync('bash', [join(root, 'scripts', 'system-deps.sh')], { stdio: 'inherit' });
const tsx = createRequire(import.meta.url).resolve('tsx/cli');
let failed = 0;
for (const file of files.filter((f) => !filter || relative(root, f).includes(filter))) {
  process.stdout.write(`\n== ${relative(root, file)} (${new Date().toISOString()}, node ${process.version})\n`);
  const r = spawnSync(process.execPath, ['--expose-gc', tsx, file], { stdio: 'inherit', cwd: root });
  if (r.status !== 0) failed++;
}
process.exitCode = failed ? 1 : 0;
