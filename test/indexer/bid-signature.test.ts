/**
 * The API's and the SDK's bid signature rule (sdk/signatures.ts `ecdsaShapeProblem`) is the escrow's:
 * an account without code signs with 65 bytes, low s, v 27/28 (OpenZeppelin ECDSA.tryRecover); viem's
 * recovery alone also takes the high-s twin, which `awardBid` refuses (audit follow-up L-05). The
 * route's refusal (422 `non-canonical-signature`) is in api.test.ts's bid book test.
 */
import { expect } from "chai";
import {
  hashTypedData,
  parseSignature,
  recoverTypedDataAddress,
  serializeCompactSignature,
  signatureToCompactSignature,
  type Hex,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { Provider } from "ethers";
import { BID_TYPES } from "../../indexer/src/api/chain.js";
import { ecdsaShapeProblem } from "../../sdk/signatures.js";
import { isValidSignature } from "../../sdk/bids.js";
import { highSTwin } from "../helpers/bidSignatures.js";

describe("indexer: bid signatures as strict as the escrow's (L-05)", function () {
  const account = privateKeyToAccount(`0x${"42".repeat(32)}`);
  const domain = {
    name: "WorkEscrow",
    version: "2",
    chainId: 31337,
    verifyingContract: "0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0",
  } as const;
  const message = {
    jobId: 7n,
    provider: account.address,
    price: 10n ** 17n,
    expiry: 1_900_000_000n,
    nonce: 7n << 64n,
  };
  /** The account's EIP-712 signature over the bid, as a wallet makes it (low s, v 27/28). */
  const sign = () =>
    account.signTypedData({ domain, types: BID_TYPES, primaryType: "Bid", message });

  it("refuses the high-s twin, which viem alone would accept, and keeps the wallet's signature", async function () {
    const signature = await sign();
    expect(ecdsaShapeProblem(signature), "a wallet's (low-s) signature").to.equal(null);
    const twin = highSTwin(signature);
    expect(
      await recoverTypedDataAddress({
        domain,
        types: BID_TYPES,
        primaryType: "Bid",
        message,
        signature: twin,
      }),
      "the twin recovers the same signer (why a recovery alone is not enough)",
    ).to.equal(account.address);
    expect(ecdsaShapeProblem(twin), "the twin is refused with a reason").to.match(/high-s/);
  });

  it("refuses what ECDSA.tryRecover refuses: other lengths (compact, ERC-6492) and v not 27/28", async function () {
    const signature = await sign();
    expect(ecdsaShapeProblem(signature.slice(0, 130) as Hex), "64 bytes").to.match(/65 bytes/);
    const wrapped = `${signature}${"6492".repeat(16)}` as Hex; // ERC-6492's magic suffix
    expect(ecdsaShapeProblem(wrapped), "an ERC-6492 wrapper").to.match(/65 bytes/);
    const v0 = `${signature.slice(0, 130)}${signature.endsWith("1b") ? "00" : "01"}` as Hex;
    expect(ecdsaShapeProblem(v0), "v = 0/1").to.match(/27 or 28/);
    expect(ecdsaShapeProblem(`0x${"zz".repeat(65)}`), "65 bytes that are not hex").to.equal(
      "the signature is not 0x-prefixed hex bytes",
    );
  });

  it("the SDK's isValidSignature (verifyBid) applies the same rule to an account without code", async function () {
    const signature = await sign();
    const digest = hashTypedData({ domain, types: BID_TYPES, primaryType: "Bid", message });
    const noCode = { getCode: async () => "0x" } as unknown as Provider;
    const check = (sig: string) => isValidSignature(noCode, account.address, digest, sig);
    expect(await check(signature), "the wallet's signature").to.equal(true);
    expect(await check(signature.toUpperCase().replace("0X", "0x")), "upper-case hex").to.equal(
      true,
    );
    expect(await check(highSTwin(signature)), "its high-s twin").to.equal(false);
    const compact = serializeCompactSignature(
      signatureToCompactSignature(parseSignature(signature)),
    );
    expect(await check(compact), "its 64-byte compact form (EIP-2098)").to.equal(false);
    expect(await check(`0x${"zz".repeat(65)}`), "65 bytes that are not hex").to.equal(false);
  });
});
