/**
 * Audit PoC L-01 — CommitteeArbitrator and ERC792ArbitratorAdapter collect their arbitration fee from the
 * escrow (`ESCROW.withdraw(token)`) inside the very transaction that executes the ruling. When that one
 * ERC-20 transfer fails — the token is paused, or blocklists the arbitrator contract — the ruling itself
 * reverts, although the escrow could settle it (its own pushes fall back to credits). If the condition
 * lasts until `disputedAt + arbitrationPeriod`, the ruling is lost and the stale 50/50 applies.
 *
 * Fails today; passes once fee collection cannot undo the ruling (e.g. `try ESCROW.withdraw(token)` and a
 * separate permissionless `collectFee(jobId)` / leaving the fee as the arbitrator's escrow credit).
 */
import { expect } from "chai";
import { network } from "hardhat";
import type { BlocklistToken } from "../../typechain-types/index.js";
import { ONE_ETH, Resolution, Status } from "../helpers/escrow.js";
import {
  APPEAL_WINDOW,
  COURT_COST,
  Ruling,
  arbitrationFixtures,
  type ArbitrationFixture,
} from "../helpers/arbitration.js";

const { ethers, networkHelpers } = await network.create();
const { loadFixture, time } = networkHelpers;
const fx = arbitrationFixtures({ ethers, networkHelpers });

/** A 1,000-unit job in a blocklisting token (USDC-like), disputed by the requester, naming `arbitrator`. */
async function blocklistDispute(f: ArbitrationFixture, arbitrator: string) {
  const token = (await ethers.deployContract("BlocklistToken")) as unknown as BlocklistToken;
  await token.mint(f.requester.address, 10n ** 12n);
  await token.connect(f.requester).approve(await f.escrow.getAddress(), ethers.MaxUint256);
  const jobId = await fx.disputeJob(f, arbitrator, {
    token: await token.getAddress(),
    amount: 1_000_000_000n,
  });
  // The token now refuses transfers to the arbitrator contract (a blocklist entry, or think of a pause).
  await token.setBlocked(arbitrator, true);
  return { token, jobId };
}

describe("audit L-01: a failing fee withdrawal undoes the arbitrator's ruling", function () {
  it("committee: the quorum vote executes the ruling even if the fee cannot be withdrawn now", async function () {
    const f = await loadFixture(fx.deploy);
    const committee = await f.committee.getAddress();
    const { jobId } = await blocklistDispute(f, committee);
    await f.committee.connect(f.members[0]).vote(jobId, 10_000);
    await f.committee.connect(f.members[1]).vote(jobId, 10_000);
    await expect(
      f.committee.connect(f.members[2]).vote(jobId, 10_000),
      "the executing vote",
    ).to.emit(f.escrow, "DisputeResolved");
    const job = await f.escrow.getJob(jobId);
    expect(job.status, "Resolved by the committee").to.equal(BigInt(Status.Resolved));
  });

  it("court adapter: the court's ruling is applied even if the fee cannot be withdrawn now", async function () {
    const f = await loadFixture(fx.deploy);
    const adapter = await f.adapter.getAddress();
    const { jobId } = await blocklistDispute(f, adapter);
    await f.adapter.connect(f.requester).fundCourt(jobId, { value: COURT_COST });
    await f.court.connect(f.judge).giveRuling(0, Ruling.Provider);
    await time.increase(APPEAL_WINDOW);
    await expect(f.court.executeRuling(0), "rule → resolveDispute")
      .to.emit(f.escrow, "DisputeResolved")
      .withArgs(
        jobId,
        adapter,
        Resolution.Arbitrated,
        10_000,
        (v: bigint) => v > 0n,
        0n,
        (v: bigint) => v >= 0n,
        (v: bigint) => v >= 0n,
        (v: bigint) => v > 0n && v < ONE_ETH,
      );
  });
});
