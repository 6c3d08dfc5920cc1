/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The window is WebKitGTK (Safari 15-level features); the dev server port is fixed because
// src-tauri/tauri.conf.json points at it.
export default defineConfig({
  plugins: [svelte()],
  base: './',
  clearScreen: false,
  server: { port: 1420, strictPort: true, host: '127.0.0.1' },
  build: { target: ['es2021', 'safari15'], outDir: 'dist', emptyOutDir: true, sourcemap: false },
  test: {
    // `make bench` runs the benchmarks in bench/; `npm test` never does.
    include: process.env.KEYWARD_BENCH ? ['bench/**/*.test.ts'] : ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
  resolve: process.env.VITEST ? { conditions: ['browser'] } : undefined,
});
