import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
        },
      },
      {
        test: {
          // The strict stand-ins of the providers' APIs, on loopback: no Temporal, no database.
          name: 'contract',
          include: ['test/contract/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/setup/global-setup.ts'],
          testTimeout: 90_000,
          expect: { poll: { timeout: 15_000, interval: 100 } },
          hookTimeout: 180_000,
          pool: 'forks',
          maxWorkers: 2,
          // Vitest refuses to run projects with different maxWorkers in the same group: unit first, then this.
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
