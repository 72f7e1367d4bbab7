import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// `npm run dev -w @taskstream/web` serves the UI with hot reload and forwards the API and the
// live channel to a running server (npm start), so cookies stay same-origin.
const api = process.env.TASKSTREAM_API ?? 'http://localhost:8080';

export default defineConfig({
  plugins: [react()],
  resolve: { conditions: ['development'] },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 600 },
  server: {
    proxy: {
      '/api': { target: api, changeOrigin: false },
      '/ws': { target: api, ws: true },
    },
  },
});
