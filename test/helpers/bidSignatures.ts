/** Signature variants for tests of the API's bid signature checks (audit follow-up L-05). */
import { SECP256K1_N as N } from "../../sdk/signatures.js";

/** The same 65-byte signature with s' = n − s and v flipped: ecrecover gives the same signer. */
export function highSTwin<T extends string>(signature: T): T {
  const s = BigInt(`0x${signature.slice(66, 130)}`);
  const v = Number.parseInt(signature.slice(130, 132), 16);
  const twinS = (N - s).toString(16).padStart(64, "0");
  return `${signature.slice(0, 66)}${twinS}${(v === 27 ? 28 : 27).toString(16)}` as T;
}
