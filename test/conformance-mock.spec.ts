/**
 * The conformance suite against the real Mock package (its default instance, as `sspkit conformance
 * @sspkit/provider-mock` loads it), the way a package author runs it in their own vitest.
 */
import { describe, expect, it } from 'vitest';
import * as mock from '@sspkit/provider-mock';
import { defineConformanceSuite, runConformance } from '@sspkit/conformance';

const module = { spLsaModeInitialize: mock.spLsaModeInitialize, spUserModeInitialize: mock.spUserModeInitialize };

defineConformanceSuite({
  module,
  source: '@sspkit/provider-mock',
  client: mock.sspkitConformance.client,
  test: { describe, it },
});

describe('Mock conformance report', () => {
  it('has no failing check', async () => {
    const report = await runConformance({
      module,
      source: '@sspkit/provider-mock',
      client: mock.sspkitConformance.client,
    });
    expect(report.checks.filter((c) => c.outcome === 'fail').map((c) => [c.id, c.step, c.seen])).toEqual([]);
  });
});
