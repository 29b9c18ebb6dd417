/**
 * The `escrow:*` tasks run in-process, as `npx hardhat <task>` runs them minus the process start:
 * through Hardhat's task runner against the in-process network, with what they print captured.
 */
import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";
import hre from "hardhat";
import { deployWorkEscrowSuite } from "../../scripts/lib/deploy.js";

/** What a task printed and how it ended. */
export interface TaskRun {
  /** the exit code the task set (`process.exitCode`; the tasks set 1 on a readable `error: …`) */
  code: number;
  /** each console.log call, as a line */
  outLines: string[];
  /** the console.log lines, joined by newlines */
  out: string;
  /** the console.error lines, joined by newlines */
  err: string;
  /** both, in the order printed */
  all: string;
}

/**
 * Runs task `name` with `args` (as parsed options). The console and `process.exitCode` are restored
 * afterwards, also when the task throws (then the error propagates).
 */
export async function runTask(name: string, args: Record<string, unknown>): Promise<TaskRun> {
  const outLines: string[] = [];
  const errLines: string[] = [];
  const all: string[] = [];
  const [log, error, exitCode] = [console.log, console.error, process.exitCode];
  const capture =
    (lines: string[]) =>
    (...a: unknown[]) => {
      lines.push(a.join(" "));
      all.push(a.join(" "));
    };
  console.log = capture(outLines);
  console.error = capture(errLines);
  process.exitCode = 0;
  let code: number;
  try {
    await hre.tasks.getTask(name).run(args);
  } finally {
    [console.log, console.error] = [log, error];
    code = Number(process.exitCode ?? 0);
    process.exitCode = exitCode;
  }
  return {
    code,
    outLines,
    out: outLines.join("\n"),
    err: errLines.join("\n"),
    all: all.join("\n"),
  };
}

/**
 * The v2 suite as the task tests deploy it: accounts #0 to #3 as admin, treasury, community and the
 * default arbitrator. Resolves with the escrow's address.
 */
export async function deploySuiteForTasks(ethers: HardhatEthers): Promise<string> {
  const [admin, treasury, community, arbitrator] = await ethers.getSigners();
  const { escrow } = await deployWorkEscrowSuite(ethers, {
    admin: admin!.address,
    treasury: treasury!.address,
    community: community!.address,
    arbitrator: arbitrator!.address,
  });
  return escrow.getAddress();
}
