/// <reference types="vitest/config" />
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The built app is committed inside the Python package (see docs/architecture.md, "How the web
// app reaches the package"), so `pip install .` serves it with no Node.js on the machine.
// .ci/run rebuilds it and fails if the result differs from what is committed.
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: "../src/project/entrypoints/http/webapp",
    emptyOutDir: true,
    // Hashed names under assets/ are served with immutable caching; index.html never is.
    assetsDir: "assets",
    sourcemap: false,
    target: "es2022",
  },
  server: {
    // `npm run dev` talks to a local `project serve` on the same origin through this proxy.
    proxy: {
      "/api": { target: "http://127.0.0.1:8000", changeOrigin: true },
      "/blobs": { target: "http://127.0.0.1:8000", changeOrigin: true },
    },
  },
  test: {
    environment: "jsdom",
    globals: true,
    setupFiles: ["./src/test/setup.ts"],
    css: false,
  },
});
