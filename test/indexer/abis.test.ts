/**
 * The indexer's ABIs (indexer/abis/*.ts) are the compiled contracts' (npm run indexer:abis), and every
 * event in them has exactly one handler in indexer/src/index.ts: an event added to a contract fails
 * here until its handler exists (Ponder only fetches events that have a handler, so a missing one
 * would silently leave it out of the audit trail).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { ABIS, render } from "../../indexer/scripts/abis.mjs";
import { INDEXER_DIR } from "../../scripts/lib/indexer.js";

const CONTRACTS: Record<string, string> = {
  "WorkEscrowAbi.ts": "WorkEscrow",
  "CommunityFundAbi.ts": "CommunityFund",
};

describe("indexer ABIs and handlers", function () {
  it("indexer/abis/ are generated from the current artifacts (run `npm run indexer:abis`)", async function () {
    for (const entry of ABIS) {
      const committed = readFileSync(path.join(INDEXER_DIR, "abis", entry.file), "utf8");
      expect(committed, `indexer/abis/${entry.file} is stale: run npm run indexer:abis`).to.equal(
        await render(entry),
      );
    }
  });

  it("every event of both contracts has one handler, and every handler an event", function () {
    const source = readFileSync(path.join(INDEXER_DIR, "src", "index.ts"), "utf8");
    const handlers = [...source.matchAll(/ponder\.on\(\s*"([A-Za-z]+):([A-Za-z0-9]+)"/g)].map(
      (m) => `${m[1]}:${m[2]}`,
    );
    expect(new Set(handlers).size, "no event is handled twice").to.equal(handlers.length);
    const events = ABIS.flatMap((entry) =>
      entry
        .abi()
        .filter((item) => item.type === "event")
        .map((item) => `${CONTRACTS[entry.file]}:${item.name}`),
    );
    expect(events.length, "the ABIs have events").to.be.greaterThan(30);
    expect([...handlers].sort(), "handlers ↔ events").to.deep.equal([...events].sort());
  });

  it("the escrow ABI has every IWorkEscrowTypes event and the inherited OpenZeppelin ones", function () {
    const escrow = ABIS.find((a) => a.file === "WorkEscrowAbi.ts")!.abi();
    const names = escrow.filter((e) => e.type === "event").map((e) => e.name);
    for (const name of [
      "JobCreated",
      "FeeRecipientsUpdated",
      "BidAwarded",
      "Paused",
      "OwnershipTransferred",
    ]) {
      expect(names, name).to.include(name);
    }
  });
});
