/**
 * Gasless calls (ERC-2771): the actor signs an OpenZeppelin `ForwardRequest` off-chain, anyone relays
 * it through the deployment's `WorkEscrowForwarder` and pays the gas, and the escrow acts for the
 * signer (`_msgSender()`). Standalone functions over the typechain `WorkEscrowForwarder` and an ethers
 * `Signer`.
 *
 *   const data = escrow.interface.encodeFunctionData("submitWork", [jobId, resultHash]);
 *   const signed = await signRequest(forwarder, provider, { to: escrowAddress, data });  // no gas
 *   const { receipt } = await relay(forwarder.connect(relayer), signed);             // relayer pays
 *
 * `relay` checks the request first (chain, deadline, nonce, signer, trusted target) and simulates the
 * call as the forwarder would make it, so a request that would fail is refused with the escrow's own
 * custom error: the forwarder itself only reports `FailedCall()` when the relayed call reverts.
 */
import {
  Contract,
  Interface,
  TypedDataEncoder,
  concat,
  getAddress,
  type LogDescription,
  type Provider,
  type Signer,
  type TransactionReceipt,
  type TypedDataDomain,
} from "ethers";
import type { WorkEscrowForwarder } from "../typechain-types/WorkEscrowForwarder.js";
import { WorkEscrowForwarder__factory } from "../typechain-types/factories/WorkEscrowForwarder__factory.js";
import { IWorkEscrow__factory } from "../typechain-types/factories/interfaces/IWorkEscrow__factory.js";
import { decodeRevertData, type DecodedError } from "./errors.js";

/** OpenZeppelin ERC2771Forwarder's EIP-712 request type (`_FORWARD_REQUEST_TYPEHASH`). */
export const FORWARD_REQUEST_TYPES = {
  ForwardRequest: [
    { name: "from", type: "address" },
    { name: "to", type: "address" },
    { name: "value", type: "uint256" },
    { name: "gas", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint48" },
    { name: "data", type: "bytes" },
  ],
};

/** `ERC2771Forwarder.ForwardRequestData`: what `execute` takes. */
export interface ForwardRequestData {
  from: string;
  to: string;
  /** native coin the relayer sends with the call (e.g. a native job's amount, a bond, a dispute deposit) */
  value: bigint;
  /** gas the forwarder must give the call */
  gas: bigint;
  /** unix seconds; the request is valid up to and including it */
  deadline: bigint;
  data: string;
  signature: string;
}

/** A signed request with what it was signed for: what a request file holds. */
export interface SignedRequest {
  request: ForwardRequestData;
  /** the signer's forwarder nonce the signature commits to (not part of ForwardRequestData) */
  nonce: bigint;
  forwarder: string;
  chainId: bigint;
}

/** Why a request cannot be relayed now. */
export type RelayProblemCode =
  | "wrong-chain" // signed for another chain
  | "wrong-forwarder" // signed for another forwarder
  | "expired" // ERC2771ForwarderExpiredRequest
  | "replayed" // the nonce was used: the request ran already (the forwarder says InvalidSigner)
  | "nonce-ahead" // signed at a nonce not reached yet (likewise)
  | "bad-signature" // ERC2771ForwarderInvalidSigner: tampered, or not signed by `from`
  | "untrusted-target" // ERC2771UntrustfulTarget: the target does not trust this forwarder
  | "call-reverts"; // the relayed call itself would revert (`decoded` says why)

/** Thrown by `relay` (nothing was sent) and by `signRequest` (nothing was signed). */
export class RelayError extends Error {
  constructor(
    readonly code: RelayProblemCode,
    message: string,
    /** the escrow's (or forwarder's) custom error, when there is one */
    readonly decoded?: DecodedError,
  ) {
    super(message);
    this.name = "RelayError";
  }
}

/** What a relayed call did. */
export interface RelayResult {
  receipt: TransactionReceipt;
  /** the events of the target (the escrow) that the call emitted, decoded with IWorkEscrow */
  events: LogDescription[];
}

const forwarderInterface = WorkEscrowForwarder__factory.createInterface();
const escrowInterface = IWorkEscrow__factory.createInterface();
/** The forwarder's errors (ERC2771Forwarder*, FailedCall when the relayed call reverted). */
const relayErrors = new Interface(
  WorkEscrowForwarder__factory.abi.filter((f) => f.type === "error"),
);

/** The forwarder's EIP-712 domain (EIP-5267): name "WorkEscrowForwarder", version "1". */
export async function forwarderDomain(forwarder: WorkEscrowForwarder): Promise<TypedDataDomain> {
  const d = await forwarder.eip712Domain();
  return {
    name: d.name,
    version: d.version,
    chainId: d.chainId,
    verifyingContract: d.verifyingContract,
  };
}

/** The digest the signer signs for a request at `nonce`. */
export function requestDigest(
  domain: TypedDataDomain,
  request: Omit<ForwardRequestData, "signature">,
  nonce: bigint,
): string {
  return TypedDataEncoder.hash(domain, FORWARD_REQUEST_TYPES, { ...request, nonce });
}

function providerOf(runner: { provider?: Provider | null } | null | undefined): Provider {
  const provider = runner?.provider;
  if (!provider) throw new Error("the forwarder must be connected to a provider");
  return provider;
}

/** Revert data of a failed eth_call, if the node gave any. */
function revertData(err: unknown): string | undefined {
  const e = err as {
    data?: unknown;
    info?: { error?: { data?: unknown } };
    error?: { data?: unknown };
  };
  for (const d of [e?.data, e?.info?.error?.data, e?.error?.data]) {
    if (typeof d === "string" && d.startsWith("0x") && d.length >= 10) return d;
    if (d && typeof d === "object" && typeof (d as { data?: unknown }).data === "string")
      return (d as { data: string }).data;
  }
  return undefined;
}

/** Gas a request asks for when the node cannot simulate the call (see `simulateForwarded`). */
export const DEFAULT_REQUEST_GAS = 500_000n;

/**
 * Runs the call exactly as the forwarder would make it (from the forwarder, with the signer's
 * address appended to the calldata) and throws a RelayError with the target's custom error if it
 * reverts. Returns the gas it used, or undefined when the node refuses to simulate without giving a
 * revert (e.g. a node that checks the forwarder's balance against `value`).
 */
export async function simulateForwarded(
  provider: Provider,
  forwarder: string,
  call: { from: string; to: string; data: string; value?: bigint },
): Promise<bigint | undefined> {
  const tx = {
    from: forwarder,
    to: call.to,
    data: concat([call.data, call.from]),
    value: call.value ?? 0n,
  };
  try {
    return await provider.estimateGas(tx);
  } catch (err) {
    const data = revertData(err);
    const decoded = data ? decodeRevertData(data) : undefined;
    if (decoded)
      throw new RelayError(
        "call-reverts",
        `the relayed call would revert: ${decoded.message}`,
        decoded,
      );
    if (data)
      throw new RelayError("call-reverts", `the relayed call would revert with data ${data}`);
    if ((call.value ?? 0n) > 0n) return undefined;
    throw err;
  }
}

/**
 * The actor signs a request to call `to` with `data` (and `value`, which the relayer pays). Nothing is
 * sent. `gas` defaults to a simulation of the call as the forwarder makes it, plus a 25% margin (a
 * call that would revert is refused here with its custom error); `deadline` defaults to one hour
 * from the latest block; the nonce is the signer's next forwarder nonce.
 */
export async function signRequest(
  forwarder: WorkEscrowForwarder,
  signer: Signer,
  call: { to: string; data: string; value?: bigint; gas?: bigint; deadline?: bigint },
): Promise<SignedRequest> {
  const provider = providerOf(signer);
  const from = getAddress(await signer.getAddress());
  const forwarderAddress = getAddress(await forwarder.getAddress());
  const [domain, nonce, block] = await Promise.all([
    forwarderDomain(forwarder),
    forwarder.nonces(from),
    provider.getBlock("latest"),
  ]);
  const value = call.value ?? 0n;
  let gas = call.gas;
  if (gas === undefined) {
    const used = await simulateForwarded(provider, forwarderAddress, {
      from,
      to: call.to,
      data: call.data,
      value,
    });
    gas = used === undefined ? DEFAULT_REQUEST_GAS : (used * 125n) / 100n;
  }
  const request = {
    from,
    to: getAddress(call.to),
    value,
    gas,
    deadline: call.deadline ?? BigInt(block!.timestamp) + 3600n,
    data: call.data,
  };
  const signature = await signer.signTypedData(domain, FORWARD_REQUEST_TYPES, {
    ...request,
    nonce,
  });
  return {
    request: { ...request, signature },
    nonce,
    forwarder: forwarderAddress,
    chainId: BigInt(domain.chainId!),
  };
}

/**
 * Every check `execute` makes, and a simulation of the call, without sending anything. Throws a
 * `RelayError` naming the first problem; returns quietly when the request would go through.
 */
export async function checkRequest(
  forwarder: WorkEscrowForwarder,
  signed: SignedRequest,
): Promise<void> {
  const provider = providerOf(forwarder.runner);
  const { request } = signed;
  const [domain, block, nonce] = await Promise.all([
    forwarderDomain(forwarder),
    provider.getBlock("latest"),
    forwarder.nonces(request.from),
  ]);
  if (BigInt(domain.chainId!) !== BigInt(signed.chainId))
    throw new RelayError(
      "wrong-chain",
      `the request was signed for chain ${signed.chainId}, this is chain ${domain.chainId}`,
    );
  if (getAddress(String(domain.verifyingContract)) !== getAddress(signed.forwarder))
    throw new RelayError(
      "wrong-forwarder",
      `the request was signed for forwarder ${signed.forwarder}, not ${domain.verifyingContract}`,
    );
  // The forwarder accepts a request while deadline >= block.timestamp of the block that runs it.
  if (request.deadline <= BigInt(block!.timestamp))
    throw new RelayError("expired", `the request expired at ${request.deadline}`);
  if (signed.nonce < nonce)
    throw new RelayError(
      "replayed",
      `the request's nonce ${signed.nonce} was used: it was relayed already (next is ${nonce})`,
    );
  if (signed.nonce > nonce)
    throw new RelayError(
      "nonce-ahead",
      `the request's nonce ${signed.nonce} is not reached yet (next is ${nonce})`,
    );
  const target = new Contract(
    request.to,
    ["function isTrustedForwarder(address) view returns (bool)"],
    provider,
  );
  let trusted = false;
  try {
    trusted = await target.isTrustedForwarder(signed.forwarder);
  } catch {
    trusted = false;
  }
  if (!trusted)
    throw new RelayError(
      "untrusted-target",
      `${request.to} does not trust forwarder ${signed.forwarder}`,
    );
  if (!(await forwarder.verify(request)))
    throw new RelayError(
      "bad-signature",
      `the signature is not ${request.from}'s over this request (tampered, or signed by someone else)`,
    );
  await simulateForwarded(provider, signed.forwarder, request);
}

/**
 * Sends a signed request through the forwarder; the forwarder's signer (the relayer) pays the gas and
 * `request.value`. Checks it first (`checkRequest`): a request that would fail is refused with a
 * `RelayError` and nothing is sent. Pass `check: false` to send it as is.
 */
export async function relay(
  forwarder: WorkEscrowForwarder,
  signed: SignedRequest,
  options: { check?: boolean } = {},
): Promise<RelayResult> {
  if (options.check !== false) await checkRequest(forwarder, signed);
  let receipt: TransactionReceipt;
  try {
    const tx = await forwarder.execute(signed.request, { value: signed.request.value });
    receipt = (await tx.wait())!;
  } catch (err) {
    const data = revertData(err);
    let decoded: DecodedError | undefined;
    if (data) {
      let e = null;
      try {
        e = relayErrors.parseError(data);
      } catch {
        e = null;
      }
      decoded = e
        ? { name: e.name, args: { ...e.args.toObject() }, message: e.name }
        : decodeRevertData(data);
    }
    if (decoded) throw new RelayError("call-reverts", `relay failed: ${decoded.message}`, decoded);
    throw err;
  }
  const to = signed.request.to.toLowerCase();
  const events = receipt.logs
    .filter((l) => l.address.toLowerCase() === to)
    .flatMap((l) => {
      try {
        return escrowInterface.parseLog(l) ?? [];
      } catch {
        return [];
      }
    });
  const executed = receipt.logs
    .filter((l) => l.address.toLowerCase() === signed.forwarder.toLowerCase())
    .map((l) => forwarderInterface.parseLog(l))
    .find((e) => e?.name === "ExecutedForwardRequest");
  if (!executed?.args.success) throw new RelayError("call-reverts", "the relayed call failed");
  return { receipt, events };
}

/** A signed request as JSON (bigints as decimal strings), the format of request files. */
export function requestToJson(signed: SignedRequest): string {
  const r = signed.request;
  return JSON.stringify(
    {
      type: "WorkEscrowForwardRequest",
      chainId: signed.chainId.toString(),
      forwarder: signed.forwarder,
      nonce: signed.nonce.toString(),
      request: {
        from: r.from,
        to: r.to,
        value: r.value.toString(),
        gas: r.gas.toString(),
        deadline: r.deadline.toString(),
        data: r.data,
        signature: r.signature,
      },
    },
    null,
    2,
  );
}

/** Parses a request file written by `requestToJson`. */
export function requestFromJson(text: string): SignedRequest {
  let o: any;
  try {
    o = JSON.parse(text);
  } catch {
    throw new Error("not a request: the file is not JSON");
  }
  if (o?.type !== "WorkEscrowForwardRequest" || typeof o.request !== "object" || o.request === null)
    throw new Error('not a request: expected {"type": "WorkEscrowForwardRequest", ...}');
  const big = (v: unknown, name: string) => {
    if (typeof v !== "string" || !/^\d+$/.test(v))
      throw new Error(`not a request: ${name} is missing`);
    return BigInt(v);
  };
  const hex = (v: unknown, name: string) => {
    if (typeof v !== "string" || !/^0x[0-9a-fA-F]*$/.test(v))
      throw new Error(`not a request: ${name} is missing`);
    return v;
  };
  const r = o.request;
  return {
    chainId: big(o.chainId, "chainId"),
    forwarder: getAddress(o.forwarder),
    nonce: big(o.nonce, "nonce"),
    request: {
      from: getAddress(r.from),
      to: getAddress(r.to),
      value: big(r.value, "request.value"),
      gas: big(r.gas, "request.gas"),
      deadline: big(r.deadline, "request.deadline"),
      data: hex(r.data, "request.data"),
      signature: hex(r.signature, "request.signature"),
    },
  };
}

/** The escrow function a request calls, in words (`submitWork(3, 0xab…)`), for listings and logs. */
export function describeRequest(signed: SignedRequest): string {
  try {
    const call = escrowInterface.parseTransaction({
      data: signed.request.data,
      value: signed.request.value,
    });
    if (call) return `${call.name}(${call.args.map((a) => String(a)).join(", ")})`;
  } catch {
    /* not an escrow call */
  }
  return `call ${signed.request.data.slice(0, 10)} on ${signed.request.to}`;
}
