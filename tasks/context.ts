import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import {
  Contract,
  Wallet,
  formatUnits,
  isAddress,
  parseUnits,
  type ContractRunner,
  type Provider,
} from "ethers";
import { configVariable } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { EscrowClient, IWorkEscrow__factory, NATIVE, describeError } from "../sdk/index.js";

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

/** Chain ids of local development nodes (Hardhat, Anvil, Ganache): time travel and test tokens only there. */
export const LOCAL_CHAIN_IDS = [31337n, 1337n];

/** The deployment id each local chain id maps to in this process (set by `connectNetwork`). */
const localDeploymentIds = new Map<bigint, string>();

/**
 * The deployment id of a network: WORKESCROW_DEPLOYMENT_ID, else Ignition's `chain-<id>`; a local
 * node on another port than 8545 gets `chain-<id>-port-<port>`, so a second local node never
 * overwrites (or reads) the first one's record.
 */
export function deploymentId(chainId: bigint): string {
  return (
    process.env.WORKESCROW_DEPLOYMENT_ID || localDeploymentIds.get(chainId) || `chain-${chainId}`
  );
}

/** Where a network's deployment lives: deploy/deployments/<deploymentId>. */
export function deploymentDir(hre: HardhatRuntimeEnvironment, chainId: bigint): string {
  return path.join(hre.config.paths.ignition, "deployments", deploymentId(chainId));
}

/** The URL of an http network, or undefined for the in-process one. */
async function networkUrl(
  hre: HardhatRuntimeEnvironment,
  networkName: string,
): Promise<string | undefined> {
  const config = hre.config.networks[networkName] as
    | { type: string; url?: string | { get(): Promise<string> } }
    | undefined;
  if (config?.type !== "http" || config.url === undefined) return undefined;
  return typeof config.url === "string" ? config.url : await config.url.get();
}

/** Whether `networkName` is Hardhat's in-process network (empty at every command). */
export function isInProcess(hre: HardhatRuntimeEnvironment, networkName: string): boolean {
  return hre.config.networks[networkName]?.type === "edr-simulated";
}

/** The sentence for a task that needs a deployed escrow but runs on the in-process network. */
export function inProcessHint(networkName: string, chainId: bigint): string {
  return (
    `\`${networkName}\` is Hardhat's in-process network (chain ${chainId}): it starts empty at every command and ` +
    `has nothing deployed. Start a node (\`npx hardhat node\`), deploy to it (\`npm run deploy -- --network localhost\`) ` +
    `and pass --network localhost (or another network)`
  );
}

/**
 * Refuses a chain without the Cancun opcodes the contracts use (TSTORE/TLOAD, MCOPY; PUSH0 from
 * Shanghai), before anything is sent: an `eth_call` of a tiny creation code that runs them.
 */
export async function requireCancun(
  provider: { call(tx: { data: string }): Promise<string> },
  networkName: string,
): Promise<void> {
  // PUSH0 PUSH0 TSTORE PUSH0 TLOAD POP PUSH0 PUSH0 PUSH0 MCOPY STOP
  const probe = "0x5f5f5d5f5c505f5f5f5e00";
  try {
    await provider.call({ data: probe });
  } catch (err) {
    throw new UserError(
      `${networkName} does not run Cancun's opcodes (TSTORE/TLOAD, MCOPY, PUSH0): WorkEscrow needs an ` +
        `EVM at Cancun or later (Ethereum since March 2024) and cannot be deployed there ` +
        `(${(err as { shortMessage?: string; message?: string }).shortMessage ?? (err as Error).message})`,
    );
  }
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
    const networkName = hre.globalOptions.network ?? "default"; // Hardhat's DEFAULT_NETWORK_NAME
    if (isInProcess(hre, networkName)) throw new UserError(inProcessHint(networkName, chainId));
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
  const inProcess = isInProcess(hre, networkName);
  if (LOCAL_CHAIN_IDS.includes(chainId) && !inProcess) {
    const url = await networkUrl(hre, networkName);
    const port = url ? new URL(url).port : "";
    if (port && port !== "8545") localDeploymentIds.set(chainId, `chain-${chainId}-port-${port}`);
  }
  const signers = await ethers.getSigners();
  const signer: Acting = /^keystore:/.test(from)
    ? await keystoreSigner(hre, from, ethers.provider)
    : pickSigner(signers, from);
  const now = async () => BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
  /** Fails with a clear message when nothing is deployed at `address` (e.g. a restarted node). */
  const requireCode = async (address: string) => {
    if ((await ethers.provider.getCode(address)) === "0x") {
      throw new UserError(
        inProcess
          ? `no contract at ${address}: ${inProcessHint(networkName, chainId)}`
          : `no contract at ${address} on ${networkName} (chain ${chainId}): was the node restarted? ` +
            `Deploy again with \`npm run deploy -- --network ${networkName} --reset\``,
      );
    }
  };
  return { ethers, networkName, chainId, inProcess, signers, signer, now, requireCode };
}

/** The acting account: one of the network's accounts, or a key from the keystore (`--from keystore:NAME`). */
export type Acting = HardhatEthersSigner | Wallet;

/**
 * `--from keystore:REQUESTER_KEY`: a private key kept by hardhat-keystore (`npx hardhat keystore set
 * REQUESTER_KEY`) or in the environment variable of that name, as a Wallet on this network — one key
 * per role on a remote network, none of them in the config.
 */
async function keystoreSigner(
  hre: HardhatRuntimeEnvironment,
  from: string,
  provider: Provider,
): Promise<Wallet> {
  const name = from.slice("keystore:".length);
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
    throw new UserError(`--from ${from}: a keystore key is a name like keystore:REQUESTER_KEY`);
  const missing = () =>
    new UserError(
      `--from ${from}: no key ${name} in the keystore or the environment: add it with ` +
        `\`npx hardhat keystore set ${name}\` (with --dev for the development keystore that local networks read)`,
    );
  // As Hardhat resolves configuration variables: the environment first, then the keystore.
  let key = process.env[name];
  if (key === undefined) {
    try {
      key = await hre.hooks.runHandlerChain(
        "configurationVariables",
        "fetchValue",
        [configVariable(name)],
        async () => {
          throw missing();
        },
      );
    } catch (err) {
      if (err instanceof UserError || /not found/i.test((err as Error).message)) throw missing();
      throw err;
    }
  }
  try {
    return new Wallet(key.startsWith("0x") ? key : `0x${key}`, provider);
  } catch {
    throw new UserError(`--from ${from}: ${name} is not a private key (32 bytes in hex)`);
  }
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

/** An amount in whole tokens (`1.5`) as base units; `option` names the option in the message. */
export function parseAmount(text: string, decimals: number, option?: string): bigint {
  const name = option ? `--${option} ` : "";
  if (/^\s*-/.test(text))
    throw new UserError(`${name}${text} is negative: give an amount in whole tokens, e.g. 1.5`);
  try {
    return parseUnits(text.trim(), decimals);
  } catch {
    throw new UserError(`${name}"${text}" is not an amount with at most ${decimals} decimals`);
  }
}

/**
 * Refuses, before anything is sent, a call that needs `needed` of `token` (the native coin or an
 * ERC-20) from `owner` when the account holds less: the message names both amounts in tokens.
 */
export async function requireFunds(
  runner: ContractRunner,
  token: string,
  owner: string,
  needed: bigint,
  info: { symbol: string; decimals: number },
  what: string,
): Promise<void> {
  if (needed === 0n) return;
  const provider = runner.provider!;
  const balance: bigint =
    token === NATIVE
      ? await provider.getBalance(owner)
      : await new Contract(token, ["function balanceOf(address) view returns (uint256)"], runner)
          .balanceOf(owner)
          .then((b: bigint) => b);
  if (balance < needed)
    throw new UserError(
      `${what} needs ${formatAmount(needed, info)} but ${owner} holds ${formatAmount(balance, info)}` +
        (token === NATIVE ? " (and gas comes on top)" : ""),
    );
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

/** Job `jobId` of the escrow at `escrow`; one that does not exist is refused as escrow:show words it. */
export async function requireJob(escrow: string, jobId: bigint, runner: ContractRunner) {
  const contract = IWorkEscrow__factory.connect(escrow, runner);
  const job = await contract.getJob(parseJobId(jobId));
  if (job.status === 0n)
    throw new UserError(`job ${jobId} does not exist (jobs: ${await contract.jobCount()})`);
  return job;
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
 * A task's arguments as the actions read them: options declared without a default (so `--help`
 * prints no empty "(default: )") arrive as undefined, and "" means "not given".
 */
export function givenArgs<A>(args: A): A {
  return Object.fromEntries(
    Object.entries(args as Record<string, unknown>).map(([k, v]) => [k, v ?? ""]),
  ) as A;
}

/**
 * Runs a task body, printing a revert as its decoded custom error (in words) and a user mistake as
 * one line; both set a non-zero exit code instead of a stack trace.
 */
export function run<A>(body: (args: A, hre: HardhatRuntimeEnvironment) => Promise<void>) {
  return async (args: A, hre: HardhatRuntimeEnvironment) => {
    try {
      await body(givenArgs(args), hre);
    } catch (err) {
      console.error(`error: ${err instanceof UserError ? err.message : describeError(err)}`);
      process.exitCode = 1;
    }
  };
}
