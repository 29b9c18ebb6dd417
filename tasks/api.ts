/**
 * `npm run api -- --network <name>` (= `npx hardhat escrow:api --network <name>`): indexes the
 * network's WorkEscrow deployment and serves the HTTP API (indexer/, Ponder) until Ctrl-C. The
 * deployment comes from Ignition's record (deploy/deployments/<id>), or --escrow/--fund/--start-block
 * (or WORKESCROW_ADDRESS, WORKESCROW_FUND_ADDRESS, WORKESCROW_START_BLOCK). The read model goes to the
 * embedded PGlite in indexer/.ponder/ (git-ignored), or to PostgreSQL with --database-url or
 * DATABASE_URL. Binds 127.0.0.1 unless --hostname says otherwise.
 */
import path from "node:path";
import { task } from "hardhat/config";
import { ArgumentType } from "hardhat/types/arguments";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

interface ApiArgs {
  port: string;
  hostname: string;
  databaseUrl?: string;
  schema?: string;
  escrow?: string;
  fund?: string;
  startBlock?: string;
  deploymentId?: string;
  poll: string;
}

export const apiTasks = [
  task("escrow:api", "Index the escrow and the CommunityFund and serve the HTTP API (Ponder)")
    .addOption({ name: "port", description: "HTTP port", defaultValue: "42069" })
    .addOption({
      name: "hostname",
      description: "address to bind (0.0.0.0 exposes the API beyond this machine)",
      defaultValue: "127.0.0.1",
    })
    .addOption({
      name: "databaseUrl",
      description: "PostgreSQL connection string (default: DATABASE_URL, else the embedded PGlite)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "schema",
      description: "database schema (default: one per deployment and indexer version)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "escrow",
      description: "escrow address (default: this network's deployment)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "fund",
      description: "CommunityFund address (default: the deployment's, else escrow.communityFund())",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "startBlock",
      description: "first block to index with --escrow (default: the deployment block, else 0)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "deploymentId",
      description:
        "Ignition deployment id (default WORKESCROW_DEPLOYMENT_ID, else chain-<chainId>)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "poll",
      description: "milliseconds between polls for new blocks",
      defaultValue: "1000",
    })
    .setAction(async () => ({ default: (await import("./api.js")).api }))
    .build(),
];

class UserError extends Error {}

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

function address(option: string, value: string): string {
  if (!ADDRESS.test(value)) throw new UserError(`--${option} ${value} is not an address`);
  return value;
}

function integer(option: string, value: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new UserError(`--${option} ${value} must be a whole number from ${min} to ${max}`);
  }
  return Number(value);
}

export async function api(args: ApiArgs, hre: HardhatRuntimeEnvironment): Promise<void> {
  try {
    await serve(args, hre);
  } catch (err) {
    console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
}

async function serve(args: ApiArgs, hre: HardhatRuntimeEnvironment): Promise<void> {
  const lib = await import("../scripts/lib/indexer.js");
  const { networkName, provider } = await hre.network.getOrCreate();
  const config = hre.config.networks[networkName];
  if (config?.type !== "http") {
    throw new UserError(
      `${networkName} is an in-process network: the indexer needs a JSON-RPC node ` +
        "(`npx hardhat node --hostname 127.0.0.1`, then --network localhost)",
    );
  }
  const rpcUrl = await config.url.get();
  const request = (method: string, params: unknown[] = []) =>
    provider.request({ method, params }) as Promise<unknown>;
  const chainId = Number(await request("eth_chainId"));

  const port = integer("port", args.port, 1, 65_535);
  const pollingMs = integer("poll", args.poll, 50, 600_000);
  const deployment = await resolveDeployment(args, hre, chainId, request, lib);
  if ((await request("eth_getCode", [deployment.escrow, "latest"])) === "0x") {
    throw new UserError(
      `no contract at ${deployment.escrow} on ${networkName} (chain ${chainId}): was the node restarted? ` +
        "Deploy again (npm run deploy -- --network localhost --reset)",
    );
  }
  const block = (await request("eth_getBlockByNumber", [
    `0x${deployment.escrowBlock.toString(16)}`,
    false,
  ])) as { hash: string } | null;
  if (block === null) throw new UserError(`block ${deployment.escrowBlock} does not exist`);
  const schema = args.schema || lib.schemaFor(chainId, deployment.escrow, block.hash);
  const databaseUrl = args.databaseUrl || process.env.DATABASE_URL || undefined;
  if (!(await lib.portIsFree(args.hostname, port))) {
    throw new UserError(`${args.hostname}:${port} is in use: pass --port <another>`);
  }

  console.log(
    `indexing WorkEscrow ${deployment.escrow} (from block ${deployment.escrowBlock}) and ` +
      `CommunityFund ${deployment.fund} (from block ${deployment.fundBlock}) on ${networkName} ` +
      `(chain ${chainId}, ${rpcUrl})`,
  );
  console.log(
    `database: ${databaseUrl ? "PostgreSQL (DATABASE_URL)" : `PGlite in ${path.join("indexer", ".ponder")}`}, schema ${schema}`,
  );
  const host = args.hostname === "0.0.0.0" ? "127.0.0.1" : args.hostname;
  console.log(
    `API: http://${host}:${port} (REST: /jobs, /accounts/:address, /statistics/escrows …; GraphQL: /graphql). Ctrl-C stops it.`,
  );

  const running = lib.startApi({
    rpcUrl,
    chainId,
    network: networkName,
    deployment,
    schema,
    databaseUrl,
    hostname: args.hostname,
    port,
    pollingMs,
    stdio: "inherit",
    detached: false,
    logFormat: process.env.PONDER_LOG_FORMAT === "json" ? "json" : "pretty",
  });
  const stop = () => void running.stop();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  const code = await running.exited;
  process.off("SIGINT", stop);
  process.off("SIGTERM", stop);
  if (code !== 0 && code !== null) process.exitCode = code;
}

type Lib = typeof import("../scripts/lib/indexer.js");

async function resolveDeployment(
  args: ApiArgs,
  hre: HardhatRuntimeEnvironment,
  chainId: number,
  request: (method: string, params?: unknown[]) => Promise<unknown>,
  lib: Lib,
) {
  const escrow = args.escrow || process.env.WORKESCROW_ADDRESS || "";
  if (escrow) {
    address("escrow", escrow);
    let fund = args.fund || process.env.WORKESCROW_FUND_ADDRESS || "";
    if (!fund) {
      // The escrow's current community-fee recipient.
      const { IWorkEscrow__factory } = await import("../typechain-types/index.js");
      const iface = IWorkEscrow__factory.createInterface();
      const data = iface.encodeFunctionData("communityFund");
      const result = (await request("eth_call", [{ to: escrow, data }, "latest"])) as string;
      fund = iface.decodeFunctionResult("communityFund", result)[0] as string;
    }
    const startText = args.startBlock || process.env.WORKESCROW_START_BLOCK || "0";
    const start = integer("start-block", startText);
    return { escrow, fund: address("fund", fund), escrowBlock: start, fundBlock: start };
  }
  const id = args.deploymentId || process.env.WORKESCROW_DEPLOYMENT_ID || `chain-${chainId}`;
  const dir = path.join(hre.config.paths.ignition, "deployments", id);
  const deployment = lib.readDeployment(dir);
  if (deployment === undefined) {
    throw new UserError(
      `no WorkEscrow deployment in ${dir}: run \`npm run deploy -- --network <name>\` first, ` +
        "or pass --escrow <address> (and --fund, --start-block)",
    );
  }
  if (args.fund) deployment.fund = address("fund", args.fund);
  return deployment;
}
