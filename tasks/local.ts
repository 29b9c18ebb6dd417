/**
 * Tasks for trying WorkEscrow on a local node, and the credits view:
 *   escrow:time    show the chain's clock, or move a local node's clock forward (--advance 2d, --to <date>)
 *   escrow:token   deploy a test ERC-20 (MockERC20, any decimals) and mint it to accounts — local nodes only
 *   escrow:credits what an account can withdraw, per token (before escrow:withdraw)
 * Every input is checked before anything is sent.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { NATIVE, formatDuration, formatTime, parseDeadline, parseDuration } from "../sdk/index.js";
import {
  LOCAL_CHAIN_IDS,
  UserError,
  accountArg,
  addressArg,
  connect,
  connectNetwork,
  deploymentBlock,
  formatAmount,
  parseAmount,
  run,
  tokenInfo,
  type CommonArgs,
} from "./context.js";

/** Refuses anything but a local development chain (31337, 1337). */
function requireLocal(what: string, networkName: string, chainId: bigint) {
  if (!LOCAL_CHAIN_IDS.includes(chainId))
    throw new UserError(
      `${what} only works on a local development node (chain ${LOCAL_CHAIN_IDS.join(" or ")}); ` +
        `${networkName} is chain ${chainId}`,
    );
}

/* ----------------------------------------------------------------------------- time */

export const time = run(
  async (args: { advance: string; to: string }, hre: HardhatRuntimeEnvironment) => {
    const { ethers, networkName, chainId, inProcess, now } = await connectNetwork(hre, "");
    const before = await now();
    const wall = BigInt(Math.floor(Date.now() / 1000));
    const describe = (t: bigint) =>
      `${formatTime(t)} (${t < wall ? `${formatDuration(wall - t)} behind` : t > wall ? `${formatDuration(t - wall)} ahead of` : "equal to"} the clock)`;
    if (!args.advance && !args.to) {
      console.log(`latest block time on ${networkName}: ${describe(before)}`);
      console.log(`clock: ${formatTime(wall)}`);
      return;
    }
    if (args.advance && args.to) throw new UserError("give --advance or --to, not both");
    requireLocal("escrow:time --advance/--to", networkName, chainId);
    let target: bigint;
    if (args.advance) {
      let step: bigint;
      try {
        step = parseDuration(args.advance);
      } catch (err) {
        throw new UserError(`--advance: ${(err as Error).message}`);
      }
      if (step <= 0n) throw new UserError(`--advance ${args.advance} must be more than 0`);
      target = before + step;
    } else {
      try {
        target = parseDeadline(args.to, before);
      } catch (err) {
        throw new UserError(`--to: ${(err as Error).message}`);
      }
      if (target <= before)
        throw new UserError(
          `--to ${args.to} is ${formatTime(target)}, not after the latest block (${formatTime(before)}): a chain's clock only moves forward`,
        );
    }
    await ethers.provider.send("evm_setNextBlockTimestamp", [Number(target)]);
    await ethers.provider.send("evm_mine", []);
    const after = await now();
    console.log(
      `${networkName}: block time moved from ${formatTime(before)} to ${describe(after)} (+${formatDuration(after - before)}; one block mined)`,
    );
    if (inProcess)
      console.log(
        `(${networkName} is the in-process network: this is forgotten when the command ends; use --network localhost)`,
      );
  },
);

/* ---------------------------------------------------------------------------- token */

const TOKEN_ABI = [
  "function mint(address to, uint256 amount)",
  "function decimals() view returns (uint8)",
  "function symbol() view returns (string)",
];

export const token = run(
  async (
    args: CommonArgs & {
      action: string;
      name: string;
      symbol: string;
      decimals: string;
      token: string;
      to: string;
      amount: string;
    },
    hre: HardhatRuntimeEnvironment,
  ) => {
    if (args.action !== "deploy" && args.action !== "mint")
      throw new UserError(`escrow:token ${args.action}: use deploy or mint`);
    if (!/^\d+$/.test(args.decimals) || Number(args.decimals) > 36)
      throw new UserError(`--decimals ${args.decimals} must be a whole number from 0 to 36`);
    const { ethers, networkName, chainId, signer, signers } = await connectNetwork(hre, args.from);
    requireLocal(`escrow:token ${args.action}`, networkName, chainId);
    const recipients = (args.to || "0,1,2,3,4,5,6,7,8,9")
      .split(",")
      .map((a) => accountArg("to", a.trim(), signers));
    let address: string;
    if (args.action === "deploy") {
      if (args.token) throw new UserError("--token is for mint; deploy makes a new token");
      const decimals = Number(args.decimals);
      const amount = parseAmount(args.amount, decimals, "amount");
      const factory = await ethers.getContractFactory("MockERC20", signer);
      const deployed = await factory.deploy(args.name, args.symbol, decimals);
      await deployed.waitForDeployment();
      address = await deployed.getAddress();
      console.log(
        `test token ${args.symbol} (${args.name}, ${decimals} decimals) deployed at ${address} on ${networkName}; anyone can mint it`,
      );
      if (amount === 0n) return;
      await mintTo(address, amount, recipients);
      return;
    }
    if (!args.token) throw new UserError("--token <address> is required: the token to mint");
    address = addressArg("token", args.token);
    if ((await ethers.provider.getCode(address)) === "0x")
      throw new UserError(`--token ${address}: no contract there on ${networkName}`);
    const info = await tokenInfo(signer, address);
    await mintTo(address, parseAmount(args.amount, info.decimals, "amount"), recipients);

    async function mintTo(at: string, amount: bigint, to: string[]) {
      const erc20 = new ethers.Contract(at, TOKEN_ABI, signer);
      const info = await tokenInfo(signer, at);
      for (const account of to) await (await erc20.mint(account, amount)).wait();
      console.log(
        `minted ${formatAmount(amount, info)} to ${to.length} account(s): ${to.join(", ")}`,
      );
      console.log(`create a job in it: npx hardhat escrow:create --token ${at} --amount 100 …`);
    }
  },
);

/* -------------------------------------------------------------------------- credits */

export const credits = run(
  async (args: CommonArgs & { account: string; token: string }, hre: HardhatRuntimeEnvironment) => {
    const { client, signer, signers, chainId } = await connect(hre, args);
    const account = args.account ? accountArg("account", args.account, signers) : signer.address;
    let tokens: string[];
    if (args.token) {
      tokens = [args.token === "native" ? NATIVE : addressArg("token", args.token)];
    } else {
      // Every token the escrow has held a job in, from its JobCreated events, and the native coin.
      const created = await client.events(
        { fromBlock: deploymentBlock(hre, chainId, client.address) },
        undefined,
      );
      const seen = new Set<string>([NATIVE]);
      for (const e of created) if (e.name === "JobCreated") seen.add(String(e.args.token));
      tokens = [...seen];
    }
    let any = false;
    for (const t of tokens) {
      const amount = await client.withdrawable(t, account);
      if (amount === 0n) continue;
      any = true;
      const info = await tokenInfo(signer, t);
      console.log(
        `${formatAmount(amount, info).padEnd(28)}${t === NATIVE ? "" : ` ${t}`}  withdraw: npx hardhat escrow:withdraw --from ${args.account || args.from || "0"}${t === NATIVE ? "" : ` --token ${t}`}`,
      );
    }
    if (!any) console.log(`${account} has nothing to withdraw`);
    else console.log(`(credits of ${account}: fees, and payouts that could not be pushed)`);
  },
);
