import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// The dev server proxies the API to a local `make run` (same origin, so
// no CORS and the same CSP as production).
const api = process.env.CHAINSTORE_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: { '/api': api },
  },
  build: {
    target: 'es2022',
    // The budget that matters is the first load in gzip, which
    // scripts/bundle-size.mjs prints and enforces after every build.
    chunkSizeWarningLimit: 1500,
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test/setup.ts'],
    css: false,
    // One jsdom per worker, not per file: building the environment, the setup file and antd's
    // imports again for each of the files cost more than the tests themselves. setup.ts resets
    // what tests share (DOM, storage) after each test.
    isolate: false,
    // antd forms in jsdom are slow on a 2-core machine.
    testTimeout: 60_000,
  },
});
