import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `npm run dev -w @ariadne/web` proxies the API to an all-in-one on the default port.
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true },
  server: { proxy: { '/api': 'http://localhost:16686' } },
});
