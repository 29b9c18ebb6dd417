import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { network } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { Signer, TypedDataDomain } from "ethers";
import {
  DAY,
  HOUR,
  ONE_ETH,
  Status,
  escrowFixtures,
  expectedSplit,
  termsOf,
  type EscrowFixture,
  type ParamsInput,
} from "./helpers/escrow.js";
import { BID_TYPE, escrowDomain, signBidRaw, type BidStruct } from "./helpers/signing.js";
import {
  BidError,
  awardBid,
  bidDigest,
  bidDomain,
  bidFromJson,
  bidToJson,
  cancelBids,
  rankBids,
  signBid,
  verifyBid,
} from "../sdk/index.js";
import { bidFilePath, encodeCliCall, listBids, readBid, writeBid } from "../tasks/bids-actions.js";
import { demoBids } from "../scripts/demo/bids.js";

const { ethers, networkHelpers } = await network.create();
const { loadFixture, time } = networkHelpers;
const fx = escrowFixtures({ ethers, networkHelpers });
const chainId = (await ethers.provider.getNetwork()).chainId;
const ZERO = ethers.ZeroAddress;
const PRICE = (6n * ONE_ETH) / 10n; // 0.6 ETH against a maximum of 1 ETH

type Fixture = EscrowFixture & { domain: TypedDataDomain };
type JobFixture = Fixture & { jobId: bigint };

async function bidSetup(): Promise<Fixture> {
  const f = await fx.deployEscrow();
  return { ...f, domain: await escrowDomain(f.escrow, chainId) };
}

/** An open native job of 1 ETH (the maximum price), no designated provider. */
async function openBidJob(): Promise<JobFixture> {
  const f = await bidSetup();
  const job = await fx.createJob(f, { provider: ZERO });
  return { ...f, jobId: job.id };
}

/** A bids-only job with a 0.1 ETH provider bond. */
async function bondedBidsOnlyJob(): Promise<JobFixture> {
  const f = await bidSetup();
  const job = await fx.createJob(f, {
    provider: ZERO,
    bidsOnly: true,
    providerBond: ONE_ETH / 10n,
  });
  return { ...f, jobId: job.id };
}

/** A job open to bids and to direct acceptance, with a 0.1 ETH provider bond. */
async function bondedOpenJob(): Promise<JobFixture> {
  const f = await bidSetup();
  const job = await fx.createJob(f, { provider: ZERO, providerBond: ONE_ETH / 10n });
  return { ...f, jobId: job.id };
}

async function newJob(f: Fixture, overrides: ParamsInput = {}): Promise<bigint> {
  return (await fx.createJob(f, { provider: ZERO, ...overrides })).id;
}

/** A bid by `bidder` (or its ERC-1271 wallet `provider`) at the provider's current nonce for the job. */
async function bidFor(
  f: Fixture,
  bidder: Signer,
  jobId: bigint,
  price: bigint,
  opts: { expiry?: bigint; nonce?: bigint; provider?: string; domain?: TypedDataDomain } = {},
): Promise<{ bid: BidStruct; signature: string }> {
  const provider = opts.provider ?? (await bidder.getAddress());
  const bid: BidStruct = {
    jobId,
    provider,
    price,
    expiry: opts.expiry ?? BigInt(await time.latest()) + HOUR,
    nonce: opts.nonce ?? (await f.escrow.nonces(provider, jobId)),
  };
  return { bid, signature: await signBidRaw(bidder, opts.domain ?? f.domain, bid) };
}

/** Everything a refused award must leave as it was. */
async function snapshot(f: Fixture, jobId: bigint, bidder: string) {
  return {
    escrow: await ethers.provider.getBalance(f.escrow),
    requester: await ethers.provider.getBalance(f.requester),
    job: [...(await f.escrow.getJob(jobId))],
    nonce: await f.escrow.nonces(bidder, jobId),
  };
}

describe("Bids (EIP-712, awardBid, invalidateNonce)", function () {
  describe("EIP-712 domain and digest", function () {
    it("eip712Domain is the escrow's (WorkEscrow, 2, this chain, its address) and hashBid is the typed-data digest", async function () {
      const f = await loadFixture(openBidJob);
      const d = await f.escrow.eip712Domain();
      expect(d.fields, "fields: name, version, chainId, verifyingContract").to.equal("0x0f");
      expect(d.name, "domain name").to.equal("WorkEscrow");
      expect(d.version, "domain version").to.equal("2");
      expect(d.chainId, "domain chain id").to.equal(chainId);
      expect(d.verifyingContract, "the escrow, not the extension").to.equal(
        await f.escrow.getAddress(),
      );
      const { bid } = await bidFor(f, f.provider, f.jobId, PRICE);
      expect(await f.escrow.hashBid(bid), "hashBid == EIP-712 digest").to.equal(
        ethers.TypedDataEncoder.hash(f.domain, BID_TYPE, bid),
      );
    });
  });

  describe("awardBid from an EOA", function () {
    it("makes the bidder the provider at the bid's price, refunds the difference at once and uses the nonce", async function () {
      const f = await loadFixture(openBidJob);
      const { bid, signature } = await bidFor(f, f.provider, f.jobId, PRICE);
      const refund = ONE_ETH - PRICE;
      const tx = f.escrow.connect(f.requester).awardBid(f.jobId, bid, signature);
      await expect(tx, "BidAwarded with price, refund and nonce")
        .to.emit(f.escrow, "BidAwarded")
        .withArgs(f.jobId, f.provider.address, PRICE, refund, bid.nonce);
      await expect(tx, "unbonded award accepts at once")
        .to.emit(f.escrow, "JobAccepted")
        .withArgs(f.jobId, f.provider.address);
      await expect(tx, "refund exactly amount - price").to.changeEtherBalances(
        ethers,
        [f.escrow, f.requester, f.provider],
        [-refund, refund, 0n],
      );
      const job = await f.escrow.getJob(f.jobId);
      expect(job.status, "Accepted").to.equal(BigInt(Status.Accepted));
      expect(job.provider, "the bidder is the provider").to.equal(f.provider.address);
      expect(job.amount, "amount is the price").to.equal(PRICE);
      expect(await f.escrow.nonces(f.provider, f.jobId), "nonce used").to.equal(bid.nonce + 1n);

      // The job then runs as any other, at the bid's price.
      await f.escrow.connect(f.provider).submitWork(f.jobId, ethers.id("result"));
      const split = expectedSplit(PRICE, 10_000n, 0n);
      await expect(
        f.escrow.connect(f.requester).release(f.jobId),
        "provider paid the price minus fees",
      ).to.changeEtherBalances(ethers, [f.provider, f.escrow], [split.provider, -split.provider]);
    });

    it("at exactly the maximum price refunds nothing", async function () {
      const f = await loadFixture(openBidJob);
      const { bid, signature } = await bidFor(f, f.provider, f.jobId, ONE_ETH);
      const tx = f.escrow.connect(f.requester).awardBid(f.jobId, bid, signature);
      await expect(tx, "refund 0")
        .to.emit(f.escrow, "BidAwarded")
        .withArgs(f.jobId, f.provider.address, ONE_ETH, 0n, bid.nonce);
      await expect(tx, "nothing moves").to.changeEtherBalances(
        ethers,
        [f.escrow, f.requester],
        [0n, 0n],
      );
    });

    it("ERC-20: refunds exactly amount - price in the token", async function () {
      const f = await loadFixture(bidSetup);
      const amount = 1_000n * ONE_ETH;
      const price = 615n * ONE_ETH + 7n;
      const jobId = await newJob(f, { token: await f.token.getAddress(), amount });
      const { bid, signature } = await bidFor(f, f.provider, jobId, price);
      const tx = f.escrow.connect(f.requester).awardBid(jobId, bid, signature);
      await expect(tx, "refund in the token").to.changeTokenBalances(
        ethers,
        f.token,
        [f.escrow, f.requester],
        [-(amount - price), amount - price],
      );
      expect((await f.escrow.getJob(jobId)).amount, "amount is the price").to.equal(price);
    });

    it("fee-on-transfer token: the escrow sends exactly (what arrived) - price; the token takes its fee on the way", async function () {
      const f = await loadFixture(bidSetup);
      const fot = await ethers.deployContract("FeeOnTransferToken", [100n]); // 1%
      await fot.mint(f.requester, 10_000n * ONE_ETH);
      await fot.connect(f.requester).approve(f.escrow, ethers.MaxUint256);
      const jobId = await newJob(f, { token: await fot.getAddress(), amount: 1_000n * ONE_ETH });
      const held = (await f.escrow.getJob(jobId)).amount;
      expect(held, "escrowed what arrived").to.equal(990n * ONE_ETH);
      const price = 600n * ONE_ETH;
      const { bid, signature } = await bidFor(f, f.provider, jobId, price);
      const refund = held - price;
      const tx = f.escrow.connect(f.requester).awardBid(jobId, bid, signature);
      await expect(tx, "refund is what is held minus the price")
        .to.emit(f.escrow, "BidAwarded")
        .withArgs(jobId, f.provider.address, price, refund, bid.nonce);
      await expect(
        tx,
        "escrow sends the refund; the requester receives it less the token's 1%",
      ).to.changeTokenBalances(
        ethers,
        fot,
        [f.escrow, f.requester],
        [-refund, refund - refund / 100n],
      );
      expect(await fot.balanceOf(f.escrow), "the escrow holds exactly the price").to.equal(price);
    });

    it("credits the refund when the requester refuses native coin (push with credit fallback)", async function () {
      const f = await loadFixture(bidSetup);
      const wallet = await ethers.deployContract("HostileReceiver");
      const p = await fx.params(f, { provider: ZERO });
      await wallet.call(
        f.escrow,
        f.escrow.interface.encodeFunctionData("createJob", [termsOf(p)]),
        {
          value: ONE_ETH,
        },
      );
      const jobId = await f.escrow.jobCount();
      await wallet.setMode(1); // Revert
      const { bid, signature } = await bidFor(f, f.provider, jobId, PRICE);
      const refund = ONE_ETH - PRICE;
      await expect(
        wallet.call(
          f.escrow,
          f.escrow.interface.encodeFunctionData("awardBid", [jobId, bid, signature]),
        ),
        "refund credited",
      )
        .to.emit(f.escrow, "Credited")
        .withArgs(jobId, ZERO, await wallet.getAddress(), refund);
      expect(await f.escrow.withdrawable(ZERO, wallet), "withdrawable refund").to.equal(refund);
      expect((await f.escrow.getJob(jobId)).status, "awarded all the same").to.equal(
        BigInt(Status.Accepted),
      );
    });
  });

  describe("awardBid from an ERC-1271 contract wallet", function () {
    async function walletBid() {
      const f = await openBidJob();
      const wallet = await ethers.deployContract("ERC1271WalletMock", [f.other.address]);
      return { ...f, wallet, walletAddress: await wallet.getAddress() };
    }

    it("accepts a bid signed by the wallet's owner; the wallet is the provider and is paid", async function () {
      const f = await loadFixture(walletBid);
      const { bid, signature } = await bidFor(f, f.other, f.jobId, PRICE, {
        provider: f.walletAddress,
      });
      await expect(
        f.escrow.connect(f.requester).awardBid(f.jobId, bid, signature),
        "wallet awarded",
      )
        .to.emit(f.escrow, "BidAwarded")
        .withArgs(f.jobId, f.walletAddress, PRICE, ONE_ETH - PRICE, bid.nonce);
      await f.wallet
        .connect(f.other)
        .execute(
          f.escrow,
          0n,
          f.escrow.interface.encodeFunctionData("submitWork", [f.jobId, ethers.id("r")]),
        );
      const split = expectedSplit(PRICE, 10_000n, 0n);
      await expect(
        f.escrow.connect(f.requester).release(f.jobId),
        "the wallet is paid",
      ).to.changeEtherBalance(ethers, f.wallet, split.provider);
    });

    it("refuses a wallet bid signed by someone else, or after the wallet revoked its key", async function () {
      const f = await loadFixture(walletBid);
      const forged = await bidFor(f, f.stranger, f.jobId, PRICE, { provider: f.walletAddress });
      await expect(
        f.escrow.connect(f.requester).awardBid(f.jobId, forged.bid, forged.signature),
        "not the owner",
      )
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidBidSignature")
        .withArgs(f.jobId, f.walletAddress);
      const genuine = await bidFor(f, f.other, f.jobId, PRICE, { provider: f.walletAddress });
      await f.wallet.connect(f.other).setRevoked(true);
      await expect(
        f.escrow.connect(f.requester).awardBid(f.jobId, genuine.bid, genuine.signature),
        "revoked",
      )
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidBidSignature")
        .withArgs(f.jobId, f.walletAddress);
    });

    it("the owner's plain ECDSA signature does not stand for the wallet unless the wallet says so", async function () {
      const f = await loadFixture(walletBid);
      // The owner signs a bid naming itself: valid for the owner, and not transferable to the wallet.
      const own = await bidFor(f, f.other, f.jobId, PRICE);
      const asWallet = { ...own.bid, provider: f.walletAddress };
      await expect(
        f.escrow.connect(f.requester).awardBid(f.jobId, asWallet, own.signature),
        "provider swapped",
      )
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidBidSignature")
        .withArgs(f.jobId, f.walletAddress);
    });
  });

  describe("refused bids: a clear custom error and nothing moved", function () {
    interface Case {
      name: string;
      fixture?: () => Promise<JobFixture>;
      /** returns the call, the expected error and its arguments */
      run: (f: JobFixture) => Promise<{
        bidder: string;
        error: string;
        args: unknown[];
        /** the job the award is tried on (default the fixture's) */
        jobId?: bigint;
        from?: HardhatEthersSigner;
        call: (from: HardhatEthersSigner) => Promise<unknown>;
      }>;
    }
    const award =
      (f: JobFixture, jobId: bigint, b: { bid: BidStruct; signature: string }) =>
      (from: HardhatEthersSigner) =>
        f.escrow.connect(from).awardBid(jobId, b.bid, b.signature);

    const cases: Case[] = [
      {
        name: "expired (one second after expiry)",
        run: async (f) => {
          const expiry = BigInt(await time.latest()) + 100n;
          const b = await bidFor(f, f.provider, f.jobId, PRICE, { expiry });
          await time.setNextBlockTimestamp(expiry + 1n);
          await networkHelpers.mine();
          return {
            bidder: f.provider.address,
            error: "WorkEscrowBidExpired",
            args: [f.jobId, expiry],
            call: award(f, f.jobId, b),
          };
        },
      },
      {
        name: "replayed (the same bid awarded twice on a bids-only job)",
        fixture: bondedBidsOnlyJob,
        run: async (f) => {
          const b = await bidFor(f, f.provider, f.jobId, PRICE);
          await f.escrow.connect(f.requester).awardBid(f.jobId, b.bid, b.signature);
          return {
            bidder: f.provider.address,
            error: "WorkEscrowInvalidBidNonce",
            args: [f.jobId, f.provider.address, b.bid.nonce, b.bid.nonce + 1n],
            call: award(f, f.jobId, b),
          };
        },
      },
      {
        name: "cancelled by the provider (invalidateNonce)",
        run: async (f) => {
          const b = await bidFor(f, f.provider, f.jobId, PRICE);
          await f.escrow.connect(f.provider).invalidateNonce(f.jobId);
          return {
            bidder: f.provider.address,
            error: "WorkEscrowInvalidBidNonce",
            args: [f.jobId, f.provider.address, b.bid.nonce, b.bid.nonce + 1n],
            call: award(f, f.jobId, b),
          };
        },
      },
      {
        name: "a nonce not reached yet",
        run: async (f) => {
          const next = await f.escrow.nonces(f.provider, f.jobId);
          const b = await bidFor(f, f.provider, f.jobId, PRICE, { nonce: next + 1n });
          return {
            bidder: f.provider.address,
            error: "WorkEscrowInvalidBidNonce",
            args: [f.jobId, f.provider.address, next + 1n, next],
            call: award(f, f.jobId, b),
          };
        },
      },
      {
        name: "tampered price (signed 0.6, presented at 0.5)",
        run: async (f) => {
          const b = await bidFor(f, f.provider, f.jobId, PRICE);
          const tampered = {
            bid: { ...b.bid, price: PRICE - ONE_ETH / 10n },
            signature: b.signature,
          };
          return {
            bidder: f.provider.address,
            error: "WorkEscrowInvalidBidSignature",
            args: [f.jobId, f.provider.address],
            call: award(f, f.jobId, tampered),
          };
        },
      },
      {
        name: "tampered expiry",
        run: async (f) => {
          const b = await bidFor(f, f.provider, f.jobId, PRICE);
          const tampered = {
            bid: { ...b.bid, expiry: b.bid.expiry + DAY },
            signature: b.signature,
          };
          return {
            bidder: f.provider.address,
            error: "WorkEscrowInvalidBidSignature",
            args: [f.jobId, f.provider.address],
            call: award(f, f.jobId, tampered),
          };
        },
      },
      {
        name: "signed by someone other than the named provider",
        run: async (f) => {
          const b = await bidFor(f, f.stranger, f.jobId, PRICE, { provider: f.provider.address });
          return {
            bidder: f.provider.address,
            error: "WorkEscrowInvalidBidSignature",
            args: [f.jobId, f.provider.address],
            call: award(f, f.jobId, b),
          };
        },
      },
      {
        name: "malformed signature (64 bytes of garbage)",
        run: async (f) => {
          const b = await bidFor(f, f.provider, f.jobId, PRICE);
          const garbage = { bid: b.bid, signature: ethers.hexlify(ethers.randomBytes(64)) };
          return {
            bidder: f.provider.address,
            error: "WorkEscrowInvalidBidSignature",
            args: [f.jobId, f.provider.address],
            call: award(f, f.jobId, garbage),
          };
        },
      },
      {
        name: "for another job",
        run: async (f) => {
          const other = await newJob(f);
          const b = await bidFor(f, f.provider, other, PRICE);
          return {
            bidder: f.provider.address,
            error: "WorkEscrowBidForOtherJob",
            args: [f.jobId, other],
            call: award(f, f.jobId, b),
          };
        },
      },
      {
        name: "over the job's amount (maximum price + 1 wei)",
        run: async (f) => {
          const b = await bidFor(f, f.provider, f.jobId, ONE_ETH + 1n);
          return {
            bidder: f.provider.address,
            error: "WorkEscrowBidAboveAmount",
            args: [f.jobId, ONE_ETH + 1n, ONE_ETH],
            call: award(f, f.jobId, b),
          };
        },
      },
      {
        name: "signed for another chain",
        run: async (f) => {
          const b = await bidFor(f, f.provider, f.jobId, PRICE, {
            domain: { ...f.domain, chainId: chainId + 1n },
          });
          return {
            bidder: f.provider.address,
            error: "WorkEscrowInvalidBidSignature",
            args: [f.jobId, f.provider.address],
            call: award(f, f.jobId, b),
          };
        },
      },
      {
        name: "signed for another escrow",
        run: async (f) => {
          const b = await bidFor(f, f.provider, f.jobId, PRICE, {
            domain: { ...f.domain, verifyingContract: f.extension },
          });
          return {
            bidder: f.provider.address,
            error: "WorkEscrowInvalidBidSignature",
            args: [f.jobId, f.provider.address],
            call: award(f, f.jobId, b),
          };
        },
      },
      {
        name: "a zero price",
        run: async (f) => {
          const b = await bidFor(f, f.provider, f.jobId, 0n);
          return {
            bidder: f.provider.address,
            error: "WorkEscrowZeroAmount",
            args: [],
            call: award(f, f.jobId, b),
          };
        },
      },
      {
        name: "below the token's minimum",
        run: async (f) => {
          await f.escrow.connect(f.admin).setMinAmount(ZERO, ONE_ETH / 2n);
          const b = await bidFor(f, f.provider, f.jobId, ONE_ETH / 4n);
          return {
            bidder: f.provider.address,
            error: "WorkEscrowAmountBelowMinimum",
            args: [ZERO, ONE_ETH / 4n, ONE_ETH / 2n],
            call: award(f, f.jobId, b),
          };
        },
      },
      {
        name: "by the requester itself",
        run: async (f) => {
          const b = await bidFor(f, f.requester, f.jobId, PRICE);
          return {
            bidder: f.requester.address,
            error: "WorkEscrowInvalidProvider",
            args: [f.requester.address],
            call: award(f, f.jobId, b),
          };
        },
      },
      {
        name: "by the job's arbitrator",
        run: async (f) => {
          const b = await bidFor(f, f.arbitrator, f.jobId, PRICE);
          return {
            bidder: f.arbitrator.address,
            error: "WorkEscrowInvalidProvider",
            args: [f.arbitrator.address],
            call: award(f, f.jobId, b),
          };
        },
      },
      {
        name: "by one of the job's approvers",
        run: async (f) => {
          const jobId = await newJob(f, { approvers: [f.approvers[0].address], threshold: 1 });
          const b = await bidFor(f, f.approvers[0], jobId, PRICE);
          return {
            bidder: f.approvers[0].address,
            error: "WorkEscrowInvalidProvider",
            args: [f.approvers[0].address],
            jobId,
            call: award(f, jobId, b),
          };
        },
      },
      {
        name: "by the job's verifier",
        run: async (f) => {
          const jobId = await newJob(f, { verifier: f.approvers[1].address, verifierFeeBps: 100 });
          const b = await bidFor(f, f.approvers[1], jobId, PRICE);
          return {
            bidder: f.approvers[1].address,
            error: "WorkEscrowInvalidProvider",
            args: [f.approvers[1].address],
            jobId,
            call: award(f, jobId, b),
          };
        },
      },
      {
        name: "awarded by someone other than the requester",
        run: async (f) => {
          const b = await bidFor(f, f.provider, f.jobId, PRICE);
          return {
            bidder: f.provider.address,
            error: "WorkEscrowUnauthorized",
            args: [f.jobId, f.stranger.address],
            from: f.stranger,
            call: award(f, f.jobId, b),
          };
        },
      },
      {
        name: "on a job with a designated provider",
        run: async (f) => {
          const jobId = await newJob(f, { provider: f.other.address });
          const b = await bidFor(f, f.provider, jobId, PRICE);
          return {
            bidder: f.provider.address,
            error: "WorkEscrowNotBiddable",
            args: [jobId],
            jobId,
            call: award(f, jobId, b),
          };
        },
      },
      {
        name: "on a job someone already accepted",
        run: async (f) => {
          await f.escrow.connect(f.other).acceptJob(f.jobId);
          const b = await bidFor(f, f.provider, f.jobId, PRICE);
          return {
            bidder: f.provider.address,
            error: "WorkEscrowInvalidStatus",
            args: [f.jobId, BigInt(Status.Accepted)],
            call: award(f, f.jobId, b),
          };
        },
      },
      {
        name: "after the job's deadline (the bid itself still valid)",
        run: async (f) => {
          const deadline = (await f.escrow.getJob(f.jobId)).deadline;
          const b = await bidFor(f, f.provider, f.jobId, PRICE, { expiry: deadline + DAY });
          await time.increaseTo(deadline + 1n);
          return {
            bidder: f.provider.address,
            error: "WorkEscrowDeadlinePassed",
            args: [f.jobId, deadline],
            call: award(f, f.jobId, b),
          };
        },
      },
    ];

    for (const c of cases) {
      it(c.name, async function () {
        const f = await loadFixture(c.fixture ?? openBidJob);
        const r = await c.run(f);
        const jobId = r.jobId ?? f.jobId;
        const before = await snapshot(f, jobId, r.bidder);
        await expect(r.call(r.from ?? f.requester), c.name)
          .to.be.revertedWithCustomError(f.escrow, r.error)
          .withArgs(...r.args);
        const after = await snapshot(f, jobId, r.bidder);
        expect(after.escrow, "escrow balance unchanged").to.equal(before.escrow);
        expect(after.requester, "requester balance unchanged").to.equal(before.requester);
        expect(after.job, "job unchanged").to.deep.equal(before.job);
        expect(after.nonce, "bidder's nonce unchanged").to.equal(before.nonce);
      });
    }
  });

  describe("bonded award: the job starts when the bond is in", function () {
    it("designates the bidder and stays Open; only the bidder can start it, by posting the bond", async function () {
      const f = await loadFixture(bondedBidsOnlyJob);
      await expect(
        f.escrow.connect(f.other).acceptJob(f.jobId, { value: ONE_ETH / 10n }),
        "bids only: no direct acceptance",
      )
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowUnauthorized")
        .withArgs(f.jobId, f.other.address);
      const { bid, signature } = await bidFor(f, f.provider, f.jobId, PRICE);
      const tx = f.escrow.connect(f.requester).awardBid(f.jobId, bid, signature);
      await expect(tx, "awarded")
        .to.emit(f.escrow, "BidAwarded")
        .withArgs(f.jobId, f.provider.address, PRICE, ONE_ETH - PRICE, bid.nonce);
      await expect(tx, "not accepted yet").to.not.emit(f.escrow, "JobAccepted");
      await expect(tx, "refund at once").to.changeEtherBalance(
        ethers,
        f.requester,
        ONE_ETH - PRICE,
      );
      let job = await f.escrow.getJob(f.jobId);
      expect(job.status, "still Open").to.equal(BigInt(Status.Open));
      expect(job.provider, "designated").to.equal(f.provider.address);
      expect(job.bondPosted, "no bond yet").to.equal(false);

      await expect(
        f.escrow.connect(f.other).acceptJob(f.jobId, { value: ONE_ETH / 10n }),
        "someone else",
      )
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowUnauthorized")
        .withArgs(f.jobId, f.other.address);
      const accept = f.escrow.connect(f.provider).acceptJob(f.jobId, { value: ONE_ETH / 10n });
      await expect(accept, "bond posted")
        .to.emit(f.escrow, "BondPosted")
        .withArgs(f.jobId, f.provider.address, ONE_ETH / 10n);
      await expect(accept, "accepted")
        .to.emit(f.escrow, "JobAccepted")
        .withArgs(f.jobId, f.provider.address);
      job = await f.escrow.getJob(f.jobId);
      expect(job.status, "Accepted").to.equal(BigInt(Status.Accepted));
      expect(job.bondPosted, "bond held").to.equal(true);
      const late = await bidFor(f, f.other, f.jobId, PRICE / 2n);
      await expect(
        f.escrow.connect(f.requester).awardBid(f.jobId, late.bid, late.signature),
        "no award once started",
      )
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidStatus")
        .withArgs(f.jobId, BigInt(Status.Accepted));
    });

    it("bids-only: the requester may award another bid (at most the price already awarded) until the bond is in", async function () {
      const f = await loadFixture(bondedBidsOnlyJob);
      const first = await bidFor(f, f.provider, f.jobId, PRICE);
      await f.escrow.connect(f.requester).awardBid(f.jobId, first.bid, first.signature);
      const dearer = await bidFor(f, f.other, f.jobId, PRICE + 1n);
      await expect(
        f.escrow.connect(f.requester).awardBid(f.jobId, dearer.bid, dearer.signature),
        "the difference went back already",
      )
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowBidAboveAmount")
        .withArgs(f.jobId, PRICE + 1n, PRICE);
      const second = await bidFor(f, f.other, f.jobId, PRICE - 1000n);
      const tx = f.escrow.connect(f.requester).awardBid(f.jobId, second.bid, second.signature);
      await expect(tx, "re-awarded")
        .to.emit(f.escrow, "BidAwarded")
        .withArgs(f.jobId, f.other.address, PRICE - 1000n, 1000n, second.bid.nonce);
      await expect(tx, "the new difference back").to.changeEtherBalance(ethers, f.requester, 1000n);
      await expect(
        f.escrow.connect(f.provider).acceptJob(f.jobId, { value: ONE_ETH / 10n }),
        "the first bidder is out",
      )
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowUnauthorized")
        .withArgs(f.jobId, f.provider.address);
      await expect(
        f.escrow.connect(f.other).acceptJob(f.jobId, { value: ONE_ETH / 10n }),
        "the second bidder starts it",
      )
        .to.emit(f.escrow, "JobAccepted")
        .withArgs(f.jobId, f.other.address);
    });

    it("the requester may cancel before the bond is in: amount + refund = what it locked", async function () {
      const f = await loadFixture(bondedBidsOnlyJob);
      const before = await ethers.provider.getBalance(f.escrow);
      const { bid, signature } = await bidFor(f, f.provider, f.jobId, PRICE);
      await f.escrow.connect(f.requester).awardBid(f.jobId, bid, signature);
      const tx = f.escrow.connect(f.requester).cancelJob(f.jobId);
      await expect(tx, "cancelled with the price")
        .to.emit(f.escrow, "JobCancelled")
        .withArgs(f.jobId, f.requester.address, PRICE);
      await expect(tx, "the price back").to.changeEtherBalance(ethers, f.requester, PRICE);
      expect(await ethers.provider.getBalance(f.escrow), "escrow paid back the whole ETH").to.equal(
        before - ONE_ETH,
      );
      await expect(
        f.escrow.connect(f.provider).acceptJob(f.jobId, { value: ONE_ETH / 10n }),
        "nothing left to accept",
      )
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidStatus")
        .withArgs(f.jobId, BigInt(Status.Cancelled));
    });

    it("a job open to direct acceptance: once awarded, it cannot be re-awarded (cancel instead)", async function () {
      const f = await loadFixture(bondedOpenJob);
      const first = await bidFor(f, f.provider, f.jobId, PRICE);
      await f.escrow.connect(f.requester).awardBid(f.jobId, first.bid, first.signature);
      expect((await f.escrow.getJob(f.jobId)).status, "Open, designated").to.equal(
        BigInt(Status.Open),
      );
      const second = await bidFor(f, f.other, f.jobId, PRICE / 2n);
      await expect(
        f.escrow.connect(f.requester).awardBid(f.jobId, second.bid, second.signature),
        "designated now",
      )
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowNotBiddable")
        .withArgs(f.jobId);
      await expect(
        f.escrow.connect(f.other).acceptJob(f.jobId, { value: ONE_ETH / 10n }),
        "nobody else may accept",
      )
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowUnauthorized")
        .withArgs(f.jobId, f.other.address);
      await expect(f.escrow.connect(f.requester).cancelJob(f.jobId), "cancel").to.emit(
        f.escrow,
        "JobCancelled",
      );
    });

    it("bids-only without a bond: the award accepts at once", async function () {
      const f = await loadFixture(bidSetup);
      const jobId = await newJob(f, { bidsOnly: true });
      const { bid, signature } = await bidFor(f, f.provider, jobId, PRICE);
      await expect(
        f.escrow.connect(f.requester).awardBid(jobId, bid, signature),
        "accepted",
      ).to.emit(f.escrow, "JobAccepted");
      expect((await f.escrow.getJob(jobId)).status, "Accepted").to.equal(BigInt(Status.Accepted));
    });
  });

  describe("cancelling bids (invalidateNonce)", function () {
    it("uses the key's nonce: every bid at it dies, a bid at the next nonce is good, other keys untouched", async function () {
      const f = await loadFixture(openBidJob);
      const otherJob = await newJob(f);
      const key = f.jobId;
      const stale = await bidFor(f, f.provider, f.jobId, PRICE);
      const stale2 = await bidFor(f, f.provider, f.jobId, PRICE - 1n); // same nonce, another price
      const elsewhere = await bidFor(f, f.provider, otherJob, PRICE);
      expect(stale.bid.nonce, "nonce = key << 64 | 0").to.equal(key << 64n);
      await expect(f.escrow.connect(f.provider).invalidateNonce(key), "event")
        .to.emit(f.escrow, "BidNonceInvalidated")
        .withArgs(f.provider.address, key, key << 64n);
      expect(await f.escrow.nonces(f.provider, key), "next sequence").to.equal((key << 64n) | 1n);
      for (const b of [stale, stale2]) {
        await expect(
          f.escrow.connect(f.requester).awardBid(f.jobId, b.bid, b.signature),
          "cancelled bid",
        )
          .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidBidNonce")
          .withArgs(f.jobId, f.provider.address, key << 64n, (key << 64n) | 1n);
      }
      await expect(
        f.escrow.connect(f.requester).awardBid(otherJob, elsewhere.bid, elsewhere.signature),
        "other key alive",
      ).to.emit(f.escrow, "BidAwarded");
      const fresh = await bidFor(f, f.provider, f.jobId, PRICE);
      expect(fresh.bid.nonce, "signed at the new nonce").to.equal((key << 64n) | 1n);
      await expect(
        f.escrow.connect(f.requester).awardBid(f.jobId, fresh.bid, fresh.signature),
        "new bid",
      ).to.emit(f.escrow, "BidAwarded");
    });

    it("an ERC-1271 wallet cancels its own bids by calling invalidateNonce itself", async function () {
      const f = await loadFixture(openBidJob);
      const wallet = await ethers.deployContract("ERC1271WalletMock", [f.other.address]);
      const provider = await wallet.getAddress();
      const b = await bidFor(f, f.other, f.jobId, PRICE, { provider });
      await wallet
        .connect(f.other)
        .execute(f.escrow, 0n, f.escrow.interface.encodeFunctionData("invalidateNonce", [f.jobId]));
      await expect(
        f.escrow.connect(f.requester).awardBid(f.jobId, b.bid, b.signature),
        "wallet's bid cancelled",
      )
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidBidNonce")
        .withArgs(f.jobId, provider, b.bid.nonce, b.bid.nonce + 1n);
    });

    it("key 0 is OpenZeppelin Nonces' plain nonce and works the same way", async function () {
      const f = await loadFixture(openBidJob);
      const b = await bidFor(f, f.provider, f.jobId, PRICE, { nonce: 0n });
      await expect(f.escrow.connect(f.provider).invalidateNonce(0), "key 0")
        .to.emit(f.escrow, "BidNonceInvalidated")
        .withArgs(f.provider.address, 0n, 0n);
      await expect(
        f.escrow.connect(f.requester).awardBid(f.jobId, b.bid, b.signature),
        "key-0 bid cancelled",
      )
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowInvalidBidNonce")
        .withArgs(f.jobId, f.provider.address, 0n, 1n);
    });
  });

  describe("SDK: signBid, verifyBid, awardBid, cancelBids", function () {
    it("signs in the escrow's EIP-5267 domain at the provider's next nonce; verifies and awards", async function () {
      const f = await loadFixture(openBidJob);
      const expiry = BigInt(await time.latest()) + HOUR;
      const signed = await signBid(f.escrow, f.provider, { jobId: f.jobId, price: PRICE, expiry });
      expect(signed.bid.nonce, "key = job id").to.equal(f.jobId << 64n);
      expect(signed.chainId, "chain").to.equal(chainId);
      expect(signed.escrow, "escrow").to.equal(await f.escrow.getAddress());
      expect(bidDigest(await bidDomain(f.escrow), signed.bid), "digest = hashBid").to.equal(
        await f.escrow.hashBid(signed.bid),
      );
      const check = await verifyBid(f.escrow, signed);
      expect(check.problems, "no problem").to.deep.equal([]);
      expect(check.valid, "valid").to.equal(true);
      const result = await awardBid(f.escrow.connect(f.requester), signed);
      expect(result.refunded, "refund").to.equal(ONE_ETH - PRICE);
      expect(result.accepted, "accepted").to.equal(true);
      expect(result.provider, "provider").to.equal(f.provider.address);
      const again = await verifyBid(f.escrow, signed);
      expect(
        again.problems.map((p) => p.code),
        "after the award",
      ).to.have.members(["not-open", "nonce-used"]);
    });

    it("verifyBid names every problem; awardBid then throws BidError and sends nothing", async function () {
      const f = await loadFixture(openBidJob);
      const now = BigInt(await time.latest());
      const signed = await signBid(f.escrow, f.provider, {
        jobId: f.jobId,
        price: PRICE,
        expiry: now + 5n,
      });
      const cases: [string, typeof signed, string[]][] = [
        ["tampered", { ...signed, bid: { ...signed.bid, price: PRICE - 1n } }, ["bad-signature"]],
        [
          "over price",
          await signBid(f.escrow, f.provider, {
            jobId: f.jobId,
            price: ONE_ETH + 1n,
            expiry: now + HOUR,
          }),
          ["above-price"],
        ],
        ["wrong chain", { ...signed, chainId: chainId + 1n }, ["wrong-chain"]],
        ["wrong escrow", { ...signed, escrow: f.extension }, ["wrong-escrow"]],
        [
          "requester bids",
          await signBid(f.escrow, f.requester, {
            jobId: f.jobId,
            price: PRICE,
            expiry: now + HOUR,
          }),
          ["invalid-provider"],
        ],
        [
          "nonce ahead",
          await signBid(f.escrow, f.provider, {
            jobId: f.jobId,
            price: PRICE,
            expiry: now + HOUR,
            nonce: (f.jobId << 64n) + 1n,
          }),
          ["nonce-ahead"],
        ],
      ];
      for (const [name, bid, codes] of cases) {
        const check = await verifyBid(f.escrow, bid);
        expect(
          check.problems.map((p) => p.code),
          name,
        ).to.have.members(codes);
      }
      const wrongJob = await verifyBid(f.escrow, signed, { jobId: f.jobId + 1n });
      expect(
        wrongJob.problems.map((p) => p.code),
        "wrong job",
      ).to.include("wrong-job");

      await time.increase(10);
      const before = [...(await f.escrow.getJob(f.jobId))];
      let thrown: unknown;
      try {
        await awardBid(f.escrow.connect(f.requester), signed);
      } catch (err) {
        thrown = err;
      }
      expect(thrown, "BidError").to.be.instanceOf(BidError);
      expect(
        (thrown as BidError).problems.map((p) => p.code),
        "expired",
      ).to.deep.equal(["expired"]);
      expect([...(await f.escrow.getJob(f.jobId))], "nothing sent").to.deep.equal(before);

      await cancelBids(f.escrow.connect(f.provider), f.jobId);
      const cancelled = await verifyBid(f.escrow, {
        ...signed,
        bid: { ...signed.bid, expiry: now + HOUR },
      });
      expect(
        cancelled.problems.map((p) => p.code),
        "cancelled",
      ).to.include("nonce-used");
    });

    it("an ERC-1271 wallet's bid, signed by its owner, verifies and is awarded", async function () {
      const f = await loadFixture(openBidJob);
      const wallet = await ethers.deployContract("ERC1271WalletMock", [f.other.address]);
      const expiry = BigInt(await time.latest()) + HOUR;
      const signed = await signBid(f.escrow, f.other, {
        jobId: f.jobId,
        price: PRICE,
        expiry,
        provider: await wallet.getAddress(),
      });
      expect((await verifyBid(f.escrow, signed)).valid, "wallet bid valid").to.equal(true);
      const forged = await signBid(f.escrow, f.stranger, {
        jobId: f.jobId,
        price: PRICE,
        expiry,
        provider: await wallet.getAddress(),
      });
      expect(
        (await verifyBid(f.escrow, forged)).problems.map((p) => p.code),
        "forged",
      ).to.deep.equal(["bad-signature"]);
      const result = await awardBid(f.escrow.connect(f.requester), signed);
      expect(result.provider, "wallet is the provider").to.equal(await wallet.getAddress());
    });

    it("bid JSON round-trips and rankBids puts valid bids first, cheapest first", async function () {
      const f = await loadFixture(openBidJob);
      const expiry = BigInt(await time.latest()) + HOUR;
      const a = await signBid(f.escrow, f.provider, { jobId: f.jobId, price: PRICE, expiry });
      const b = await signBid(f.escrow, f.other, { jobId: f.jobId, price: PRICE / 2n, expiry });
      const c = await signBid(f.escrow, f.stranger, {
        jobId: f.jobId,
        price: ONE_ETH + 1n,
        expiry,
      });
      expect(bidFromJson(bidToJson(a)), "round trip").to.deep.equal(a);
      expect(() => bidFromJson("{}"), "not a bid").to.throw(/not a bid/);
      const checked = await Promise.all(
        [a, b, c].map(async (signed) => ({ signed, check: await verifyBid(f.escrow, signed) })),
      );
      const ranked = rankBids(checked).map((x) => x.signed.bid.provider);
      expect(ranked, "b (cheapest), a, then the invalid c").to.deep.equal([
        f.other.address,
        f.provider.address,
        f.stranger.address,
      ]);
    });
  });
  describe("CLI helpers: bid files (escrow:bid, escrow:bids, escrow:award)", function () {
    it("writes bid files per chain and job, lists a job's bids best price first with invalid ones marked", async function () {
      const f = await loadFixture(openBidJob);
      const dir = mkdtempSync(path.join(tmpdir(), "bids-"));
      try {
        const expiry = BigInt(await time.latest()) + HOUR;
        const cheap = await signBid(f.escrow, f.other, {
          jobId: f.jobId,
          price: PRICE / 2n,
          expiry,
        });
        const mid = await signBid(f.escrow, f.provider, { jobId: f.jobId, price: PRICE, expiry });
        const over = await signBid(f.escrow, f.stranger, {
          jobId: f.jobId,
          price: ONE_ETH + 1n,
          expiry,
        });
        const tampered = { ...mid, bid: { ...mid.bid, provider: f.approvers[2].address } };
        const otherJob = await signBid(f.escrow, f.provider, {
          jobId: f.jobId + 1n,
          price: PRICE,
          expiry,
        });
        const file = bidFilePath(dir, cheap);
        expect(file, "default path").to.equal(
          path.join(dir, `chain-${chainId}`, `job-${f.jobId}`, `${f.other.address}-0.json`),
        );
        for (const b of [cheap, mid, over, tampered, otherJob]) writeBid(bidFilePath(dir, b), b);
        writeFileSync(path.join(dir, `chain-${chainId}`, `job-${f.jobId}`, "notes.json"), "{}");
        expect(readBid(file), "read back").to.deep.equal(cheap);
        expect(() => readBid(path.join(dir, "missing.json")), "missing file").to.throw(
          /does not exist/,
        );

        const { bids, unreadable } = await listBids(f.escrow, dir, f.jobId);
        expect(
          bids.map((b) => [b.signed.bid.provider, b.check.valid]),
          "valid cheapest first, then invalid; other jobs left out",
        ).to.deep.equal([
          [f.other.address, true],
          [f.provider.address, true],
          [f.approvers[2].address, false],
          [f.stranger.address, false],
        ]);
        expect(
          bids[2].check.problems.map((p) => p.code),
          "tampered",
        ).to.deep.equal(["bad-signature"]);
        expect(
          bids[3].check.problems.map((p) => p.code),
          "over price",
        ).to.deep.equal(["above-price"]);
        expect(
          unreadable.map((u) => path.basename(u.file)),
          "not a bid",
        ).to.deep.equal(["notes.json"]);

        // The best one is awarded from its file; listing again marks the rest as no longer awardable.
        await awardBid(f.escrow.connect(f.requester), readBid(file));
        const after = await listBids(f.escrow, dir, f.jobId);
        expect(
          after.bids.every((b) => !b.check.valid),
          "job taken",
        ).to.equal(true);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it("encodes an escrow call from CLI strings, refusing a wrong function or argument count", async function () {
      const f = await loadFixture(openBidJob);
      const iface = f.escrow.interface as unknown as import("ethers").Interface;
      expect(encodeCliCall(iface, "submitWork", ["3", ethers.id("r")]), "submitWork").to.equal(
        iface.encodeFunctionData("submitWork", [3n, ethers.id("r")]),
      );
      expect(encodeCliCall(iface, "raiseDispute", ["3", "late work"]), "string").to.equal(
        iface.encodeFunctionData("raiseDispute", [3n, "late work"]),
      );
      expect(() => encodeCliCall(iface, "nope", []), "unknown").to.throw(/no function nope/);
      expect(() => encodeCliCall(iface, "submitWork", ["3"]), "count").to.throw(/takes 2 argument/);
      expect(() => encodeCliCall(iface, "withdrawTo", [ZERO, "bob"]), "address").to.throw(
        /not an address/,
      );
    });

    it("refuses a tuple field the function does not take (ethers would drop it silently)", async function () {
      const f = await loadFixture(openBidJob);
      const iface = f.escrow.interface as unknown as import("ethers").Interface;
      const terms = {
        provider: ZERO,
        token: ZERO,
        amount: "1000",
        deadline: "2000000000",
        reviewPeriod: "86400",
        jobType: "0",
        jobHash: ethers.id("spec"),
        arbitrator: ZERO,
        approvers: [],
        threshold: "0",
      };
      expect(encodeCliCall(iface, "createJob", [JSON.stringify(terms)]), "v1 terms").to.equal(
        iface.encodeFunctionData("createJob", [terms]),
      );
      expect(
        () => encodeCliCall(iface, "createJob", [JSON.stringify({ ...terms, keeperTip: "5" })]),
        "an option given to createJob",
      ).to.throw(/p: no field keeperTip .*optional terms go to createJobWithOptions/);
      expect(
        () =>
          encodeCliCall(iface, "awardBid", ["1", JSON.stringify({ jobId: "1", tip: "1" }), "0x"]),
        "another tuple",
      ).to.throw(/bid: no field tip \(it has jobId, provider, price, expiry, nonce\)$/);
    });
  });
  describe("demo chapter (scripts/demo/bids.ts)", function () {
    it("three signed bids, the cheapest (a wallet with no ETH) wins, the difference comes back, delivery is relayed", async function () {
      const f = await loadFixture(bidSetup);
      const lines: string[] = [];
      const r = await demoBids({
        ethers,
        escrow: f.escrow,
        forwarder: f.forwarder,
        requester: f.requester,
        bidders: [f.provider, f.other],
        relayer: f.stranger,
        arbitrator: f.arbitrator.address,
        log: (l) => lines.push(l),
      });
      expect(r.refunded, "1 - 0.55 ETH back").to.equal(ethers.parseEther("0.45"));
      const split = expectedSplit(ethers.parseEther("0.55"), 10_000n, 0n);
      expect(r.paid, "the gasless winner holds exactly its pay").to.equal(split.provider);
      expect((await f.escrow.getJob(r.jobId)).status, "released").to.equal(BigInt(Status.Released));
      expect(lines.join("\n"), "narrated").to.match(/awards the cheapest/);
    });
  });
});
