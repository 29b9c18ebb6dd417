import { expect } from "chai";
import { network } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import {
  DAY,
  DEFAULT_ARBITRATION_PERIOD,
  FEES,
  ONE_ETH,
  RESULT,
  Resolution,
  Status,
  depositOf,
  escrowFixtures,
  expectAtEdges,
  expectBalanceChanges,
  expectedSplit,
  minedAt,
  raiseDispute,
} from "./helpers/escrow.js";
import type { EscrowFixture } from "./helpers/escrow.js";

const { ethers, networkHelpers } = await network.create();
const { loadFixture, time } = networkHelpers;
const fx = escrowFixtures({ ethers, networkHelpers });

type Party = "requester" | "provider";
type Kind = "native" | "ERC-20";

/**
 * Fixtures of a submitted 1-unit job of `kind` disputed by `by` with the deposit, one function per
 * combination (loadFixture caches on the function's identity).
 */
const disputedFixtures = new Map<string, () => Promise<DisputedFixture>>();
interface DisputedFixture extends EscrowFixture {
  job: { id: bigint };
  tokenAddress: string;
  deposit: bigint;
  disputer: HardhatEthersSigner;
  other_: HardhatEthersSigner;
}
function disputed(kind: Kind, by: Party): () => Promise<DisputedFixture> {
  const key = `${kind}/${by}`;
  if (!disputedFixtures.has(key)) {
    const name = `disputedBy${by}In${kind.replace("-", "")}`;
    // a named function: loadFixture refuses anonymous ones
    const fixture = {
      [name]: async (): Promise<DisputedFixture> => {
        const f = await fx.deployEscrow();
        const tokenAddress = kind === "native" ? ethers.ZeroAddress : await f.token.getAddress();
        const job = await fx.createJob(f, { token: tokenAddress });
        await f.escrow.connect(f.provider).acceptJob(job.id);
        await f.escrow.connect(f.provider).submitWork(job.id, RESULT);
        const disputer = by === "requester" ? f.requester : f.provider;
        const deposit = await depositOf(f.escrow, job.id);
        await raiseDispute(f.escrow, disputer, job.id, "disagree");
        const other_ = by === "requester" ? f.provider : f.requester;
        return { ...f, job, tokenAddress, deposit, disputer, other_ };
      },
    }[name];
    disputedFixtures.set(key, fixture);
  }
  return disputedFixtures.get(key)!;
}

/** A submitted job whose arbitrator has a 2-day period, after which the registry says 30 days. */
async function shortPeriodDisputedJob() {
  const f = await fx.deployEscrow();
  await f.escrow.setArbitrator(f.other.address, true, 2n * DAY);
  const job = await fx.createJob(f, { arbitrator: f.other.address });
  await f.escrow.setArbitrator(f.other.address, true, 30n * DAY); // later registry change
  await f.escrow.connect(f.provider).acceptJob(job.id);
  await f.escrow.connect(f.provider).submitWork(job.id, RESULT);
  await raiseDispute(f.escrow, f.requester, job.id, "late");
  return { ...f, job };
}

describe("WorkEscrow disputes", function () {
  describe("raiseDispute", function () {
    it("records who disputed, when and the deposit (the arbitration fee on the amount)", async function () {
      const f = await loadFixture(fx.submittedJob);
      const deposit = await depositOf(f.escrow, f.job.id);
      expect(deposit).to.equal((ONE_ETH * FEES.arbitration) / 10_000n);
      const tx = await f.escrow
        .connect(f.requester)
        .raiseDispute(f.job.id, "wrong output", { value: deposit });
      await expect(tx)
        .to.emit(f.escrow, "DisputeRaised")
        .withArgs(f.job.id, f.requester.address, "wrong output", deposit);
      await expect(tx).to.changeEtherBalances(ethers, [f.requester, f.escrow], [-deposit, deposit]);
      const job = await f.escrow.getJob(f.job.id);
      expect(job.status).to.equal(BigInt(Status.Disputed));
      expect(job.disputedBy).to.equal(f.requester.address);
      expect(job.disputedAt).to.equal(await minedAt(ethers, tx));
      expect(job.disputeDeposit).to.equal(deposit);

      const p = await loadFixture(fx.submittedJob);
      await raiseDispute(p.escrow, p.provider, p.job.id, "requester unresponsive");
      expect((await p.escrow.getJob(p.job.id)).disputedBy).to.equal(p.provider.address);
    });

    it("v2: refused from Accepted, for either party (v1 allowed it): only delivered work is disputed", async function () {
      const f = await loadFixture(fx.acceptedJob);
      for (const who of [f.requester, f.provider]) {
        await expect(f.escrow.connect(who).raiseDispute(f.job.id, "x", { value: 0n }))
          .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidStatus")
          .withArgs(f.job.id, Status.Accepted);
        await expect(
          f.escrow
            .connect(who)
            .raiseDispute(f.job.id, "x", { value: await depositOf(f.escrow, f.job.id) }),
        )
          .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidStatus")
          .withArgs(f.job.id, Status.Accepted);
      }
    });

    it("is only for the requester and the provider", async function () {
      const f = await loadFixture(fx.submittedJob);
      const deposit = await depositOf(f.escrow, f.job.id);
      for (const who of [f.arbitrator, f.stranger, f.treasury]) {
        await expect(f.escrow.connect(who).raiseDispute(f.job.id, "x", { value: deposit }))
          .to.be.revertedWithCustomError(f.escrow, "WorkEscrowUnauthorized")
          .withArgs(f.job.id, who.address);
      }
    });

    it("is refused on Open, Disputed and terminal jobs", async function () {
      const f = await loadFixture(fx.openJob);
      await expect(f.escrow.connect(f.requester).raiseDispute(f.job.id, "x"))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidStatus")
        .withArgs(f.job.id, Status.Open);
      const d = await loadFixture(fx.disputedJob);
      await expect(raiseDispute(d.escrow, d.provider, d.job.id))
        .to.be.revertedWithCustomError(d.escrow, "WorkEscrowInvalidStatus")
        .withArgs(d.job.id, Status.Disputed);
      const r = await loadFixture(fx.submittedJob);
      await r.escrow.connect(r.requester).release(r.job.id);
      await expect(raiseDispute(r.escrow, r.provider, r.job.id))
        .to.be.revertedWithCustomError(r.escrow, "WorkEscrowInvalidStatus")
        .withArgs(r.job.id, Status.Released);
    });

    it("from Submitted: allowed at S + review - 1, refused at S + review and + 1", async function () {
      await expectAtEdges(networkHelpers, fx.submittedJob, {
        edge: async (f) => {
          const job = await f.escrow.getJob(f.job.id);
          return job.submittedAt + job.reviewPeriod;
        },
        act: (f) => raiseDispute(f.escrow, f.requester, f.job.id, "late"),
        allowed: [true, false, false],
        event: "DisputeRaised",
        error: "WorkEscrowReviewWindowClosed",
      });
    });

    it("native: the deposit must be exact (WorkEscrowValueMismatch(deposit, sent))", async function () {
      const f = await loadFixture(fx.submittedJob);
      const deposit = await depositOf(f.escrow, f.job.id);
      for (const sent of [0n, deposit - 1n, deposit + 1n]) {
        await expect(f.escrow.connect(f.requester).raiseDispute(f.job.id, "x", { value: sent }))
          .to.be.revertedWithCustomError(f.escrow, "WorkEscrowValueMismatch")
          .withArgs(deposit, sent);
      }
      await expect(
        f.escrow.connect(f.requester).raiseDispute(f.job.id, "x", { value: deposit }),
      ).to.emit(f.escrow, "DisputeRaised");
    });

    it("ERC-20: the deposit is pulled from the disputer; native coin alongside is refused", async function () {
      const f = await loadFixture(fx.deployEscrow);
      const job = await fx.createJob(f, { token: await f.token.getAddress() });
      await f.escrow.connect(f.provider).acceptJob(job.id);
      await f.escrow.connect(f.provider).submitWork(job.id, RESULT);
      const deposit = await depositOf(f.escrow, job.id);
      await expect(f.escrow.connect(f.provider).raiseDispute(job.id, "x", { value: deposit }))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowValueMismatch")
        .withArgs(0n, deposit);
      const tx = f.escrow.connect(f.provider).raiseDispute(job.id, "x");
      await expect(tx)
        .to.emit(f.escrow, "DisputeRaised")
        .withArgs(job.id, f.provider.address, "x", deposit);
      await expect(tx).to.changeTokenBalances(
        ethers,
        f.token,
        [f.provider, f.escrow],
        [-deposit, deposit],
      );
    });

    it("ERC-20: a disputer without allowance cannot dispute", async function () {
      const f = await loadFixture(fx.deployEscrow);
      const job = await fx.createJob(f, { token: await f.token.getAddress() });
      await f.escrow.connect(f.provider).acceptJob(job.id);
      await f.escrow.connect(f.provider).submitWork(job.id, RESULT);
      await f.token.connect(f.provider).approve(f.escrow, 0n);
      await expect(
        f.escrow.connect(f.provider).raiseDispute(job.id, "x"),
      ).to.be.revertedWithCustomError(f.token, "ERC20InsufficientAllowance");
    });

    it("fee-on-transfer: the deposit that arrives is held, announced and settled", async function () {
      const f = await loadFixture(fx.deployEscrow);
      const fot = await ethers.deployContract("FeeOnTransferToken", [100n]); // 1% burned
      for (const who of [f.requester, f.provider]) {
        await fot.mint(who.address, 1000n * ONE_ETH);
        await fot.connect(who).approve(f.escrow, ethers.MaxUint256);
      }
      const job = await fx.createJob(f, { token: await fot.getAddress(), amount: 100n * ONE_ETH });
      await f.escrow.connect(f.provider).acceptJob(job.id);
      await f.escrow.connect(f.provider).submitWork(job.id, RESULT);
      const asked = await depositOf(f.escrow, job.id);
      const arrived = asked - asked / 100n;
      await expect(f.escrow.connect(f.requester).raiseDispute(job.id, "x"))
        .to.emit(f.escrow, "DisputeRaised")
        .withArgs(job.id, f.requester.address, "x", arrived);
      expect((await f.escrow.getJob(job.id)).disputeDeposit).to.equal(arrived);
      // ruled 0 for the requester-disputer: the deposit comes back (what arrived, minus the token's own cut)
      await expect(f.escrow.connect(f.arbitrator).resolveDispute(job.id, 0))
        .to.emit(f.escrow, "DisputeDepositSettled")
        .withArgs(job.id, f.requester.address, arrived);
      expect((await f.escrow.getJob(job.id)).disputeDeposit).to.equal(0n);
      const credits = await f.escrow.withdrawable(fot, f.arbitrator);
      expect(await fot.balanceOf(f.escrow)).to.equal(credits, "nothing else is left behind");
    });

    it("arbitration fee 0 → deposit 0: no coin may be sent, no token is pulled", async function () {
      const f = await loadFixture(fx.deployEscrow);
      await f.escrow.setFees(FEES.platform, FEES.community, 0);
      const native = await fx.createJob(f);
      const erc20 = await fx.createJob(f, { token: await f.token.getAddress() });
      for (const job of [native, erc20]) {
        await f.escrow.connect(f.provider).acceptJob(job.id);
        await f.escrow.connect(f.provider).submitWork(job.id, RESULT);
        await expect(f.escrow.connect(f.requester).raiseDispute(job.id, "x", { value: 1n }))
          .to.be.revertedWithCustomError(f.escrow, "WorkEscrowValueMismatch")
          .withArgs(0n, 1n);
      }
      await expect(f.escrow.connect(f.requester).raiseDispute(native.id, "x"))
        .to.emit(f.escrow, "DisputeRaised")
        .withArgs(native.id, f.requester.address, "x", 0n);
      const tx = f.escrow.connect(f.requester).raiseDispute(erc20.id, "x");
      await expect(tx)
        .to.emit(f.escrow, "DisputeRaised")
        .withArgs(erc20.id, f.requester.address, "x", 0n);
      await expect(tx).to.changeTokenBalance(ethers, f.token, f.escrow, 0n);
      await expect(f.escrow.connect(f.arbitrator).resolveDispute(native.id, 10_000)).not.to.emit(
        f.escrow,
        "DisputeDepositSettled",
      );
    });

    it("the deposit follows the job's snapshotted rate, not the rate in force when disputing", async function () {
      const f = await loadFixture(fx.submittedJob);
      await f.escrow.setFees(FEES.platform, FEES.community, 1000);
      await expect(
        f.escrow.connect(f.requester).raiseDispute(f.job.id, "x", { value: ONE_ETH / 50n }),
      )
        .to.emit(f.escrow, "DisputeRaised")
        .withArgs(f.job.id, f.requester.address, "x", ONE_ETH / 50n);
    });

    it("stops approvals, release, auto-release and refund", async function () {
      const f = await loadFixture(fx.multipartyJob);
      await raiseDispute(f.escrow, f.provider, f.job.id, "approvers stalling");
      await expect(
        f.escrow.connect(f.approvers[0]).approveWork(f.job.id),
      ).to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidStatus");
      await expect(f.escrow.connect(f.requester).release(f.job.id)).to.be.revertedWithCustomError(
        f.escrow,
        "WorkEscrowInvalidStatus",
      );
      await time.increaseTo(BigInt(f.job.params.deadline) + 3n * DAY);
      await expect(f.escrow.connect(f.stranger).release(f.job.id)).to.be.revertedWithCustomError(
        f.escrow,
        "WorkEscrowInvalidStatus",
      );
      await expect(f.escrow.refundExpired(f.job.id)).to.be.revertedWithCustomError(
        f.escrow,
        "WorkEscrowInvalidStatus",
      );
    });
  });

  describe("dispute deposit outcomes", function () {
    // [disputer, how it ends, providerBps, who gets the deposit]
    const cases: [Party, "ruled" | "stale" | "agreed", bigint, Party][] = [
      ["requester", "ruled", 10_000n, "provider"], // fully against the requester: forfeited
      ["requester", "ruled", 0n, "requester"],
      ["requester", "ruled", 6000n, "requester"],
      ["provider", "ruled", 0n, "requester"], // fully against the provider: forfeited
      ["provider", "ruled", 10_000n, "provider"],
      ["provider", "ruled", 3000n, "provider"],
      ["requester", "stale", 5000n, "requester"],
      ["provider", "stale", 5000n, "provider"],
      ["requester", "agreed", 2500n, "requester"],
      ["provider", "agreed", 7500n, "provider"],
    ];
    for (const kind of ["native", "ERC-20"] as const) {
      for (const [by, end, bps, to] of cases) {
        it(`${kind}: ${by}'s dispute ${end}${end === "stale" ? "" : ` ${bps}`} → deposit to the ${to}`, async function () {
          const f = await loadFixture(disputed(kind, by));
          const { id } = f.job;
          let tx;
          if (end === "ruled") {
            tx = f.escrow.connect(f.arbitrator).resolveDispute(id, bps);
          } else if (end === "stale") {
            await time.increaseTo(
              (await f.escrow.getJob(id)).disputedAt + DEFAULT_ARBITRATION_PERIOD,
            );
            tx = f.escrow.connect(f.stranger).settleStaleDispute(id);
          } else {
            await f.escrow.connect(f.other_).proposeSettlement(id, bps);
            tx = f.escrow.connect(f.disputer).acceptSettlement(id, bps);
          }
          const s = expectedSplit(ONE_ETH, bps, end === "ruled" ? FEES.arbitration : 0n);
          const recipient = to === "requester" ? f.requester : f.provider;
          await expect(tx)
            .to.emit(f.escrow, "DisputeDepositSettled")
            .withArgs(id, recipient.address, f.deposit);
          await expectBalanceChanges(
            ethers,
            tx,
            f.tokenAddress,
            [f.provider, f.requester, f.escrow],
            [
              s.provider + (to === "provider" ? f.deposit : 0n),
              s.requester + (to === "requester" ? f.deposit : 0n),
              -(s.provider + s.requester + f.deposit),
            ],
          );
          expect((await f.escrow.getJob(id)).disputeDeposit).to.equal(0n);
          expect(await f.escrow.withdrawable(f.tokenAddress, f.arbitrator)).to.equal(
            s.arbitrationFee,
          );
          // every wei of amount + deposit ended with someone
          const credits =
            (await f.escrow.withdrawable(f.tokenAddress, f.treasury)) +
            (await f.escrow.withdrawable(f.tokenAddress, f.community)) +
            s.arbitrationFee;
          expect(s.provider + s.requester + credits).to.equal(ONE_ETH);
        });
      }
    }
  });

  describe("submitEvidence", function () {
    it("lets the parties and the job's arbitrator post evidence URIs", async function () {
      const f = await loadFixture(fx.disputedJob);
      for (const who of [f.requester, f.provider, f.arbitrator]) {
        await expect(f.escrow.connect(who).submitEvidence(f.job.id, "ipfs://evidence"))
          .to.emit(f.escrow, "EvidenceSubmitted")
          .withArgs(f.job.id, who.address, "ipfs://evidence");
      }
      await expect(f.escrow.connect(f.stranger).submitEvidence(f.job.id, "ipfs://spam"))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowUnauthorized")
        .withArgs(f.job.id, f.stranger.address);
    });

    it("is refused when the job is not disputed", async function () {
      const f = await loadFixture(fx.submittedJob);
      await expect(f.escrow.connect(f.requester).submitEvidence(f.job.id, "ipfs://x"))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidStatus")
        .withArgs(f.job.id, Status.Submitted);
    });
  });

  describe("negotiated settlement", function () {
    it("resolves on the other party's acceptance of the same bps, with no arbitration fee", async function () {
      const f = await loadFixture(fx.disputedJob);
      await expect(f.escrow.connect(f.provider).proposeSettlement(f.job.id, 7000))
        .to.emit(f.escrow, "SettlementProposed")
        .withArgs(f.job.id, f.provider.address, 7000);
      let job = await f.escrow.getJob(f.job.id);
      expect(job.proposer).to.equal(f.provider.address);
      expect(job.proposalBps).to.equal(7000n);
      expect(job.disputedBy).to.equal(f.requester.address);

      const s = expectedSplit(ONE_ETH, 7000n, 0n);
      const deposit = job.disputeDeposit;
      const tx = f.escrow.connect(f.requester).acceptSettlement(f.job.id, 7000);
      await expect(tx)
        .to.emit(f.escrow, "DisputeResolved")
        .withArgs(
          f.job.id,
          f.requester.address,
          Resolution.Agreed,
          7000,
          s.provider,
          s.requester,
          s.platformFee,
          s.communityFee,
          0n,
        );
      await expect(tx).to.changeEtherBalances(
        ethers,
        [f.provider, f.requester, f.escrow],
        [s.provider, s.requester + deposit, -(s.provider + s.requester + deposit)],
      );
      job = await f.escrow.getJob(f.job.id);
      expect(job.status).to.equal(BigInt(Status.Resolved));
      expect(await f.escrow.withdrawable(ethers.ZeroAddress, f.arbitrator.address)).to.equal(0n);
    });

    for (const state of ["Accepted", "Submitted"] as const) {
      it(`v2: works in ${state} (no dispute, no deposit, no arbitration fee)`, async function () {
        const f = await loadFixture(state === "Accepted" ? fx.acceptedJob : fx.submittedJob);
        await f.escrow.connect(f.requester).proposeSettlement(f.job.id, 4000);
        const s = expectedSplit(ONE_ETH, 4000n, 0n);
        const tx = f.escrow.connect(f.provider).acceptSettlement(f.job.id, 4000);
        await expect(tx)
          .to.emit(f.escrow, "DisputeResolved")
          .withArgs(
            f.job.id,
            f.provider.address,
            Resolution.Agreed,
            4000,
            s.provider,
            s.requester,
            s.platformFee,
            s.communityFee,
            0n,
          );
        await expect(tx).not.to.emit(f.escrow, "DisputeDepositSettled");
        await expect(tx).to.changeEtherBalances(
          ethers,
          [f.provider, f.requester, f.escrow],
          [s.provider, s.requester, -(s.provider + s.requester)],
        );
        expect((await f.escrow.getJob(f.job.id)).status).to.equal(BigInt(Status.Resolved));
      });

      it(`v2: 0 bps in ${state} is a mutual cancellation: everything back to the requester, no fee`, async function () {
        const f = await loadFixture(state === "Accepted" ? fx.acceptedJob : fx.submittedJob);
        await f.escrow.connect(f.provider).proposeSettlement(f.job.id, 0);
        const tx = f.escrow.connect(f.requester).acceptSettlement(f.job.id, 0);
        await expect(tx)
          .to.emit(f.escrow, "DisputeResolved")
          .withArgs(f.job.id, f.requester.address, Resolution.Agreed, 0, 0n, ONE_ETH, 0n, 0n, 0n);
        await expect(tx).to.changeEtherBalances(
          ethers,
          [f.provider, f.requester, f.escrow],
          [0n, ONE_ETH, -ONE_ETH],
        );
        expect(await f.escrow.withdrawable(ethers.ZeroAddress, f.treasury)).to.equal(0n);
        expect(await f.escrow.withdrawable(ethers.ZeroAddress, f.community)).to.equal(0n);
      });
    }

    it("v2: an offer made in Accepted lapses on submission", async function () {
      const f = await loadFixture(fx.acceptedJob);
      await f.escrow.connect(f.requester).proposeSettlement(f.job.id, 1000);
      await f.escrow.connect(f.provider).submitWork(f.job.id, RESULT);
      const job = await f.escrow.getJob(f.job.id);
      expect([job.proposer, job.proposalBps]).to.deep.equal([ethers.ZeroAddress, 0n]);
      await expect(f.escrow.connect(f.provider).acceptSettlement(f.job.id, 1000))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowNoMatchingProposal")
        .withArgs(f.job.id, 1000);
    });

    it("v2: an offer made in Submitted lapses on a dispute", async function () {
      const f = await loadFixture(fx.submittedJob);
      await f.escrow.connect(f.provider).proposeSettlement(f.job.id, 9000);
      await raiseDispute(f.escrow, f.requester, f.job.id);
      expect((await f.escrow.getJob(f.job.id)).proposer).to.equal(ethers.ZeroAddress);
      await expect(f.escrow.connect(f.requester).acceptSettlement(f.job.id, 9000))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowNoMatchingProposal")
        .withArgs(f.job.id, 9000);
    });

    it("refuses accepting one's own proposal, a different bps, or with no proposal", async function () {
      const f = await loadFixture(fx.disputedJob);
      await expect(f.escrow.connect(f.provider).acceptSettlement(f.job.id, 5000))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowNoMatchingProposal")
        .withArgs(f.job.id, 5000);
      await f.escrow.connect(f.requester).proposeSettlement(f.job.id, 2000);
      await expect(f.escrow.connect(f.requester).acceptSettlement(f.job.id, 2000))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowOwnProposal")
        .withArgs(f.job.id, f.requester.address);
      await expect(f.escrow.connect(f.provider).acceptSettlement(f.job.id, 2500))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowNoMatchingProposal")
        .withArgs(f.job.id, 2500);
      await expect(f.escrow.connect(f.stranger).acceptSettlement(f.job.id, 2000))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowUnauthorized")
        .withArgs(f.job.id, f.stranger.address);
    });

    it("a newer proposal replaces the older one, whoever made it", async function () {
      const f = await loadFixture(fx.disputedJob);
      await f.escrow.connect(f.requester).proposeSettlement(f.job.id, 2000);
      await f.escrow.connect(f.provider).proposeSettlement(f.job.id, 8000);
      await expect(
        f.escrow.connect(f.provider).acceptSettlement(f.job.id, 2000),
      ).to.be.revertedWithCustomError(f.escrow, "WorkEscrowNoMatchingProposal");
      await expect(
        f.escrow.connect(f.provider).acceptSettlement(f.job.id, 8000),
      ).to.be.revertedWithCustomError(f.escrow, "WorkEscrowOwnProposal");
      await f.escrow.connect(f.requester).acceptSettlement(f.job.id, 8000);
    });

    it("a zero-bps offer in a dispute is a real offer (full refund to the requester, deposit back)", async function () {
      const f = await loadFixture(fx.disputedJob);
      await f.escrow.connect(f.provider).proposeSettlement(f.job.id, 0);
      const job = await f.escrow.getJob(f.job.id);
      expect(job.proposer).to.equal(f.provider.address);
      await expect(
        f.escrow.connect(f.requester).acceptSettlement(f.job.id, 0),
      ).to.changeEtherBalance(ethers, f.requester, ONE_ETH + job.disputeDeposit);
    });

    it("rejects bps above 10,000, non-parties, and Open or ended jobs (v2: Accepted and Submitted are allowed)", async function () {
      const f = await loadFixture(fx.disputedJob);
      await expect(f.escrow.connect(f.provider).proposeSettlement(f.job.id, 10_001))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidBps")
        .withArgs(10_001);
      await expect(f.escrow.connect(f.arbitrator).proposeSettlement(f.job.id, 5000))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowUnauthorized")
        .withArgs(f.job.id, f.arbitrator.address);
      const o = await loadFixture(fx.openJob);
      await expect(o.escrow.connect(o.provider).proposeSettlement(o.job.id, 5000))
        .to.be.revertedWithCustomError(o.escrow, "WorkEscrowInvalidStatus")
        .withArgs(o.job.id, Status.Open);
      await expect(o.escrow.connect(o.provider).acceptSettlement(o.job.id, 0))
        .to.be.revertedWithCustomError(o.escrow, "WorkEscrowInvalidStatus")
        .withArgs(o.job.id, Status.Open);
      const r = await loadFixture(fx.submittedJob);
      await r.escrow.connect(r.requester).release(r.job.id);
      await expect(r.escrow.connect(r.provider).proposeSettlement(r.job.id, 5000))
        .to.be.revertedWithCustomError(r.escrow, "WorkEscrowInvalidStatus")
        .withArgs(r.job.id, Status.Released);
    });
  });

  describe("resolveDispute", function () {
    it("pays the arbitration fee (credited, with Credited), then splits the rest exactly", async function () {
      const f = await loadFixture(fx.disputedJob);
      const deposit = (await f.escrow.getJob(f.job.id)).disputeDeposit;
      const s = expectedSplit(ONE_ETH, 6000n, 200n);
      const tx = f.escrow.connect(f.arbitrator).resolveDispute(f.job.id, 6000);
      await expect(tx)
        .to.emit(f.escrow, "DisputeResolved")
        .withArgs(
          f.job.id,
          f.arbitrator.address,
          Resolution.Arbitrated,
          6000,
          s.provider,
          s.requester,
          s.platformFee,
          s.communityFee,
          s.arbitrationFee,
        );
      await expect(tx)
        .to.emit(f.escrow, "Credited")
        .withArgs(f.job.id, ethers.ZeroAddress, f.arbitrator.address, s.arbitrationFee);
      await expect(tx).to.changeEtherBalances(
        ethers,
        [f.provider, f.requester],
        [s.provider, s.requester + deposit],
      );
      expect(await f.escrow.withdrawable(ethers.ZeroAddress, f.arbitrator.address)).to.equal(
        s.arbitrationFee,
      );
      expect(await f.escrow.withdrawable(ethers.ZeroAddress, f.treasury.address)).to.equal(
        s.platformFee,
      );
      expect(await f.escrow.withdrawable(ethers.ZeroAddress, f.community.address)).to.equal(
        s.communityFee,
      );
      expect(s.provider + s.requester + s.platformFee + s.communityFee + s.arbitrationFee).to.equal(
        ONE_ETH,
      );
      expect(await ethers.provider.getBalance(f.escrow)).to.equal(
        s.platformFee + s.communityFee + s.arbitrationFee,
      );
    });

    it("handles 0 and 10,000 bps and rejects 10,001", async function () {
      const f = await loadFixture(fx.disputedJob);
      const deposit = (await f.escrow.getJob(f.job.id)).disputeDeposit;
      await expect(f.escrow.connect(f.arbitrator).resolveDispute(f.job.id, 10_001))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidBps")
        .withArgs(10_001);
      const s0 = expectedSplit(ONE_ETH, 0n, 200n);
      await expect(
        f.escrow.connect(f.arbitrator).resolveDispute(f.job.id, 0),
      ).to.changeEtherBalance(ethers, f.requester, s0.requester + deposit);
      const g = await loadFixture(fx.disputedJob);
      const s1 = expectedSplit(ONE_ETH, 10_000n, 200n);
      await expect(
        g.escrow.connect(g.arbitrator).resolveDispute(g.job.id, 10_000),
      ).to.changeEtherBalance(ethers, g.provider, s1.provider + deposit);
    });

    it("only the job's snapshotted arbitrator, even after the registry changes", async function () {
      const f = await loadFixture(fx.disputedJob);
      for (const who of [f.requester, f.provider, f.stranger, f.admin]) {
        await expect(f.escrow.connect(who).resolveDispute(f.job.id, 5000))
          .to.be.revertedWithCustomError(f.escrow, "WorkEscrowUnauthorized")
          .withArgs(f.job.id, who.address);
      }
      // a newly registered arbitrator gains nothing; the de-registered one keeps its job
      await f.escrow.setArbitrator(f.stranger.address, true, 0);
      await f.escrow.setArbitrator(f.arbitrator.address, false, 0);
      await expect(
        f.escrow.connect(f.stranger).resolveDispute(f.job.id, 5000),
      ).to.be.revertedWithCustomError(f.escrow, "WorkEscrowUnauthorized");
      expect((await f.escrow.getJob(f.job.id)).arbitrator).to.equal(f.arbitrator.address);
      await expect(f.escrow.connect(f.arbitrator).resolveDispute(f.job.id, 5000)).to.emit(
        f.escrow,
        "DisputeResolved",
      );
      // and the de-registered arbitrator cannot be named by new jobs
      await expect(fx.createJob(f)).to.be.revertedWithCustomError(
        f.escrow,
        "WorkEscrowArbitratorNotRegistered",
      );
    });

    it("is allowed at D + P - 1, refused at D + P and + 1 (P = the job's arbitration period)", async function () {
      await expectAtEdges(networkHelpers, fx.disputedJob, {
        edge: async (f) => {
          const job = await f.escrow.getJob(f.job.id);
          return job.disputedAt + job.arbitrationPeriod;
        },
        act: (f) => f.escrow.connect(f.arbitrator).resolveDispute(f.job.id, 5000),
        allowed: [true, false, false],
        event: "DisputeResolved",
        error: "WorkEscrowArbitrationPeriodOver",
      });
    });

    it("cannot resolve twice or act on a resolved job", async function () {
      const f = await loadFixture(fx.disputedJob);
      await f.escrow.connect(f.arbitrator).resolveDispute(f.job.id, 5000);
      await expect(f.escrow.connect(f.arbitrator).resolveDispute(f.job.id, 5000))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidStatus")
        .withArgs(f.job.id, Status.Resolved);
      await expect(
        f.escrow.connect(f.provider).proposeSettlement(f.job.id, 1),
      ).to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidStatus");
      await expect(
        f.escrow.connect(f.provider).submitEvidence(f.job.id, "x"),
      ).to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidStatus");
      await time.increase(DEFAULT_ARBITRATION_PERIOD);
      await expect(f.escrow.settleStaleDispute(f.job.id)).to.be.revertedWithCustomError(
        f.escrow,
        "WorkEscrowInvalidStatus",
      );
      await expect(f.escrow.connect(f.requester).release(f.job.id)).to.be.revertedWithCustomError(
        f.escrow,
        "WorkEscrowInvalidStatus",
      );
    });
  });

  describe("v2: per-arbitrator arbitration period", function () {
    it("registry bounds: 1 to 90 days, 0 = 7 days (WorkEscrowInvalidArbitrationPeriod)", async function () {
      const f = await loadFixture(fx.deployEscrow);
      const [min, max] = [
        await f.escrow.MIN_ARBITRATION_PERIOD(),
        await f.escrow.MAX_ARBITRATION_PERIOD(),
      ];
      expect([min, max]).to.deep.equal([DAY, 90n * DAY]);
      expect(await f.escrow.DEFAULT_ARBITRATION_PERIOD()).to.equal(7n * DAY);
      for (const bad of [min - 1n, max + 1n, 2n ** 24n, 2n ** 32n - 1n]) {
        await expect(f.escrow.setArbitrator(f.other.address, true, bad))
          .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidArbitrationPeriod")
          .withArgs(bad, min, max);
      }
      for (const [period, stored] of [
        [min, min],
        [max, max],
        [0n, 7n * DAY],
      ]) {
        await expect(f.escrow.setArbitrator(f.other.address, true, period))
          .to.emit(f.escrow, "ArbitratorUpdated")
          .withArgs(f.other.address, true, stored);
        expect(await f.escrow.arbitratorInfo(f.other.address)).to.deep.equal([true, stored]);
      }
    });

    it("is snapshotted at creation: a later registry change does not change the job", async function () {
      const f = await loadFixture(shortPeriodDisputedJob);
      expect(await f.escrow.arbitratorInfo(f.other.address)).to.deep.equal([true, 30n * DAY]);
      expect((await f.escrow.getJob(f.job.id)).arbitrationPeriod).to.equal(2n * DAY);
      await expect(f.job.tx)
        .to.emit(f.escrow, "JobCreated")
        .withArgs(
          f.job.id,
          f.requester.address,
          f.provider.address,
          ethers.ZeroAddress,
          ONE_ETH,
          f.job.params.jobHash,
          f.other.address,
          [],
          (terms: bigint[]) => terms[7] === 2n * DAY,
        );
    });

    it("resolveDispute at D + P - 1 ok, at D + P refused, with the job's own (2-day) period", async function () {
      await expectAtEdges(networkHelpers, shortPeriodDisputedJob, {
        edge: async (f) => (await f.escrow.getJob(f.job.id)).disputedAt + 2n * DAY,
        act: (f) => f.escrow.connect(f.other).resolveDispute(f.job.id, 5000),
        allowed: [true, false, false],
        event: "DisputeResolved",
        error: "WorkEscrowArbitrationPeriodOver",
      });
    });

    it("settleStaleDispute at D + P - 1 refused, at D + P and + 1 ok, with the job's own (2-day) period", async function () {
      await expectAtEdges(networkHelpers, shortPeriodDisputedJob, {
        edge: async (f) => (await f.escrow.getJob(f.job.id)).disputedAt + 2n * DAY,
        act: (f) => f.escrow.connect(f.stranger).settleStaleDispute(f.job.id),
        allowed: [false, true, true],
        event: "DisputeResolved",
        error: "WorkEscrowArbitrationPeriodActive",
      });
    });
  });

  describe("settleStaleDispute", function () {
    it("splits 50/50 with no arbitration fee, callable by anyone once the period has passed; the deposit goes back", async function () {
      const f = await loadFixture(fx.disputedJob);
      const job = await f.escrow.getJob(f.job.id);
      const endsAt = job.disputedAt + job.arbitrationPeriod;
      await time.setNextBlockTimestamp(endsAt);
      const s = expectedSplit(ONE_ETH, 5000n, 0n);
      const tx = f.escrow.connect(f.stranger).settleStaleDispute(f.job.id);
      await expect(tx)
        .to.emit(f.escrow, "DisputeResolved")
        .withArgs(
          f.job.id,
          f.stranger.address,
          Resolution.Stale,
          5000,
          s.provider,
          s.requester,
          s.platformFee,
          s.communityFee,
          0n,
        );
      await expect(tx)
        .to.emit(f.escrow, "DisputeDepositSettled")
        .withArgs(f.job.id, f.requester.address, job.disputeDeposit);
      expect(await f.escrow.withdrawable(ethers.ZeroAddress, f.arbitrator.address)).to.equal(0n);
    });

    it("is refused at D + P - 1, allowed at D + P and + 1 (default 7-day period)", async function () {
      await expectAtEdges(networkHelpers, fx.disputedJob, {
        edge: async (f) =>
          (await f.escrow.getJob(f.job.id)).disputedAt + DEFAULT_ARBITRATION_PERIOD,
        act: (f) => f.escrow.connect(f.stranger).settleStaleDispute(f.job.id),
        allowed: [false, true, true],
        event: "DisputeResolved",
        error: "WorkEscrowArbitrationPeriodActive",
      });
    });

    it("not on a job that is not disputed", async function () {
      const s = await loadFixture(fx.submittedJob);
      await expect(s.escrow.settleStaleDispute(s.job.id))
        .to.be.revertedWithCustomError(s.escrow, "WorkEscrowInvalidStatus")
        .withArgs(s.job.id, Status.Submitted);
    });

    it("a settlement can still be agreed after the arbitration period, until someone settles it as stale", async function () {
      const f = await loadFixture(fx.disputedJob);
      await time.increase(DEFAULT_ARBITRATION_PERIOD + 1n);
      await f.escrow.connect(f.requester).proposeSettlement(f.job.id, 9000);
      await expect(f.escrow.connect(f.provider).acceptSettlement(f.job.id, 9000)).to.emit(
        f.escrow,
        "DisputeResolved",
      );
    });
  });
});
