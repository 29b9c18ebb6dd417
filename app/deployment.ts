/**
 * Where the app finds its escrow: read on the server side (Vite's dev and preview servers, and
 * `vite build`), then handed to the page as `/workescrow.json`, so the same build can be pointed at
 * another deployment by editing that one file.
 *
 * Order: environment variables first, then the deployment record that `npm run deploy` (Ignition)
 * wrote, the same one the `escrow:*` tasks read:
 *
 *   VITE_WORKESCROW_ADDRESS           the escrow (core) address
 *   VITE_WORKESCROW_FUND_ADDRESS      the community fund (default: read from the escrow on the page)
 *   VITE_WORKESCROW_DEPLOYMENT_BLOCK  the first block to read logs from (default: the record's, else 0)
 *   VITE_RPC_URL                      the JSON-RPC endpoint for reads (default LOCALHOST_RPC_URL,
 *                                     else http://127.0.0.1:8545, as hardhat.config.ts)
 *   VITE_WORKESCROW_API_URL           the indexer API (default: none, the board reads chain logs)
 *   VITE_CHAIN_ID                     the chain the escrow is on (default: the record's, else asked
 *                                     from the RPC endpoint on the page)
 *   WORKESCROW_DEPLOYMENT_ID          the record to read, deploy/deployments/<id>/ (default chain-31337,
 *                                     or chain-<VITE_CHAIN_ID>), as for the tasks
 *
 * Plain Node (fs and path only): imported by app/vite.config.ts and by the tests.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

/** What the page needs to find the escrow; `/workescrow.json` holds exactly this. */
export interface AppConfig {
  /** the escrow's chain; null: the page asks the RPC endpoint */
  chainId: number | null;
  rpcUrl: string;
  /** the WorkEscrow core; null: nothing deployed that the app knows of */
  escrow: string | null;
  /** the CommunityFund; null: the page reads `communityFund()` from the escrow */
  fund: string | null;
  /** the block the escrow was deployed in: log scans start there */
  deploymentBlock: number;
  /** the indexer API's base URL; null: the board reads chain logs */
  apiUrl: string | null;
  /** where these values came from, shown on the page */
  source: string;
}

/** The keys Ignition writes under in deployed_addresses.json (deploy/modules/WorkEscrow.ts). */
export const ESCROW_FUTURE = "WorkEscrow#WorkEscrow";
export const FUND_FUTURE = "CommunityFund#CommunityFund";

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/** The escrow's deployment block from an Ignition journal (the receipt of ESCROW_FUTURE), or 0. */
export function journalBlock(journal: string, escrow: string): number {
  for (const line of journal.split("\n")) {
    if (!line.includes(`"${ESCROW_FUTURE}"`) || !line.includes("blockNumber")) continue;
    try {
      const entry = JSON.parse(line) as {
        receipt?: { blockNumber?: number; contractAddress?: string };
      };
      if (entry.receipt?.contractAddress?.toLowerCase() === escrow.toLowerCase())
        return entry.receipt.blockNumber ?? 0;
    } catch {
      /* a partly written line */
    }
  }
  return 0;
}

/**
 * The app's configuration from `env` and the deployment records under `root/deploy/deployments`.
 * Throws when an environment variable is malformed (better than a page that reads nothing).
 */
export function readAppConfig(
  root: string,
  env: Record<string, string | undefined> = process.env,
): AppConfig {
  const get = (name: string) => (env[name] ?? "").trim();
  const address = (name: string) => {
    const v = get(name);
    if (v !== "" && !ADDRESS.test(v)) throw new Error(`${name}=${v} is not an address`);
    return v === "" ? null : v;
  };
  const integer = (name: string) => {
    const v = get(name);
    if (v !== "" && !/^\d+$/.test(v)) throw new Error(`${name}=${v} is not a whole number`);
    return v === "" ? null : Number(v);
  };

  const envChainId = integer("VITE_CHAIN_ID");
  const config: AppConfig = {
    chainId: envChainId,
    rpcUrl: get("VITE_RPC_URL") || get("LOCALHOST_RPC_URL") || "http://127.0.0.1:8545",
    escrow: address("VITE_WORKESCROW_ADDRESS"),
    fund: address("VITE_WORKESCROW_FUND_ADDRESS"),
    deploymentBlock: integer("VITE_WORKESCROW_DEPLOYMENT_BLOCK") ?? 0,
    apiUrl: get("VITE_WORKESCROW_API_URL").replace(/\/+$/, "") || null,
    source: "environment (VITE_WORKESCROW_ADDRESS)",
  };
  if (config.escrow !== null) return config;

  // The deployment record: deployed_addresses.json for the addresses, the journal for the block.
  const id = get("WORKESCROW_DEPLOYMENT_ID") || `chain-${envChainId ?? 31337}`;
  const dir = path.join(root, "deploy", "deployments", id);
  const file = path.join(dir, "deployed_addresses.json");
  if (!existsSync(file)) return { ...config, source: `none (no ${relative(root, file)})` };
  const addresses = JSON.parse(readFileSync(file, "utf8")) as Record<string, string>;
  const escrow = addresses[ESCROW_FUTURE];
  if (!escrow || !ADDRESS.test(escrow))
    return { ...config, source: `none (${relative(root, file)} has no ${ESCROW_FUTURE})` };
  const journal = path.join(dir, "journal.jsonl");
  const recordChain = /^chain-(\d+)$/.exec(id);
  return {
    ...config,
    chainId: config.chainId ?? (recordChain ? Number(recordChain[1]) : null),
    escrow,
    fund: config.fund ?? addresses[FUND_FUTURE] ?? null,
    deploymentBlock:
      integer("VITE_WORKESCROW_DEPLOYMENT_BLOCK") ??
      (existsSync(journal) ? journalBlock(readFileSync(journal, "utf8"), escrow) : 0),
    source: `deployment record ${relative(root, dir)}`,
  };
}

function relative(root: string, p: string): string {
  return path.relative(root, p).split(path.sep).join("/");
}
