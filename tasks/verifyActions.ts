/**
 * The actions of the verification tasks (./verify.ts): thin adapters from CLI arguments to sdk/verify.ts.
 * Each prints what happened in words; a revert prints the adapter's, the escrow's or the registry's reason.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { isAddress } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import {
  configureValidation,
  describeVerifyError,
  readValidation,
  requestValidation as sdkRequestValidation,
  triggerValidation,
} from "../sdk/index.js";
import { Status, Verdict } from "../sdk/types.js";
import {
  UserError,
  connectNetwork,
  deploymentDir,
  parseJobId,
  resolveEscrow,
  type CommonArgs,
} from "./context.js";

/** The key Ignition writes the adapter's address under (deploy/modules/ERC8004Adapter.ts). */
export const ADAPTER_FUTURE = "ERC8004Adapter#ERC8004ValidationAdapter";

type VerifyArgs = CommonArgs & { adapter: string; jobId: bigint };

/** --adapter, else WORKESCROW_ERC8004_ADAPTER, else the network's Ignition deployment. */
function resolveAdapter(hre: HardhatRuntimeEnvironment, chainId: bigint, given: string): string {
  const explicit = given || process.env.WORKESCROW_ERC8004_ADAPTER || "";
  if (explicit) {
    if (!isAddress(explicit)) throw new UserError(`--adapter ${explicit} is not an address`);
    return explicit;
  }
  const file = path.join(deploymentDir(hre, chainId), "deployed_addresses.json");
  const address = existsSync(file)
    ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, string>)[ADAPTER_FUTURE]
    : undefined;
  if (!address) {
    throw new UserError(
      `no ERC8004ValidationAdapter deployment for chain ${chainId} (${file} has no ${ADAPTER_FUTURE}): ` +
        "deploy deploy/modules/ERC8004Adapter.ts, or pass --adapter <address>",
    );
  }
  return address;
}

/** The connection, the acting signer, the escrow and the adapter (both checked to have code). */
async function connectVerify(hre: HardhatRuntimeEnvironment, args: VerifyArgs) {
  const net = await connectNetwork(hre, args.from);
  const escrow = resolveEscrow(hre, net.chainId, args.escrow);
  const adapter = resolveAdapter(hre, net.chainId, args.adapter);
  await net.requireCode(escrow);
  await net.requireCode(adapter);
  return { ...net, escrow, adapter, jobId: parseJobId(args.jobId) };
}

/** Like the escrow tasks' `run`, decoding the adapter's errors too. */
function run<A>(body: (args: A, hre: HardhatRuntimeEnvironment) => Promise<void>) {
  return async (args: A, hre: HardhatRuntimeEnvironment) => {
    try {
      await body(args, hre);
    } catch (err) {
      console.error(`error: ${err instanceof UserError ? err.message : describeVerifyError(err)}`);
      process.exitCode = 1;
    }
  };
}

const gas = (r: { receipt: { hash: string; blockNumber: number; gasUsed: bigint } }) =>
  `tx ${r.receipt.hash} (block ${r.receipt.blockNumber}, gas ${r.receipt.gasUsed})`;

export const validationTerms = run(
  async (
    args: VerifyArgs & { validator: string; minScore: number; tag: string },
    hre: HardhatRuntimeEnvironment,
  ) => {
    if (!isAddress(args.validator)) {
      throw new UserError(`--validator ${args.validator || "(missing)"} must be an address`);
    }
    if (!Number.isInteger(args.minScore) || args.minScore < 1 || args.minScore > 100) {
      throw new UserError(`--min-score ${args.minScore} must be a whole number from 1 to 100`);
    }
    const c = await connectVerify(hre, args);
    const r = await configureValidation(c.signer, {
      escrow: c.escrow,
      jobId: c.jobId,
      adapter: c.adapter,
      validator: args.validator,
      minScore: args.minScore,
      tag: args.tag,
    });
    const tag = args.tag
      ? `only a response tagged "${args.tag}" counts`
      : "the latest response counts";
    console.log(
      `job ${c.jobId}: validator ${args.validator} judges it; a score of ${args.minScore} or more approves, ` +
        `less rejects; ${tag}. These terms are now fixed.`,
    );
    console.log(gas(r));
  },
);

export const requestValidation = run(
  async (
    args: VerifyArgs & { uri: string; validator: string; registry: string },
    hre: HardhatRuntimeEnvironment,
  ) => {
    if (!args.uri) throw new UserError("give --uri <where the validator finds the work>");
    for (const [name, value] of [
      ["validator", args.validator],
      ["registry", args.registry],
    ] as const) {
      if (value && !isAddress(value)) throw new UserError(`--${name} ${value} is not an address`);
    }
    const c = await connectVerify(hre, args);
    const r = await sdkRequestValidation(c.signer, {
      escrow: c.escrow,
      jobId: c.jobId,
      adapter: c.adapter,
      requestURI: args.uri,
      validator: args.validator || undefined,
      registry: args.registry || undefined,
    });
    console.log(
      `job ${c.jobId}: validation requested from ${r.validator} for agent ${r.agentId} ` +
        `(request ${r.requestHash} in registry ${r.registry})`,
    );
    console.log(`once the validator answers: npx hardhat escrow:validate ${c.jobId}`);
    console.log(gas(r));
  },
);

export const validate = run(async (args: VerifyArgs & { check: boolean }, hre) => {
  const c = await connectVerify(hre, args);
  const target = { escrow: c.escrow, jobId: c.jobId, adapter: c.adapter };
  const state = await readValidation(c.signer, target);
  if (state.verdict !== Verdict.None) {
    console.log(`job ${c.jobId} already has a verdict: ${Verdict[state.verdict]}`);
    return;
  }
  if (state.status !== Status.Submitted) {
    throw new UserError(`job ${c.jobId} is ${Status[state.status]}: nothing to validate`);
  }
  const pending = state.pending;
  if (pending && "reason" in pending) throw new UserError(pending.reason);
  if (args.check) {
    const p = pending as { response: number; approved: boolean };
    console.log(
      `job ${c.jobId}: the validator answered ${p.response}; validate would ${p.approved ? "approve (release now)" : "reject (refund after the review window unless disputed)"}`,
    );
    return;
  }
  const r = await triggerValidation(c.signer, target);
  console.log(
    r.approved
      ? `job ${c.jobId} approved (response ${r.response}): released to the provider`
      : `job ${c.jobId} rejected (response ${r.response}): the provider may dispute within the review window, else anyone refunds the requester after it`,
  );
  console.log(gas(r));
});
