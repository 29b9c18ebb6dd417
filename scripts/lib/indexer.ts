/**
 * Starting the indexer + HTTP API (Ponder, indexer/) for one deployment: what `npm run api`
 * (tasks/api.ts), the API tests and the benchmark share. The deployment is read from Ignition's record
 * (deployed_addresses.json for the addresses, journal.jsonl for the blocks); Ponder is started as a
 * child process on this Node with everything in its environment (indexer/ponder.config.ts).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const INDEXER_DIR = path.join(ROOT, "indexer");

export const ESCROW_FUTURE = "WorkEscrow#WorkEscrow";
export const FUND_FUTURE = "CommunityFund#CommunityFund";

/** What the indexer needs to know about a deployment. */
export interface Deployment {
  escrow: string;
  fund: string;
  /** blocks the contracts were deployed in (where indexing starts) */
  escrowBlock: number;
  fundBlock: number;
}

/**
 * The escrow and fund of an Ignition deployment folder (deploy/deployments/<id>), or undefined when
 * it has none. Blocks come from the journal's receipts (0 when the journal lacks them).
 */
export function readDeployment(dir: string): Deployment | undefined {
  const file = path.join(dir, "deployed_addresses.json");
  if (!existsSync(file)) return undefined;
  const addresses = JSON.parse(readFileSync(file, "utf8")) as Record<string, string>;
  const escrow = addresses[ESCROW_FUTURE];
  const fund = addresses[FUND_FUTURE];
  if (escrow === undefined || fund === undefined) return undefined;
  const blocks = new Map<string, number>();
  const journal = path.join(dir, "journal.jsonl");
  if (existsSync(journal)) {
    for (const line of readFileSync(journal, "utf8").split("\n")) {
      if (!line.includes('"receipt"')) continue;
      const entry = JSON.parse(line) as {
        receipt?: { blockNumber?: number; contractAddress?: string };
      };
      const r = entry.receipt;
      if (r?.contractAddress && r.blockNumber !== undefined) {
        blocks.set(r.contractAddress.toLowerCase(), r.blockNumber);
      }
    }
  }
  return {
    escrow,
    fund,
    escrowBlock: blocks.get(escrow.toLowerCase()) ?? 0,
    fundBlock: blocks.get(fund.toLowerCase()) ?? 0,
  };
}

/** A hash of what decides the read model (config, schema, handlers, ABIs): not the API routes. */
export function indexerSourceHash(): string {
  const hash = createHash("sha256");
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) {
        if (full !== path.join(INDEXER_DIR, "src", "api")) walk(full);
      } else if (name.endsWith(".ts")) files.push(full);
    }
  };
  for (const f of ["ponder.config.ts", "ponder.schema.ts", "enums.ts"]) {
    files.push(path.join(INDEXER_DIR, f));
  }
  walk(path.join(INDEXER_DIR, "abis"));
  walk(path.join(INDEXER_DIR, "src"));
  for (const f of files) hash.update(path.relative(INDEXER_DIR, f)).update(readFileSync(f));
  return hash.digest("hex");
}

/**
 * The database schema of one deployment's read model: the chain, the escrow, the hash of its
 * deployment block (a restarted local chain redeploys at the same address and block number, but
 * not with the same hash) and the indexer's sources (changed handlers need a rebuilt model). The
 * same deployment and code give the same schema, so a restart resumes where it stopped.
 */
export function schemaFor(chainId: number, escrow: string, deploymentBlockHash: string): string {
  const digest = createHash("sha256")
    .update(`${chainId}:${escrow.toLowerCase()}:${deploymentBlockHash.toLowerCase()}:`)
    .update(indexerSourceHash())
    .digest("hex")
    .slice(0, 12);
  return `workescrow_${chainId}_${digest}`;
}

export interface ApiOptions {
  rpcUrl: string;
  chainId: number;
  /** the chain's name in Ponder's /status (the Hardhat network name) */
  network: string;
  deployment: Deployment;
  /** database schema (see schemaFor) */
  schema: string;
  /** PostgreSQL; without it the embedded PGlite in `pgliteDir` */
  databaseUrl?: string;
  /** default indexer/.ponder/pglite */
  pgliteDir?: string;
  /** the bid book's PGlite folder without PostgreSQL (default indexer/.ponder/bids) */
  bidsDir?: string;
  hostname?: string;
  port?: number;
  /** how often Ponder polls for new blocks, ms (default 1000) */
  pollingMs?: number;
  logFormat?: "pretty" | "json";
  logLevel?: string;
  /** "inherit" prints Ponder's logs; "pipe" keeps them (RunningApi.output) */
  stdio?: "inherit" | "pipe";
  /**
   * Run Ponder in its own process group (default true; not on Windows), so stop() ends all of it.
   * The CLI task runs it in its own group instead, so that Ctrl-C and a group kill reach it.
   */
  detached?: boolean;
}

/** The environment ponder.config.ts and the API read. */
export function apiEnv(o: ApiOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PONDER_TELEMETRY_DISABLED: "true",
    DATABASE_SCHEMA: o.schema,
    WORKESCROW_RPC_URL: o.rpcUrl,
    WORKESCROW_CHAIN_ID: String(o.chainId),
    WORKESCROW_NETWORK: o.network,
    WORKESCROW_ADDRESS: o.deployment.escrow,
    WORKESCROW_START_BLOCK: String(o.deployment.escrowBlock),
    WORKESCROW_FUND_ADDRESS: o.deployment.fund,
    WORKESCROW_FUND_START_BLOCK: String(o.deployment.fundBlock),
    WORKESCROW_POLLING_MS: String(o.pollingMs ?? 1000),
  };
  delete env.DATABASE_URL;
  delete env.DATABASE_PRIVATE_URL;
  if (o.databaseUrl) env.DATABASE_URL = o.databaseUrl;
  if (o.pgliteDir) env.WORKESCROW_PGLITE_DIR = path.resolve(o.pgliteDir);
  if (o.bidsDir) env.WORKESCROW_BIDS_DIR = path.resolve(o.bidsDir);
  return env;
}

export interface RunningApi {
  url: string;
  child: ChildProcess;
  /** Ponder's output so far (stdio "pipe") */
  output(): string;
  /** resolves when the HTTP server answers /health */
  ready(timeoutMs?: number): Promise<void>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process has exited */
  stop(graceMs?: number): Promise<void>;
  exited: Promise<number | null>;
}

/** Whether nothing listens on hostname:port. */
export function portIsFree(hostname: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, hostname, () => server.close(() => resolve(true)));
  });
}

/** A port nothing listens on now, on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function ponderCli(): string {
  // ponder exports neither its package.json nor a CommonJS entry: find its folder from its ESM entry.
  let dir = path.dirname(fileURLToPath(import.meta.resolve("ponder")));
  while (!existsSync(path.join(dir, "package.json"))) dir = path.dirname(dir);
  const pkgFile = path.join(dir, "package.json");
  const bin = (JSON.parse(readFileSync(pkgFile, "utf8")) as { bin: Record<string, string> }).bin;
  return path.join(path.dirname(pkgFile), bin.ponder!);
}

/**
 * Starts `ponder start` for the deployment. Binds 127.0.0.1 unless told otherwise. The process gets
 * its own process group (not on Windows), so stop() ends everything it started.
 */
export function startApi(o: ApiOptions): RunningApi {
  const hostname = o.hostname ?? "127.0.0.1";
  const port = o.port ?? 42069;
  const args = [
    ponderCli(),
    "start",
    "--root",
    INDEXER_DIR,
    "--hostname",
    hostname,
    "--port",
    String(port),
    "--log-format",
    o.logFormat ?? "pretty",
  ];
  if (o.logLevel) args.push("--log-level", o.logLevel);
  const stdio = o.stdio ?? "inherit";
  const child = spawn(process.execPath, args, {
    // Ponder's GraphQL middleware writes generated/schema.graphql under the working directory.
    cwd: INDEXER_DIR,
    env: apiEnv(o),
    stdio: stdio === "inherit" ? "inherit" : ["ignore", "pipe", "pipe"],
    detached: process.platform !== "win32" && o.detached !== false,
  });
  const grouped = process.platform !== "win32" && o.detached !== false;
  let output = "";
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    child.once("exit", (code) => resolve(code));
    child.once("error", () => resolve(-1));
  });
  const host = hostname.includes(":") ? `[${hostname}]` : hostname;
  const url = `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${port}`;

  const signal = (sig: NodeJS.Signals) => {
    try {
      if (grouped && child.pid !== undefined) process.kill(-child.pid, sig);
      else child.kill(sig);
    } catch {
      /* already gone */
    }
  };

  return {
    url,
    child,
    exited,
    output: () => output,
    async ready(timeoutMs = 120_000) {
      const until = Date.now() + timeoutMs;
      let done = false;
      void exited.then(() => (done = true));
      while (Date.now() < until) {
        if (done) throw new Error(`the indexer exited before serving:\n${output.slice(-4000)}`);
        try {
          const response = await fetch(`${url}/health`);
          if (response.ok) return;
        } catch {
          /* not listening yet */
        }
        await new Promise((r) => setTimeout(r, 250));
      }
      throw new Error(
        `the indexer did not serve ${url}/health in ${timeoutMs} ms:\n${output.slice(-4000)}`,
      );
    },
    async stop(graceMs = 20_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      signal("SIGTERM");
      const timer = setTimeout(() => signal("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
