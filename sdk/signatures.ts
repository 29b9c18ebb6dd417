/**
 * The escrow's rule for a signature by an account without code, as OpenZeppelin's
 * `ECDSA.tryRecover(hash, bytes)` (through `SignatureChecker`) applies it before recovering. Shared by
 * the SDK's `isValidSignature` (sdk/bids.ts) and the API's bid book (indexer/src/api/chain.ts), so
 * neither accepts a bid `awardBid` would refuse. Pure: imports neither ethers nor viem.
 */

/** ERC-1271's magic value: `bytes4(keccak256("isValidSignature(bytes32,bytes)"))`. */
export const ERC1271_MAGIC_VALUE = "0x1626ba7e";

/** secp256k1's order n, and n / 2: OpenZeppelin's ECDSA refuses s above it (EIP-2 low-s). */
export const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const HALF_N = SECP256K1_N >> 1n;

/**
 * Why OpenZeppelin's `ECDSA.tryRecover(hash, bytes)` refuses these bytes before recovering, or null:
 * not hex, not 65 bytes (r, s, v; no EIP-2098 compact form, no ERC-6492 wrapper), s above n/2
 * (high-s: the malleable twin of a low-s signature), v other than 27 or 28 (ecrecover gives address 0).
 */
export function ecdsaShapeProblem(signature: string): string | null {
  if (!/^0x([0-9a-fA-F]{2})*$/.test(signature)) return "the signature is not 0x-prefixed hex bytes";
  const bytes = (signature.length - 2) / 2;
  if (bytes !== 65) {
    return `an account without code signs with 65 bytes (r, s, v); this signature is ${bytes} bytes (compact or ERC-6492-wrapped signatures are refused by the escrow)`;
  }
  const s = BigInt(`0x${signature.slice(66, 130)}`);
  if (s > HALF_N) {
    return "s is above n/2 (a high-s signature): the escrow's ECDSA refuses it; sign again (wallets produce low-s)";
  }
  const v = Number.parseInt(signature.slice(130, 132), 16);
  if (v !== 27 && v !== 28) return `v is ${v}; the escrow's ecrecover takes 27 or 28`;
  return null;
}
