/**
 * The bid book's store (indexer/src/api/bidStore.ts) on an embedded PGlite, as the routes use it:
 * live bids filtered, ordered and paged in SQL; a cap on live bids per job and per provider enforced
 * in one transaction (also under concurrent posts); expired bids, dead bids and ended jobs deleted.
 * Audit follow-up M-04 and I-09; the PoC is test/audit/bid-book-flood.test.ts.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import {
  openBidStore,
  readBookPage,
  type BidStore,
  type NextSequences,
  type StoredBid,
} from "../../indexer/src/api/bidStore.js";

const CHAIN = 31337;
const ESCROW = "0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0";
const NOW = 1_900_000_000n;
const LIMITS = { perJob: 5, perProvider: 2 };

let serial = 0;
function bid(jobId: bigint, provider: number, price: bigint, expiry = NOW + 3600n): StoredBid {
  serial++;
  return {
    jobId,
    provider: `0x${provider.toString(16).padStart(40, "0")}`,
    price,
    expiry,
    nonce: 0n,
    signature: `0x${"11".repeat(65)}`,
    digest: `0x${serial.toString(16).padStart(64, "0")}`,
    receivedAt: Number(NOW) + serial,
  };
}

describe("indexer: bid store limits, paging and pruning (M-04, I-09)", function () {
  this.timeout(120_000);
  let dir: string;
  let store: BidStore;

  before(async function () {
    dir = mkdtempSync(path.join(tmpdir(), "workescrow-bidstore-"));
    store = await openBidStore({ WORKESCROW_BIDS_DIR: dir } as NodeJS.ProcessEnv);
  });

  after(function () {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("caps live bids per job and per provider; a stored bid again is 'exists'; expired bids free room", async function () {
    const job = 1n;
    const first = bid(job, 1, 10n);
    expect(await store.add(CHAIN, ESCROW, first, NOW, LIMITS)).to.equal("added");
    expect(await store.add(CHAIN, ESCROW, bid(job, 1, 11n), NOW, LIMITS)).to.equal("added");
    expect(
      await store.add(CHAIN, ESCROW, bid(job, 1, 12n), NOW, LIMITS),
      "a third live bid of one provider",
    ).to.equal("provider-full");
    const shortLived = bid(job, 2, 13n, NOW + 10n);
    for (const b of [shortLived, bid(job, 3, 14n), bid(job, 4, 15n)]) {
      expect(await store.add(CHAIN, ESCROW, b, NOW, LIMITS), "up to the job's cap").to.equal(
        "added",
      );
    }
    expect(
      await store.add(CHAIN, ESCROW, bid(job, 5, 1n), NOW, LIMITS),
      "a sixth live bid on the job, even the cheapest",
    ).to.equal("job-full");
    expect(
      await store.add(CHAIN, ESCROW, first, NOW, LIMITS),
      "the same bid again while the book is full",
    ).to.equal("exists");
    // At NOW + 10 the short-lived bid is still live (expiry is inclusive); at NOW + 11 it is pruned.
    expect(await store.add(CHAIN, ESCROW, bid(job, 5, 1n), NOW + 10n, LIMITS)).to.equal("job-full");
    expect(await store.add(CHAIN, ESCROW, bid(job, 5, 1n), NOW + 11n, LIMITS)).to.equal("added");
    const book = await store.forJob(CHAIN, ESCROW, job, NOW + 11n);
    expect(
      book.map((b) => b.digest),
      "the expired bid was deleted on insert",
    ).to.not.include(shortLived.digest);
    expect(book.length, "the cap holds").to.equal(LIMITS.perJob);
  });

  it("concurrent posts cannot pass the caps (one transaction per insert, I-09)", async function () {
    const job = 2n;
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        store.add(CHAIN, ESCROW, bid(job, 100 + (i % 3), BigInt(100 + i)), NOW, LIMITS),
      ),
    );
    expect(results.filter((r) => r === "added").length, "exactly the job's cap").to.equal(
      LIMITS.perJob,
    );
    const book = await store.forJob(CHAIN, ESCROW, job, NOW);
    expect(book.length, "stored").to.equal(LIMITS.perJob);
    for (const p of new Set(book.map((b) => b.provider))) {
      expect(book.filter((b) => b.provider === p).length, `${p} within its cap`).to.be.at.most(
        LIMITS.perProvider,
      );
    }
  });

  it("filters expiry, price and the requester in SQL, lowest price first, paged with a cursor", async function () {
    const job = 3n;
    const added: StoredBid[] = [];
    // 30 expired bids at 1 wei in front of 8 live ones (the flood of M-04, small).
    for (let i = 0; i < 30; i++) {
      await store.add(CHAIN, ESCROW, bid(job, 200 + i, 1n, NOW - 1n), NOW - 100n, {
        perJob: 1000,
        perProvider: 20,
      });
    }
    for (let i = 0; i < 8; i++) {
      const b = bid(job, 300 + i, BigInt(50 - i));
      added.push(b);
      await store.add(CHAIN, ESCROW, b, NOW - 100n, { perJob: 1000, perProvider: 20 });
    }
    const all = await store.forJob(CHAIN, ESCROW, job, NOW);
    expect(
      all.map((b) => b.price),
      "only live bids, cheapest first",
    ).to.deep.equal([43n, 44n, 45n, 46n, 47n, 48n, 49n, 50n]);
    const capped = await store.forJob(CHAIN, ESCROW, job, NOW, {
      maxPrice: 45n,
      exclude: added[7]!.provider, // the 43 bidder is the requester
    });
    expect(
      capped.map((b) => b.price),
      "price ≤ amount, not the requester's",
    ).to.deep.equal([44n, 45n]);
    const pages: bigint[][] = [];
    let after: StoredBid | undefined;
    for (;;) {
      const page = await store.forJob(CHAIN, ESCROW, job, NOW, { after, limit: 3 });
      if (page.length === 0) break;
      pages.push(page.map((b) => b.price));
      after = page[page.length - 1];
    }
    expect(pages, "pages of 3 in order, none lost or repeated").to.deep.equal([
      [43n, 44n, 45n],
      [46n, 47n, 48n],
      [49n, 50n],
    ]);
  });

  it("deletes dead bids, bids of ended jobs and every expired bid", async function () {
    const job = 4n;
    const a = bid(job, 400, 10n);
    const b = bid(job, 401, 11n, NOW + 5n);
    await store.add(CHAIN, ESCROW, a, NOW, LIMITS);
    await store.add(CHAIN, ESCROW, b, NOW, LIMITS);
    expect(await store.remove(CHAIN, ESCROW, [a.digest]), "a used nonce's bid").to.equal(1);
    expect(await store.pruneExpired(CHAIN, ESCROW, NOW + 6n)).to.be.greaterThanOrEqual(1);
    expect(await store.forJob(CHAIN, ESCROW, job, NOW), "both gone").to.deep.equal([]);
    expect(await store.jobIds(CHAIN, ESCROW), "job 3 still has bids").to.include(3n);
    expect(await store.dropJobs(CHAIN, ESCROW, [3n]), "job 3 ended: its 8 bids").to.equal(8);
    expect(await store.jobIds(CHAIN, ESCROW)).to.not.include(3n);
  });

  it("a page of the route's book (readBookPage): 1,000 bids and a next page when the book holds more than the store returns at once; used nonces dropped and refilled", async function () {
    const job = 5n;
    const many = { perJob: 2_000, perProvider: 2_000 }; // WORKESCROW_BIDS_PER_JOB above 1,000
    const bids = Array.from({ length: 1_003 }, (_, i) => ({
      ...bid(job, 500 + (i % 50), 1_000n + BigInt(i)),
      nonce: (job << 64n) | BigInt(Math.floor(i / 50)), // each provider's sequences 0, 1, 2, …
    }));
    for (const b of bids) expect(await store.add(CHAIN, ESCROW, b, NOW, many)).to.equal("added");
    const fresh: NextSequences = async () => new Map();
    const first = await readBookPage(store, CHAIN, ESCROW, job, NOW, { limit: 1_000 }, fresh);
    expect(first.items.length).to.equal(1_000);
    expect(first.next, "1,003 live bids: a second page").to.not.equal(undefined);
    expect(first.next!.digest).to.equal(bids[999].digest);
    const second = await readBookPage(
      store,
      CHAIN,
      ESCROW,
      job,
      NOW,
      { limit: 1_000, after: first.next },
      fresh,
    );
    expect(second.items.map((x) => x.bid.price)).to.deep.equal([2_000n, 2_001n, 2_002n]);
    expect(second.next, "the last page").to.equal(undefined);
    expect(
      first.items.every((x) => x.awardable === ((x.bid.nonce & 0xffffn) === 0n)),
      "awardable: the provider's next sequence",
    ).to.equal(true);

    // Provider 500 has used sequences 0 and 1: its bid read on this page is deleted, the page refilled.
    const used: NextSequences = async () => new Map([[bids[0].provider + ":" + job, 2n]]);
    const page = await readBookPage(store, CHAIN, ESCROW, job, NOW, { limit: 3 }, used);
    expect(
      page.items.map((x) => x.bid.price),
      "refilled past the dead bids",
    ).to.deep.equal([1_001n, 1_002n, 1_003n]);
    const left = await store.forJob(CHAIN, ESCROW, job, NOW, { limit: 1_000 });
    expect(
      left.map((b) => b.digest),
      "the dead bid read is deleted",
    ).to.not.include(bids[0].digest);
    expect(left).to.have.length(1_000);
  });
});
