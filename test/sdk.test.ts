/** The SDK (sdk/) on the in-process network: the client, its checks and approvals, jobsOf, watch, errors. */
import { expect } from "chai";
import { network } from "hardhat";
import { Interface, id, parseEther, toUtf8Bytes, keccak256, type InterfaceAbi } from "ethers";
import {
  EscrowClient,
  EscrowError,
  IWorkEscrow__factory,
  NATIVE,
  Status,
  Verdict,
  WorkEscrow__factory,
  CommunityFund__factory,
  checkJobParams,
  createJobCall,
  decodeRevertData,
  describeError,
  describeFailure,
  hashContent,
  jobParams,
  nextActions,
  parseDeadline,
  parseDuration,
  type CreateJobInput,
  type JobEvent,
  type JobView,
} from "../sdk/index.js";
import { WorkEscrowExtension__factory } from "../typechain-types/factories/WorkEscrowExtension__factory.js";
import { WorkEscrowForwarder__factory } from "../typechain-types/factories/WorkEscrowForwarder__factory.js";
import { DAY, HOUR, escrowFixtures } from "./helpers/escrow.js";

const { ethers, networkHelpers } = await network.create();
const { loadFixture, time } = networkHelpers;
const fx = escrowFixtures({ ethers, networkHelpers });

async function clients() {
  const f = await fx.deployEscrow();
  const address = await f.escrow.getAddress();
  const as = (s: { address: string }) => new EscrowClient(address, s as never);
  return {
    ...f,
    address,
    as,
    asRequester: as(f.requester),
    asProvider: as(f.provider),
    asArbitrator: as(f.arbitrator),
    asStranger: as(f.stranger),
  };
}

/** A USDT-like token (approve reverts on non-zero → non-zero), funded for the requester and provider. */
async function withUsdt() {
  const f = await clients();
  const usdt = await ethers.deployContract("MockUSDT");
  for (const s of [f.requester, f.provider]) await usdt.mint(s.address, 100_000_000_000n);
  return { ...f, usdt, usdtAddress: await usdt.getAddress() };
}

const nonceOf = (a: { address: string }) => ethers.provider.getTransactionCount(a.address);

/** The error of a promise that must fail, as an EscrowError. */
async function failure(p: Promise<unknown>, what: string): Promise<EscrowError> {
  const err = await p.then(
    () => expect.fail(`${what} must fail`),
    (e: unknown) => e,
  );
  expect(err, `${what} throws an EscrowError`).to.be.instanceOf(EscrowError);
  return err as EscrowError;
}

describe("SDK", function () {
  describe("EscrowClient", function () {
    it("drives a job from create to release, returning the job id, receipt and decoded events", async function () {
      const f = await loadFixture(clients);
      const deadline = BigInt(await time.latest()) + DAY;
      const created = await f.asRequester.createJob({
        amount: parseEther("1"),
        deadline,
        jobHash: hashContent("spec"),
        arbitrator: f.arbitrator.address,
        provider: f.provider.address,
      });
      expect(created.jobId).to.equal(1n);
      expect(created.receipt.status).to.equal(1);
      expect(created.events.map((e) => e.name)).to.deep.equal(["JobCreated"]);

      await f.asProvider.accept(created.jobId);
      const submitted = await f.asProvider.submit(created.jobId, hashContent("result"));
      expect(submitted.events[0].name).to.equal("WorkSubmitted");
      const job = await f.asRequester.getJob(created.jobId);
      expect(job).to.include({
        id: 1n,
        status: Status.Submitted,
        provider: f.provider.address,
        amount: parseEther("1"),
        deadline,
        reviewPeriod: 3n * DAY,
        resultHash: hashContent("result"),
        platformFeeBps: 100,
        arbitrationPeriod: 7n * DAY,
        providerBond: 0n,
        keeperTip: 0n,
        verifier: NATIVE,
        verdict: Verdict.None,
        verdictAt: 0n,
      });
      const released = await f.asRequester.release(created.jobId);
      expect(released.events.find((e) => e.name === "JobReleased")!.args.providerAmount).to.equal(
        parseEther("0.985"),
      );
      expect((await f.asRequester.getJob(1n)).status).to.equal(Status.Released);
    });

    it("creates a job with every v2 term and reads each back from getJob", async function () {
      const f = await loadFixture(clients);
      const [a1, a2, verifier] = f.approvers;
      const { jobId, events } = await f.asRequester.createJob({
        amount: parseEther("2"),
        deadline: BigInt(await time.latest()) + 2n * DAY,
        reviewPeriod: 6n * HOUR,
        jobType: 2,
        jobHash: hashContent("agent task"),
        arbitrator: f.arbitrator.address,
        approvers: [a1.address, a2.address],
        threshold: 1,
        providerBond: parseEther("0.2"),
        keeperTip: parseEther("0.01"),
        verifier: verifier.address,
        verifierFeeBps: 150,
        bidsOnly: true,
      });
      expect(events.map((e) => e.name)).to.deep.equal(["JobCreated", "JobOptionsSet"]);
      expect(await ethers.provider.getBalance(f.address), "native value = amount + tip").to.equal(
        parseEther("2.01"),
      );
      expect(await f.asRequester.getJob(jobId)).to.deep.include({
        provider: NATIVE,
        amount: parseEther("2"),
        jobType: 2,
        threshold: 1,
        providerBond: parseEther("0.2"),
        bondPosted: false,
        keeperTip: parseEther("0.01"),
        verifier: verifier.address,
        verifierFeeBps: 150,
        verdict: Verdict.None,
        bidsOnly: true,
        agentRequired: false,
        agentId: 0n,
        released: 0n,
        refunded: 0n,
        disputeDeposit: 0n,
      });
      expect((await f.asStranger.jobsOf(verifier.address)).map((m) => m.roles)).to.deep.equal([
        ["verifier"],
      ]);
    });

    it("accept posts the native bond; partial release and refund, then a verifier's approval", async function () {
      const f = await loadFixture(clients);
      const verifier = f.approvers[2];
      const { jobId } = await f.asRequester.createJob({
        amount: parseEther("1"),
        deadline: BigInt(await time.latest()) + DAY,
        jobHash: hashContent("spec"),
        arbitrator: f.arbitrator.address,
        provider: f.provider.address,
        providerBond: parseEther("0.1"),
        verifier: verifier.address,
        verifierFeeBps: 100,
      });
      const accepted = await f.asProvider.accept(jobId);
      expect(accepted.events.map((e) => e.name)).to.deep.equal(["JobAccepted", "BondPosted"]);
      expect((await f.asProvider.getJob(jobId)).bondPosted).to.equal(true);

      const part = await f.asRequester.releasePartial(jobId, parseEther("0.3"));
      const partEvent = part.events.find((e) => e.name === "JobPartiallyReleased")!;
      expect(partEvent.args.remaining, "remaining after a partial release").to.equal(
        parseEther("0.7"),
      );
      await f.asProvider.refundPartial(jobId, parseEther("0.2"));
      const job = await f.asProvider.getJob(jobId);
      expect([job.amount, job.released, job.refunded]).to.deep.equal([
        parseEther("0.5"),
        parseEther("0.3"),
        parseEther("0.2"),
      ]);
      const tooMuch = await failure(
        f.asRequester.releasePartial(jobId, parseEther("0.6")),
        "releasing more than remains",
      );
      expect(tooMuch.message).to.equal(
        `WorkEscrowInvalidPartialAmount: amount ${parseEther("0.6")} must be from 1 to the ${parseEther("0.5")} that remains in job ${jobId}`,
      );

      await f.asProvider.submit(jobId, hashContent("r"));
      const verdict = await f.as(verifier).verify(jobId, true);
      expect(verdict.events.map((e) => e.name)).to.include.members([
        "WorkVerified",
        "Credited",
        "JobReleased",
        "BondSettled",
      ]);
      expect(await f.asStranger.withdrawable(NATIVE, verifier.address), "1% of 0.5").to.equal(
        parseEther("0.005"),
      );
      const w = await f.as(verifier).withdrawTo(NATIVE, f.other.address);
      expect(w.events.find((e) => e.name === "Withdrawn")!.args.to).to.equal(f.other.address);
    });

    it("dispute pays the deposit (amount × arbitration fee); a frivolous one is forfeited to the provider", async function () {
      const f = await loadFixture(clients);
      const { jobId } = await f.asRequester.createJob({
        amount: parseEther("1"),
        deadline: BigInt(await time.latest()) + DAY,
        jobHash: hashContent("spec"),
        arbitrator: f.arbitrator.address,
        provider: f.provider.address,
      });
      await f.asProvider.accept(jobId);
      const early = await failure(f.asRequester.dispute(jobId, "too early"), "dispute in Accepted");
      expect(early.decoded.name).to.equal("WorkEscrowInvalidStatus");
      await f.asProvider.submit(jobId, hashContent("r"));
      const raised = await f.asRequester.dispute(jobId, "I do not like it");
      expect(raised.events[0].args.deposit, "2% of 1 ETH").to.equal(parseEther("0.02"));
      expect((await f.asRequester.getJob(jobId)).disputeDeposit).to.equal(parseEther("0.02"));
      const ruled = await f.asArbitrator.resolve(jobId, 10_000);
      const settled = ruled.events.find((e) => e.name === "DisputeDepositSettled")!;
      expect([settled.args.to, settled.args.amount]).to.deep.equal([
        f.provider.address,
        parseEther("0.02"),
      ]);
    });

    it("settlement offers work in Accepted: 0 bps is a mutual cancellation", async function () {
      const f = await loadFixture(clients);
      const { jobId } = await f.asRequester.createJob({
        amount: parseEther("1"),
        deadline: BigInt(await time.latest()) + DAY,
        jobHash: hashContent("spec"),
        arbitrator: f.arbitrator.address,
        provider: f.provider.address,
        providerBond: parseEther("0.1"),
      });
      await f.asProvider.accept(jobId);
      await f.asRequester.propose(jobId, 0);
      const own = await failure(
        f.asRequester.acceptSettlement(jobId, 0),
        "accepting one's own offer",
      );
      expect(own.decoded.name).to.equal("WorkEscrowOwnProposal");
      const before = await ethers.provider.getBalance(f.requester.address);
      const agreed = await f.asProvider.acceptSettlement(jobId, 0);
      const resolved = agreed.events.find((e) => e.name === "DisputeResolved")!;
      expect(resolved.args.requesterAmount).to.equal(parseEther("1"));
      const bond = agreed.events.find((e) => e.name === "BondSettled")!;
      expect(bond.args.toProvider, "the bond goes back on an agreement").to.equal(
        parseEther("0.1"),
      );
      expect((await ethers.provider.getBalance(f.requester.address)) - before).to.equal(
        parseEther("1"),
      );
    });

    it("finalize ends every finalisable job in one transaction and pays the keeper the tips", async function () {
      const f = await loadFixture(clients);
      const base: CreateJobInput = {
        amount: parseEther("1"),
        deadline: BigInt(await time.latest()) + DAY,
        reviewPeriod: HOUR,
        jobHash: hashContent("spec"),
        arbitrator: f.arbitrator.address,
        provider: f.provider.address,
        keeperTip: parseEther("0.01"),
      };
      const a = (await f.asRequester.createJob(base)).jobId; // never accepted: refund after the deadline
      const b = (await f.asRequester.createJob(base)).jobId; // submitted: release after the review
      const c = (await f.asRequester.createJob({ ...base, keeperTip: 0n })).jobId; // no tip
      const d = (await f.asRequester.createJob(base)).jobId; // cancelled: skipped
      for (const id of [b, c]) {
        await f.asProvider.accept(id);
        await f.asProvider.submit(id, hashContent("r"));
      }
      await f.asRequester.cancel(d);
      expect(await f.asStranger.finalizable(), "nothing is due yet").to.deep.equal([]);
      await time.increase(DAY + 1n);
      expect(await f.asStranger.finalizable()).to.deep.equal([a, b, c]);
      const keeper = f.asStranger;
      const r = await keeper.finalize([a, b, c, d, 99n]);
      expect(r.finalized).to.deep.equal([a, b, c]);
      expect([...r.tips]).to.deep.equal([
        [a, parseEther("0.01")],
        [b, parseEther("0.01")],
      ]);
      expect(await keeper.finalizable()).to.deep.equal([]);
    });

    it("throws EscrowError with the custom error decoded, in words", async function () {
      const f = await loadFixture(clients);
      const { jobId } = await f.asRequester.createJob({
        amount: parseEther("1"),
        deadline: BigInt(await time.latest()) + DAY,
        jobHash: hashContent("spec"),
        arbitrator: f.arbitrator.address,
        provider: f.provider.address,
      });
      await f.asProvider.accept(jobId);
      const err = await failure(f.asProvider.accept(jobId), "accept twice");
      expect(err.decoded.name).to.equal("WorkEscrowInvalidStatus");
      expect(err.decoded.args).to.deep.equal({ jobId, current: BigInt(Status.Accepted) });
      expect(err.message).to.equal(
        `WorkEscrowInvalidStatus: job ${jobId} is Accepted, and this call is not allowed in that state`,
      );
      const early = await f.asRequester.refund(jobId).catch((e: unknown) => e);
      expect(describeError(early)).to.match(
        /^WorkEscrowDeadlineNotPassed: job 1's deadline 20\d\d-.*Z \(\d+\) has not passed yet$/,
      );
      const readOnly = new EscrowClient(f.address, ethers.provider);
      expect((await failure(readOnly.cancel(jobId), "a read-only client's call")).message).to.match(
        /^UnsupportedOperation: the wallet or node does not support this \(sendTransaction\)/,
      );
    });

    it("jobsOf rebuilds every role from events across many jobs and small log chunks", async function () {
      const f = await loadFixture(clients);
      const [approver] = f.approvers;
      const base = {
        amount: parseEther("0.01"),
        deadline: BigInt(await time.latest()) + 30n * DAY,
        jobHash: hashContent("spec"),
        arbitrator: f.arbitrator.address,
      };
      const expected = new Map<bigint, string[]>();
      for (let i = 0; i < 60; i++) {
        if (i % 3 === 0) {
          const r = await f.asRequester.createJob({ ...base, provider: f.provider.address });
          expected.set(r.jobId, ["provider"]);
        } else if (i % 3 === 1) {
          // open job, accepted later by the provider: found through JobAccepted
          const r = await f.asRequester.createJob(base);
          await f.asProvider.accept(r.jobId);
          expected.set(r.jobId, ["provider"]);
        } else {
          // provider is the requester here, with an approver
          const r = await f.asProvider.createJob({ ...base, approvers: [approver.address] });
          expected.set(r.jobId, ["requester"]);
        }
      }
      const mine = await f.asProvider.jobsOf(f.provider.address, { chunkSize: 7 });
      expect(mine.map((m) => m.jobId)).to.deep.equal([...expected.keys()]);
      expect(mine.map((m) => m.roles)).to.deep.equal([...expected.values()]);
      const asArbitrator = await f.asProvider.jobsOf(f.arbitrator.address);
      expect(asArbitrator).to.have.length(60);
      expect(asArbitrator.every((m) => m.roles.join() === "arbitrator")).to.equal(true);
      const asApprover = await f.asProvider.jobsOf(approver.address);
      expect(asApprover.map((m) => m.jobId)).to.deep.equal(
        [...expected].filter(([, r]) => r[0] === "requester").map(([id]) => id),
      );
      expect(await f.asProvider.approversOf(3n)).to.deep.equal([approver.address]);
      expect(await f.asProvider.jobsOf(f.stranger.address)).to.deep.equal([]);
    });

    it("watch delivers new events (optionally of one job) until stopped", async function () {
      const f = await loadFixture(clients);
      const base = {
        amount: parseEther("0.01"),
        deadline: BigInt(await time.latest()) + DAY,
        jobHash: hashContent("spec"),
        arbitrator: f.arbitrator.address,
        provider: f.provider.address,
      };
      const all: JobEvent[] = [];
      const ofJob2: JobEvent[] = [];
      const stopAll = f.asRequester.watch((e) => all.push(e), { pollMs: 20 });
      const stopJob2 = f.asRequester.watch((e) => ofJob2.push(e), { jobId: 2n, pollMs: 20 });
      await new Promise((r) => setTimeout(r, 100)); // let both pick their starting block
      await f.asRequester.createJob(base);
      await f.asRequester.createJob(base);
      await f.asProvider.accept(2n);
      await f.asProvider.submit(2n, hashContent("r"));
      const until = async (cond: () => boolean) => {
        for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 20));
      };
      await until(() => all.length >= 4 && ofJob2.length >= 3);
      stopJob2();
      await f.asRequester.release(2n);
      await until(() => all.length >= 5);
      await new Promise((r) => setTimeout(r, 100)); // room for an event that should not be there
      stopAll();
      expect(all.map((e) => `${e.name}#${e.jobId}`)).to.deep.equal([
        "JobCreated#1",
        "JobCreated#2",
        "JobAccepted#2",
        "WorkSubmitted#2",
        "JobReleased#2", // names the fees it credits (no separate fee event)
      ]);
      expect(ofJob2.map((e) => e.name)).to.deep.equal([
        "JobCreated",
        "JobAccepted",
        "WorkSubmitted",
      ]);
      expect(all[3].args.resultHash).to.equal(hashContent("r"));
    });
  });

  describe("ERC-20 approvals (issue 10 item 10: USDT allowances)", function () {
    it("approves a standard ERC-20 only when the allowance is short, exactly what is needed", async function () {
      const f = await loadFixture(clients);
      const token = await ethers.deployContract("MockERC20", ["Six", "SIX", 6]);
      await token.mint(f.stranger.address, 6_000_000n);
      const input = {
        amount: 2_000_000n,
        token: await token.getAddress(),
        deadline: BigInt(await time.latest()) + DAY,
        jobHash: hashContent("spec"),
        arbitrator: f.arbitrator.address,
      };
      const first = await f.asStranger.createJob(input);
      expect((await f.asStranger.getJob(first.jobId)).token).to.equal(await token.getAddress());
      expect(await token.allowance(f.stranger.address, f.address)).to.equal(0n);
      // With an allowance already in place, no approval transaction is sent.
      await token.connect(f.stranger).approve(f.address, 2_000_000n);
      const nonce = await nonceOf(f.stranger);
      await f.asStranger.createJob(input);
      expect(await nonceOf(f.stranger)).to.equal(nonce + 1);
      const err = await failure(
        f.asStranger.createJob(input, { approve: false }),
        "createJob without an allowance",
      );
      expect(err.message).to.match(
        /ERC20InsufficientAllowance: allowance 0 for .* is less than 2000000: approve first/,
      );
      const poor = await failure(
        f.asStranger.createJob({ ...input, amount: 3_000_000n }),
        "createJob beyond the balance",
      );
      expect(poor.decoded).to.include({ name: "ERC20InsufficientBalance", preflight: true });
      expect(await token.allowance(f.stranger.address, f.address), "no approval").to.equal(0n);
    });

    it("a job the escrow would refuse (past deadline) is refused before any approval: no transaction, no allowance", async function () {
      const f = await loadFixture(withUsdt);
      const now = BigInt(await time.latest());
      const nonce = await nonceOf(f.requester);
      const err = await failure(
        f.asRequester.createJob({
          amount: 10_000_000n,
          token: f.usdtAddress,
          deadline: now - 1n,
          jobHash: hashContent("spec"),
          arbitrator: f.arbitrator.address,
        }),
        "a past deadline",
      );
      expect(err.decoded).to.include({ name: "WorkEscrowInvalidDeadline", preflight: true });
      expect(err.decoded.args).to.deep.equal({
        deadline: now - 1n,
        earliest: now + 1n + 600n,
        latest: now + 1n + 365n * DAY,
      });
      expect(await nonceOf(f.requester), "nothing was sent").to.equal(nonce);
      expect(await f.usdt.allowance(f.requester.address, f.address)).to.equal(0n);
    });

    it("replaces a stale non-zero allowance by way of 0 (USDT refuses non-zero → non-zero)", async function () {
      const f = await loadFixture(withUsdt);
      // What the v1 SDK left behind: an approval of 10,000,000 for a job that then reverted.
      await f.usdt.connect(f.requester).approve(f.address, 10_000_000n);
      await expect(
        f.usdt.connect(f.requester).approve(f.address, 12_000_000n),
        "the mock is a faithful USDT: a direct re-approval reverts",
      ).to.be.revert(ethers);
      const { jobId, receipt } = await f.asRequester.createJob({
        amount: 12_000_000n,
        token: f.usdtAddress,
        deadline: BigInt(await time.latest()) + DAY,
        jobHash: hashContent("spec"),
        arbitrator: f.arbitrator.address,
      });
      expect((await f.asRequester.getJob(jobId)).amount).to.equal(12_000_000n);
      const approvals = await f.usdt.queryFilter(f.usdt.filters.Approval(f.requester.address));
      expect(
        approvals.map((e) => e.args.value),
        "10M (the stale one), then 0, then exactly 12M",
      ).to.deep.equal([10_000_000n, 0n, 12_000_000n]);
      expect(approvals.at(-1)!.blockNumber).to.be.lessThan(receipt.blockNumber);
      expect(await f.usdt.allowance(f.requester.address, f.address), "all of it used").to.equal(0n);
    });

    it("posts an ERC-20 bond and an ERC-20 dispute deposit the same way (checked, then 0, then the amount)", async function () {
      const f = await loadFixture(withUsdt);
      const { jobId } = await f.asRequester.createJob({
        amount: 50_000_000n,
        token: f.usdtAddress,
        deadline: BigInt(await time.latest()) + DAY,
        jobHash: hashContent("spec"),
        arbitrator: f.arbitrator.address,
        provider: f.provider.address,
        providerBond: 5_000_000n,
      });
      // A stranger's acceptance is refused by the eth_call before any approval.
      await f.usdt.mint(f.stranger.address, 10_000_000n);
      const nonce = await nonceOf(f.stranger);
      const refused = await failure(f.asStranger.accept(jobId), "a stranger's acceptance");
      expect(refused.decoded.name).to.equal("WorkEscrowUnauthorized");
      expect(await nonceOf(f.stranger), "no approval was sent").to.equal(nonce);

      await f.usdt.connect(f.provider).approve(f.address, 1n); // a stale allowance
      const accepted = await f.asProvider.accept(jobId);
      expect(accepted.events.find((e) => e.name === "BondPosted")!.args.amount).to.equal(
        5_000_000n,
      );
      await f.asProvider.submit(jobId, hashContent("r"));
      await f.usdt.connect(f.provider).approve(f.address, 0n);
      await f.usdt.connect(f.provider).approve(f.address, 7n);
      const raised = await f.asProvider.dispute(jobId, "pay me");
      expect(raised.events[0].args.deposit, "2% of 50 USDT").to.equal(1_000_000n);
      expect((await f.asProvider.getJob(jobId)).disputeDeposit).to.equal(1_000_000n);
      const values = (await f.usdt.queryFilter(f.usdt.filters.Approval(f.provider.address))).map(
        (e) => e.args.value,
      );
      expect(values).to.deep.equal([1n, 0n, 5_000_000n, 0n, 7n, 0n, 1_000_000n]);
    });

    it("checks every creation rule before sending, with the contract's own error (compared with eth_call)", async function () {
      const f = await loadFixture(clients);
      const now = BigInt(await time.latest());
      const [a1, a2, a3] = f.approvers;
      // The fixture's ERC-20 (approved without limit): a simulation reaches the checks made after
      // the money arrives, and no native value is needed for a huge amount.
      const base: CreateJobInput = {
        amount: parseEther("1"),
        token: await f.token.getAddress(),
        deadline: now + DAY,
        jobHash: hashContent("spec"),
        arbitrator: f.arbitrator.address,
        provider: f.provider.address,
        approvers: [a1.address, a2.address],
        threshold: 2,
      };
      const bad: [string, Partial<CreateJobInput>][] = [
        ["zero amount", { amount: 0n }],
        ["amount above uint128", { amount: 1n << 128n }],
        ["deadline at now + MIN_WORK_TIME - 1", { deadline: now + 599n }],
        ["deadline past MAX_DURATION", { deadline: now + 365n * DAY + 1n }],
        ["review period below the minimum", { reviewPeriod: HOUR - 1n }],
        ["review period above the maximum", { reviewPeriod: 30n * DAY + 1n }],
        ["job type 3", { jobType: 3 }],
        ["zero job hash", { jobHash: ethers.ZeroHash }],
        ["unregistered arbitrator", { arbitrator: f.stranger.address }],
        ["the requester as arbitrator", { arbitrator: f.requester.address }],
        ["the requester as provider", { provider: f.requester.address }],
        ["the arbitrator as provider", { provider: f.arbitrator.address }],
        ["a provider on a bids-only job", { bidsOnly: true }],
        [
          "17 approvers",
          { approvers: Array.from({ length: 17 }, (_, i) => ethers.toBeHex(i + 1, 20)) },
        ],
        ["threshold above the approvers", { threshold: 3 }],
        ["threshold 0 with approvers", { threshold: 0 }],
        ["verifier fee above 1000 bps", { verifier: a3.address, verifierFeeBps: 1001 }],
        ["a fee without a verifier", { verifierFeeBps: 10 }],
        ["the provider as verifier", { verifier: f.provider.address }],
        ["agent identity without a registry", { agentRequired: true, agentId: 7n }],
        ["a repeated approver", { approvers: [a1.address, a1.address] }],
        ["the verifier as approver", { verifier: a2.address, verifierFeeBps: 5 }],
        ["the provider as approver", { approvers: [a1.address, f.provider.address] }],
        // Two faults at once: the SDK names the one the contract reaches first.
        [
          "the verifier as approver, then the requester as approver",
          { verifier: a1.address, approvers: [a1.address, f.requester.address] },
        ],
        [
          "bids only with a provider, and the requester as verifier",
          { bidsOnly: true, verifier: f.requester.address },
        ],
        [
          "bids only with a provider, and a threshold without approvers",
          { bidsOnly: true, approvers: [], threshold: 1 },
        ],
        [
          "bids only with a provider, and a tip above uint128",
          { bidsOnly: true, keeperTip: 1n << 128n },
        ],
      ];
      const env = {
        bounds: await f.asRequester.bounds(),
        paused: false,
        minAmount: 0n,
        arbitratorRegistered: true,
        identityRegistry: NATIVE,
      };
      for (const [what, change] of bad) {
        const p = jobParams({ ...base, ...change });
        const registered = (await f.asRequester.arbitratorInfo(p.arbitrator)).registered;
        // eth_call runs at the latest block's time: check against the same time.
        const mine = checkJobParams(p, f.requester.address, now, {
          ...env,
          arbitratorRegistered: registered,
        });
        // createJob, or createJobWithOptions when an optional term is set (as the client sends it)
        const call = createJobCall(p);
        const requester = f.escrow.connect(f.requester);
        const theirs = await (
          call.method === "createJob"
            ? requester.createJob.staticCall(...call.args)
            : requester.createJobWithOptions.staticCall(...call.args)
        ).then(
          () => undefined,
          (e: { data?: string }) => decodeRevertData(e.data ?? "0x"),
        );
        expect(mine, `${what}: caught by the SDK`).to.not.equal(undefined);
        expect(theirs, `${what}: refused by the contract`).to.not.equal(undefined);
        expect([mine!.name, mine!.args], what).to.deep.equal([theirs!.name, theirs!.args]);
      }
      expect(checkJobParams(jobParams(base), f.requester.address, now, env), "valid").to.equal(
        undefined,
      );
      // The client itself refuses before sending anything.
      const nonce = await nonceOf(f.requester);
      const err = await failure(
        f.asRequester.createJob({ ...base, verifier: a3.address, verifierFeeBps: 2_000 }),
        "a 20% verifier fee",
      );
      expect(err.message).to.equal(
        "WorkEscrowInvalidVerifier: the verifier's fee 2000 bps is more than the maximum 1000 bps",
      );
      expect(await nonceOf(f.requester)).to.equal(nonce);
    });
  });

  describe("error decoding", function () {
    it("has a sentence for every custom error of IWorkEscrow, both contracts, the forwarder and the fund", async function () {
      const abis: [string, InterfaceAbi][] = [
        ["IWorkEscrow", IWorkEscrow__factory.abi],
        ["WorkEscrow", WorkEscrow__factory.abi],
        ["WorkEscrowExtension", WorkEscrowExtension__factory.abi],
        ["WorkEscrowForwarder", WorkEscrowForwarder__factory.abi],
        ["CommunityFund", CommunityFund__factory.abi],
      ];
      for (const [contract, abi] of abis) {
        const iface = new Interface(abi);
        const errors = (abi as { type: string; name: string }[]).filter((f) => f.type === "error");
        expect(errors.length, contract).to.be.greaterThan(8);
        for (const fragment of errors) {
          const error = iface.getError(fragment.name)!;
          const values = error.inputs.map((input) =>
            input.type === "address"
              ? NATIVE
              : input.type === "string"
                ? "x"
                : input.type === "bytes32"
                  ? ethers.ZeroHash
                  : 1,
          );
          const decoded = decodeRevertData(iface.encodeErrorResult(error, values))!;
          const what = `${contract}.${fragment.name}`;
          expect(decoded, what).to.not.equal(undefined);
          expect(decoded.name).to.equal(fragment.name);
          expect(decoded.message, what).to.match(new RegExp(`^${fragment.name}: \\S`));
          expect(decoded.message, `${what} has no sentence`).to.not.equal(
            `${fragment.name}: ${fragment.name}`,
          );
          expect(decoded.message, `${what}: every argument is named`).to.not.include("undefined");
        }
      }
    });

    it("decodes Error(string), leaves non-reverts to describeFailure, which names them", function () {
      const data = new Interface(["error Error(string)"]).encodeErrorResult("Error", ["nope"]);
      expect(decodeRevertData(data)!.message).to.equal("nope");
      expect(decodeRevertData("0x12345678")).to.equal(undefined);
      expect(describeError(new Error("network down"))).to.equal("network down");
      const nonce = Object.assign(new Error("nonce has already been used"), {
        code: "NONCE_EXPIRED",
        shortMessage: "nonce has already been used",
      });
      expect(describeFailure(nonce).name).to.equal("NonceExpired");
      expect(describeFailure(nonce).message).to.match(
        /^NonceExpired: the transaction's nonce was already used .*\(nonce has already been used\)$/,
      );
      expect(describeFailure({ code: "ACTION_REJECTED" }).message).to.match(
        /^ActionRejected: the wallet's user rejected the request/,
      );
    });
  });

  describe("helpers", function () {
    it("parseDuration and parseDeadline accept the documented forms and reject others", function () {
      expect(parseDuration("90")).to.equal(90n);
      expect(parseDuration("30m")).to.equal(1800n);
      expect(parseDuration("24h")).to.equal(86_400n);
      expect(parseDuration("7d")).to.equal(604_800n);
      expect(parseDuration("2w")).to.equal(1_209_600n);
      expect(() => parseDuration("1y")).to.throw(/not a duration/);
      const now = 1_800_000_000n;
      expect(parseDeadline("24h", now)).to.equal(now + 86_400n);
      expect(parseDeadline("2027-01-01T00:00:00Z", now)).to.equal(1_798_761_600n);
      expect(parseDeadline("1798761600", now)).to.equal(1_798_761_600n);
      expect(() => parseDeadline("tomorrow", now)).to.throw(/not a deadline/);
    });

    it("hashContent is keccak256 of the UTF-8 bytes (strings) or of the raw bytes", function () {
      expect(hashContent("spec")).to.equal(id("spec"));
      expect(hashContent(toUtf8Bytes("spec"))).to.equal(keccak256(toUtf8Bytes("spec")));
    });

    it("nextActions follows the contract's edges (deadline inclusive, review window exclusive, the job's own arbitration period)", function () {
      const job: JobView = {
        id: 1n,
        requester: "0x00000000000000000000000000000000000000a1",
        provider: "0x00000000000000000000000000000000000000b2",
        token: NATIVE,
        amount: 1000n,
        deadline: 1000n,
        reviewPeriod: 100n,
        jobType: 0,
        status: Status.Accepted,
        jobHash: id("s"),
        resultHash: id("r"),
        arbitrator: "0x00000000000000000000000000000000000000c3",
        threshold: 0,
        approvals: 0,
        submittedAt: 0n,
        platformFeeBps: 0,
        communityFeeBps: 0,
        arbitrationFeeBps: 200,
        disputedBy: NATIVE,
        disputedAt: 0n,
        proposer: NATIVE,
        proposalBps: 0,
        arbitrationPeriod: 14n * 86_400n,
        released: 0n,
        refunded: 0n,
        providerBond: 0n,
        bondPosted: false,
        keeperTip: 5n,
        verifier: NATIVE,
        verifierFeeBps: 0,
        verdict: Verdict.None,
        verdictAt: 0n,
        bidsOnly: false,
        agentRequired: false,
        agentId: 0n,
        disputeDeposit: 0n,
      };
      const calls = (j: JobView, who: string, now: bigint) =>
        nextActions(j, who, now).map((a) => `${a.call}${a.from ? "@" + a.from : ""}`);
      // No dispute before delivery (v2).
      expect(calls(job, job.provider, 1000n)).to.deep.equal([
        "submit",
        "refund-part",
        "propose",
        "refund@1001",
        "finalize@1001",
      ]);
      expect(calls(job, job.provider, 1001n)).to.deep.equal([
        "refund-part",
        "propose",
        "refund",
        "finalize",
      ]);
      const stranger = nextActions(job, "0x00000000000000000000000000000000000000d4", 1001n);
      expect(stranger.map((a) => [a.call, a.earns])).to.deep.equal([
        ["refund", 5n],
        ["finalize", 5n],
      ]);
      const submitted = { ...job, status: Status.Submitted, submittedAt: 500n };
      const dispute = nextActions(submitted, job.requester, 599n).find(
        (a) => a.call === "dispute",
      )!;
      expect(
        [dispute.until, dispute.pays],
        "until the window's last second, 2% deposit",
      ).to.deep.equal([599n, 20n]);
      expect(calls(submitted, job.requester, 600n)).to.deep.equal([
        "release",
        "release-part",
        "propose",
        "finalize",
      ]);
      expect(calls(submitted, job.arbitrator, 599n)).to.deep.equal(["release@600", "finalize@600"]);
      const rejected = { ...submitted, verifier: job.arbitrator, verdict: Verdict.Rejected };
      expect(calls(rejected, job.provider, 600n), "rejected: refund, no release").to.deep.equal([
        "refund-part",
        "propose",
        "refund",
        "finalize",
      ]);
      const disputed = {
        ...job,
        status: Status.Disputed,
        disputedAt: 700n,
        proposer: job.provider,
        proposalBps: 4000,
      };
      const ends = 700n + 14n * 86_400n;
      expect(calls(disputed, job.requester, 701n)).to.deep.equal([
        "evidence",
        "propose",
        "accept-settlement",
        `settle-stale@${ends}`,
        `finalize@${ends}`,
      ]);
      expect(calls(disputed, job.arbitrator, ends - 1n)).to.deep.equal([
        "evidence",
        "resolve",
        `settle-stale@${ends}`,
        `finalize@${ends}`,
      ]);
      expect(calls(disputed, job.arbitrator, ends)).to.deep.equal([
        "evidence",
        "settle-stale",
        "finalize",
      ]);
      const agentJob = { ...job, status: Status.Open, provider: NATIVE, agentRequired: true };
      const who = "0x00000000000000000000000000000000000000d4";
      const ctx = { isApprover: false, approved: false };
      expect(
        nextActions(agentJob, who, 0n, { ...ctx, isAgentOwner: false }).map((a) => a.call),
      ).to.not.include("accept");
      expect(
        nextActions(agentJob, who, 0n, { ...ctx, isAgentOwner: true }).map((a) => a.call),
      ).to.include("accept");
      expect(calls({ ...job, status: Status.Released }, job.requester, 0n)).to.deep.equal([]);
    });
  });
});
