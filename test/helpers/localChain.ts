/**
 * A real `hardhat node` on 127.0.0.1 (a free port) with the Ignition deployment of
 * deploy/parameters/localhost.json made by `hardhat escrow:deploy`, as a user does it. Processes get
 * their own process group and `stop()` ends it; the deployment's journal folder is deleted.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, rmSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { ROOT, freePort, readDeployment, type Deployment } from "../../scripts/lib/indexer.js";

const require = createRequire(import.meta.url);
export const HARDHAT_CLI = path.join(
  path.dirname(require.resolve("hardhat/package.json")),
  "dist/src/cli.js",
);

export interface Run {
  code: number;
  out: string;
  err: string;
}

/** Runs `hardhat <args>` as a separate process with `env`; resolves with its exit code and output. */
export function hardhat(args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [HARDHAT_CLI, ...args], { cwd: ROOT, env });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, out, err }));
  });
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals) {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    /* gone */
  }
}

export interface LocalChain {
  port: number;
  url: string;
  /** env for `hardhat … --network localhost` against this node and deployment */
  env: NodeJS.ProcessEnv;
  deploymentId: string;
  deployment: Deployment;
  /** how the node process ended (null while it runs) */
  exit(): { code: number | null; signal: NodeJS.Signals | null } | null;
  stop(): Promise<void>;
}

/** Starts the node and deploys; on failure everything started is stopped again. */
export async function startLocalChain(prefix: string): Promise<LocalChain> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const deploymentId = `${prefix}-${port}`;
  const env = { ...process.env, LOCALHOST_RPC_URL: url, WORKESCROW_DEPLOYMENT_ID: deploymentId };
  const node = spawn(
    process.execPath,
    [HARDHAT_CLI, "node", "--hostname", "127.0.0.1", "--port", String(port)],
    { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"], detached: true },
  );
  const exited = new Promise<void>((resolve) => node.once("exit", () => resolve()));
  const stop = async () => {
    if (node.exitCode === null && node.signalCode === null) {
      killGroup(node, "SIGTERM");
      const timer = setTimeout(() => killGroup(node, "SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(path.join(ROOT, "deploy", "deployments", deploymentId), {
      recursive: true,
      force: true,
    });
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error("hardhat node did not start in 120 s")),
        120_000,
      );
      let seen = "";
      node.stdout!.on("data", (d) => {
        seen += d;
        if (seen.includes(`127.0.0.1:${port}`)) {
          clearTimeout(timer);
          resolve();
        }
      });
      node.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`hardhat node exited (${code}): ${seen}`));
      });
    });
    // Keep reading its output so the pipe never fills up (WORKESCROW_NODE_LOG=<file> keeps it).
    const logFile = process.env.WORKESCROW_NODE_LOG;
    if (logFile) {
      const out = createWriteStream(logFile);
      node.stdout!.pipe(out);
      node.stderr!.pipe(out);
    } else {
      node.stdout!.resume();
      node.stderr!.resume();
    }
    const deployed = await hardhat(["escrow:deploy", "--network", "localhost"], env);
    if (deployed.code !== 0 || /^error:/m.test(deployed.err)) {
      throw new Error(`escrow:deploy failed:\n${deployed.out}\n${deployed.err}`);
    }
    const deployment = readDeployment(path.join(ROOT, "deploy", "deployments", deploymentId));
    if (deployment === undefined) throw new Error(`no deployment record for ${deploymentId}`);
    const exit = () =>
      node.exitCode === null && node.signalCode === null
        ? null
        : { code: node.exitCode, signal: node.signalCode };
    return { port, url, env, deploymentId, deployment, exit, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
