import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { CONTENT_SECURITY_POLICY } from './electron/csp';

/** Writes the policy into the built page (the dev server's hot reload needs a looser one). */
function contentSecurityPolicy(): Plugin {
  return {
    name: 'countdeck-csp',
    apply: 'build',
    transformIndexHtml: () => [
      { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY }, injectTo: 'head' },
    ],
  };
}

export default defineConfig({
  main: {
    build: { lib: { entry: 'electron/main.ts' } },
  },
  preload: {
    // A sandboxed preload must be a single CommonJS file.
    build: { lib: { entry: 'electron/preload.ts', formats: ['cjs'] } },
  },
  renderer: {
    root: 'renderer',
    plugins: [vue(), contentSecurityPolicy()],
    build: { rolldownOptions: { input: 'renderer/index.html' } },
  },
});
