/**
 * The API's parsing of client input (indexer/src/api/params.ts), at its edges: what is accepted
 * just inside each bound and refused (with a reason code) just outside it.
 */
import { expect } from "chai";
import {
  BadRequest,
  encodeCursor,
  parseAddress,
  parseBidBody,
  parseCursor,
  parseJobId,
  parseLimit,
  parseStatuses,
  parseUint,
} from "../../indexer/src/api/params.js";

const MAX = (1n << 256n) - 1n;

function refuses(fn: () => unknown, code: string) {
  try {
    fn();
  } catch (err) {
    expect(err, "a BadRequest").to.be.instanceOf(BadRequest);
    expect((err as BadRequest).code).to.equal(code);
    expect((err as BadRequest).status).to.equal(400);
    expect((err as BadRequest).message).to.not.equal("");
    return;
  }
  expect.fail(`accepted what should be refused with ${code}`);
}

describe("API input parsing", function () {
  it("job ids: 1 and 2^256-1 in, 0, 2^256, signs, decimals, hex and junk out", function () {
    expect(parseJobId("1")).to.equal(1n);
    expect(parseJobId(MAX.toString())).to.equal(MAX);
    expect(parseJobId("007")).to.equal(7n);
    for (const bad of [
      "0",
      (MAX + 1n).toString(),
      "-1",
      "+1",
      "1.0",
      "1e3",
      "0x10",
      "",
      " 1",
      "one",
      undefined,
    ]) {
      refuses(() => parseJobId(bad as string), "invalid-job-id");
    }
  });

  it("addresses: 40 hex digits in any case, returned lowercase; anything else refused", function () {
    const a = "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc";
    expect(parseAddress("provider", a)).to.equal(a.toLowerCase());
    for (const bad of [
      a.slice(0, 41),
      `${a}0`,
      a.replace("0x", ""),
      `0x${"g".repeat(40)}`,
      "",
      undefined,
    ]) {
      refuses(() => parseAddress("provider", bad), "invalid-address");
    }
  });

  it("limit: 1..100, default 20", function () {
    expect(parseLimit(undefined)).to.equal(20);
    expect(parseLimit("1")).to.equal(1);
    expect(parseLimit("100")).to.equal(100);
    for (const bad of ["0", "101", "-1", "1.5", "ten", ""])
      refuses(() => parseLimit(bad), "invalid-limit");
  });

  it("status: names in any case or 1..8, comma-separated; None, 0, 9 and unknown names refused", function () {
    expect(parseStatuses(undefined)).to.equal(undefined);
    expect(parseStatuses("open")).to.deep.equal(["Open"]);
    expect(parseStatuses("Released,6, released")).to.deep.equal(["Released", "Refunded"]);
    expect(parseStatuses("8")).to.deep.equal(["Resolved"]);
    for (const bad of ["None", "0", "9", "Open,", "Paid", ""])
      refuses(() => parseStatuses(bad), "invalid-status");
  });

  it("cursors: what encodeCursor makes round-trips; anything else is refused", function () {
    for (const id of [1n, 12345n, MAX]) expect(parseCursor(encodeCursor(id))).to.equal(id);
    expect(parseCursor(undefined)).to.equal(undefined);
    const b64 = (s: string) => Buffer.from(s).toString("base64url");
    for (const bad of [
      "!!",
      "",
      b64("j:0"),
      b64("j:-1"),
      b64("k:5"),
      b64(`j:${MAX + 1n}`),
      b64("j:1 "),
      "x".repeat(200),
    ]) {
      refuses(() => parseCursor(bad), "invalid-cursor");
    }
  });

  it("integers in bodies: decimal strings or safe integers, within the type's range", function () {
    expect(parseUint("x", "0")).to.equal(0n);
    expect(parseUint("x", MAX.toString())).to.equal(MAX);
    expect(parseUint("x", 5)).to.equal(5n);
    expect(parseUint("x", (2n ** 64n - 1n).toString(), 2n ** 64n - 1n)).to.equal(2n ** 64n - 1n);
    refuses(() => parseUint("x", (2n ** 64n).toString(), 2n ** 64n - 1n), "invalid-integer");
    for (const bad of [
      (MAX + 1n).toString(),
      "-1",
      "1.5",
      "0x1",
      1.5,
      -1,
      2 ** 53,
      null,
      true,
      {},
      "",
    ]) {
      refuses(() => parseUint("x", bad), "invalid-integer");
    }
  });

  it("bid bodies: the SignedBid shape; unknown fields, wrong types and bad signatures refused", function () {
    const bid = {
      jobId: "7",
      provider: "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc",
      price: "100",
      expiry: "1800000000",
      nonce: ((7n << 64n) | 2n).toString(),
    };
    const sig = `0x${"ab".repeat(65)}`;
    const parsed = parseBidBody({ bid, signature: sig, chainId: 31337 });
    expect(parsed).to.deep.include({
      jobId: 7n,
      price: 100n,
      expiry: 1800000000n,
      chainId: 31337n,
    });
    expect(parsed.provider).to.equal(bid.provider.toLowerCase());
    refuses(() => parseBidBody(null), "invalid-body");
    refuses(() => parseBidBody([]), "invalid-body");
    refuses(() => parseBidBody({ signature: sig }), "invalid-body");
    refuses(() => parseBidBody({ bid: { ...bid, tip: "1" }, signature: sig }), "invalid-body");
    refuses(
      () => parseBidBody({ bid: { ...bid, price: 1e30 }, signature: sig }),
      "invalid-integer",
    );
    refuses(
      () => parseBidBody({ bid: { ...bid, provider: 42 }, signature: sig }),
      "invalid-address",
    );
    refuses(() => parseBidBody({ bid, signature: "0x" }), "invalid-signature");
    refuses(() => parseBidBody({ bid, signature: "0xabc" }), "invalid-signature");
    refuses(() => parseBidBody({ bid, signature: `0x${"00".repeat(2049)}` }), "invalid-signature");
    refuses(() => parseBidBody({ bid, signature: sig, escrow: "nope" }), "invalid-address");
  });
});
