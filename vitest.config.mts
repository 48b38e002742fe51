import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Real training and real browsers take seconds, not milliseconds.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Two cores: one file at a time keeps training and Chromium from starving each other.
    fileParallelism: false,
    reporters: ['default'],
  },
});
