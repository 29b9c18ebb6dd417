/**
 * Follow-up audit PoC on the HTTP API's bid book (indexer/src/api/bidStore.ts, indexer/src/api/index.ts).
 *
 * M-04 — `GET /jobs/:id/bids` reads `forJob`, which returns the job's 1,000 cheapest stored rows
 * (`ORDER BY price ASC … LIMIT 1000`), and only THEN drops expired bids and bids whose nonce is used
 * (in JavaScript, in the route). Nothing ever deletes a row. The only cap on writes is 20 bids per
 * provider per job, and a provider is any fresh key: 50 throw-away keys × 20 bids at the lowest
 * acceptable price (1 wei, or the token's minimum), each validly signed and expiring a minute later,
 * fill the window for good. From then on the book lists nothing — or only the spam — however many
 * honest bids are stored behind it, and the store keeps growing with every new key (no global cap,
 * no rate limit, two RPC reads per POST).
 *
 * This test drives the store the way the route does (same insert, same read, same expiry filter) with
 * 1,000 cheap bids that have expired and one honest live bid. It asserts the CORRECT behaviour — the
 * honest bid is in the book — so it fails today and passes once the live filter moves into the query
 * (e.g. `forJob(chainId, escrow, jobId, now)` with `expiry >= now` in SQL, which this test already
 * passes as a 4th argument) or the window no longer hides rows behind dead ones.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { openBidStore, type BidStore, type StoredBid } from "../../indexer/src/api/bidStore.js";

const CHAIN = 31337;
const ESCROW = "0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0";
const JOB = 7n;
const NOW = 1_900_000_000n; // chain time when the book is read

function bid(i: number, price: bigint, expiry: bigint): StoredBid {
  const hex = i.toString(16).padStart(40, "0");
  return {
    jobId: JOB,
    provider: `0x${hex}`,
    price,
    expiry,
    nonce: 0n,
    signature: `0x${"11".repeat(65)}`,
    digest: `0x${i.toString(16).padStart(64, "0")}`,
    receivedAt: Number(NOW) - 120,
  };
}

describe("audit follow-up: bid book flooding (M-04)", function () {
  this.timeout(120_000);
  let dir: string;
  let store: BidStore;

  before(async function () {
    dir = mkdtempSync(path.join(tmpdir(), "workescrow-audit-bids-"));
    store = await openBidStore({ WORKESCROW_BIDS_DIR: dir } as NodeJS.ProcessEnv);
  });

  after(function () {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("PoC M-04: 1,000 cheap bids that expired do not hide a live honest bid from GET /jobs/:id/bids", async function () {
    // 50 sybil keys × 20 bids (the per-provider cap), price 1 wei, each valid when posted, expired now.
    // (Posted at NOW - 120, while live; `add` takes the chain time of the post since the fix.)
    for (let i = 1; i <= 1000; i++) {
      expect(await store.add(CHAIN, ESCROW, bid(i, 1n, NOW - 60n), NOW - 120n)).to.equal("added");
    }
    // Posted while the sybil bids were still live, so nothing deleted them on insert: the read at NOW
    // must leave them out itself (in SQL, before its 1,000-row page), or they fill the page.
    const honest = bid(5000, 10n ** 17n, NOW + 86_400n);
    expect(
      await store.add(CHAIN, ESCROW, honest, NOW - 120n, { perJob: 1001, perProvider: 20 }),
    ).to.equal("added");

    // What the route reads: the job's book at chain time NOW (live bids only, filtered in SQL).
    const live = await store.forJob(CHAIN, ESCROW, JOB, NOW);

    expect(
      live.map((b) => b.digest),
      "the honest, live, stored bid is listed",
    ).to.include(honest.digest);
  });
});
