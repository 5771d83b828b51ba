import { fileURLToPath } from 'node:url';
import { build, defineConfig, type Plugin } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** Replaces the page's script and stylesheet references with the code itself: one self-contained file. */
function inlineIntoHtml(): Plugin {
  return {
    name: 'accord-inline-into-html',
    enforce: 'post',
    generateBundle(_options, bundle) {
      for (const page of Object.values(bundle)) {
        if (page.type !== 'asset' || !page.fileName.endsWith('.html')) continue;
        let html = String(page.source);
        for (const [name, file] of Object.entries(bundle)) {
          if (file.type === 'chunk') {
            const tag = new RegExp(`<script type="module"[^>]*src="[^"]*${escapeRegExp(file.fileName)}"[^>]*></script>`);
            if (!tag.test(html)) throw new Error(`verify.html: no script tag for ${file.fileName}`);
            html = html.replace(tag, () => `<script type="module">${file.code.replace(/<\/(script)/gi, '<\\/$1')}</script>`);
            delete bundle[name];
          } else if (file.fileName.endsWith('.css')) {
            const tag = new RegExp(`<link rel="stylesheet"[^>]*href="[^"]*${escapeRegExp(file.fileName)}"[^>]*>`);
            html = html.replace(tag, () => `<style>${String(file.source)}</style>`);
            delete bundle[name];
          }
        }
        page.source = html;
      }
    },
  };
}

/**
 * Dynamic imports inlined into one file (the verifier's six languages) keep
 * Vite's preload marker, which nothing then fills in; a one-file page
 * preloads nothing, so the marker is "no dependencies".
 */
function inlinedDynamicImports(): Plugin {
  return {
    name: 'accord-inlined-dynamic-imports',
    renderChunk: (code) => (code.includes('__VITE_PRELOAD__') ? code.replaceAll('__VITE_PRELOAD__', 'void 0') : null),
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The offline verifiers, built after the client: dist/client/verify.html, one
 * file with its code inlined, so it opens from a meeting package with no
 * network, and dist/client/accord-verify.mjs, `accord verify` as one file for
 * Node.js. The server serves both and puts both in every meeting package.
 */
function offlineVerifier(): Plugin {
  return {
    name: 'accord-offline-verifier',
    apply: 'build',
    async closeBundle() {
      await build({
        configFile: false,
        root: here('./client/verify'),
        logLevel: 'warn',
        plugins: [inlinedDynamicImports(), inlineIntoHtml()],
        build: {
          outDir: here('./dist/client'),
          emptyOutDir: false,
          sourcemap: false,
          modulePreload: false,
          cssCodeSplit: false,
          assetsInlineLimit: () => true,
          rolldownOptions: { input: here('./client/verify/verify.html'), output: { codeSplitting: false } },
        },
      });
      // The same check for the command line, one dependency-free file for Node.js.
      await build({
        configFile: false,
        logLevel: 'warn',
        ssr: { noExternal: true, target: 'node' },
        build: {
          ssr: here('./cli/verify-standalone.ts'),
          outDir: here('./dist/client'),
          emptyOutDir: false,
          sourcemap: false,
          target: 'node20',
          rolldownOptions: { output: { entryFileNames: 'accord-verify.mjs', codeSplitting: false } },
        },
      });
    },
  };
}

// The web client: built into dist/client and served by the Express server. Two entries: the app
// (index.html) and the public endorsement page's script (endorse/main.ts, which the server's page
// loads by the hashed name the manifest gives, dist/client/.vite/manifest.json). Each interface
// language is a chunk of its own, fetched when chosen.
export default defineConfig({
  root: 'client',
  plugins: [offlineVerifier()],
  // The editor is one chunk of about 515 KB (162 KB gzipped: ProseMirror, Yjs, the panels); the
  // limit says so, so `npm start` prints no warning a new user cannot act on.
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 800,
    manifest: true,
    rolldownOptions: { input: { index: here('./client/index.html'), endorse: here('./client/endorse/main.ts') } },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:4000', '/collab': { target: 'ws://127.0.0.1:4000', ws: true } } },
});
