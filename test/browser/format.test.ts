/**
 * The dapp's token reads (app/src/format.ts `tokenInfo`), against a fake JSON-RPC runner: a failed
 * `decimals()` read is an error, not 18 decimals, and it is not cached (audit L-06). No browser needed.
 */
import { expect } from "chai";
import { Interface, type ContractRunner, type TransactionRequest } from "ethers";
import { formatAmount, tokenInfo } from "../../app/src/format.js";

const ERC20 = new Interface([
  "function symbol() view returns (string)",
  "function decimals() view returns (uint8)",
]);

/** A runner whose `decimals()` fails the first `failures` times (an RPC hiccup), then answers 6. */
function flakyToken(failures: number) {
  const calls = { decimals: 0, symbol: 0 };
  const runner: ContractRunner = {
    provider: null,
    async call(tx: TransactionRequest) {
      const fn = ERC20.parseTransaction({ data: String(tx.data) })!.name as "symbol" | "decimals";
      calls[fn]++;
      if (fn === "symbol") return ERC20.encodeFunctionResult("symbol", ["USDC"]);
      if (calls.decimals <= failures) throw new Error("could not coalesce error (ECONNRESET)");
      return ERC20.encodeFunctionResult("decimals", [6]);
    },
  };
  return { runner, calls };
}

describe("dapp: token decimals (L-06)", function () {
  it("a failed decimals() read rejects instead of guessing 18, and is read again next time", async function () {
    const { runner, calls } = flakyToken(1);
    const token = "0x00000000000000000000000000000000000000a1";

    let failure: unknown;
    await tokenInfo(runner, token).then(
      (info) => expect.fail(`resolved to ${JSON.stringify(info)} although decimals() failed`),
      (err: unknown) => (failure = err),
    );
    expect(String(failure), "the error names the read").to.match(/could not read decimals\(\)/);

    const info = await tokenInfo(runner, token);
    expect(calls.decimals, "the failure was not cached: decimals() is read again").to.equal(2);
    expect(info.decimals, "the token's real decimals").to.equal(6);
    expect(formatAmount(1_000_000_000n, info), "1,000 USDC, not 10^-9").to.equal("1000 USDC");

    await tokenInfo(runner, token);
    expect(calls.decimals, "a successful read is cached").to.equal(2);
  });
});
