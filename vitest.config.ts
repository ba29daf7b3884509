import { defineConfig } from 'vitest/config';

// Unit tests live beside each package (packages/*/test/**/*.spec.ts); interop and end-to-end tests
// under test/ (*.int.spec.ts start real peers). Each example under examples/ is a third-party-style
// project with its own vitest config, run here as its own project.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'sspkit',
          include: ['packages/*/test/**/*.spec.ts', 'test/**/*.spec.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          pool: 'forks',
        },
      },
      'examples/*',
    ],
  },
});
