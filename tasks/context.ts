import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { Contract, formatUnits, isAddress, parseUnits, type ContractRunner } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { EscrowClient, NATIVE, describeError } from "../sdk/index.js";

/** Options every escrow task takes. */
export interface CommonArgs {
  from: string;
  escrow: string;
}

/** The key Ignition writes the escrow's (core's) address under in deployed_addresses.json. */
export const ESCROW_FUTURE = "WorkEscrow#WorkEscrow";
/** The keys of the two contracts the escrow is deployed with (deploy/modules/WorkEscrow.ts). */
export const EXTENSION_FUTURE = "WorkEscrow#WorkEscrowExtension";
export const FORWARDER_FUTURE = "WorkEscrow#WorkEscrowForwarder";

/** Where a network's deployment lives: WORKESCROW_DEPLOYMENT_ID, else Ignition's `chain-<id>`. */
export function deploymentDir(hre: HardhatRuntimeEnvironment, chainId: bigint): string {
  const id = process.env.WORKESCROW_DEPLOYMENT_ID || `chain-${chainId}`;
  return path.join(hre.config.paths.ignition, "deployments", id);
}

/** The key Ignition writes the community fund's address under. */
export const FUND_FUTURE = "CommunityFund#CommunityFund";

/** How to find one deployed contract: an option, an environment variable, then Ignition's record. */
interface Deployed {
  contract: string;
  option: string;
  env: string;
  future: string;
}
const ESCROW: Deployed = {
  contract: "WorkEscrow",
  option: "escrow",
  env: "WORKESCROW_ADDRESS",
  future: ESCROW_FUTURE,
};
const FUND: Deployed = {
  contract: "CommunityFund",
  option: "fund",
  env: "WORKESCROW_FUND_ADDRESS",
  future: FUND_FUTURE,
};

/** A contract's address: --<option>, else its environment variable, else the network's Ignition deployment. */
function resolveDeployed(
  hre: HardhatRuntimeEnvironment,
  chainId: bigint,
  given: string,
  d: Deployed,
): string {
  const explicit = given || process.env[d.env] || "";
  if (explicit) {
    if (!isAddress(explicit)) throw new UserError(`--${d.option} ${explicit} is not an address`);
    return explicit;
  }
  const file = path.join(deploymentDir(hre, chainId), "deployed_addresses.json");
  const address = existsSync(file)
    ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, string>)[d.future]
    : undefined;
  if (!address) {
    throw new UserError(
      `no ${d.contract} deployment for chain ${chainId} (${file} has no ${d.future}): ` +
        `run \`npm run deploy -- --network <name>\` first, or pass --${d.option} <address>`,
    );
  }
  return address;
}

/** The escrow address: --escrow, else WORKESCROW_ADDRESS, else the network's Ignition deployment. */
export function resolveEscrow(
  hre: HardhatRuntimeEnvironment,
  chainId: bigint,
  given: string,
): string {
  return resolveDeployed(hre, chainId, given, ESCROW);
}

/** The fund address: --fund, else WORKESCROW_FUND_ADDRESS, else the network's Ignition deployment. */
export function resolveFund(
  hre: HardhatRuntimeEnvironment,
  chainId: bigint,
  given: string,
): string {
  return resolveDeployed(hre, chainId, given, FUND);
}

/** The block the escrow was deployed in, from Ignition's journal (so `list` need not scan from 0). */
export function deploymentBlock(
  hre: HardhatRuntimeEnvironment,
  chainId: bigint,
  escrow: string,
): number {
  const journal = path.join(deploymentDir(hre, chainId), "journal.jsonl");
  if (!existsSync(journal)) return 0;
  for (const line of readFileSync(journal, "utf8").split("\n")) {
    if (!line.includes(`"${ESCROW_FUTURE}"`) || !line.includes("blockNumber")) continue;
    const entry = JSON.parse(line) as {
      receipt?: { blockNumber?: number; contractAddress?: string };
    };
    if (entry.receipt?.contractAddress?.toLowerCase() === escrow.toLowerCase())
      return entry.receipt.blockNumber ?? 0;
  }
  return 0;
}

/** A mistake in what the user typed: printed as one line, no stack trace. */
export class UserError extends Error {}

/** The network connection and the acting signer (`--from`), shared by the escrow and fund tasks. */
export async function connectNetwork(hre: HardhatRuntimeEnvironment, from: string) {
  const { ethers, networkName } = await hre.network.getOrCreate();
  const chainId = (await ethers.provider.getNetwork()).chainId;
  const signers = await ethers.getSigners();
  const signer = pickSigner(signers, from);
  const now = async () => BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
  /** Fails with a clear message when nothing is deployed at `address` (e.g. a restarted node). */
  const requireCode = async (address: string) => {
    if ((await ethers.provider.getCode(address)) === "0x") {
      throw new UserError(
        `no contract at ${address} on ${networkName} (chain ${chainId}): was the node restarted?`,
      );
    }
  };
  return { ethers, networkName, chainId, signers, signer, now, requireCode };
}

/** Everything an escrow task needs: the connection, the acting signer and an EscrowClient for it. */
export async function connect(hre: HardhatRuntimeEnvironment, args: CommonArgs) {
  const net = await connectNetwork(hre, args.from);
  const address = resolveEscrow(hre, net.chainId, args.escrow);
  await net.requireCode(address);
  return { ...net, client: new EscrowClient(address, net.signer) };
}

/** `--from` (or `--<option>`) is an index into the network's accounts (default 0) or one of their addresses. */
export function pickSigner(
  signers: HardhatEthersSigner[],
  from: string,
  option = "from",
): HardhatEthersSigner {
  if (signers.length === 0)
    throw new UserError("this network has no accounts: set DEPLOYER_PRIVATE_KEY");
  if (from === "") return signers[0];
  if (/^\d+$/.test(from)) {
    const signer = signers[Number(from)];
    if (!signer)
      throw new UserError(`--${option} ${from}: this network has ${signers.length} account(s)`);
    return signer;
  }
  const signer = signers.find((s) => s.address.toLowerCase() === from.toLowerCase());
  if (!signer) throw new UserError(`--${option} ${from} is not one of this network's accounts`);
  return signer;
}

/** An address, or an index into this network's accounts (as for --from). */
export function accountArg(name: string, value: string, signers: HardhatEthersSigner[]): string {
  // Unlike --from, any address is allowed here; only an index must name one of the accounts.
  return /^\d+$/.test(value) ? pickSigner(signers, value, name).address : addressArg(name, value);
}

export function addressArg(name: string, value: string): string {
  if (!isAddress(value)) throw new UserError(`--${name} ${value} is not an address`);
  return value;
}

/** Symbol and decimals of a token (native coin: ETH, 18). */
export async function tokenInfo(runner: ContractRunner, token: string) {
  if (token === NATIVE) return { symbol: "ETH", decimals: 18 };
  const erc20 = new Contract(
    token,
    ["function decimals() view returns (uint8)", "function symbol() view returns (string)"],
    runner,
  );
  try {
    return { symbol: String(await erc20.symbol()), decimals: Number(await erc20.decimals()) };
  } catch {
    throw new UserError(`${token} does not look like an ERC-20 (no symbol/decimals)`);
  }
}

export function parseAmount(text: string, decimals: number): bigint {
  try {
    return parseUnits(text, decimals);
  } catch {
    throw new UserError(`"${text}" is not an amount with at most ${decimals} decimals`);
  }
}

export function formatAmount(amount: bigint, info: { symbol: string; decimals: number }): string {
  return `${formatUnits(amount, info.decimals)} ${info.symbol}`;
}

/** Hash of `--x-file` contents if given, else of the `--x` string; one of the two is required. */
export function hashFromArgs(
  text: string,
  file: string,
  what: string,
  hash: (c: string | Uint8Array) => string,
) {
  if (file) {
    if (!existsSync(file)) throw new UserError(`--${what}-file ${file} does not exist`);
    return hash(readFileSync(file));
  }
  if (text) return hash(text);
  throw new UserError(`give --${what} <text> or --${what}-file <path>`);
}

export function parseJobId(value: bigint): bigint {
  if (value <= 0n) throw new UserError(`job id ${value} must be positive`);
  return value;
}

export function parseBps(text: string, option = "bps", max = 10_000): number {
  if (!/^\d+$/.test(text) || Number(text) > max) {
    throw new UserError(
      `--${option} ${text} must be a whole number of basis points from 0 to ${max}`,
    );
  }
  return Number(text);
}

/**
 * Runs a task body, printing a revert as its decoded custom error (in words) and a user mistake as
 * one line; both set a non-zero exit code instead of a stack trace.
 */
export function run<A>(body: (args: A, hre: HardhatRuntimeEnvironment) => Promise<void>) {
  return async (args: A, hre: HardhatRuntimeEnvironment) => {
    try {
      await body(args, hre);
    } catch (err) {
      console.error(`error: ${err instanceof UserError ? err.message : describeError(err)}`);
      process.exitCode = 1;
    }
  };
}
