/**
 * The actions of the bid and relay tasks (`escrow:bid`, `escrow:bids`, `escrow:award`,
 * `escrow:cancel-bids`, `escrow:sign-request`, `escrow:relay`): thin adapters from CLI arguments to the
 * SDK's bids.ts and relay.ts, plus the file helpers they share (exported for tests).
 *
 * Bid files live under `<dir>/chain-<id>/job-<jobId>/<provider>-<sequence>.json` (default dir `bids`), so
 * a requester collects them in one folder and `escrow:bids` ranks them.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { getAddress, isAddress, type Interface } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import type { IWorkEscrow } from "../typechain-types/interfaces/IWorkEscrow.js";
import { IWorkEscrow__factory } from "../typechain-types/factories/interfaces/IWorkEscrow__factory.js";
import { WorkEscrowForwarder__factory } from "../typechain-types/factories/WorkEscrowForwarder__factory.js";
import {
  BidError,
  RelayError,
  awardBid,
  bidFromJson,
  bidToJson,
  cancelBids,
  describeRequest,
  formatTime,
  parseDeadline,
  rankBids,
  relay,
  requestFromJson,
  requestToJson,
  signBid,
  signRequest,
  verifyBid,
  type BidCheck,
  type SignedBid,
} from "../sdk/index.js";
import {
  UserError,
  connectNetwork,
  formatAmount,
  parseAmount,
  parseJobId,
  requireJob,
  resolveEscrow,
  run,
  tokenInfo,
  type CommonArgs,
} from "./context.js";

/* ------------------------------------------------------------------------- bid files */

/** Where `escrow:bid` writes a bid by default. */
export function bidFilePath(dir: string, signed: SignedBid): string {
  const sequence = signed.bid.nonce & ((1n << 64n) - 1n);
  return path.join(
    dir,
    `chain-${signed.chainId}`,
    `job-${signed.bid.jobId}`,
    `${signed.bid.provider}-${sequence}.json`,
  );
}

/** Writes a bid file (creating folders) and returns its path. */
export function writeBid(file: string, signed: SignedBid): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, bidToJson(signed) + "\n");
  return file;
}

/** Reads a bid file, with a clear error for a missing or malformed one. */
export function readBid(file: string): SignedBid {
  if (!existsSync(file)) throw new UserError(`${file} does not exist`);
  try {
    return bidFromJson(readFileSync(file, "utf8"));
  } catch (err) {
    throw new UserError(`${file}: ${(err as Error).message}`);
  }
}

/** Every `.json` file under `dir`, recursively. */
function jsonFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return jsonFiles(p);
    return name.endsWith(".json") ? [p] : [];
  });
}

/** A bid file found for a job, checked against the chain now (or unreadable). */
export interface ListedBid {
  file: string;
  signed: SignedBid;
  check: BidCheck;
}

/**
 * The bids for `jobId` under `dir` (the job's own folder and anything else below `dir` naming the
 * job), each checked with `verifyBid` against `escrow`, valid ones first and cheapest first. Files
 * that are not bids, or bids for other jobs, escrows or chains' folders, are left out; `unreadable`
 * lists the files that failed to parse.
 */
export async function listBids(
  escrow: IWorkEscrow,
  dir: string,
  jobId: bigint,
): Promise<{ bids: ListedBid[]; unreadable: { file: string; error: string }[] }> {
  const escrowAddress = getAddress(await escrow.getAddress());
  const bids: ListedBid[] = [];
  const unreadable: { file: string; error: string }[] = [];
  for (const file of jsonFiles(dir)) {
    let signed: SignedBid;
    try {
      signed = bidFromJson(readFileSync(file, "utf8"));
    } catch (err) {
      if (file.includes(`job-${jobId}${path.sep}`))
        unreadable.push({ file, error: (err as Error).message });
      continue;
    }
    if (signed.bid.jobId !== jobId || getAddress(signed.escrow) !== escrowAddress) continue;
    bids.push({ file, signed, check: await verifyBid(escrow, signed, { jobId }) });
  }
  return { bids: rankBids(bids), unreadable };
}

/* -------------------------------------------------------------------- call arguments */

/**
 * Encodes a call of the escrow function `fn` from CLI strings: numbers (decimal), addresses, bytes32
 * and bytes as hex, booleans as true/false, strings as they are; a tuple or array as JSON.
 */
export function encodeCliCall(iface: Interface, fn: string, values: string[]): string {
  const fragment = iface.getFunction(fn);
  if (!fragment) throw new UserError(`the escrow has no function ${fn}`);
  if (fragment.inputs.length !== values.length) {
    const sig = fragment.inputs.map((i) => `${i.type} ${i.name}`).join(", ");
    throw new UserError(
      `${fn}(${sig}) takes ${fragment.inputs.length} argument(s), got ${values.length}`,
    );
  }
  const args = fragment.inputs.map((input, i) => {
    const v = values[i];
    if (input.baseType === "tuple" || input.baseType === "array") {
      let parsed: unknown;
      try {
        parsed = JSON.parse(v);
      } catch {
        throw new UserError(`${input.name}: give a JSON ${input.baseType}`);
      }
      // ethers ignores unknown keys of a tuple: refuse them rather than drop a term silently.
      if (
        input.baseType === "tuple" &&
        parsed &&
        typeof parsed === "object" &&
        !Array.isArray(parsed)
      ) {
        const fields = input.components!.map((c) => c.name);
        const unknown = Object.keys(parsed).filter((k) => !fields.includes(k));
        if (unknown.length > 0)
          throw new UserError(
            `${input.name}: no field ${unknown.join(", ")} (it has ${fields.join(", ")})` +
              (fn === "createJob" ? "; optional terms go to createJobWithOptions" : ""),
          );
      }
      return parsed;
    }
    if (input.type === "bool") return v === "true";
    if (input.type === "address" && !isAddress(v))
      throw new UserError(`${input.name}: ${v} is not an address`);
    return v;
  });
  try {
    return iface.encodeFunctionData(fragment, args);
  } catch (err) {
    throw new UserError(`${fn}: ${(err as Error).message}`);
  }
}

/* --------------------------------------------------------------------------- actions */

async function connectEscrow(hre: HardhatRuntimeEnvironment, args: CommonArgs) {
  const net = await connectNetwork(hre, args.from);
  const address = resolveEscrow(hre, net.chainId, args.escrow);
  await net.requireCode(address);
  return { ...net, address, escrow: IWorkEscrow__factory.connect(address, net.signer) };
}

/** How a bid's price reads, in the job's token. */
async function priceText(
  escrow: IWorkEscrow,
  signer: Parameters<typeof tokenInfo>[0],
  jobId: bigint,
  price: bigint,
) {
  const job = await escrow.getJob(jobId);
  return formatAmount(price, await tokenInfo(signer, job.token));
}

export const bid = run(
  async (
    args: CommonArgs & {
      jobId: bigint;
      price: string;
      expiry: string;
      wallet: string;
      out: string;
      dir: string;
    },
    hre: HardhatRuntimeEnvironment,
  ) => {
    const { escrow, signer, now } = await connectEscrow(hre, args);
    const jobId = parseJobId(args.jobId);
    const job = await requireJob(await escrow.getAddress(), jobId, signer);
    if (!args.price) throw new UserError("--price is required (in whole tokens, e.g. 0.8)");
    const info = await tokenInfo(signer, job.token);
    const price = parseAmount(args.price, info.decimals);
    const expiry = parseDeadline(args.expiry, await now());
    if (args.wallet && !isAddress(args.wallet))
      throw new UserError(`--wallet ${args.wallet} is not an address`);
    const signed = await signBid(escrow, signer, {
      jobId,
      price,
      expiry,
      provider: args.wallet || undefined,
    });
    const file = writeBid(args.out || bidFilePath(args.dir, signed), signed);
    console.log(
      `bid on job ${jobId} by ${signed.bid.provider}: ${formatAmount(price, info)} ` +
        `(maximum ${formatAmount(job.amount, info)}), valid until ${formatTime(expiry)}, ` +
        `nonce key ${signed.bid.nonce >> 64n} sequence ${signed.bid.nonce & ((1n << 64n) - 1n)}`,
    );
    console.log(`written to ${file}`);
    const check = await verifyBid(escrow, signed);
    for (const p of check.problems) console.log(`warning: ${p.message}`);
  },
);

export const bids = run(
  async (args: CommonArgs & { jobId: bigint; dir: string }, hre: HardhatRuntimeEnvironment) => {
    const { escrow, signer } = await connectEscrow(hre, args);
    const jobId = parseJobId(args.jobId);
    const job = await requireJob(await escrow.getAddress(), jobId, signer);
    const info = await tokenInfo(signer, job.token);
    const { bids: listed, unreadable } = await listBids(escrow, args.dir, jobId);
    console.log(
      `job ${jobId}: maximum price ${formatAmount(job.amount, info)}, ${listed.length} bid(s) in ${args.dir}`,
    );
    listed.forEach((b, i) => {
      const mark = b.check.valid ? `${i + 1}.` : "✗ ";
      const why = b.check.valid
        ? ""
        : `  INVALID: ${b.check.problems.map((p) => p.code).join(", ")}`;
      console.log(
        `${mark} ${formatAmount(b.signed.bid.price, info)}  ${b.signed.bid.provider}  ` +
          `until ${formatTime(b.signed.bid.expiry)}  ${b.file}${why}`,
      );
    });
    for (const u of unreadable) console.log(`✗  ${u.file}  UNREADABLE: ${u.error}`);
  },
);

export const award = run(
  async (args: CommonArgs & { file: string }, hre: HardhatRuntimeEnvironment) => {
    const { escrow, signer } = await connectEscrow(hre, args);
    const signed = readBid(args.file);
    try {
      const r = await awardBid(escrow, signed);
      const price = await priceText(escrow, signer, r.jobId, r.price);
      const refunded = await priceText(escrow, signer, r.jobId, r.refunded);
      console.log(
        `job ${r.jobId} awarded to ${r.provider} at ${price}; ${refunded} back to the requester; ` +
          (r.accepted ? "the job is Accepted" : "waiting for the provider's bond (acceptJob)"),
      );
      console.log(
        `tx ${r.receipt.hash} (block ${r.receipt.blockNumber}, gas ${r.receipt.gasUsed})`,
      );
    } catch (err) {
      if (err instanceof BidError) throw new UserError(err.message);
      throw err;
    }
  },
);

export const cancelBidsAction = run(
  async (args: CommonArgs & { jobId: bigint }, hre: HardhatRuntimeEnvironment) => {
    const { escrow, signer } = await connectEscrow(hre, args);
    const jobId = parseJobId(args.jobId);
    const before = await escrow.nonces(signer.address, jobId);
    const receipt = await cancelBids(escrow, jobId);
    console.log(
      `bids of ${signer.address} on job ${jobId} at nonce ${before} cancelled; new bids use ${before + 1n}`,
    );
    console.log(`tx ${receipt.hash} (block ${receipt.blockNumber}, gas ${receipt.gasUsed})`);
  },
);

export const signRequestAction = run(
  async (
    args: CommonArgs & {
      fn: string;
      values: string[];
      value: string;
      deadline: string;
      gas: string;
      out: string;
    },
    hre: HardhatRuntimeEnvironment,
  ) => {
    const { escrow, signer, address, now } = await connectEscrow(hre, args);
    const data = encodeCliCall(escrow.interface, args.fn, args.values);
    const forwarder = WorkEscrowForwarder__factory.connect(await escrow.trustedForwarder(), signer);
    const value = args.value ? parseAmount(args.value, 18) : 0n;
    const signed = await signRequest(forwarder, signer, {
      to: address,
      data,
      value,
      gas: args.gas ? BigInt(args.gas) : undefined,
      deadline: parseDeadline(args.deadline, await now()),
    });
    const file =
      args.out || path.join("requests", `${signer.address}-${signed.nonce}-${args.fn}.json`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, requestToJson(signed) + "\n");
    console.log(
      `request signed by ${signer.address}: ${describeRequest(signed)}, nonce ${signed.nonce}, ` +
        `gas ${signed.request.gas}, valid until ${formatTime(signed.request.deadline)}`,
    );
    console.log(`written to ${file}: anyone can send it with escrow:relay ${file}`);
  },
);

export const relayAction = run(
  async (args: CommonArgs & { file: string }, hre: HardhatRuntimeEnvironment) => {
    const { escrow, signer } = await connectEscrow(hre, args);
    if (!existsSync(args.file)) throw new UserError(`${args.file} does not exist`);
    let signed;
    try {
      signed = requestFromJson(readFileSync(args.file, "utf8"));
    } catch (err) {
      throw new UserError(`${args.file}: ${(err as Error).message}`);
    }
    const forwarderAddress = await escrow.trustedForwarder();
    const forwarder = WorkEscrowForwarder__factory.connect(forwarderAddress, signer);
    try {
      const { receipt, events } = await relay(forwarder, signed);
      console.log(
        `relayed ${describeRequest(signed)} for ${signed.request.from}; ${signer.address} paid the gas`,
      );
      for (const e of events)
        console.log(`  ${e.name}(${e.args.map((a: unknown) => String(a)).join(", ")})`);
      console.log(`tx ${receipt.hash} (block ${receipt.blockNumber}, gas ${receipt.gasUsed})`);
    } catch (err) {
      if (err instanceof RelayError) throw new UserError(`${err.code}: ${err.message}`);
      throw err;
    }
  },
);
