// Bundles the server and CLI into dist/ with esbuild (already installed with tsx), so
// `npm start` runs plain JavaScript: faster start-up and ~40 MB less memory than
// compiling TypeScript at run time. Dependencies stay external (node_modules).
import { build } from 'esbuild';
import { cpSync, rmSync } from 'node:fs';

const started = performance.now();
rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: ['src/server.ts', 'src/cli.ts'],
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  // Separate chunks, so the server can load the app while the database opens (see server.ts).
  splitting: true,
  target: 'node20',
  packages: 'external',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  sourcemap: true,
  logLevel: 'warning',
});
// Files read at run time, next to the bundle as they are next to the sources.
cpSync('src/db/migrations', 'dist/migrations', { recursive: true });
cpSync('src/http/assets', 'dist/assets', { recursive: true });
console.log(`built dist/ in ${Math.round(performance.now() - started)} ms`);
