import { expect } from "chai";
import { network } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { ContractTransactionResponse } from "ethers";
import type { HostileReceiver } from "../typechain-types/index.js";
import {
  DAY,
  HOUR,
  ONE_ETH,
  RESULT,
  Status,
  escrowFixtures,
  expectBalanceChanges,
  expectedSplit,
  raiseDispute,
} from "./helpers/escrow.js";
import type { EscrowFixture } from "./helpers/escrow.js";

const { ethers, networkHelpers } = await network.create();
const { loadFixture, time } = networkHelpers;
const fx = escrowFixtures({ ethers, networkHelpers });

const TIP = 12_345n;

type F = EscrowFixture & { job: { id: bigint; params: { deadline: unknown } } };

/** A tipped job, submitted (review window 2 days). */
async function tippedSubmitted(): Promise<F> {
  const f = await fx.deployEscrow();
  const job = await fx.createJob(f, { keeperTip: TIP });
  await f.escrow.connect(f.provider).acceptJob(job.id);
  await f.escrow.connect(f.provider).submitWork(job.id, RESULT);
  return { ...f, job };
}

/** A tipped job, accepted and never delivered. */
async function tippedAccepted(): Promise<F> {
  const f = await fx.deployEscrow();
  const job = await fx.createJob(f, { keeperTip: TIP });
  await f.escrow.connect(f.provider).acceptJob(job.id);
  return { ...f, job };
}

/** A tipped job whose verifier rejected the submitted work. */
async function tippedRejected(): Promise<F> {
  const f = await fx.deployEscrow();
  const job = await fx.createJob(f, { keeperTip: TIP, verifier: f.other.address });
  await f.escrow.connect(f.provider).acceptJob(job.id);
  await f.escrow.connect(f.provider).submitWork(job.id, RESULT);
  await f.escrow.connect(f.other).verifyWork(job.id, false);
  return { ...f, job };
}

/** A tipped job, submitted and disputed by the requester. */
async function tippedDisputed(): Promise<F> {
  const f = await tippedSubmitted();
  await raiseDispute(f.escrow, f.requester, f.job.id);
  return f;
}

/**
 * Each permissionless exit: the fixture, how to make it open, how to call it, and what the requester and
 * provider get besides the tip (the dispute deposit of a stale settlement comes back to the requester).
 */
const exits: {
  name: string;
  fixture: () => Promise<F>;
  open: (f: F) => Promise<void>;
  call: (f: F, who: HardhatEthersSigner) => Promise<ContractTransactionResponse>;
  toRequester: bigint;
  toProvider: bigint;
}[] = [
  {
    name: "release after the review window",
    fixture: tippedSubmitted,
    open: async (f) => {
      const j = await f.escrow.getJob(f.job.id);
      await time.increaseTo(j.submittedAt + j.reviewPeriod);
    },
    call: (f, who) => f.escrow.connect(who).release(f.job.id),
    toRequester: 0n,
    toProvider: expectedSplit(ONE_ETH, 10_000n, 0n).provider,
  },
  {
    name: "refund after the deadline",
    fixture: tippedAccepted,
    open: async (f) => time.increaseTo(BigInt(f.job.params.deadline as bigint) + 1n),
    call: (f, who) => f.escrow.connect(who).refundExpired(f.job.id),
    toRequester: ONE_ETH,
    toProvider: 0n,
  },
  {
    name: "refund after a rejection's review window",
    fixture: tippedRejected,
    open: async (f) => {
      const j = await f.escrow.getJob(f.job.id);
      await time.increaseTo(j.submittedAt + j.reviewPeriod);
    },
    call: (f, who) => f.escrow.connect(who).refundExpired(f.job.id),
    toRequester: ONE_ETH,
    toProvider: 0n,
  },
  {
    name: "stale dispute settlement",
    fixture: tippedDisputed,
    open: async (f) => {
      const j = await f.escrow.getJob(f.job.id);
      await time.increaseTo(j.disputedAt + j.arbitrationPeriod);
    },
    call: (f, who) => f.escrow.connect(who).settleStaleDispute(f.job.id),
    toRequester: expectedSplit(ONE_ETH, 5000n, 0n).requester + ONE_ETH / 50n,
    toProvider: expectedSplit(ONE_ETH, 5000n, 0n).provider,
  },
  {
    name: "finalize",
    fixture: tippedSubmitted,
    open: async (f) => {
      const j = await f.escrow.getJob(f.job.id);
      await time.increaseTo(j.submittedAt + j.reviewPeriod);
    },
    call: (f, who) => f.escrow.connect(who).finalize([f.job.id]),
    toRequester: 0n,
    toProvider: expectedSplit(ONE_ETH, 10_000n, 0n).provider,
  },
];

describe("WorkEscrow keeper tip and batch finalize (v2)", function () {
  describe("the tip of each permissionless exit", function () {
    for (const exit of exits) {
      it(`${exit.name} by a stranger: the tip goes to the stranger`, async function () {
        const f = await loadFixture(exit.fixture);
        await exit.open(f);
        const tx = exit.call(f, f.stranger);
        await expect(tx)
          .to.emit(f.escrow, "KeeperTipPaid")
          .withArgs(f.job.id, f.stranger.address, TIP);
        await expect(tx).to.changeEtherBalances(
          ethers,
          [f.stranger, f.requester, f.provider],
          [TIP, exit.toRequester, exit.toProvider],
        );
      });

      for (const party of ["requester", "provider"] as const) {
        it(`${exit.name} by the ${party}: the tip goes back to the requester`, async function () {
          const f = await loadFixture(exit.fixture);
          await exit.open(f);
          const tx = exit.call(f, f[party]);
          await expect(tx)
            .to.emit(f.escrow, "KeeperTipPaid")
            .withArgs(f.job.id, f.requester.address, TIP);
          await expect(tx).to.changeEtherBalances(
            ethers,
            [f.requester, f.provider],
            [exit.toRequester + TIP, exit.toProvider],
          );
        });
      }
    }

    it("an ERC-20 tip is paid in the job's token", async function () {
      const f = await loadFixture(fx.deployEscrow);
      const t = await f.token.getAddress();
      const job = await fx.createJob(f, { token: t, keeperTip: TIP });
      await f.escrow.connect(f.provider).acceptJob(job.id);
      await time.increaseTo(BigInt(job.params.deadline) + 1n);
      await expectBalanceChanges(
        ethers,
        f.escrow.connect(f.stranger).refundExpired(job.id),
        t,
        [f.stranger, f.requester, f.escrow],
        [TIP, ONE_ETH, -(ONE_ETH + TIP)],
      );
    });

    it("a keeper that cannot receive is credited its tip", async function () {
      const f = await loadFixture(tippedAccepted);
      const keeper = (await ethers.deployContract("HostileReceiver")) as HostileReceiver;
      await keeper.setMode(1); // Revert
      await time.increaseTo(BigInt(f.job.params.deadline as bigint) + 1n);
      await expect(
        keeper.call(f.escrow, f.escrow.interface.encodeFunctionData("refundExpired", [f.job.id])),
      )
        .to.emit(f.escrow, "Credited")
        .withArgs(f.job.id, ethers.ZeroAddress, await keeper.getAddress(), TIP);
    });
  });

  describe("every other ending returns the tip to the requester", function () {
    it("cancel returns amount + tip", async function () {
      const f = await loadFixture(fx.deployEscrow);
      const job = await fx.createJob(f, { keeperTip: TIP });
      const tx = f.escrow.connect(f.requester).cancelJob(job.id);
      await expect(tx)
        .to.emit(f.escrow, "JobCancelled")
        .withArgs(job.id, f.requester.address, ONE_ETH);
      await expect(tx)
        .to.emit(f.escrow, "KeeperTipPaid")
        .withArgs(job.id, f.requester.address, TIP);
      await expect(tx).to.changeEtherBalances(
        ethers,
        [f.requester, f.escrow],
        [ONE_ETH + TIP, -(ONE_ETH + TIP)],
      );
    });

    const others: [string, (f: F) => Promise<ContractTransactionResponse>][] = [
      ["the requester's release", (f) => f.escrow.connect(f.requester).release(f.job.id)],
      [
        "an agreed settlement",
        async (f) => {
          await f.escrow.connect(f.provider).proposeSettlement(f.job.id, 5000);
          return f.escrow.connect(f.requester).acceptSettlement(f.job.id, 5000);
        },
      ],
      [
        "a ruling",
        async (f) => {
          await raiseDispute(f.escrow, f.provider, f.job.id);
          return f.escrow.connect(f.arbitrator).resolveDispute(f.job.id, 5000);
        },
      ],
      [
        "a partial release of everything",
        (f) => f.escrow.connect(f.requester).releasePartial(f.job.id, ONE_ETH),
      ],
      [
        "a partial refund of everything",
        (f) => f.escrow.connect(f.provider).refundPartial(f.job.id, ONE_ETH),
      ],
    ];
    for (const [name, end] of others) {
      it(name, async function () {
        const f = await loadFixture(tippedSubmitted);
        await expect(end(f))
          .to.emit(f.escrow, "KeeperTipPaid")
          .withArgs(f.job.id, f.requester.address, TIP);
      });
    }

    it("an approver's release (not a keeper: the threshold approval is not a permissionless exit)", async function () {
      const f = await loadFixture(fx.deployEscrow);
      const job = await fx.createJob(f, {
        keeperTip: TIP,
        approvers: [f.approvers[0].address],
        threshold: 1,
      });
      await f.escrow.connect(f.provider).acceptJob(job.id);
      await f.escrow.connect(f.provider).submitWork(job.id, RESULT);
      await expect(f.escrow.connect(f.approvers[0]).approveWork(job.id))
        .to.emit(f.escrow, "KeeperTipPaid")
        .withArgs(job.id, f.requester.address, TIP);
    });
  });

  describe("finalize (batch)", function () {
    it("ends the finalisable jobs, skips the rest without reverting, returns the count, pays the tips to the caller", async function () {
      const f = await loadFixture(fx.deployEscrow);
      await f.escrow.setArbitrator(f.other.address, true, DAY); // a 1-day arbitration period
      const t0 = BigInt(await time.latest());
      const tipped = { keeperTip: TIP };
      const submit = async (o: Parameters<typeof fx.createJob>[1]) => {
        const j = await fx.createJob(f, { ...tipped, ...o });
        await f.escrow.connect(f.provider).acceptJob(j.id);
        await f.escrow.connect(f.provider).submitWork(j.id, RESULT);
        return j.id;
      };
      // finalisable at t0 + 1 day + 2 hours
      const A = await submit({ reviewPeriod: HOUR }); // review window over → release
      const B = (await fx.createJob(f, { ...tipped, deadline: t0 + 2n * HOUR })).id;
      await f.escrow.connect(f.provider).acceptJob(B); // deadline passed → refund
      const C = await submit({ arbitrator: f.other.address });
      await raiseDispute(f.escrow, f.requester, C); // 1-day period over → stale
      const D = await submit({ reviewPeriod: HOUR, verifier: f.stranger.address });
      await f.escrow.connect(f.stranger).verifyWork(D, false); // rejected, window over → refund
      const O = (await fx.createJob(f, { ...tipped, deadline: t0 + 2n * HOUR })).id; // Open, expired → refund
      // not yet finalisable
      const E = await submit({ reviewPeriod: 30n * DAY });
      const F_ = (await fx.createJob(f, { ...tipped, deadline: t0 + 10n * DAY })).id;
      await f.escrow.connect(f.provider).acceptJob(F_);
      const G = await submit({});
      await raiseDispute(f.escrow, f.provider, G); // default 7-day period
      const H = (await fx.createJob(f, { ...tipped, deadline: t0 + 10n * DAY })).id;
      // ended already
      const X = (await fx.createJob(f, tipped)).id;
      await f.escrow.connect(f.requester).cancelJob(X);
      await time.increaseTo(t0 + DAY + 2n * HOUR);

      const keeper = f.approvers[2]; // no role in any of these jobs
      const batch = [A, E, B, F_, C, 999n, G, D, 0n, H, X, A, O];
      expect(await f.escrow.connect(keeper).finalize.staticCall(batch)).to.equal(5n);
      const tx = f.escrow.connect(keeper).finalize(batch);
      await expect(tx).to.changeEtherBalance(ethers, keeper, 5n * TIP);
      for (const [id, status] of [
        [A, Status.Released],
        [B, Status.Refunded],
        [C, Status.Resolved],
        [D, Status.Refunded],
        [O, Status.Refunded],
        [E, Status.Submitted],
        [F_, Status.Accepted],
        [G, Status.Disputed],
        [H, Status.Open],
        [X, Status.Cancelled],
      ] as const) {
        expect((await f.escrow.getJob(id)).status, `job ${id}`).to.equal(BigInt(status));
      }
      // a second pass finds nothing to do, and an empty list is fine
      expect(await f.escrow.connect(keeper).finalize.staticCall(batch)).to.equal(0n);
      expect(await f.escrow.connect(keeper).finalize.staticCall([])).to.equal(0n);
    });

    // finalize never reverts for one job, so its edges are checked by what it returns and does
    for (const [name, fixture, edgeOf, from] of [
      [
        "release from S + review",
        tippedSubmitted,
        async (f: F) => {
          const j = await f.escrow.getJob(f.job.id);
          return j.submittedAt + j.reviewPeriod;
        },
        0n,
      ],
      [
        "refund from deadline + 1",
        tippedAccepted,
        async (f: F) => BigInt(f.job.params.deadline as bigint),
        1n,
      ],
      [
        "stale settlement from D + P",
        tippedDisputed,
        async (f: F) => {
          const j = await f.escrow.getJob(f.job.id);
          return j.disputedAt + j.arbitrationPeriod;
        },
        0n,
      ],
      [
        "refund of rejected work from verdictAt + review (the provider's window to dispute it)",
        tippedRejected,
        async (f: F) => {
          const j = await f.escrow.getJob(f.job.id);
          return j.verdictAt + j.reviewPeriod;
        },
        0n,
      ],
    ] as const) {
      it(`edges: ${name}, skipped one second before`, async function () {
        for (const offset of [-1n, 0n, 1n]) {
          const f = await loadFixture(fixture);
          const t = await edgeOf(f);
          await time.setNextBlockTimestamp(t + offset);
          const before = (await f.escrow.getJob(f.job.id)).status;
          await f.escrow.connect(f.stranger).finalize([f.job.id]);
          const after = (await f.escrow.getJob(f.job.id)).status;
          if (offset >= from) expect(after, `ended at t${offset}`).to.not.equal(before);
          else expect(after, `skipped at t${offset}`).to.equal(before);
        }
      });
    }

    it("a party finalising gets no tip: it goes back to the requester", async function () {
      const f = await loadFixture(tippedAccepted);
      await time.increaseTo(BigInt(f.job.params.deadline as bigint) + 1n);
      await expect(f.escrow.connect(f.provider).finalize([f.job.id]))
        .to.emit(f.escrow, "KeeperTipPaid")
        .withArgs(f.job.id, f.requester.address, TIP);
    });

    it("a job whose payee cannot receive does not stop the batch (credited)", async function () {
      const f = await loadFixture(fx.deployEscrow);
      const hostile = (await ethers.deployContract("HostileReceiver")) as HostileReceiver;
      const bad = await fx.createJob(f, { provider: await hostile.getAddress() });
      await hostile.call(f.escrow, f.escrow.interface.encodeFunctionData("acceptJob", [bad.id]));
      await hostile.call(
        f.escrow,
        f.escrow.interface.encodeFunctionData("submitWork", [bad.id, RESULT]),
      );
      await hostile.setMode(2); // BurnGas
      const good = await fx.createJob(f);
      await f.escrow.connect(f.provider).acceptJob(good.id);
      await f.escrow.connect(f.provider).submitWork(good.id, RESULT);
      await time.increase(2n * DAY);
      const tx = f.escrow.connect(f.stranger).finalize([bad.id, good.id]);
      await expect(tx).to.emit(f.escrow, "Credited");
      const s = expectedSplit(ONE_ETH, 10_000n, 0n);
      await expect(tx).to.changeEtherBalance(ethers, f.provider, s.provider);
    });
  });
});
