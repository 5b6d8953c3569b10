import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

export default defineConfig({
  plugins: [
    // The service worker (src/service-worker/sw.ts) with the build's files as its precache list;
    // main.tsx registers it, and the app has no web manifest (it is not installed as an app).
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src/service-worker',
      filename: 'sw.ts',
      injectRegister: false,
      manifest: false,
      injectManifest: { globPatterns: ['**/*.{js,css,html,svg,png,ico,woff2}'], rollupFormat: 'iife' },
    }),
  ],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rollupOptions: {
      onwarn(warning, warn) {
        // react-router marks its modules "use client" for React Server Components; a plain browser
        // bundle has no use for the directive, and Rollup's note about dropping it is noise.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE' && warning.message.includes('"use client"')) return;
        warn(warning);
      },
    },
  },
  // `vite` in client/ serves the app with live reload against a Tessera server on :8000.
  server: {
    proxy: {
      '/api': 'http://localhost:8000',
      '/images/image': 'http://localhost:8000',
      '/collab': { target: 'ws://localhost:8000', ws: true },
    },
  },
});
