/**
 * A community-fund claim from what a person pastes: their entry (`{account, amount, proof}`), or the
 * round's tree file that `fund:build-round` writes (`workescrow-round-v1`, holding an OpenZeppelin
 * StandardMerkleTree dump), or the bare dump. The proof is computed from the dump and checked
 * against the round's root before anything is sent.
 *
 * Leaves are StandardMerkleTree's: keccak256(keccak256(abi.encode(address account, uint256 amount))),
 * pairs hashed sorted (as ICommunityFund.claim verifies them).
 */
import { AbiCoder, concat, getAddress, isAddress, keccak256 } from "ethers";

export interface ClaimEntry {
  account: string;
  amount: bigint;
  proof: string[];
}

export function leafHash(account: string, amount: bigint): string {
  return keccak256(
    keccak256(AbiCoder.defaultAbiCoder().encode(["address", "uint256"], [account, amount])),
  );
}

/** The root a proof leads to from a leaf. */
export function rootOf(leaf: string, proof: string[]): string {
  return proof.reduce(
    (hash, sibling) =>
      keccak256(
        concat(hash.toLowerCase() < sibling.toLowerCase() ? [hash, sibling] : [sibling, hash]),
      ),
    leaf,
  );
}

interface Dump {
  format: string;
  tree: string[];
  values: { value: [string, string]; treeIndex: number }[];
}

/** `account`'s entry, from pasted JSON, checked against `root`. Throws a sentence. */
export function claimEntry(text: string, account: string, root: string): ClaimEntry {
  let o: any;
  try {
    o = JSON.parse(text);
  } catch {
    throw new Error("that is not JSON: paste your entry or the round's tree file");
  }
  let entry: ClaimEntry;
  if (o && typeof o === "object" && "proof" in o) {
    if (!isAddress(o.account) || !/^\d+$/.test(String(o.amount)) || !Array.isArray(o.proof))
      throw new Error(
        'an entry is {"account": "0x…", "amount": "<base units>", "proof": ["0x…", …]}',
      );
    entry = {
      account: getAddress(o.account),
      amount: BigInt(o.amount),
      proof: o.proof.map(String),
    };
  } else {
    const dump: Dump | undefined = o?.format === "standard-v1" ? o : o?.tree;
    if (
      !dump ||
      dump.format !== "standard-v1" ||
      !Array.isArray(dump.tree) ||
      !Array.isArray(dump.values)
    )
      throw new Error("not a round file: expected the JSON that fund:build-round writes");
    const found = dump.values.find(
      (v) => isAddress(v.value[0]) && getAddress(v.value[0]) === getAddress(account),
    );
    if (!found) throw new Error(`this round file has no entry for ${account}`);
    const amount = BigInt(found.value[1]);
    if (dump.tree[found.treeIndex] !== leafHash(getAddress(account), amount))
      throw new Error("the round file is corrupt: the entry's leaf does not match its tree");
    const proof: string[] = [];
    for (let i = found.treeIndex; i > 0; i = Math.floor((i - 1) / 2))
      proof.push(dump.tree[i % 2 === 1 ? i + 1 : i - 1]);
    entry = { account: getAddress(account), amount, proof };
  }
  const got = rootOf(leafHash(entry.account, entry.amount), entry.proof);
  if (got.toLowerCase() !== root.toLowerCase())
    throw new Error(
      `this entry leads to root ${got}, not this round's root ${root}: wrong round or file`,
    );
  return entry;
}
