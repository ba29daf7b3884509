import { defineConfig } from 'vitest/config';

export default defineConfig({ test: { name: 'example-scram', include: ['test/**/*.spec.ts'] } });
