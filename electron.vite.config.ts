import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'electron-vite';

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
    plugins: [vue()],
    build: { rolldownOptions: { input: 'renderer/index.html' } },
  },
});
