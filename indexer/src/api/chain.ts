/**
 * What the API reads from the chain itself, over Ponder's RPC client: the escrow's EIP-712 domain
 * (EIP-5267 `eip712Domain()`), bid nonces, signature checks (exactly the escrow's: OpenZeppelin
 * SignatureChecker), the head.
 */
import { hashTypedData, recoverAddress, type PublicClient } from "viem";
import { ERC1271_MAGIC_VALUE, ecdsaShapeProblem } from "../../../sdk/signatures.js";
import { WorkEscrowAbi } from "../../abis/WorkEscrowAbi.js";
import type { Hex } from "./params.js";

export const BID_TYPES = {
  Bid: [
    { name: "jobId", type: "uint256" },
    { name: "provider", type: "address" },
    { name: "price", type: "uint256" },
    { name: "expiry", type: "uint64" },
    { name: "nonce", type: "uint256" },
  ],
} as const;

const ERC721_OWNER_OF = [
  {
    type: "function",
    name: "ownerOf",
    stateMutability: "view",
    inputs: [{ name: "tokenId", type: "uint256" }],
    outputs: [{ name: "", type: "address" }],
  },
] as const;

const ERC1271 = [
  {
    type: "function",
    name: "isValidSignature",
    stateMutability: "view",
    inputs: [
      { name: "hash", type: "bytes32" },
      { name: "signature", type: "bytes" },
    ],
    outputs: [{ name: "", type: "bytes4" }],
  },
] as const;

/** Why a bid was refused: the API's error code and a sentence. */
export interface SignatureRefusal {
  code: "bad-signature" | "non-canonical-signature";
  message: string;
}

export interface Domain {
  name: string;
  version: string;
  chainId: number;
  verifyingContract: Hex;
}

export type BidMessage = {
  jobId: bigint;
  provider: Hex;
  price: bigint;
  expiry: bigint;
  nonce: bigint;
};

export function chainReader(client: PublicClient, escrow: Hex) {
  let domain: Promise<Domain> | undefined;
  let head: { at: number; value: Promise<{ number: bigint; timestamp: bigint }> } | undefined;

  return {
    /** The escrow's EIP-712 domain, read once. */
    domain(): Promise<Domain> {
      domain ??= client
        .readContract({ address: escrow, abi: WorkEscrowAbi, functionName: "eip712Domain" })
        .then(([, name, version, chainId, verifyingContract]) => ({
          name,
          version,
          chainId: Number(chainId),
          verifyingContract: verifyingContract.toLowerCase() as Hex,
        }))
        .catch((err: unknown) => {
          domain = undefined; // try again next time
          throw err;
        });
      return domain;
    },

    /** The latest block (cached for a second): its timestamp is "now" for expiries and deadlines. */
    head(): Promise<{ number: bigint; timestamp: bigint }> {
      const now = Date.now();
      if (head === undefined || now - head.at > 1_000) {
        const value = client
          .getBlock({ blockTag: "latest" })
          .then((b) => ({ number: b.number, timestamp: b.timestamp }));
        value.catch(() => (head = undefined));
        head = { at: now, value };
      }
      return head.value;
    },

    /** NoncesKeyed: the provider's current nonce for the key of `nonce` (`key << 64 | sequence`). */
    currentNonce(provider: Hex, nonce: bigint): Promise<bigint> {
      return client.readContract({
        address: escrow,
        abi: WorkEscrowAbi,
        functionName: "nonces",
        args: [provider, nonce >> 64n],
      });
    },

    /**
     * What the escrow's `awardBid` would say about `signature` (OpenZeppelin SignatureChecker 5.4):
     * a provider without code must have signed with canonical ECDSA (65 bytes, low-s, v 27/28); a
     * provider with code (a contract wallet, or an EIP-7702 account) must answer ERC-1271's
     * `isValidSignature` with its magic value. Null when accepted, else the refusal. A node that does
     * not answer `getCode` throws (the route answers 503).
     */
    async checkBidSignature(message: BidMessage, signature: Hex): Promise<SignatureRefusal | null> {
      const d = await this.domain();
      const hash = hashTypedData({ domain: d, types: BID_TYPES, primaryType: "Bid", message });
      const code = await client.getCode({ address: message.provider });
      const wrongSigner: SignatureRefusal = {
        code: "bad-signature",
        message: `the signature is not ${message.provider}'s over this bid (EIP-712; ERC-1271 for contracts)`,
      };
      if (code === undefined || code === "0x") {
        const problem = ecdsaShapeProblem(signature);
        if (problem !== null) return { code: "non-canonical-signature", message: problem };
        try {
          const signer = await recoverAddress({ hash, signature });
          return signer.toLowerCase() === message.provider.toLowerCase() ? null : wrongSigner;
        } catch {
          return wrongSigner; // not a point on the curve
        }
      }
      try {
        const magic = await client.readContract({
          address: message.provider,
          abi: ERC1271,
          functionName: "isValidSignature",
          args: [hash, signature],
        });
        return magic.toLowerCase() === ERC1271_MAGIC_VALUE ? null : wrongSigner;
      } catch {
        return wrongSigner; // the wallet reverts or answers something else
      }
    },

    /** For agentRequired jobs: the owner of ERC-8004 agent `agentId` (null when unknown). */
    async agentOwner(agentId: bigint): Promise<Hex | null> {
      try {
        const registry = await client.readContract({
          address: escrow,
          abi: WorkEscrowAbi,
          functionName: "identityRegistry",
        });
        const owner = await client.readContract({
          address: registry,
          abi: ERC721_OWNER_OF,
          functionName: "ownerOf",
          args: [agentId],
        });
        return owner.toLowerCase() as Hex;
      } catch {
        return null;
      }
    },
  };
}

export type ChainReader = ReturnType<typeof chainReader>;
