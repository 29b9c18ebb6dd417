import { getBytes, keccak256, toUtf8Bytes } from "ethers";

/**
 * The hash stored on-chain for a job specification or a result: keccak256 of the bytes
 * (a string is hashed as UTF-8). Anyone holding the same content can recompute and compare it.
 */
export function hashContent(content: string | Uint8Array): string {
  return keccak256(typeof content === "string" ? toUtf8Bytes(content) : getBytes(content));
}
