// The one test configuration every package shares.
// - Workspace packages resolve to their TypeScript sources, so a test never runs against a stale dist.
// - Each run writes test-results.json (vitest's own counts), which .ci/run adds up so that a run that
//   executed no test cannot pass unnoticed.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const packagesDirectory = fileURLToPath(new URL('./packages/', import.meta.url));

export const vitestBase = defineConfig({
  resolve: {
    alias: [
      { find: /^@strictmail\/([a-z-]+)$/, replacement: `${packagesDirectory}$1/src/index.ts` },
      { find: /^@strictmail\/([a-z-]+)\/([a-z-]+)$/, replacement: `${packagesDirectory}$1/src/$2.ts` },
    ],
  },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results.json' },
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
