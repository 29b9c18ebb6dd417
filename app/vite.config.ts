/**
 * The WorkEscrow dapp: `npm run app` (dev server), `npm run app:build` (static files in app/dist),
 * `npm run app:preview` (serves app/dist). Every server binds 127.0.0.1 only.
 *
 * The page learns where the escrow is from `/workescrow.json` (app/deployment.ts): served fresh on
 * every request by the dev and preview servers (redeploy, reload), and written into the build.
 */
import { fileURLToPath } from "node:url";
import path from "node:path";
import { defineConfig, type Connect, type Plugin } from "vite";
import { readAppConfig } from "./deployment.js";

const appDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.join(appDir, "..");

/** Serves (dev, preview) and emits (build) `workescrow.json` from the environment or the deployment record. */
function workescrowConfig(): Plugin {
  const json = () => JSON.stringify(readAppConfig(repoRoot), null, 2) + "\n";
  const serve: Connect.NextHandleFunction = (req, res, next) => {
    if ((req.url ?? "").split("?")[0] !== "/workescrow.json") return next();
    try {
      res.setHeader("Content-Type", "application/json");
      res.setHeader("Cache-Control", "no-store");
      res.end(json());
    } catch (err) {
      res.statusCode = 500;
      res.end(JSON.stringify({ error: (err as Error).message }));
    }
  };
  return {
    name: "workescrow-config",
    configureServer: (server) => void server.middlewares.use(serve),
    configurePreviewServer: (server) => void server.middlewares.use(serve),
    generateBundle() {
      this.emitFile({ type: "asset", fileName: "workescrow.json", source: json() });
    },
  };
}

export default defineConfig({
  root: appDir,
  // Relative asset URLs: the build works from any path of any static host.
  base: "./",
  plugins: [workescrowConfig()],
  oxc: { jsx: { runtime: "automatic", importSource: "react" } },
  server: { host: "127.0.0.1", port: 5173 },
  preview: { host: "127.0.0.1", port: 4173 },
  build: { outDir: "dist", emptyOutDir: true, target: "es2022", chunkSizeWarningLimit: 1500 },
  clearScreen: false,
});
