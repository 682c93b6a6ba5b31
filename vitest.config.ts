import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Store tests create their own PostgreSQL schema per file, so files may run in parallel.
    pool: 'forks',
  },
});
