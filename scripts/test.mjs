#!/usr/bin/env node
// `npm test`: the static checks, then every Hardhat test (mocha + Solidity fuzz/invariant).
// Each static check prints one line `check <name>: ok|FAILED` (.ci/run counts them); a failed check
// does not stop the tests, so one run shows everything that is wrong. Arguments go to `hardhat test`
// (`npm test -- solidity`, `npm test -- mocha --grep dispute`). Plain Node: runs on every OS.

import { join } from "node:path";
import { lockfileProblems } from "./check-lockfile.mjs";
import { bin, node, npm, root, run } from "./lib/run.mjs";

// npm 11 warns about the machine's `nodedir` setting on every call; it says nothing about the project.
const NOISE = /Unknown \w+ config "nodedir"/;

const hardhat = (...args) => bin("hardhat", "hardhat", args);
const tsc = (...args) => bin("typescript", "tsc", args);

/** A step that runs a command (made when the step runs: a missing tool fails its check only). */
function step(make, { cwd = root } = {}) {
  return async () => {
    let command;
    try {
      command = make();
    } catch (err) {
      return { code: 1, output: `${err.message}\n` };
    }
    return run(command, { capture: true, cwd });
  };
}

// The package as a dapp imports it: both entry points load at runtime.
const IMPORT_PACKAGE = `
  const sdk = await import("work-escrow"); const tc = await import("work-escrow/typechain");
  const viem = await import("work-escrow/viem"); const abi = await import("work-escrow/abi");
  if (typeof sdk.EscrowClient !== "function" || typeof tc.WorkEscrow__factory !== "function" ||
      typeof viem.createJob !== "function" || !Array.isArray(abi.iWorkEscrowAbi)) process.exit(1);`;

/** name → the steps it runs, in order; it fails at the first step that fails. */
const CHECKS = [
  ["lockfile", [lockfile]],
  // Builds contracts and typechain-types, which the type-check reads.
  ["build", [step(() => hardhat("build"))]],
  ["solhint", [step(() => npm(["run", "-s", "lint:sol"]))]],
  ["prettier", [step(() => npm(["run", "-s", "format:check"]))]],
  ["typescript", [step(() => tsc("--noEmit"))]],
  // The indexer (Ponder, its own tsconfig: bundler resolution, Ponder's virtual modules).
  ["indexer", [step(() => tsc("-p", "indexer"))]],
  // Build dist/ (SDK + typechain, with declarations), type-check examples/dapp against it with a
  // bundler's resolution, and import both entry points at runtime.
  [
    "package",
    [
      step(() => node(["-e", 'require("fs").rmSync("dist", { recursive: true, force: true })'])),
      step(() => tsc("-p", "tsconfig.build.json")),
      step(() => tsc("-p", "examples/dapp")),
      step(() => node(["--input-type=module", "-e", IMPORT_PACKAGE]), {
        cwd: join(root, "examples", "dapp"),
      }),
    ],
  ],
  // The npm tarball: its files (entries, LICENSE, README, ABIs, contracts, deployment records; no
  // mocks, no source maps, nothing dangling), ethers-free viem/abi/deployments entries, peer deps.
  ["pack", [step(() => node([join("scripts", "package", "check.mjs"), "pack"]))]],
  // The tarball installed into consumer projects: every entry and the README's "Use it in a dapp"
  // snippets type-checked with moduleResolution nodenext and bundler; the viem entry without ethers.
  ["consumers", [step(() => node([join("scripts", "package", "check.mjs"), "consumers"]))]],
  // The web app (app/) type-checks against the built package too; test/browser/ runs it in Chromium.
  ["app", [step(() => tsc("-p", "app"))]],
];

async function lockfile() {
  try {
    const problems = lockfileProblems(root);
    return { code: problems.length === 0 ? 0 : 1, output: problems.map((p) => `${p}\n`).join("") };
  } catch (err) {
    return { code: 1, output: `${err.message}\n` };
  }
}

let status = 0;
for (const [name, steps] of CHECKS) {
  let failed = null;
  for (const runStep of steps) {
    const result = await runStep();
    if (result.code !== 0) {
      failed = result;
      break;
    }
  }
  if (failed === null) {
    console.log(`check ${name}: ok`);
  } else {
    const text = failed.output
      .split("\n")
      .filter((line) => !NOISE.test(line))
      .join("\n");
    if (text.trim() !== "") process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
    console.log(`check ${name}: FAILED`);
    status = 1;
  }
}

// A time limit on the tests, so that a hang (a server a test left running, a wait that never ends)
// fails the run with a line that says so instead of holding CI until its own limit. The whole run
// takes about 11 minutes here (8 of them `hardhat test`); WORKESCROW_TEST_TIMEOUT_MIN changes the
// limit (0: none).
const given = process.env.WORKESCROW_TEST_TIMEOUT_MIN;
let limitMin = 40;
if (given !== undefined && given !== "") {
  if (/^[0-9]+(\.[0-9]+)?$/.test(given)) limitMin = Number(given);
  else console.log(`WORKESCROW_TEST_TIMEOUT_MIN=${given} is not a number of minutes: 40 min it is`);
}
try {
  const tests = await run(hardhat("test", ...process.argv.slice(2)), {
    timeoutMs: limitMin > 0 ? limitMin * 60_000 : undefined,
  });
  if (tests.timedOut) {
    console.log(`hardhat test did not end within ${limitMin} min and was stopped`);
    console.log("check time-limit: FAILED");
  } else {
    console.log("check time-limit: ok");
  }
  if (tests.code !== 0) status = 1;
} catch (err) {
  console.error(err.message);
  status = 1;
}
process.exitCode = status;
