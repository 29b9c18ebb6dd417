/**
 * EIP-712 signing for the bid and gasless tests, written from the standards (not from the SDK, which the
 * tests check against these): WorkEscrow bids, OpenZeppelin ForwardRequests, EIP-2612 permits and
 * ERC-3009 authorizations.
 */
import { Signature, type Signer, type TypedDataDomain } from "ethers";
import type { IWorkEscrow, WorkEscrowForwarder } from "../../typechain-types/index.js";

export interface BidStruct {
  jobId: bigint;
  provider: string;
  price: bigint;
  expiry: bigint;
  nonce: bigint;
}

export const BID_TYPE = {
  Bid: [
    { name: "jobId", type: "uint256" },
    { name: "provider", type: "address" },
    { name: "price", type: "uint256" },
    { name: "expiry", type: "uint64" },
    { name: "nonce", type: "uint256" },
  ],
};

export const FORWARD_REQUEST_TYPE = {
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

export const PERMIT_TYPE = {
  Permit: [
    { name: "owner", type: "address" },
    { name: "spender", type: "address" },
    { name: "value", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

export const RECEIVE_TYPE = {
  ReceiveWithAuthorization: [
    { name: "from", type: "address" },
    { name: "to", type: "address" },
    { name: "value", type: "uint256" },
    { name: "validAfter", type: "uint256" },
    { name: "validBefore", type: "uint256" },
    { name: "nonce", type: "bytes32" },
  ],
};

export const CANCEL_AUTHORIZATION_TYPE = {
  CancelAuthorization: [
    { name: "authorizer", type: "address" },
    { name: "nonce", type: "bytes32" },
  ],
};

/** The escrow's bid domain as the spec states it: "WorkEscrow", "2", this chain, the escrow. */
export async function escrowDomain(escrow: IWorkEscrow, chainId: bigint): Promise<TypedDataDomain> {
  return {
    name: "WorkEscrow",
    version: "2",
    chainId,
    verifyingContract: await escrow.getAddress(),
  };
}

/** The forwarder's domain: "WorkEscrowForwarder", "1". */
export async function forwarderDomain(
  forwarder: WorkEscrowForwarder,
  chainId: bigint,
): Promise<TypedDataDomain> {
  return {
    name: "WorkEscrowForwarder",
    version: "1",
    chainId,
    verifyingContract: await forwarder.getAddress(),
  };
}

/** A bid with the bidder's signature (`signer` signs; `bid.provider` may be its ERC-1271 wallet). */
export async function signBidRaw(
  signer: Signer,
  domain: TypedDataDomain,
  bid: BidStruct,
): Promise<string> {
  return signer.signTypedData(domain, BID_TYPE, bid);
}

export interface ForwardRequest {
  from: string;
  to: string;
  value: bigint;
  gas: bigint;
  deadline: bigint;
  data: string;
}

/** ForwardRequestData for `execute`, signed by `signer` at `nonce`. */
export async function signForwardRaw(
  signer: Signer,
  domain: TypedDataDomain,
  request: ForwardRequest,
  nonce: bigint,
) {
  const signature = await signer.signTypedData(domain, FORWARD_REQUEST_TYPE, { ...request, nonce });
  return { ...request, signature };
}

/** v, r, s of an EIP-712 signature. */
export function vrs(signature: string) {
  const s = Signature.from(signature);
  return { v: s.v, r: s.r, s: s.s };
}
