import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: run files in parallel but not more than the machine can serve.
    maxWorkers: 2,
    globalSetup: ['test/support/global-setup.ts'],
  },
  esbuild: { jsx: 'automatic', jsxImportSource: 'hono/jsx' },
});
