/**
 * Bids: a provider signs an EIP-712 offer to do an open job for a price; the requester awards the best
 * one on-chain (`awardBid`), becoming bound to that provider at that price and getting the difference
 * back at once. Standalone functions over the typechain `IWorkEscrow` and an ethers `Signer`.
 *
 *   const signed = await signBid(escrow, provider, { jobId, price, expiry });   // off-chain, free
 *   const check = await verifyBid(escrow, signed);                              // what awardBid would say
 *   const { refunded } = await awardBid(escrow.connect(requester), signed);     // on-chain
 *
 * The domain is read from the escrow (EIP-5267 `eip712Domain`: name "WorkEscrow", version "2", the
 * chain id and the escrow's address), so a bid is bound to one escrow on one chain. The nonce is the
 * provider's OpenZeppelin NoncesKeyed nonce with key = job id (`key << 64 | sequence`); `cancelBids`
 * uses it up, so every bid signed at that nonce dies.
 */
import {
  Contract,
  TypedDataEncoder,
  getAddress,
  recoverAddress,
  type Provider,
  type Signer,
  type TransactionReceipt,
  type TypedDataDomain,
} from "ethers";
import type { IWorkEscrow } from "../typechain-types/interfaces/IWorkEscrow.js";
import { toEscrowError } from "./errors.js";
import { broadcast } from "./send.js";
import { ERC1271_MAGIC_VALUE, ecdsaShapeProblem } from "./signatures.js";
import { NATIVE, Status } from "./types.js";

/** The EIP-712 type of a bid, as `IWorkEscrowTypes.Bid` and the escrow's BID_TYPEHASH define it. */
export const BID_TYPES = {
  Bid: [
    { name: "jobId", type: "uint256" },
    { name: "provider", type: "address" },
    { name: "price", type: "uint256" },
    { name: "expiry", type: "uint64" },
    { name: "nonce", type: "uint256" },
  ],
};

export { ERC1271_MAGIC_VALUE };

/** A provider's offer (`IWorkEscrowTypes.Bid`). */
export interface Bid {
  jobId: bigint;
  /** the bidder: an EOA, or an ERC-1271 contract wallet whose owner signs */
  provider: string;
  /** base units of the job's token; 0 < price ≤ the job's amount */
  price: bigint;
  /** unix seconds; the bid can be awarded up to and including it */
  expiry: bigint;
  /** NoncesKeyed nonce of the provider: key (the job id) << 64 | sequence */
  nonce: bigint;
}

/** A bid with its signature and the escrow and chain it was signed for: what a bid file holds. */
export interface SignedBid {
  bid: Bid;
  signature: string;
  escrow: string;
  chainId: bigint;
}

/** Why a bid cannot be awarded now (each maps to the custom error `awardBid` would revert with). */
export type BidProblemCode =
  | "wrong-chain" // signed for another chain (the signature would not verify here)
  | "wrong-escrow" // signed for another escrow (likewise)
  | "wrong-job" // WorkEscrowBidForOtherJob
  | "not-open" // WorkEscrowInvalidStatus
  | "not-biddable" // WorkEscrowNotBiddable (a designated provider)
  | "expired" // WorkEscrowBidExpired
  | "deadline-passed" // WorkEscrowDeadlinePassed
  | "above-price" // WorkEscrowBidAboveAmount
  | "zero-price" // WorkEscrowZeroAmount
  | "below-minimum" // WorkEscrowAmountBelowMinimum
  | "invalid-provider" // WorkEscrowInvalidProvider (zero, or a party of the job)
  | "bad-signature" // WorkEscrowInvalidBidSignature (tampered, wrong signer, revoked ERC-1271 key)
  | "nonce-used" // WorkEscrowInvalidBidNonce: awarded already, or cancelled with invalidateNonce
  | "nonce-ahead"; // WorkEscrowInvalidBidNonce: signed at a nonce not reached yet

export interface BidProblem {
  code: BidProblemCode;
  message: string;
}

/** The outcome of `verifyBid`: valid when there is no problem. */
export interface BidCheck {
  valid: boolean;
  problems: BidProblem[];
  /** the EIP-712 digest the provider signed */
  digest: string;
}

/** Thrown by `awardBid` when `verifyBid` finds problems (nothing was sent). */
export class BidError extends Error {
  constructor(readonly problems: BidProblem[]) {
    super(`bid cannot be awarded: ${problems.map((p) => p.message).join("; ")}`);
    this.name = "BidError";
  }
}

/** The EIP-712 domain of the escrow's bids, read with EIP-5267 `eip712Domain()`. */
export async function bidDomain(escrow: IWorkEscrow): Promise<TypedDataDomain> {
  const d = await escrow.eip712Domain();
  return {
    name: d.name,
    version: d.version,
    chainId: d.chainId,
    verifyingContract: d.verifyingContract,
  };
}

/** The digest a provider signs for `bid` (computed locally; equals the escrow's `hashBid(bid)`). */
export function bidDigest(domain: TypedDataDomain, bid: Bid): string {
  return TypedDataEncoder.hash(domain, BID_TYPES, bid);
}

/** The nonce a new bid on `jobId` by `provider` uses: its next NoncesKeyed nonce with key = job id. */
export function nextBidNonce(
  escrow: IWorkEscrow,
  provider: string,
  jobId: bigint,
): Promise<bigint> {
  return escrow.nonces(provider, jobId);
}

/**
 * Signs a bid (off-chain, no gas). `signer` is the provider, or the owner of the ERC-1271 wallet
 * named in `provider`. The nonce defaults to the provider's next nonce for the job, so every bid the
 * provider has outstanding on the job shares it and `cancelBids` kills them all at once.
 */
export async function signBid(
  escrow: IWorkEscrow,
  signer: Signer,
  input: { jobId: bigint; price: bigint; expiry: bigint; provider?: string; nonce?: bigint },
): Promise<SignedBid> {
  const provider = getAddress(input.provider ?? (await signer.getAddress()));
  const domain = await bidDomain(escrow);
  const bid: Bid = {
    jobId: input.jobId,
    provider,
    price: input.price,
    expiry: input.expiry,
    nonce: input.nonce ?? (await nextBidNonce(escrow, provider, input.jobId)),
  };
  const signature = await signer.signTypedData(domain, BID_TYPES, bid);
  return {
    bid,
    signature,
    escrow: getAddress(String(domain.verifyingContract)),
    chainId: BigInt(domain.chainId!),
  };
}

/**
 * Everything `awardBid` checks, read from the chain without sending anything: the domain, the job
 * (open, biddable, deadline, amount, the token's minimum, the bidder's other roles), the expiry against
 * the latest block, the nonce, and the signature (ECDSA for an EOA, ERC-1271 `isValidSignature` for a
 * contract wallet). `jobId` defaults to the bid's own; pass the job you mean to award to catch a
 * bid for another job.
 */
export async function verifyBid(
  escrow: IWorkEscrow,
  signed: SignedBid,
  options: { jobId?: bigint; now?: bigint } = {},
): Promise<BidCheck> {
  const problems: BidProblem[] = [];
  const add = (code: BidProblemCode, message: string) => problems.push({ code, message });
  const { bid } = signed;
  const jobId = options.jobId ?? bid.jobId;
  const runner = escrow.runner;
  const provider = runner?.provider;
  if (!provider) throw new Error("verifyBid needs an escrow connected to a provider");

  const domain = await bidDomain(escrow);
  const digest = bidDigest(domain, bid);
  if (BigInt(domain.chainId!) !== BigInt(signed.chainId))
    add("wrong-chain", `signed for chain ${signed.chainId}, this is chain ${domain.chainId}`);
  if (getAddress(String(domain.verifyingContract)) !== getAddress(signed.escrow))
    add("wrong-escrow", `signed for escrow ${signed.escrow}, not ${domain.verifyingContract}`);
  if (bid.jobId !== jobId) add("wrong-job", `the bid is for job ${bid.jobId}, not job ${jobId}`);

  const [job, block] = await Promise.all([escrow.getJob(jobId), provider.getBlock("latest")]);
  const now = options.now ?? BigInt(block!.timestamp);
  const status = Number(job.status) as Status;
  if (status !== Status.Open) add("not-open", `job ${jobId} is ${Status[status]}, not Open`);
  else if (job.provider !== NATIVE && !job.bidsOnly)
    add("not-biddable", `job ${jobId} has a designated provider ${job.provider}`);
  if (now > bid.expiry) add("expired", `the bid expired at ${bid.expiry} (now ${now})`);
  if (status === Status.Open && now > job.deadline)
    add("deadline-passed", `job ${jobId}'s deadline ${job.deadline} has passed`);
  if (status !== Status.None && bid.price > job.amount)
    add("above-price", `price ${bid.price} is above the job's amount ${job.amount}`);
  if (bid.price === 0n) add("zero-price", "the price is zero");
  else if (status !== Status.None) {
    const minimum = await escrow.minAmount(job.token);
    if (bid.price < minimum)
      add("below-minimum", `price ${bid.price} is below the token's minimum ${minimum}`);
  }

  const bidder = getAddress(bid.provider);
  if (status !== Status.None) {
    const { isApprover } = await escrow.approverState(jobId, bidder);
    const roles = [job.requester, job.arbitrator, job.verifier].map((a) => a.toLowerCase());
    if (bidder === NATIVE || roles.includes(bidder.toLowerCase()) || isApprover)
      add("invalid-provider", `${bidder} already holds a role in job ${jobId}`);
  }

  const expected = await escrow.nonces(bidder, bid.nonce >> 64n);
  if (bid.nonce < expected)
    add("nonce-used", `nonce ${bid.nonce} was used (awarded or cancelled); next is ${expected}`);
  else if (bid.nonce > expected)
    add("nonce-ahead", `nonce ${bid.nonce} is not reached yet; next is ${expected}`);

  if (!(await isValidSignature(provider, bidder, digest, signed.signature)))
    add("bad-signature", `the signature is not ${bidder}'s over this bid on this escrow and chain`);
  return { valid: problems.length === 0, problems, digest };
}

/**
 * Whether `signature` is `signer`'s over `digest`, as OpenZeppelin's SignatureChecker decides: ECDSA
 * for an address without code, ERC-1271 `isValidSignature` (magic value 0x1626ba7e) for a contract.
 */
export async function isValidSignature(
  provider: Provider,
  signer: string,
  digest: string,
  signature: string,
): Promise<boolean> {
  const code = await provider.getCode(signer);
  if (code === "0x") {
    // OpenZeppelin's ECDSA.tryRecover: 65 bytes, s ≤ n/2, v 27/28 (ethers alone takes 64-byte compact
    // signatures and most high-s ones, which awardBid refuses).
    if (ecdsaShapeProblem(signature) !== null) return false;
    try {
      return getAddress(recoverAddress(digest, signature)) === getAddress(signer);
    } catch {
      return false; // malformed signature
    }
  }
  const wallet = new Contract(
    signer,
    ["function isValidSignature(bytes32 hash, bytes signature) view returns (bytes4)"],
    provider,
  );
  try {
    return (await wallet.isValidSignature(digest, signature)) === ERC1271_MAGIC_VALUE;
  } catch {
    return false;
  }
}

/** What an award did. */
export interface AwardResult {
  receipt: TransactionReceipt;
  jobId: bigint;
  provider: string;
  price: bigint;
  /** what went back to the requester (amount - price), pushed or credited */
  refunded: bigint;
  /** true when the job is Accepted now; false for a bonded job waiting for the bidder's bond */
  accepted: boolean;
}

/**
 * The requester awards a signed bid. By default checks it with `verifyBid` first and throws a
 * `BidError` listing every problem without sending anything; a revert is thrown as an `EscrowError`.
 * `escrow` must be connected to the requester's signer.
 */
export async function awardBid(
  escrow: IWorkEscrow,
  signed: SignedBid,
  options: { jobId?: bigint; check?: boolean } = {},
): Promise<AwardResult> {
  const jobId = options.jobId ?? signed.bid.jobId;
  if (options.check !== false) {
    const check = await verifyBid(escrow, signed, { jobId });
    if (!check.valid) throw new BidError(check.problems);
  }
  let receipt: TransactionReceipt;
  try {
    const tx = await broadcast(escrow.runner, (o) =>
      escrow.awardBid(jobId, signed.bid, signed.signature, o),
    );
    receipt = (await tx.wait())!;
  } catch (err) {
    throw toEscrowError(err);
  }
  const events = receipt.logs.flatMap((l) => {
    try {
      return escrow.interface.parseLog(l) ?? [];
    } catch {
      return [];
    }
  });
  const awarded = events.find((e) => e.name === "BidAwarded");
  if (!awarded) throw new Error("awardBid: no BidAwarded event in the receipt");
  return {
    receipt,
    jobId,
    provider: awarded.args.provider as string,
    price: awarded.args.price as bigint,
    refunded: awarded.args.refunded as bigint,
    accepted: events.some((e) => e.name === "JobAccepted"),
  };
}

/**
 * The provider cancels every bid it has outstanding on `jobId` at its current nonce (key = job id):
 * `invalidateNonce(jobId)`. Bids signed afterwards use the next nonce. `escrow` must be connected to
 * the provider (an ERC-1271 wallet calls `invalidateNonce` itself).
 */
export async function cancelBids(escrow: IWorkEscrow, jobId: bigint): Promise<TransactionReceipt> {
  try {
    const tx = await broadcast(escrow.runner, (o) => escrow.invalidateNonce(jobId, o));
    return (await tx.wait())!;
  } catch (err) {
    throw toEscrowError(err);
  }
}

/** A bid as JSON (bigints as decimal strings), the format of bid files. */
export function bidToJson(signed: SignedBid): string {
  const { bid } = signed;
  return JSON.stringify(
    {
      type: "WorkEscrowBid",
      chainId: signed.chainId.toString(),
      escrow: signed.escrow,
      bid: {
        jobId: bid.jobId.toString(),
        provider: bid.provider,
        price: bid.price.toString(),
        expiry: bid.expiry.toString(),
        nonce: bid.nonce.toString(),
      },
      signature: signed.signature,
    },
    null,
    2,
  );
}

/** Parses a bid file written by `bidToJson`; throws on anything else, saying what is missing. */
export function bidFromJson(text: string): SignedBid {
  let o: any;
  try {
    o = JSON.parse(text);
  } catch {
    throw new Error("not a bid: the file is not JSON");
  }
  if (o?.type !== "WorkEscrowBid" || typeof o.bid !== "object" || o.bid === null)
    throw new Error('not a bid: expected {"type": "WorkEscrowBid", ...}');
  const big = (v: unknown, name: string) => {
    if (typeof v !== "string" || !/^\d+$/.test(v)) throw new Error(`not a bid: ${name} is missing`);
    return BigInt(v);
  };
  if (typeof o.signature !== "string" || !/^0x[0-9a-fA-F]*$/.test(o.signature))
    throw new Error("not a bid: signature is missing");
  return {
    chainId: big(o.chainId, "chainId"),
    escrow: getAddress(o.escrow),
    bid: {
      jobId: big(o.bid.jobId, "bid.jobId"),
      provider: getAddress(o.bid.provider),
      price: big(o.bid.price, "bid.price"),
      expiry: big(o.bid.expiry, "bid.expiry"),
      nonce: big(o.bid.nonce, "bid.nonce"),
    },
    signature: o.signature,
  };
}

/** Orders checked bids as a requester picks them: valid ones first, cheapest first, then earliest expiry. */
export function rankBids<T extends { signed: SignedBid; check: BidCheck }>(bids: T[]): T[] {
  return [...bids].sort((a, b) => {
    if (a.check.valid !== b.check.valid) return a.check.valid ? -1 : 1;
    const pa = a.signed.bid.price;
    const pb = b.signed.bid.price;
    if (pa !== pb) return pa < pb ? -1 : 1;
    const ea = a.signed.bid.expiry;
    const eb = b.signed.bid.expiry;
    return ea === eb ? 0 : ea < eb ? -1 : 1;
  });
}
