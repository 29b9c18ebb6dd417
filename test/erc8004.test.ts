import { expect } from "chai";
import { network } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { HostileReceiver } from "../typechain-types/index.js";
import { deployWorkEscrowSuite } from "../scripts/lib/deploy.js";
import {
  BPS,
  DAY,
  FEES,
  ONE_ETH,
  Status,
  Verdict,
  createJobTx,
  minedAt,
} from "./helpers/escrow.js";
import { MIN_SCORE, RESULT, agentFixtures, type AgentFixture } from "./helpers/erc8004.js";
import { EscrowError } from "../sdk/errors.js";
import {
  configureValidation,
  describeVerifyError,
  readValidation,
  requestValidation,
  triggerValidation,
  validationRequestHash,
} from "../sdk/verify.js";
import { demoVerifier } from "../scripts/demo/verifier.js";

const { ethers, networkHelpers, ignition } = await network.create();
const { loadFixture, time } = networkHelpers;
const ax = agentFixtures({ ethers, networkHelpers });
const NATIVE = ethers.ZeroAddress;
const FEE_BPS = 100n; // the fixtures' verifierFeeBps
const FEE = (ONE_ETH * FEE_BPS) / BPS;
const REST = ONE_ETH - FEE;

function net(gross: bigint) {
  const platformFee = (gross * FEES.platform) / BPS;
  const communityFee = (gross * FEES.community) / BPS;
  return { provider: gross - platformFee - communityFee, platformFee, communityFee };
}

/** The validator answers request `hash` (tag and response hash optional). */
function respond(
  f: AgentFixture,
  hash: string,
  score: number,
  opts: { tag?: string; responseHash?: string; uri?: string; by?: HardhatEthersSigner } = {},
) {
  return f.validation
    .connect(opts.by ?? f.validator)
    .validationResponse(
      hash,
      score,
      opts.uri ?? "ipfs://report",
      opts.responseHash ?? ethers.id("report"),
      opts.tag ?? "",
    );
}

describe("ERC-8004", function () {
  describe("MockIdentityRegistry (ERC-8004 Identity Registry)", function () {
    it("mints agents from id 0 with the ERC's events, the agent URI and the owner as agent wallet", async function () {
      const f = await loadFixture(ax.deployAgentEscrow);
      expect(await f.identity.ownerOf(0n), "agent 0").to.equal(f.provider.address);
      expect(await f.identity.ownerOf(1n), "agent 1").to.equal(f.other.address);
      expect(await f.identity.tokenURI(0n)).to.equal("ipfs://provider-agent");
      expect(await f.identity.name()).to.equal("AgentIdentity");
      expect(await f.identity.symbol()).to.equal("AGENT");
      const tx = f.identity.connect(f.stranger)["register()"]();
      await expect(tx)
        .to.emit(f.identity, "Transfer")
        .withArgs(ethers.ZeroAddress, f.stranger.address, 2n);
      await expect(tx).to.emit(f.identity, "Registered").withArgs(2n, "", f.stranger.address);
      await expect(tx)
        .to.emit(f.identity, "MetadataSet")
        .withArgs(2n, "agentWallet", "agentWallet", f.stranger.address.toLowerCase());
      expect(await f.identity.getAgentWallet(2n)).to.equal(f.stranger.address);
    });

    it("stores metadata given at registration and refuses the reserved agentWallet key", async function () {
      const f = await loadFixture(ax.deployAgentEscrow);
      await f.identity
        .connect(f.stranger)
        [
          "register(string,(string,bytes)[])"
        ]("ipfs://a", [{ metadataKey: "model", metadataValue: "0x1234" }]);
      expect(await f.identity.getMetadata(2n, "model")).to.equal("0x1234");
      await expect(
        f.identity
          .connect(f.stranger)
          [
            "register(string,(string,bytes)[])"
          ]("ipfs://b", [{ metadataKey: "agentWallet", metadataValue: f.other.address }]),
      ).to.be.revertedWith("reserved key");
      await expect(
        f.identity.connect(f.provider).setMetadata(0n, "agentWallet", f.other.address),
      ).to.be.revertedWith("reserved key");
    });

    it("lets the owner and its ERC-721 operators (approve, setApprovalForAll) manage the agent, nobody else", async function () {
      const f = await loadFixture(ax.deployAgentEscrow);
      await expect(f.identity.connect(f.provider).setAgentURI(0n, "ipfs://v2"))
        .to.emit(f.identity, "URIUpdated")
        .withArgs(0n, "ipfs://v2", f.provider.address);
      await expect(f.identity.connect(f.stranger).setMetadata(0n, "k", "0x01")).to.be.revertedWith(
        "Not authorized",
      );
      await f.identity.connect(f.provider).approve(f.stranger.address, 0n);
      await expect(f.identity.connect(f.stranger).setMetadata(0n, "k", "0x01"))
        .to.emit(f.identity, "MetadataSet")
        .withArgs(0n, "k", "k", "0x01");
      await expect(f.identity.connect(f.approver).setAgentURI(0n, "ipfs://x")).to.be.revertedWith(
        "Not authorized",
      );
      await f.identity.connect(f.provider).setApprovalForAll(f.approver.address, true);
      await f.identity.connect(f.approver).setAgentURI(0n, "ipfs://x");
      expect(await f.identity.tokenURI(0n)).to.equal("ipfs://x");
      await expect(f.identity.connect(f.provider).setAgentURI(9n, "ipfs://x"))
        .to.be.revertedWithCustomError(f.identity, "ERC721NonexistentToken")
        .withArgs(9n);
    });

    it("changes the agent wallet only with the new wallet's EIP-712 signature, and clears it on transfer", async function () {
      const f = await loadFixture(ax.deployAgentEscrow);
      const wallet = f.stranger;
      const deadline = BigInt(await time.latest()) + 120n;
      const domain = {
        name: "ERC8004IdentityRegistry",
        version: "1",
        chainId: (await ethers.provider.getNetwork()).chainId,
        verifyingContract: await f.identity.getAddress(),
      };
      const types = {
        AgentWalletSet: [
          { name: "agentId", type: "uint256" },
          { name: "newWallet", type: "address" },
          { name: "owner", type: "address" },
          { name: "deadline", type: "uint256" },
        ],
      };
      const message = {
        agentId: 0n,
        newWallet: wallet.address,
        owner: f.provider.address,
        deadline,
      };
      const byOther = await f.other.signTypedData(domain, types, message);
      await expect(
        f.identity.connect(f.provider).setAgentWallet(0n, wallet.address, deadline, byOther),
      ).to.be.revertedWith("invalid wallet sig");
      const signature = await wallet.signTypedData(domain, types, message);
      await expect(
        f.identity
          .connect(f.provider)
          .setAgentWallet(0n, wallet.address, deadline + 600n, signature),
      ).to.be.revertedWith("deadline too far");
      await f.identity.connect(f.provider).setAgentWallet(0n, wallet.address, deadline, signature);
      expect(await f.identity.getAgentWallet(0n)).to.equal(wallet.address);
      await expect(
        f.identity.connect(f.provider).transferFrom(f.provider.address, f.approver.address, 0n),
      )
        .to.emit(f.identity, "MetadataSet")
        .withArgs(0n, "agentWallet", "agentWallet", "0x");
      expect(await f.identity.getAgentWallet(0n), "cleared on transfer").to.equal(
        ethers.ZeroAddress,
      );
    });
  });

  describe("MockValidationRegistry (ERC-8004 Validation Registry)", function () {
    it("opens a request once, for the agent's owner or operators, and stores what a request alone stores", async function () {
      const f = await loadFixture(ax.submittedAgentJob);
      const hash = await ax.requestHashOf(f, f.job.id);
      await expect(
        f.validation
          .connect(f.stranger)
          .validationRequest(f.validator.address, f.agentId, "ipfs://r", hash),
      ).to.be.revertedWith("Not authorized");
      await expect(
        f.validation
          .connect(f.provider)
          .validationRequest(ethers.ZeroAddress, f.agentId, "ipfs://r", hash),
      ).to.be.revertedWith("bad validator");
      await expect(
        f.validation
          .connect(f.provider)
          .validationRequest(f.validator.address, 7n, "ipfs://r", hash),
      )
        .to.be.revertedWithCustomError(f.identity, "ERC721NonexistentToken")
        .withArgs(7n);
      const tx = f.validation
        .connect(f.provider)
        .validationRequest(f.validator.address, f.agentId, "ipfs://r", hash);
      await expect(tx)
        .to.emit(f.validation, "ValidationRequest")
        .withArgs(f.validator.address, f.agentId, "ipfs://r", hash);
      const at = await minedAt(ethers, await tx);
      expect(
        await f.validation.getValidationStatus(hash),
        "validator, agent, response 0, no hash, no tag, lastUpdate",
      ).to.deep.equal([f.validator.address, f.agentId, 0n, ethers.ZeroHash, "", at]);
      expect(await f.validation.getAgentValidations(f.agentId)).to.deep.equal([hash]);
      expect(await f.validation.getValidatorRequests(f.validator.address)).to.deep.equal([hash]);
      await expect(
        f.validation
          .connect(f.provider)
          .validationRequest(f.otherValidator.address, f.agentId, "ipfs://r", hash),
      ).to.be.revertedWith("exists");
      await expect(f.validation.getValidationStatus(ethers.id("never"))).to.be.revertedWith(
        "unknown",
      );
    });

    it("accepts requests from an approved operator and from an operator for all", async function () {
      const f = await loadFixture(ax.deployAgentEscrow);
      await f.identity.connect(f.provider).approve(f.stranger.address, 0n);
      await f.validation
        .connect(f.stranger)
        .validationRequest(f.validator.address, 0n, "ipfs://a", ethers.id("a"));
      await f.identity.connect(f.provider).setApprovalForAll(f.approver.address, true);
      await f.validation
        .connect(f.approver)
        .validationRequest(f.validator.address, 0n, "ipfs://b", ethers.id("b"));
      expect(await f.validation.getAgentValidations(0n)).to.deep.equal([
        ethers.id("a"),
        ethers.id("b"),
      ]);
    });

    it("takes responses only from the named validator, 0..100, each one replacing the last", async function () {
      const f = await loadFixture(ax.requestedAgentJob);
      await expect(respond(f, f.hash, 90, { by: f.otherValidator })).to.be.revertedWith(
        "not validator",
      );
      await expect(respond(f, f.hash, 101)).to.be.revertedWith("resp>100");
      await expect(respond(f, ethers.id("never"), 90)).to.be.revertedWith("unknown");
      await expect(respond(f, f.hash, 60, { tag: "soft" }))
        .to.emit(f.validation, "ValidationResponse")
        .withArgs(
          f.validator.address,
          f.agentId,
          f.hash,
          60,
          "ipfs://report",
          ethers.id("report"),
          "soft",
        );
      const tx = await respond(f, f.hash, 95, { tag: "hard", responseHash: ethers.id("r2") });
      const at = await minedAt(ethers, tx);
      expect(await f.validation.getValidationStatus(f.hash)).to.deep.equal([
        f.validator.address,
        f.agentId,
        95n,
        ethers.id("r2"),
        "hard",
        at,
      ]);
    });

    it("summarises only answered requests, filtered by validator and tag", async function () {
      const f = await loadFixture(ax.deployAgentEscrow);
      for (const [name, validator] of [
        ["a", f.validator],
        ["b", f.validator],
        ["c", f.otherValidator],
        ["d", f.validator],
      ] as const) {
        await f.validation
          .connect(f.provider)
          .validationRequest(validator.address, 0n, "ipfs://x", ethers.id(name));
      }
      await respond(f, ethers.id("a"), 90, { tag: "t" });
      await respond(f, ethers.id("b"), 61, { tag: "u" });
      await respond(f, ethers.id("c"), 10, { tag: "t", by: f.otherValidator });
      // "d" has no response: not counted, although it reads as a 0.
      expect(await f.validation.getSummary(0n, [], "")).to.deep.equal([3n, 53n]);
      expect(await f.validation.getSummary(0n, [f.validator.address], "")).to.deep.equal([2n, 75n]);
      expect(await f.validation.getSummary(0n, [], "t")).to.deep.equal([2n, 50n]);
      expect(await f.validation.getSummary(1n, [], "")).to.deep.equal([0n, 0n]);
    });
  });

  describe("ERC8004ValidationAdapter: terms", function () {
    it("fixes the terms once, by the requester, while the job is Open, and emits TermsSet", async function () {
      const f = await loadFixture(ax.deployAgentEscrow);
      const job = await ax.createAgentJob(f);
      const escrow = await f.escrow.getAddress();
      for (const who of [f.provider, f.stranger, f.validator]) {
        await expect(f.adapter.connect(who).configure(escrow, job.id, f.validator.address, 50, ""))
          .to.be.revertedWithCustomError(f.adapter, "ERC8004NotRequester")
          .withArgs(escrow, job.id, who.address);
      }
      await expect(ax.configure(f, job.id, "final"))
        .to.emit(f.adapter, "TermsSet")
        .withArgs(escrow, job.id, f.validator.address, MIN_SCORE, "final");
      expect(await f.adapter.terms(escrow, job.id)).to.deep.equal([
        f.validator.address,
        BigInt(MIN_SCORE),
        ethers.id("final"),
      ]);
      // Nobody can weaken (or change) them afterwards, the requester included.
      await expect(
        f.adapter.connect(f.requester).configure(escrow, job.id, f.otherValidator.address, 1, ""),
      )
        .to.be.revertedWithCustomError(f.adapter, "ERC8004AlreadyConfigured")
        .withArgs(escrow, job.id);
    });

    it("accepts Accepted jobs and refuses from submission on", async function () {
      const f = await loadFixture(ax.deployAgentEscrow);
      const escrow = await f.escrow.getAddress();
      const accepted = await ax.createAgentJob(f);
      await f.escrow.connect(f.provider).acceptJob(accepted.id);
      await expect(ax.configure(f, accepted.id)).to.emit(f.adapter, "TermsSet");
      const submitted = await ax.createAgentJob(f);
      await f.escrow.connect(f.provider).acceptJob(submitted.id);
      await f.escrow.connect(f.provider).submitWork(submitted.id, RESULT);
      await expect(ax.configure(f, submitted.id))
        .to.be.revertedWithCustomError(f.adapter, "ERC8004InvalidJobStatus")
        .withArgs(escrow, submitted.id, Status.Submitted);
      const cancelled = await ax.createAgentJob(f);
      await f.escrow.connect(f.requester).cancelJob(cancelled.id);
      await expect(ax.configure(f, cancelled.id))
        .to.be.revertedWithCustomError(f.adapter, "ERC8004InvalidJobStatus")
        .withArgs(escrow, cancelled.id, Status.Cancelled);
      await expect(ax.configure(f, 99n))
        .to.be.revertedWithCustomError(f.adapter, "ERC8004NotRequester")
        .withArgs(escrow, 99n, f.requester.address);
    });

    it("needs a job that names the adapter as verifier and requires an agent identity", async function () {
      const f = await loadFixture(ax.deployAgentEscrow);
      const escrow = await f.escrow.getAddress();
      const otherVerifier = await ax.createAgentJob(f, { verifier: f.stranger.address });
      await expect(ax.configure(f, otherVerifier.id))
        .to.be.revertedWithCustomError(f.adapter, "ERC8004NotJobVerifier")
        .withArgs(escrow, otherVerifier.id, f.stranger.address);
      const noAgent = await ax.createAgentJob(f, { agentRequired: false });
      await expect(ax.configure(f, noAgent.id))
        .to.be.revertedWithCustomError(f.adapter, "ERC8004AgentNotRequired")
        .withArgs(escrow, noAgent.id);
    });

    it("needs the escrow's Identity Registry to be the one the Validation Registry uses", async function () {
      const f = await loadFixture(ax.deployAgentEscrow);
      const foreign = await ethers.deployContract("MockIdentityRegistry");
      await foreign.connect(f.provider)["register()"]();
      const { escrow } = await deployWorkEscrowSuite(ethers, {
        admin: f.admin.address,
        treasury: f.treasury.address,
        community: f.community.address,
        arbitrator: f.arbitrator.address,
        identityRegistry: await foreign.getAddress(),
      });
      const g = { ...f, escrow };
      const job = await ax.createAgentJob(g);
      await expect(ax.configure(g, job.id))
        .to.be.revertedWithCustomError(f.adapter, "ERC8004IdentityRegistryMismatch")
        .withArgs(await foreign.getAddress(), await f.identity.getAddress());
    });

    it("refuses a validator that is zero or holds another role in the job", async function () {
      const f = await loadFixture(ax.deployAgentEscrow);
      const job = await ax.createAgentJob(f, { approvers: [f.approver.address], threshold: 1 });
      const escrow = await f.escrow.getAddress();
      for (const bad of [
        ethers.ZeroAddress,
        f.requester.address,
        f.provider.address,
        f.arbitrator.address,
        f.approver.address,
      ]) {
        await expect(f.adapter.connect(f.requester).configure(escrow, job.id, bad, 50, ""))
          .to.be.revertedWithCustomError(f.adapter, "ERC8004InvalidValidator")
          .withArgs(bad);
      }
    });

    it("takes a minimum score from 1 to 100", async function () {
      const f = await loadFixture(ax.deployAgentEscrow);
      const escrow = await f.escrow.getAddress();
      for (const [score, ok] of [
        [0, false],
        [1, true],
        [100, true],
        [101, false],
      ] as const) {
        const job = await ax.createAgentJob(f);
        const tx = f.adapter
          .connect(f.requester)
          .configure(escrow, job.id, f.validator.address, score, "");
        if (ok) await expect(tx, `score ${score}`).to.emit(f.adapter, "TermsSet");
        else
          await expect(tx, `score ${score}`)
            .to.be.revertedWithCustomError(f.adapter, "ERC8004InvalidMinScore")
            .withArgs(score);
      }
    });

    it("refuses a Validation Registry without code at deployment", async function () {
      const factory = await ethers.getContractFactory("ERC8004ValidationAdapter");
      const nowhere = ethers.Wallet.createRandom().address;
      await expect(factory.deploy(nowhere))
        .to.be.revertedWithCustomError(factory, "ERC8004InvalidRegistry")
        .withArgs(nowhere);
    });

    it("derives the request hash as keccak256(abi.encode(escrow, jobId, resultHash))", async function () {
      const f = await loadFixture(ax.deployAgentEscrow);
      expect(await f.adapter.requestHash(await f.escrow.getAddress(), 7n, RESULT)).to.equal(
        await ax.requestHashOf(f, 7n, RESULT),
      );
    });
  });

  describe("ERC8004ValidationAdapter: validate", function () {
    it("approves at the threshold: released before the review window ends, fee forwarded to the validator", async function () {
      const f = await loadFixture(ax.requestedAgentJob);
      const escrow = await f.escrow.getAddress();
      await respond(f, f.hash, MIN_SCORE);
      expect(await f.adapter.preview(escrow, f.job.id)).to.deep.equal([
        f.hash,
        BigInt(MIN_SCORE),
        true,
      ]);
      const pay = net(REST);
      const tx = f.adapter.connect(f.stranger).validate(escrow, f.job.id);
      await expect(tx)
        .to.emit(f.adapter, "ValidationApplied")
        .withArgs(escrow, f.job.id, f.hash, f.validator.address, MIN_SCORE, true);
      await expect(tx)
        .to.emit(f.escrow, "WorkVerified")
        .withArgs(f.job.id, await f.adapter.getAddress(), true, FEE);
      await expect(tx)
        .to.emit(f.escrow, "JobReleased")
        .withArgs(
          f.job.id,
          f.provider.address,
          await f.adapter.getAddress(),
          pay.provider,
          pay.platformFee,
          pay.communityFee,
        );
      await expect(tx)
        .to.emit(f.adapter, "FeeForwarded")
        .withArgs(escrow, f.job.id, f.validator.address, NATIVE, FEE);
      await expect(tx)
        .to.emit(f.escrow, "Withdrawn")
        .withArgs(NATIVE, await f.adapter.getAddress(), f.validator.address, FEE);
      await expect(tx).to.changeEtherBalances(
        ethers,
        [f.provider, f.validator, f.adapter],
        [pay.provider, FEE, 0n],
      );
      const job = await f.escrow.getJob(f.job.id);
      expect(job.status, "released").to.equal(Status.Released);
      expect(job.verdict).to.equal(Verdict.Approved);
      expect(BigInt(await time.latest()), "before the review window ends").to.be.lessThan(
        job.submittedAt + job.reviewPeriod,
      );
      expect(
        await f.escrow.withdrawable(NATIVE, await f.adapter.getAddress()),
        "the adapter keeps no credit",
      ).to.equal(0n);
    });

    it("rejects at threshold - 1: the job is refunded after the window, the validator still paid", async function () {
      const f = await loadFixture(ax.requestedAgentJob);
      const escrow = await f.escrow.getAddress();
      await respond(f, f.hash, MIN_SCORE - 1);
      const tx = f.adapter.connect(f.requester).validate(escrow, f.job.id);
      await expect(tx)
        .to.emit(f.adapter, "ValidationApplied")
        .withArgs(escrow, f.job.id, f.hash, f.validator.address, MIN_SCORE - 1, false);
      await expect(tx)
        .to.emit(f.escrow, "WorkVerified")
        .withArgs(f.job.id, await f.adapter.getAddress(), false, FEE);
      await expect(tx).to.changeEtherBalance(ethers, f.validator, FEE);
      const job = await f.escrow.getJob(f.job.id);
      expect(job.status).to.equal(Status.Submitted);
      expect(job.verdict).to.equal(Verdict.Rejected);
      await time.increaseTo(job.verdictAt + job.reviewPeriod); // the provider's window to dispute it
      await expect(f.escrow.connect(f.stranger).refundExpired(f.job.id)).to.changeEtherBalance(
        ethers,
        f.requester,
        REST,
      );
    });

    it("returns the verdict to a static call without applying it", async function () {
      const f = await loadFixture(ax.requestedAgentJob);
      await respond(f, f.hash, 100);
      const escrow = await f.escrow.getAddress();
      expect(await f.adapter.validate.staticCall(escrow, f.job.id)).to.equal(true);
      expect((await f.escrow.getJob(f.job.id)).verdict).to.equal(Verdict.None);
    });

    it("does nothing while no request exists (ERC8004NoRequest)", async function () {
      const f = await loadFixture(ax.submittedAgentJob);
      const hash = await ax.requestHashOf(f, f.job.id);
      await expect(f.adapter.validate(await f.escrow.getAddress(), f.job.id))
        .to.be.revertedWithCustomError(f.adapter, "ERC8004NoRequest")
        .withArgs(hash);
    });

    it("does nothing while the validator has not answered (ERC8004NoResponse)", async function () {
      const f = await loadFixture(ax.requestedAgentJob);
      await expect(f.adapter.validate(await f.escrow.getAddress(), f.job.id))
        .to.be.revertedWithCustomError(f.adapter, "ERC8004NoResponse")
        .withArgs(f.hash);
      await expect(f.adapter.preview(await f.escrow.getAddress(), f.job.id))
        .to.be.revertedWithCustomError(f.adapter, "ERC8004NoResponse")
        .withArgs(f.hash);
    });

    it("ignores a response for a different result hash or another job", async function () {
      const f = await loadFixture(ax.submittedAgentJob);
      const escrow = await f.escrow.getAddress();
      for (const hash of [
        await ax.requestHashOf(f, f.job.id, ethers.id("another result")),
        await ax.requestHashOf(f, f.job.id + 1n, RESULT),
      ]) {
        await f.validation
          .connect(f.provider)
          .validationRequest(f.validator.address, f.agentId, "ipfs://r", hash);
        await respond(f, hash, 100);
      }
      await expect(f.adapter.validate(escrow, f.job.id))
        .to.be.revertedWithCustomError(f.adapter, "ERC8004NoRequest")
        .withArgs(await ax.requestHashOf(f, f.job.id));
    });

    it("ignores a request naming another validator (and that validator's answer)", async function () {
      const f = await loadFixture(ax.submittedAgentJob);
      const hash = await ax.requestHashOf(f, f.job.id);
      await f.validation
        .connect(f.provider)
        .validationRequest(f.otherValidator.address, f.agentId, "ipfs://r", hash);
      await respond(f, hash, 100, { by: f.otherValidator });
      await expect(
        respond(f, hash, 100),
        "the job's validator cannot answer it",
      ).to.be.revertedWith("not validator");
      await expect(f.adapter.validate(await f.escrow.getAddress(), f.job.id))
        .to.be.revertedWithCustomError(f.adapter, "ERC8004WrongValidator")
        .withArgs(hash, f.validator.address, f.otherValidator.address);
    });

    it("ignores a request another agent opened first (front-running), which leaves the job to the v1 rules", async function () {
      const f = await loadFixture(ax.submittedAgentJob);
      const hash = await ax.requestHashOf(f, f.job.id);
      await f.validation
        .connect(f.other)
        .validationRequest(f.validator.address, f.otherAgentId, "ipfs://garbage", hash);
      await respond(f, hash, 0, { tag: "failed" });
      await expect(
        f.validation
          .connect(f.provider)
          .validationRequest(f.validator.address, f.agentId, "ipfs://r", hash),
      ).to.be.revertedWith("exists");
      await expect(f.adapter.validate(await f.escrow.getAddress(), f.job.id))
        .to.be.revertedWithCustomError(f.adapter, "ERC8004WrongAgent")
        .withArgs(hash, f.agentId, f.otherAgentId);
      const job = await f.escrow.getJob(f.job.id);
      await time.increaseTo(job.submittedAt + job.reviewPeriod);
      await expect(f.escrow.connect(f.stranger).release(f.job.id)).to.emit(f.escrow, "JobReleased");
    });

    it("treats a bare 0 (no hash, no tag) as silence, and counts a 0 that carries a report hash", async function () {
      const f = await loadFixture(ax.requestedAgentJob);
      const escrow = await f.escrow.getAddress();
      await respond(f, f.hash, 0, { responseHash: ethers.ZeroHash, uri: "" });
      await expect(f.adapter.validate(escrow, f.job.id))
        .to.be.revertedWithCustomError(f.adapter, "ERC8004NoResponse")
        .withArgs(f.hash);
      await respond(f, f.hash, 0, { responseHash: ethers.id("failed"), uri: "" });
      await expect(f.adapter.validate(escrow, f.job.id))
        .to.emit(f.adapter, "ValidationApplied")
        .withArgs(escrow, f.job.id, f.hash, f.validator.address, 0, false);
    });

    it("counts a bare 0 when it carries only a tag", async function () {
      const f = await loadFixture(ax.requestedAgentJob);
      await respond(f, f.hash, 0, { responseHash: ethers.ZeroHash, tag: "failed" });
      expect(await f.adapter.validate.staticCall(await f.escrow.getAddress(), f.job.id)).to.equal(
        false,
      );
    });

    it("with a required tag, counts only a response carrying it (progressive answers wait)", async function () {
      const f = await ax.submittedAgentJob(); // not the fixture's terms: a job with a tag
      const escrow = await f.escrow.getAddress();
      const job = await ax.createAgentJob(f);
      await ax.configure(f, job.id, "hard-finality");
      await f.escrow.connect(f.provider).acceptJob(job.id);
      await f.escrow.connect(f.provider).submitWork(job.id, RESULT);
      const hash = await ax.requestHashOf(f, job.id);
      await f.validation
        .connect(f.provider)
        .validationRequest(f.validator.address, f.agentId, "ipfs://r", hash);
      await respond(f, hash, 100, { tag: "soft-finality" });
      await expect(f.adapter.validate(escrow, job.id))
        .to.be.revertedWithCustomError(f.adapter, "ERC8004NoResponse")
        .withArgs(hash);
      await respond(f, hash, 0, { tag: "hard-finality", responseHash: ethers.ZeroHash });
      await expect(f.adapter.validate(escrow, job.id))
        .to.emit(f.adapter, "ValidationApplied")
        .withArgs(escrow, job.id, hash, f.validator.address, 0, false);
    });

    it("follows the latest response at the time it runs", async function () {
      const f = await loadFixture(ax.requestedAgentJob);
      await respond(f, f.hash, 10);
      await respond(f, f.hash, 99);
      await expect(f.adapter.validate(await f.escrow.getAddress(), f.job.id))
        .to.emit(f.escrow, "WorkVerified")
        .withArgs(f.job.id, await f.adapter.getAddress(), true, FEE);
    });

    it("is refused by the escrow from the end of the review window on (t-1 applies, t does not)", async function () {
      for (const [offset, allowed] of [
        [-1n, true],
        [0n, false],
      ] as const) {
        const f = await loadFixture(ax.requestedAgentJob);
        await respond(f, f.hash, 100);
        const job = await f.escrow.getJob(f.job.id);
        const endsAt = job.submittedAt + job.reviewPeriod;
        await time.setNextBlockTimestamp(endsAt + offset);
        const tx = f.adapter.validate(await f.escrow.getAddress(), f.job.id);
        if (allowed) await expect(tx, "t-1").to.emit(f.escrow, "JobReleased");
        else
          await expect(tx, "t")
            .to.be.revertedWithCustomError(f.escrow, "WorkEscrowReviewWindowClosed")
            .withArgs(f.job.id, endsAt);
      }
    });

    it("applies one verdict: again after a rejection the escrow refuses, after an approval the job is over", async function () {
      const f = await loadFixture(ax.requestedAgentJob);
      const escrow = await f.escrow.getAddress();
      await respond(f, f.hash, 1);
      await f.adapter.validate(escrow, f.job.id);
      await respond(f, f.hash, 100);
      await expect(f.adapter.validate(escrow, f.job.id))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowAlreadyVerified")
        .withArgs(f.job.id, Verdict.Rejected);

      const g = await loadFixture(ax.requestedAgentJob);
      await respond(g, g.hash, 100);
      await g.adapter.validate(escrow, g.job.id);
      await expect(g.adapter.validate(escrow, g.job.id))
        .to.be.revertedWithCustomError(g.adapter, "ERC8004InvalidJobStatus")
        .withArgs(escrow, g.job.id, Status.Released);
    });

    it("does nothing for a job without terms (ERC8004NotConfigured)", async function () {
      const f = await loadFixture(ax.deployAgentEscrow);
      const job = await ax.createAgentJob(f);
      await f.escrow.connect(f.provider).acceptJob(job.id);
      await f.escrow.connect(f.provider).submitWork(job.id, RESULT);
      await expect(f.adapter.validate(await f.escrow.getAddress(), job.id))
        .to.be.revertedWithCustomError(f.adapter, "ERC8004NotConfigured")
        .withArgs(await f.escrow.getAddress(), job.id);
    });

    it("refuses a verdict when the validator took the open job itself", async function () {
      const f = await loadFixture(ax.deployAgentEscrow);
      const escrow = await f.escrow.getAddress();
      const job = await ax.createAgentJob(f, { provider: ethers.ZeroAddress });
      await ax.configure(f, job.id);
      await f.identity
        .connect(f.provider)
        .transferFrom(f.provider.address, f.validator.address, f.agentId);
      await f.escrow.connect(f.validator).acceptJob(job.id);
      await f.escrow.connect(f.validator).submitWork(job.id, RESULT);
      const hash = await ax.requestHashOf(f, job.id);
      await f.validation
        .connect(f.validator)
        .validationRequest(f.validator.address, f.agentId, "ipfs://self", hash);
      await respond(f, hash, 100);
      await expect(f.adapter.validate(escrow, job.id))
        .to.be.revertedWithCustomError(f.adapter, "ERC8004ValidatorIsProvider")
        .withArgs(escrow, job.id, f.validator.address);
    });

    it("forwards an ERC-20 fee to the validator", async function () {
      const f = await loadFixture(ax.deployAgentEscrow);
      const token = await f.token.getAddress();
      const amount = 10n ** 18n + 777n;
      const job = await ax.createAgentJob(f, { token, amount, verifierFeeBps: 250 });
      await ax.configure(f, job.id);
      await f.escrow.connect(f.provider).acceptJob(job.id);
      await f.escrow.connect(f.provider).submitWork(job.id, RESULT);
      const hash = await ax.requestHashOf(f, job.id);
      await f.validation
        .connect(f.provider)
        .validationRequest(f.validator.address, f.agentId, "ipfs://r", hash);
      await respond(f, hash, 42);
      const fee = (amount * 250n) / BPS;
      const tx = f.adapter.validate(await f.escrow.getAddress(), job.id);
      await expect(tx)
        .to.emit(f.adapter, "FeeForwarded")
        .withArgs(await f.escrow.getAddress(), job.id, f.validator.address, token, fee);
      await expect(tx).to.changeTokenBalance(ethers, f.token, f.validator, fee);
    });

    it("applies a verdict without a fee (verifierFeeBps 0) and forwards nothing", async function () {
      const f = await loadFixture(ax.deployAgentEscrow);
      const job = await ax.createAgentJob(f, { verifierFeeBps: 0 });
      await ax.configure(f, job.id);
      await f.escrow.connect(f.provider).acceptJob(job.id);
      await f.escrow.connect(f.provider).submitWork(job.id, RESULT);
      const hash = await ax.requestHashOf(f, job.id);
      await f.validation
        .connect(f.provider)
        .validationRequest(f.validator.address, f.agentId, "ipfs://r", hash);
      await respond(f, hash, 100);
      const tx = f.adapter.validate(await f.escrow.getAddress(), job.id);
      await expect(tx).to.emit(f.escrow, "JobReleased");
      await expect(tx).not.to.emit(f.adapter, "FeeForwarded");
    });

    it("a validator that cannot receive its fee blocks only its own verdict: the job follows the v1 rules", async function () {
      const f = await loadFixture(ax.deployAgentEscrow);
      const escrow = await f.escrow.getAddress();
      const hostile = (await ethers.deployContract(
        "HostileReceiver",
      )) as unknown as HostileReceiver;
      await hostile.setMode(1); // reverts on receiving coin
      const job = await ax.createAgentJob(f);
      await f.adapter
        .connect(f.requester)
        .configure(escrow, job.id, await hostile.getAddress(), MIN_SCORE, "");
      await f.escrow.connect(f.provider).acceptJob(job.id);
      const submitted = await f.escrow.connect(f.provider).submitWork(job.id, RESULT);
      const hash = await ax.requestHashOf(f, job.id);
      await f.validation
        .connect(f.provider)
        .validationRequest(await hostile.getAddress(), f.agentId, "ipfs://r", hash);
      await hostile.call(
        await f.validation.getAddress(),
        f.validation.interface.encodeFunctionData("validationResponse", [
          hash,
          5,
          "",
          ethers.id("r"),
          "",
        ]),
      );
      await expect(f.adapter.validate(escrow, job.id)).to.be.revertedWithCustomError(
        f.escrow,
        "WorkEscrowTransferFailed",
      );
      const endsAt = (await minedAt(ethers, submitted)) + 2n * DAY;
      await time.setNextBlockTimestamp(endsAt);
      await expect(f.escrow.connect(f.stranger).release(job.id)).to.changeEtherBalance(
        ethers,
        f.provider,
        net(ONE_ETH).provider,
      );
    });
  });

  describe("identity gate (agentRequired)", function () {
    async function openAgentJob(f: AgentFixture) {
      return ax.createAgentJob(f, {
        provider: ethers.ZeroAddress,
        verifier: ethers.ZeroAddress,
        verifierFeeBps: 0,
      });
    }

    it("lets the agent's owner accept, and refuses the owner of another agent", async function () {
      const f = await loadFixture(ax.deployAgentEscrow);
      const job = await openAgentJob(f);
      await expect(f.escrow.connect(f.other).acceptJob(job.id))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowNotAgentOwner")
        .withArgs(job.id, f.other.address, f.agentId);
      await expect(f.escrow.connect(f.provider).acceptJob(job.id))
        .to.emit(f.escrow, "JobAccepted")
        .withArgs(job.id, f.provider.address);
    });

    it("follows a transferred identity: the new owner can accept, the old one cannot", async function () {
      const f = await loadFixture(ax.deployAgentEscrow);
      const job = await openAgentJob(f);
      await f.identity
        .connect(f.provider)
        .transferFrom(f.provider.address, f.stranger.address, f.agentId);
      await expect(f.escrow.connect(f.provider).acceptJob(job.id))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowNotAgentOwner")
        .withArgs(job.id, f.provider.address, f.agentId);
      await expect(f.escrow.connect(f.stranger).acceptJob(job.id))
        .to.emit(f.escrow, "JobAccepted")
        .withArgs(job.id, f.stranger.address);
    });

    it("needs the designated provider to own the agent too", async function () {
      const f = await loadFixture(ax.deployAgentEscrow);
      const job = await ax.createAgentJob(f, { verifier: ethers.ZeroAddress, verifierFeeBps: 0 });
      await f.identity
        .connect(f.provider)
        .transferFrom(f.provider.address, f.stranger.address, f.agentId);
      await expect(f.escrow.connect(f.provider).acceptJob(job.id))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowNotAgentOwner")
        .withArgs(job.id, f.provider.address, f.agentId);
      await expect(f.escrow.connect(f.stranger).acceptJob(job.id))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowUnauthorized")
        .withArgs(job.id, f.stranger.address);
    });

    it("does not count an operator of the agent as its owner, nor an agent that does not exist", async function () {
      const f = await loadFixture(ax.deployAgentEscrow);
      await f.identity.connect(f.provider).setApprovalForAll(f.stranger.address, true);
      const job = await openAgentJob(f);
      await expect(f.escrow.connect(f.stranger).acceptJob(job.id))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowNotAgentOwner")
        .withArgs(job.id, f.stranger.address, f.agentId);
      const ghost = await ax.createAgentJob(f, {
        provider: ethers.ZeroAddress,
        verifier: ethers.ZeroAddress,
        verifierFeeBps: 0,
        agentId: 42n,
      });
      await expect(f.escrow.connect(f.provider).acceptJob(ghost.id))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowNotAgentOwner")
        .withArgs(ghost.id, f.provider.address, 42n);
    });

    it("is checked at acceptance only: the provider may transfer the agent and still submit", async function () {
      const f = await loadFixture(ax.deployAgentEscrow);
      const job = await openAgentJob(f);
      await f.escrow.connect(f.provider).acceptJob(job.id);
      await f.identity
        .connect(f.provider)
        .transferFrom(f.provider.address, f.stranger.address, f.agentId);
      await expect(f.escrow.connect(f.provider).submitWork(job.id, RESULT)).to.emit(
        f.escrow,
        "WorkSubmitted",
      );
    });

    it("checks the bidder's identity when a bid is awarded", async function () {
      const f = await loadFixture(ax.deployAgentEscrow);
      const job = await openAgentJob(f);
      const escrow = await f.escrow.getAddress();
      const sign = async (bidder: HardhatEthersSigner) => {
        const bid = {
          jobId: job.id,
          provider: bidder.address,
          price: ONE_ETH / 2n,
          expiry: BigInt(await time.latest()) + DAY,
          nonce: await f.escrow.nonces(bidder.address, job.id),
        };
        const signature = await bidder.signTypedData(
          {
            name: "WorkEscrow",
            version: "2",
            chainId: (await ethers.provider.getNetwork()).chainId,
            verifyingContract: escrow,
          },
          {
            Bid: [
              { name: "jobId", type: "uint256" },
              { name: "provider", type: "address" },
              { name: "price", type: "uint256" },
              { name: "expiry", type: "uint64" },
              { name: "nonce", type: "uint256" },
            ],
          },
          bid,
        );
        return { bid, signature };
      };
      const byOther = await sign(f.other);
      await expect(f.escrow.connect(f.requester).awardBid(job.id, byOther.bid, byOther.signature))
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowNotAgentOwner")
        .withArgs(job.id, f.other.address, f.agentId);
      const byOwner = await sign(f.provider);
      await expect(f.escrow.connect(f.requester).awardBid(job.id, byOwner.bid, byOwner.signature))
        .to.emit(f.escrow, "BidAwarded")
        .withArgs(job.id, f.provider.address, ONE_ETH / 2n, ONE_ETH / 2n, byOwner.bid.nonce);
    });

    it("cannot be asked of an escrow deployed without an Identity Registry", async function () {
      const f = await loadFixture(ax.deployAgentEscrow);
      const { escrow } = await deployWorkEscrowSuite(ethers, {
        admin: f.admin.address,
        treasury: f.treasury.address,
        community: f.community.address,
        arbitrator: f.arbitrator.address,
      });
      const params = await ax.agentParams(f, { verifier: ethers.ZeroAddress, verifierFeeBps: 0 });
      await expect(createJobTx(escrow, f.requester, params)).to.be.revertedWithCustomError(
        escrow,
        "WorkEscrowIdentityRegistryNotSet",
      );
    });
  });

  describe("SDK (sdk/verify.ts) and the demo chapter", function () {
    it("walks a job through terms, request, answer and trigger, and reads each step", async function () {
      const f = await loadFixture(ax.deployAgentEscrow);
      const escrow = await f.escrow.getAddress();
      const adapter = await f.adapter.getAddress();
      const job = await ax.createAgentJob(f);
      const target = { escrow, jobId: job.id, adapter };
      await configureValidation(f.requester, {
        ...target,
        validator: f.validator.address,
        minScore: 70,
      });
      await f.escrow.connect(f.provider).acceptJob(job.id);
      const early = await requestValidation(f.provider, {
        ...target,
        requestURI: "ipfs://r",
      }).catch((e: Error) => e);
      expect((early as Error).message, "before submission").to.match(/needs submitted work/);
      await f.escrow.connect(f.provider).submitWork(job.id, RESULT);

      const requested = await requestValidation(f.provider, { ...target, requestURI: "ipfs://r" });
      expect(requested.requestHash, "the adapter's rule").to.equal(
        await f.adapter.requestHash(escrow, job.id, RESULT),
      );
      expect(requested.requestHash).to.equal(validationRequestHash(escrow, job.id, RESULT));
      expect(requested.validator, "from the terms").to.equal(f.validator.address);
      expect(requested.agentId, "the job's agent").to.equal(f.agentId);
      const again = await requestValidation(f.provider, {
        ...target,
        requestURI: "ipfs://again",
      }).catch((e: Error) => e);
      expect((again as Error).message, "a second request").to.match(/already exists/);

      let state = await readValidation(f.stranger, target);
      expect(state.request?.validator).to.equal(f.validator.address);
      expect(state.terms?.minScore).to.equal(70);
      expect(state.pending, "no answer yet").to.deep.equal({
        reason: `ERC8004NoResponse: the validator has not answered request ${requested.requestHash} yet (or not with the job's tag)`,
      });
      const unanswered = await triggerValidation(f.stranger, target).catch((e: unknown) => e);
      expect(unanswered, "a decoded EscrowError").to.be.instanceOf(EscrowError);
      expect((unanswered as EscrowError).decoded.name).to.equal("ERC8004NoResponse");

      await respond(f, requested.requestHash, 70);
      state = await readValidation(f.stranger, target);
      expect(state.pending).to.deep.equal({ response: 70, approved: true });
      const applied = await triggerValidation(f.stranger, target);
      expect(applied.approved).to.equal(true);
      expect(applied.response).to.equal(70);
      state = await readValidation(f.stranger, target);
      expect(state.verdict).to.equal(Verdict.Approved);
      expect(state.status).to.equal(Status.Released);
      expect(state.pending, "nothing pending after the verdict").to.equal(undefined);
    });

    it("decodes the escrow's refusal and the registry's reason in words", async function () {
      const f = await loadFixture(ax.requestedAgentJob);
      const escrow = await f.escrow.getAddress();
      await respond(f, f.hash, 100);
      const job = await f.escrow.getJob(f.job.id);
      await time.increaseTo(job.submittedAt + job.reviewPeriod);
      const late = await f.adapter.validate(escrow, f.job.id).catch((e: unknown) => e);
      expect(describeVerifyError(late)).to.match(/^WorkEscrowReviewWindowClosed/);
      const notValidator = await respond(f, f.hash, 1, { by: f.stranger }).catch((e: unknown) => e);
      expect(describeVerifyError(notValidator)).to.equal(
        "not validator: only the validator named in the request may answer it",
      );
    });

    it("runs the demo chapter: one job approved before its window ends, one rejected and refunded", async function () {
      const lines: string[] = [];
      const result = await demoVerifier({
        ethers,
        networkHelpers,
        ignition,
        log: (l = "") => lines.push(l),
      });
      expect(result.approved.status, lines.join("\n")).to.equal(Status.Released);
      expect(result.approved.verdict).to.equal(Verdict.Approved);
      expect(result.approved.releasedBeforeWindowEnd).to.equal(true);
      expect(result.rejected.status).to.equal(Status.Refunded);
      expect(result.rejected.verdict).to.equal(Verdict.Rejected);
      expect(result.rejected.refunded, "1 ETH minus the 1% fee").to.equal(
        ethers.parseEther("0.99"),
      );
      expect(result.validatorFees, "1% of each job").to.equal(ethers.parseEther("0.02"));
    });
  });
});
