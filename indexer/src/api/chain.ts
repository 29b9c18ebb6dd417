/**
 * What the API reads from the chain itself, over Ponder's RPC client: the escrow's EIP-712 domain
 * (EIP-5267 `eip712Domain()`), bid nonces, signature checks (EOA or ERC-1271 via viem), the head.
 */
import type { PublicClient } from "viem";
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

    /** Whether `signature` is the provider's over the bid: ECDSA for an EOA, ERC-1271 for a contract. */
    async verifyBid(message: BidMessage, signature: Hex): Promise<boolean> {
      const d = await this.domain();
      try {
        return await client.verifyTypedData({
          address: message.provider,
          domain: d,
          types: BID_TYPES,
          primaryType: "Bid",
          message,
          signature,
        });
      } catch {
        return false; // malformed signature bytes, or a wallet that reverts
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
