/**
 * Audit PoC M-02 — ERC792ArbitratorAdapter: the party that lost in court can pay one appeal shortly before
 * the job's arbitration period ends; the new round cannot finish (ruling + appeal window) before
 * `disputedAt + arbitrationPeriod`, `rule` then arrives late (`RulingNotApplied`), and the escrow's stale
 * settlement splits the job 50/50 and hands the frivolous disputer its deposit back. The court ruled for
 * the provider twice; the provider gets half.
 *
 * Numbers (mock court: cost 0.05 ETH, appeal 0.1 ETH, 3-day appeal window; adapter period 30 days; 1 ETH
 * job, 2% arbitration fee and deposit): ruling applied → provider 0.9653 + 0.02 deposit = 0.9853 ETH;
 * after the stalling appeal → provider 0.4925 ETH, requester 0.5 ETH + its 0.02 deposit back, for a
 * 0.1 ETH appeal. The gain scales with the job's amount, the appeal cost does not.
 *
 * Fails today; passes once the adapter refuses an appeal that cannot be decided and executed before the
 * job's arbitration period ends (e.g. a `minAppealTime` fixed at deployment: appeal only while
 * `now + minAppealTime <= disputedAt + arbitrationPeriod`), so the standing ruling is executed in time.
 */
import { expect } from "chai";
import { network } from "hardhat";
import { DAY, HOUR, Resolution, Status } from "../helpers/escrow.js";
import { Ruling, arbitrationEnd, arbitrationFixtures } from "../helpers/arbitration.js";

const { ethers, networkHelpers } = await network.create();
const { loadFixture, time } = networkHelpers;
const fx = arbitrationFixtures({ ethers, networkHelpers });

describe("audit M-02: a late appeal turns a court ruling into a stale 50/50", function () {
  it("the court's ruling for the provider is what the escrow applies, whatever the loser appeals", async function () {
    const f = await loadFixture(fx.courtCase); // requester disputed and paid the court; dispute id 0
    const endsAt = await arbitrationEnd(f.escrow, f.jobId);

    // The court rules for the provider 4 days before the period ends: its 3-day appeal window closes a
    // day before the end, so without an appeal the ruling is executed in time.
    await time.setNextBlockTimestamp(endsAt - 4n * DAY);
    await f.court.connect(f.judge).giveRuling(f.disputeId, Ruling.Provider);

    // The losing requester appeals an hour before the appeal window closes.
    await time.setNextBlockTimestamp(endsAt - DAY - HOUR);
    let appealed = true;
    try {
      const cost = await f.court.appealCost(f.disputeId, "0x");
      await (await f.adapter.connect(f.requester).appeal(f.jobId, { value: cost })).wait();
    } catch {
      appealed = false; // fix: an appeal that cannot complete in time is refused
    }
    if (appealed) {
      // The court decides again at once, for the provider again.
      await f.court.connect(f.judge).giveRuling(f.disputeId, Ruling.Provider);
    }

    // The ruling becomes final at the end of its appeal window; anyone executes it.
    const [, appealEnd] = await f.court.appealPeriod(f.disputeId);
    await time.increaseTo(appealEnd);
    await f.court.connect(f.stranger).executeRuling(f.disputeId);
    if ((await f.escrow.getJob(f.jobId)).status === BigInt(Status.Disputed)) {
      if (BigInt(await time.latest()) < endsAt) await time.increaseTo(endsAt);
      await f.escrow.connect(f.stranger).settleStaleDispute(f.jobId);
    }

    const resolved = await f.escrow.queryFilter(f.escrow.filters.DisputeResolved(f.jobId));
    expect(resolved.length, "one resolution").to.equal(1);
    expect(
      [resolved[0].args.resolution, resolved[0].args.providerBps],
      "the court's ruling (provider, 10,000 bps) is applied, not a stale 50/50",
    ).to.deep.equal([BigInt(Resolution.Arbitrated), 10_000n]);
  });
});
