#!/usr/bin/env node
// Builds the package's dist/ — `npm run build:sdk`, and npm's `prepare` (git installs, `npm pack`,
// `npm publish`):
//   1. `hardhat build`: contracts, typechain-types/ and abi/ (scripts/package/abi-hook.ts);
//   2. dist/ from scratch: `tsc -p tsconfig.build.json` (the SDK, the viem entry, the `as const`
//      ABIs and the product contracts' typechain bindings, with declarations; no source maps).
//
// As `prepare` it must not break installs that cannot build:
//   - WORKESCROW_SKIP_PREPARE=1 (set by `npm run setup` for the project's own install, which builds
//     with `npm run build` / `npm test` anyway) skips it;
//   - without Hardhat and TypeScript installed (devDependencies omitted), an existing dist/ is kept
//     and a missing one is an error that says what to do.
// Plain Node, no dependencies.

import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { bin, root, run } from "../lib/run.mjs";

const asPrepare = process.argv.includes("--prepare");
const say = (m) => console.error(`build:sdk: ${m}`); // stderr: `npm pack --json` owns stdout

async function main() {
  if (asPrepare && process.env.WORKESCROW_SKIP_PREPARE === "1") {
    say("skipped (WORKESCROW_SKIP_PREPARE=1); `npm run build:sdk` builds dist/");
    return 0;
  }
  const tools = ["hardhat", "typescript", "solc"].every((p) =>
    existsSync(join(root, "node_modules", p, "package.json")),
  );
  if (!tools) {
    if (existsSync(join(root, "dist", "sdk", "index.js"))) {
      say("Hardhat/TypeScript not installed: keeping the existing dist/");
      return 0;
    }
    console.error(
      "build:sdk: cannot build dist/: Hardhat, TypeScript and solc (devDependencies) are not installed.\n" +
        "Install the package from its npm tarball (`npm pack`, then `npm install work-escrow-<version>.tgz`),\n" +
        "or install this repository's devDependencies first (`npm run setup`).",
    );
    return 1;
  }
  const major = Number(process.versions.node.split(".")[0]);
  if (major < 22) {
    console.error(
      `build:sdk: Hardhat 3 needs Node >= 22 to build the contracts (this is Node ${process.versions.node})`,
    );
    return 1;
  }
  say("hardhat build");
  let r = await run(bin("hardhat", "hardhat", ["build", "--no-tests"]));
  if (r.code !== 0) return r.code;
  rmSync(join(root, "dist"), { recursive: true, force: true });
  say("tsc -p tsconfig.build.json");
  r = await run(bin("typescript", "tsc", ["-p", "tsconfig.build.json"]));
  if (r.code !== 0) return r.code;
  say("dist/ ready");
  return 0;
}

process.exitCode = await main();
