/** The SDK (sdk/) on the in-process network: the client, jobsOf, watch, error decoding, helpers. */
import { expect } from "chai";
import { network } from "hardhat";
import { Interface, id, parseEther, toUtf8Bytes, keccak256 } from "ethers";
import {
  EscrowClient,
  EscrowError,
  NATIVE,
  Status,
  WorkEscrow__factory,
  CommunityFund__factory,
  decodeRevertData,
  describeError,
  hashContent,
  nextActions,
  parseDeadline,
  parseDuration,
  type JobEvent,
  type JobView,
} from "../sdk/index.js";
import { DAY, escrowFixtures } from "./helpers/escrow.js";

const { ethers, networkHelpers } = await network.create();
const { loadFixture, time } = networkHelpers;
const fx = escrowFixtures({ ethers, networkHelpers });

async function clients() {
  const f = await fx.deployEscrow();
  const address = await f.escrow.getAddress();
  const as = (s: { address: string }) => new EscrowClient(address, s as never);
  return { ...f, address, asRequester: as(f.requester), asProvider: as(f.provider) };
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
      });
      const released = await f.asRequester.release(created.jobId);
      expect(released.events.find((e) => e.name === "JobReleased")!.args.providerAmount).to.equal(
        parseEther("0.985"),
      );
      expect((await f.asRequester.getJob(1n)).status).to.equal(Status.Released);
    });

    it("approves an ERC-20 for the escrow only when the allowance is short", async function () {
      const f = await loadFixture(clients);
      const token = await ethers.deployContract("MockERC20", ["Six", "SIX", 6]);
      await token.mint(f.stranger.address, 5_000_000n);
      const client = new EscrowClient(f.address, f.stranger);
      const input = {
        amount: 2_000_000n,
        token: await token.getAddress(),
        deadline: BigInt(await time.latest()) + DAY,
        jobHash: hashContent("spec"),
        arbitrator: f.arbitrator.address,
      };
      const first = await client.createJob(input);
      expect((await client.getJob(first.jobId)).token).to.equal(await token.getAddress());
      expect(await token.allowance(f.stranger.address, f.address)).to.equal(0n);
      // With an allowance already in place, no approval transaction is sent.
      await token.connect(f.stranger).approve(f.address, 2_000_000n);
      const nonce = await ethers.provider.getTransactionCount(f.stranger.address);
      await client.createJob(input);
      expect(await ethers.provider.getTransactionCount(f.stranger.address)).to.equal(nonce + 1);
      const err = await client.createJob(input, { approve: false }).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(EscrowError);
      expect((err as EscrowError).message).to.match(
        /ERC20InsufficientAllowance: allowance 0 for .* is less than 2000000: approve first/,
      );
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
      const err = await f.asProvider.accept(jobId).then(
        () => expect.fail("accept twice must revert"),
        (e: unknown) => e as EscrowError,
      );
      expect(err).to.be.instanceOf(EscrowError);
      expect(err.decoded.name).to.equal("WorkEscrowInvalidStatus");
      expect(err.decoded.args).to.deep.equal({ jobId, current: BigInt(Status.Accepted) });
      expect(err.message).to.equal(
        `WorkEscrowInvalidStatus: job ${jobId} is Accepted, and this call is not allowed in that state`,
      );
      const early = await f.asRequester.refund(jobId).catch((e: unknown) => e);
      expect(describeError(early)).to.match(
        /^WorkEscrowDeadlineNotPassed: job 1's deadline 20\d\d-.*Z \(\d+\) has not passed yet$/,
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
      stopAll();
      expect(all.map((e) => `${e.name}#${e.jobId}`)).to.deep.equal([
        "JobCreated#1",
        "JobCreated#2",
        "JobAccepted#2",
        "WorkSubmitted#2",
        "JobReleased#2",
      ]);
      expect(ofJob2.map((e) => e.name)).to.deep.equal([
        "JobCreated",
        "JobAccepted",
        "WorkSubmitted",
      ]);
      expect(all[3].args.resultHash).to.equal(hashContent("r"));
    });
  });

  describe("error decoding", function () {
    it("has a sentence for every custom error in WorkEscrow's and CommunityFund's ABIs", async function () {
      for (const abi of [WorkEscrow__factory.abi, CommunityFund__factory.abi]) {
        const iface = new Interface(abi);
        const errors = abi.filter((f) => f.type === "error");
        expect(errors.length).to.be.greaterThan(15);
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
          expect(decoded.name).to.equal(fragment.name);
          expect(decoded.message, fragment.name).to.match(new RegExp(`^${fragment.name}: \\S`));
          expect(decoded.message, `${fragment.name} has no sentence`).to.not.equal(
            `${fragment.name}: ${fragment.name}`,
          );
        }
      }
    });

    it("decodes Error(string) and leaves non-reverts alone", function () {
      const data = new Interface(["error Error(string)"]).encodeErrorResult("Error", ["nope"]);
      expect(decodeRevertData(data)!.message).to.equal("nope");
      expect(decodeRevertData("0x12345678")).to.equal(undefined);
      expect(describeError(new Error("network down"))).to.equal("network down");
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

    it("nextActions follows the contract's edges (deadline inclusive, review window exclusive)", function () {
      const job: JobView = {
        id: 1n,
        requester: "0x00000000000000000000000000000000000000a1",
        provider: "0x00000000000000000000000000000000000000b2",
        token: NATIVE,
        amount: 1n,
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
        arbitrationFeeBps: 0,
        disputedBy: NATIVE,
        disputedAt: 0n,
        proposer: NATIVE,
        proposalBps: 0,
      };
      const calls = (j: JobView, who: string, now: bigint) =>
        nextActions(j, who, now).map((a) => `${a.call}${a.from ? "@" + a.from : ""}`);
      expect(calls(job, job.provider, 1000n)).to.deep.equal(["submit", "dispute", "refund@1001"]);
      expect(calls(job, job.provider, 1001n)).to.deep.equal(["refund"]);
      const submitted = { ...job, status: Status.Submitted, submittedAt: 500n };
      expect(calls(submitted, job.requester, 599n)).to.deep.equal(["release", "dispute"]);
      expect(calls(submitted, job.requester, 600n)).to.deep.equal(["release"]);
      expect(calls(submitted, job.arbitrator, 599n)).to.deep.equal(["release@600"]);
      expect(calls(submitted, job.arbitrator, 600n)).to.deep.equal(["release"]);
      const disputed = {
        ...job,
        status: Status.Disputed,
        disputedAt: 700n,
        proposer: job.provider,
        proposalBps: 4000,
      };
      expect(calls(disputed, job.requester, 701n)).to.deep.equal([
        "evidence",
        "propose",
        "accept-settlement",
        `settle-stale@${700n + 604_800n}`,
      ]);
      expect(calls(disputed, job.arbitrator, 700n + 604_799n)).to.deep.equal([
        "evidence",
        "resolve",
        `settle-stale@${700n + 604_800n}`,
      ]);
      expect(calls(disputed, job.arbitrator, 700n + 604_800n)).to.deep.equal([
        "evidence",
        "settle-stale",
      ]);
      expect(calls({ ...job, status: Status.Released }, job.requester, 0n)).to.deep.equal([]);
    });
  });
});
