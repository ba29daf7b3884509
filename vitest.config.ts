import { defineConfig } from 'vitest/config';

// Unit tests live beside each package (packages/*/test/**/*.spec.ts); interop and end-to-end tests
// under test/ (*.int.spec.ts start real peers). Both kinds run in one `vitest run`.
export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.spec.ts', 'test/**/*.spec.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
