import { defineConfig } from 'vite';

// The web client: built into dist/client and served by the Express server.
export default defineConfig({
  root: 'client',
  build: { outDir: '../dist/client', emptyOutDir: true, sourcemap: false },
  server: { proxy: { '/api': 'http://127.0.0.1:4000', '/collab': { target: 'ws://127.0.0.1:4000', ws: true } } },
});
