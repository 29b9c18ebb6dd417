/**
 * A real `hardhat node` on 127.0.0.1 (a free port) with the Ignition deployment of
 * deploy/parameters/localhost.json made by `hardhat escrow:deploy`, as a user does it. The node is a
 * test server (./servers.ts): `stop()` ends it, and the deployment's journal folder is deleted.
 */
import { spawn } from "node:child_process";
import { createWriteStream, rmSync } from "node:fs";
import path from "node:path";
import { ROOT, freePort, readDeployment, type Deployment } from "../../scripts/lib/indexer.js";
import { HARDHAT_CLI, startHardhatNode } from "./servers.js";

export { HARDHAT_CLI };

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
  const node = await startHardhatNode(port, env);
  const stop = async () => {
    await node.stop();
    rmSync(path.join(ROOT, "deploy", "deployments", deploymentId), {
      recursive: true,
      force: true,
    });
  };
  try {
    // WORKESCROW_NODE_LOG=<file> keeps the node's log.
    const logFile = process.env.WORKESCROW_NODE_LOG;
    if (logFile) {
      const out = createWriteStream(logFile);
      node.process.stdout!.pipe(out);
      node.process.stderr!.pipe(out);
    }
    const deployed = await hardhat(["escrow:deploy", "--network", "localhost"], env);
    if (deployed.code !== 0 || /^error:/m.test(deployed.err)) {
      throw new Error(`escrow:deploy failed:\n${deployed.out}\n${deployed.err}`);
    }
    const deployment = readDeployment(path.join(ROOT, "deploy", "deployments", deploymentId));
    if (deployment === undefined) throw new Error(`no deployment record for ${deploymentId}`);
    const exit = () =>
      node.process.exitCode === null && node.process.signalCode === null
        ? null
        : { code: node.process.exitCode, signal: node.process.signalCode };
    return { port, url, env, deploymentId, deployment, exit, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
