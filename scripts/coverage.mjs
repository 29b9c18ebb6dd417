#!/usr/bin/env node
// `npm run coverage`: `hardhat test --coverage` with WORKESCROW_COVERAGE=1, which tells the gas test
// to skip (instrumented bytecode makes gas figures meaningless). A Node script, not `VAR=1 cmd`,
// so it runs on Windows too. Arguments go to `hardhat test`.

import { bin, run } from "./lib/run.mjs";

const env = { ...process.env, WORKESCROW_COVERAGE: "1" };
const { code } = await run(
  bin("hardhat", "hardhat", ["test", "--coverage", ...process.argv.slice(2)]),
  {
    env,
  },
);
process.exitCode = code;
