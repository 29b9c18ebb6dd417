/**
 * The indexer's Ponder configuration: one chain, the escrow and its CommunityFund, from their
 * deployment block on. Everything comes from the environment, which `npm run api -- --network <name>`
 * (tasks/api.ts) fills in from Hardhat's network config and Ignition's deployment record
 * (deploy/deployments/<id>/deployed_addresses.json and journal.jsonl); set the variables yourself to
 * run `npx ponder start --root indexer` without Hardhat:
 *
 *   WORKESCROW_RPC_URL          JSON-RPC endpoint (required)
 *   WORKESCROW_CHAIN_ID         its chain id (required)
 *   WORKESCROW_NETWORK          a name for the chain (default "chain"; /status reports it)
 *   WORKESCROW_ADDRESS          the escrow (core) address (required)
 *   WORKESCROW_START_BLOCK      the escrow's deployment block (default 0)
 *   WORKESCROW_FUND_ADDRESS     the CommunityFund (required; a full deployment always has one)
 *   WORKESCROW_FUND_START_BLOCK its deployment block (default WORKESCROW_START_BLOCK)
 *   WORKESCROW_POLLING_MS       how often to poll for new blocks (default 1000)
 *   WORKESCROW_PGLITE_DIR       embedded database folder (default indexer/.ponder/pglite)
 *   DATABASE_URL                PostgreSQL instead of the embedded PGlite
 */
import { createConfig } from "ponder";
import { CommunityFundAbi } from "./abis/CommunityFundAbi.js";
import { WorkEscrowAbi } from "./abis/WorkEscrowAbi.js";

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === "") {
    throw new Error(`${name} is not set: start the API with \`npm run api -- --network <name>\``);
  }
  return value;
}

function address(name: string): `0x${string}` {
  const value = required(name);
  if (!/^0x[0-9a-fA-F]{40}$/.test(value)) throw new Error(`${name}=${value} is not an address`);
  return value as `0x${string}`;
}

function block(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === "") return fallback;
  if (!/^\d+$/.test(value)) throw new Error(`${name}=${value} is not a block number`);
  return Number(value);
}

const chainId = Number(required("WORKESCROW_CHAIN_ID"));
const network = process.env.WORKESCROW_NETWORK || "chain";
const startBlock = block("WORKESCROW_START_BLOCK", 0);
// Local development chains (Hardhat, Anvil) are restarted from genesis with the same ids and block
// numbers, so nothing Ponder caches about them stays true: no RPC cache there.
const localChain = chainId === 31337 || chainId === 1337;

export default createConfig({
  database: process.env.DATABASE_URL
    ? { kind: "postgres", connectionString: process.env.DATABASE_URL }
    : process.env.WORKESCROW_PGLITE_DIR
      ? { kind: "pglite", directory: process.env.WORKESCROW_PGLITE_DIR }
      : { kind: "pglite" }, // indexer/.ponder/pglite
  chains: {
    [network]: {
      id: chainId,
      rpc: required("WORKESCROW_RPC_URL"),
      pollingInterval: block("WORKESCROW_POLLING_MS", 1_000),
      disableCache: localChain,
    },
  },
  contracts: {
    WorkEscrow: {
      chain: network,
      abi: WorkEscrowAbi,
      address: address("WORKESCROW_ADDRESS"),
      startBlock,
    },
    CommunityFund: {
      chain: network,
      abi: CommunityFundAbi,
      address: address("WORKESCROW_FUND_ADDRESS"),
      startBlock: block("WORKESCROW_FUND_START_BLOCK", startBlock),
    },
  },
});
