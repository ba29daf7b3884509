/**
 * CI's share of `pnpm fuzz`: every target with a small budget (the recorded million-input runs are in
 * test/fuzz/README.md). FUZZ_SEED and FUZZ_RUNS change the seed and the budget.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runTarget } from './fuzz/run.js';
import { Rng, mutate } from './fuzz/mutate.js';
import { TARGETS } from './fuzz/targets/index.js';
import type { FuzzTarget } from './fuzz/target.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261203);
const RUNS = Number(process.env.FUZZ_RUNS ?? 2500);

describe(`fuzz targets, ${RUNS} inputs each (seed ${SEED})`, () => {
  for (const target of TARGETS)
    it(target.name, async () => {
      const r = await runTarget(target, { runs: RUNS, seed: SEED });
      expect(r.findings).toEqual([]);
      expect(r.runs).toBe(RUNS);
    });
});

/** A parser with a planted out-of-bounds read: what the engine exists to find. */
const planted: FuzzTarget = {
  name: 'planted',
  description: 'a length-prefixed record whose reader trusts the length',
  corpus: () => [Uint8Array.from([4, 0, 1, 2, 3, 4])],
  arbitrary: fc.uint8Array({ maxLength: 8 }),
  prepare: () =>
    Promise.resolve((c) => {
      const len = c.data[0] ?? 0;
      for (let i = 1; i <= len; i++) if (c.data[i + 1] === undefined) throw new RangeError('read past the end');
    }),
};

describe('the fuzz engine', () => {
  it('finds a planted out-of-bounds read and records the input', async () => {
    const r = await runTarget(planted, { runs: 2000, seed: SEED });
    expect(r.findings.length).toBeGreaterThan(0);
    expect(r.findings[0]).toMatchObject({ kind: 'exception', message: 'RangeError: read past the end' });
  });
  it('is deterministic for a seed', () => {
    const base = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
    const run = (seed: number) => {
      const rng = new Rng(seed);
      return Array.from({ length: 50 }, () => Buffer.from(mutate(base, rng, [base])).toString('hex'));
    };
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
  });
});
