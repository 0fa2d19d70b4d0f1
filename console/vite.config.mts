import { defineConfig } from 'vite';

// The operators' console: static files served under /console/ (by the local gateway, or CloudFront from S3).
// Built with `vite build console` (this folder is the root): `npm run console:build`.
export default defineConfig({
  base: '/console/',
  // Preact's automatic JSX runtime, compiled by Vite's own transformer (no Babel, no plugin).
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // One small entry chunk and its CSS; nothing inlined as data: URLs that the CSP would have to allow.
    assetsInlineLimit: 0,
    reportCompressedSize: true,
  },
  logLevel: 'warn',
});
