/**
 * Community rounds from chain history: the suite deployed with the Ignition module, a scripted history
 * of releases, the pro-rata builder (tasks/rounds.ts), then every provider claims.
 */
import { expect } from "chai";
import { network } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import WorkEscrowModule from "../deploy/modules/WorkEscrow.js";
import type { CommunityFund, MockERC20, WorkEscrow } from "../typechain-types/index.js";
import { EscrowClient, NATIVE, hashContent } from "../sdk/index.js";
import {
  allotProRata,
  buildProRataRound,
  buildTree,
  coveredUntilOf,
  lastCoveredUntil,
  parseManualEntries,
  proofFor,
  releasedPayments,
  toRoundFile,
  type RoundFile,
} from "../tasks/rounds.js";
import { DAY, HOUR } from "./helpers/escrow.js";

const { ethers, networkHelpers, ignition } = await network.create();
const { loadFixture, time } = networkHelpers;

describe("community rounds", function () {
  describe("allotProRata", function () {
    it("floors each share and leaves a remainder smaller than the number of providers", function () {
      const w = new Map([
        ["0x00000000000000000000000000000000000000b2", 1n],
        ["0x00000000000000000000000000000000000000a1", 1n],
        ["0x00000000000000000000000000000000000000c3", 1n],
      ]);
      const a = allotProRata(w, 100n);
      expect(a.entries.map((e) => e.amount)).to.deep.equal([33n, 33n, 33n]);
      const order = a.entries.map((e) => e.account.slice(-2).toLowerCase());
      expect(order).to.deep.equal(["a1", "b2", "c3"]); // sorted by address
      expect([a.total, a.remainder]).to.deep.equal([99n, 1n]);
      // weights 1:2:997 of 1,000 wei are exact; of 999 wei they are floored
      const w2 = new Map([
        ["0x00000000000000000000000000000000000000a1", 1n],
        ["0x00000000000000000000000000000000000000b2", 2n],
        ["0x00000000000000000000000000000000000000c3", 997n],
      ]);
      expect(allotProRata(w2, 1000n).entries.map((e) => e.amount)).to.deep.equal([1n, 2n, 997n]);
      const floored = allotProRata(w2, 999n);
      expect(floored.entries.map((e) => e.amount)).to.deep.equal([1n, 996n]); // 0.999 → 0: left out
      expect(floored.remainder).to.equal(2n);
      expect(allotProRata(new Map(), 5n)).to.deep.equal({ entries: [], total: 0n, remainder: 5n });
    });

    it("parses manual lists (JSON or CSV) and refuses duplicates and zero amounts", function () {
      const a = "0x00000000000000000000000000000000000000a1";
      expect(
        parseManualEntries(`# airdrop\n${a},5\n0x00000000000000000000000000000000000000b2, 7`),
      ).to.have.length(2);
      expect(parseManualEntries(JSON.stringify([{ account: a, amount: "9" }]))[0].amount).to.equal(
        9n,
      );
      expect(() => parseManualEntries(`${a},5\n${a},6`)).to.throw(/twice/);
      expect(() => parseManualEntries(`${a},0`)).to.throw(/positive/);
    });
  });

  /** The suite from the Ignition module (1-day interval, 1-hour delay) and a job helper that pays a provider. */
  async function deploySuite() {
    const [admin, treasury, guardian, arbitrator, requester, p1, p2, p3, p4] =
      await ethers.getSigners();
    const { escrow, fund } = (await ignition.deploy(WorkEscrowModule, {
      parameters: {
        CommunityFund: {
          admin: admin.address,
          guardian: guardian.address,
          minInterval: Number(DAY),
          challengeDelay: 3600,
          claimPeriod: Number(7n * DAY),
          thresholds: [{ token: NATIVE, threshold: "1000000000000000" }],
        },
        WorkEscrow: {
          admin: admin.address,
          treasury: treasury.address,
          platformFeeBps: 100,
          communityFeeBps: 50,
          arbitrationFeeBps: 200,
          arbitrators: [{ arbitrator: arbitrator.address, arbitrationPeriod: 0 }],
        },
      },
    })) as unknown as { escrow: WorkEscrow; fund: CommunityFund };
    const address = await escrow.getAddress();
    const token = (await ethers.deployContract("MockERC20", [
      "Mock",
      "MCK",
      18,
    ])) as unknown as MockERC20;
    await token.mint(requester.address, ethers.parseEther("100"));
    const client = new EscrowClient(address, requester);
    const job = async (provider: HardhatEthersSigner, eth: string, erc20 = false) => {
      const { jobId } = await client.createJob({
        provider: provider.address,
        amount: ethers.parseEther(eth),
        token: erc20 ? await token.getAddress() : NATIVE,
        deadline: BigInt(await time.latest()) + 30n * DAY,
        jobHash: hashContent(`job ${eth}`),
        arbitrator: arbitrator.address,
      });
      await client.connect(provider).accept(jobId);
      await client.release(jobId);
    };
    return {
      escrow,
      fund,
      client,
      job,
      admin,
      guardian,
      arbitrator,
      providers: [p1, p2, p3, p4],
    };
  }

  async function history() {
    const { escrow, fund, client, job, admin, guardian, arbitrator, providers } =
      await deploySuite();
    const [p1, p2, p3, p4] = providers;
    const address = await escrow.getAddress();
    await job(p4, "5"); // before the range
    await time.increase(DAY);
    const since = BigInt(await time.latest()) + 1n;
    await job(p1, "1");
    await job(p2, "2");
    await job(p1, "3");
    await job(p3, "0.7");
    await job(p2, "4", true); // ERC-20: not part of a native round
    // v2 payments count too: a milestone (a partial release, then the rest) and an agreed split
    const milestone = await client.createJob({
      provider: p3.address,
      amount: ethers.parseEther("1"),
      deadline: BigInt(await time.latest()) + 30n * DAY,
      jobHash: hashContent("milestones"),
      arbitrator: arbitrator.address,
    });
    await client.connect(p3).accept(milestone.jobId);
    await client.releasePartial(milestone.jobId, ethers.parseEther("0.4"));
    await client.release(milestone.jobId);
    const split = await client.createJob({
      provider: p2.address,
      amount: ethers.parseEther("2"),
      deadline: BigInt(await time.latest()) + 30n * DAY,
      jobHash: hashContent("half of it"),
      arbitrator: arbitrator.address,
    });
    await client.connect(p2).accept(split.jobId);
    await client.connect(p2).propose(split.jobId, 5000);
    await client.acceptSettlement(split.jobId, 5000); // 1 ETH gross to p2
    // a refunded job pays no provider
    const { jobId } = await client.createJob({
      provider: p3.address,
      amount: ethers.parseEther("9"),
      deadline: BigInt(await time.latest()) + DAY,
      jobHash: hashContent("never delivered"),
      arbitrator: arbitrator.address,
    });
    await time.increase(2n * DAY);
    await client.refund(jobId);
    const until = BigInt(await time.latest()) + 1n;
    await time.increase(DAY);
    await job(p4, "6"); // after the range
    await fund.collect(address, NATIVE);
    return { escrow, fund, admin, guardian, providers: [p1, p2, p3, p4], since, until };
  }

  it("weights are exactly the providers' released payments in the range and token", async function () {
    const h = await loadFixture(history);
    const w = await releasedPayments(h.escrow, ethers.provider, NATIVE, {
      since: h.since,
      until: h.until,
      chunkSize: 3,
    });
    const net = (eth: string) => (ethers.parseEther(eth) * 9850n) / 10_000n; // 1% + 0.5% fees
    expect(Object.fromEntries(w)).to.deep.equal({
      [h.providers[0].address]: net("1") + net("3"),
      [h.providers[1].address]: net("2") + net("1"), // + half of the agreed 2 ETH split
      [h.providers[2].address]: net("0.7") + net("0.4") + net("0.6"), // + the two milestone payments
    });
  });

  it("the same events give the same root; the round is posted and every provider claims exactly its share", async function () {
    const h = await loadFixture(history);
    const pool = (await h.fund.tokenState(NATIVE)).pool;
    // 0.5% of the 5+1+2+3+0.7+6 ETH of native releases, the 0.4+0.6 milestone and the 1 ETH agreed share
    expect(pool).to.equal(ethers.parseEther("0.0985"));
    const build = async (chunkSize: number) =>
      toRoundFile(
        {
          method: "pro-rata",
          chainId: "31337",
          fund: await h.fund.getAddress(),
          token: NATIVE,
          requested: pool.toString(),
        },
        allotProRata(
          await releasedPayments(h.escrow, ethers.provider, NATIVE, {
            since: h.since,
            until: h.until,
            chunkSize,
          }),
          pool,
        ),
      );
    const file = await build(10_000);
    const again = await build(2);
    expect(again.root).to.equal(file.root);
    expect(
      buildTree(
        [...file.tree.values]
          .reverse()
          .map((v) => ({ account: v.value[0], amount: BigInt(v.value[1]) })),
      ).root,
    ).to.equal(file.root);

    // weights 3.94 : 2.955 : 1.6745 (ETH, net of fees) of a 0.0985 ETH pool, floored per provider
    const weights = [
      ethers.parseEther("3.94"),
      ethers.parseEther("2.955"),
      ethers.parseEther("1.6745"),
    ];
    const sum = weights.reduce((a, b) => a + b);
    const shares = weights.map((w) => (pool * w) / sum);
    expect(BigInt(file.total)).to.equal(shares.reduce((a, b) => a + b));
    expect(BigInt(file.remainder)).to.equal(pool - BigInt(file.total));
    expect(BigInt(file.remainder)).to.be.lessThan(3n);

    await h.fund.postRound(NATIVE, file.root, BigInt(file.total), h.until, "ipfs://round-1");
    await time.increase(3600);
    for (const [i, p] of h.providers.slice(0, 3).entries()) {
      const { amount, proof } = proofFor(file, p.address)!;
      expect(amount).to.equal(shares[i]);
      await expect(h.fund.connect(p).claim(1, p.address, amount, proof)).to.changeEtherBalance(
        ethers,
        p,
        amount,
      );
    }
    expect(proofFor(file, h.providers[3].address)).to.equal(undefined); // outside the range
    const s = await h.fund.tokenState(NATIVE);
    expect(s.reserved).to.equal(0n);
    expect(s.pool).to.equal(BigInt(file.remainder));
    expect(await ethers.provider.getBalance(await h.fund.getAddress())).to.equal(
      BigInt(file.remainder),
    );
    expect(s.totalClaimed + s.pool + s.reserved).to.equal(s.totalReceived);
  });

  it("a manual round (an explicit list) goes through the same post and claim path", async function () {
    const h = await loadFixture(history);
    const [p1, , p3] = h.providers;
    const entries = parseManualEntries(`# hand-picked\n${p1.address},1000\n${p3.address},2500\n`);
    const file = toRoundFile(
      {
        method: "manual",
        chainId: "31337",
        fund: await h.fund.getAddress(),
        token: NATIVE,
        requested: "3500",
      },
      { entries, total: 3500n, remainder: 0n },
    );
    await h.fund.postRound(NATIVE, file.root, BigInt(file.total), 0, "manual");
    await time.increase(3600);
    for (const p of [p1, p3]) {
      const { amount, proof } = proofFor(file, p.address)!;
      await h.fund.connect(h.admin).claim(1, p.address, amount, proof); // sent by someone else, paid to p
    }
    expect((await h.fund.getRound(1)).claimed).to.equal(3500n);
    expect((await h.fund.tokenState(NATIVE)).pool).to.equal(ethers.parseEther("0.0985") - 3500n);
  });

  /** A default round built from the suite's own history, as `fund:build-round` builds it. */
  async function buildDefault(h: Awaited<ReturnType<typeof deploySuite>>) {
    return buildProRataRound({
      escrow: h.escrow,
      fund: h.fund,
      provider: ethers.provider,
      chainId: 31337n,
      token: NATIVE,
      requested: (await h.fund.tokenState(NATIVE)).pool,
    });
  }

  it("default rounds tile time: round 2 starts where round 1 ended, so a payment released between building and posting round 1 is paid in round 2", async function () {
    const h = await loadFixture(deploySuite);
    const [p1, p2, p3] = h.providers;
    const escrow = await h.escrow.getAddress();
    await h.job(p1, "1");
    await h.fund.collect(escrow, NATIVE);
    const round1 = await buildDefault(h);
    expect(round1.since).to.equal("0");
    await time.increase(HOUR);
    await h.job(p2, "2"); // after round 1 was built, before it is posted
    await time.increase(HOUR);
    await h.fund.postRound(NATIVE, round1.root, BigInt(round1.total), coveredUntilOf(round1), "r1");
    expect((await h.fund.getRound(1n)).coveredUntil).to.equal(BigInt(round1.until!));
    await time.increase(DAY);
    await h.job(p3, "3");
    await h.fund.collect(escrow, NATIVE);
    const round2 = await buildDefault(h);
    expect(round2.since, "round 2 starts exactly where round 1 ended").to.equal(round1.until);
    const accounts = (file: RoundFile) => file.tree.values.map((v) => v.value[0]);
    expect(accounts(round1)).to.deep.equal([p1.address]);
    expect(accounts(round2)).to.have.members([p2.address, p3.address]);
    // p2 and p3 share round 2 pro rata to their net payments, 2 : 3
    const pool = BigInt(round2.requested);
    const share = proofFor(round2, p2.address)!;
    expect(share.amount).to.equal((pool * 2n) / 5n);
    await h.fund.postRound(NATIVE, round2.root, BigInt(round2.total), coveredUntilOf(round2), "r2");
    await time.increase(HOUR);
    await expect(
      h.fund.connect(p2).claim(2n, p2.address, share.amount, share.proof),
    ).to.changeEtherBalance(ethers, p2, share.amount);
  });

  it("the default start skips cancelled rounds and manual rounds (which cover no range)", async function () {
    const h = await loadFixture(history);
    const t = buildTree([{ account: h.providers[0].address, amount: 1n }]);
    expect(await lastCoveredUntil(h.fund, NATIVE)).to.equal(0n);
    await h.fund.postRound(NATIVE, t.root, 1n, h.since, "r1");
    await time.increase(DAY);
    await h.fund.postRound(NATIVE, t.root, 1n, h.until, "r2");
    expect(await lastCoveredUntil(h.fund, NATIVE)).to.equal(h.until);
    await h.fund.connect(h.guardian).cancelRound(2n);
    await h.fund.postRound(NATIVE, t.root, 1n, 0, "manual"); // the interval clock went back to round 1
    expect(await lastCoveredUntil(h.fund, NATIVE)).to.equal(h.since);
    expect(await lastCoveredUntil(h.fund, h.providers[0].address)).to.equal(0n); // another token
  });
});
