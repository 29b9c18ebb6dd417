/**
 * Drives a deployed escrow and CommunityFund on a JSON-RPC node through every path the indexer must
 * follow, in three parts (before the indexer starts, while it runs, while it is stopped), keeping its
 * own record of what each job and dispute should end as. Accounts are the node's (localhost.json: #0
 * admin, #1 treasury, #2 the fund's guardian, #3 the arbitrator; #4 and up play the other roles).
 */
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import {
  Interface,
  JsonRpcProvider,
  ZeroAddress,
  id as hashText,
  parseEther,
  type BigNumberish,
  type ContractTransactionResponse,
  type JsonRpcSigner,
} from "ethers";
import {
  CommunityFund__factory,
  ERC1271WalletMock__factory,
  FeeOnTransferToken__factory,
  HostileReceiver__factory,
  IWorkEscrow__factory,
  MockERC20__factory,
  type CommunityFund,
  type ERC1271WalletMock,
  type FeeOnTransferToken,
  type HostileReceiver,
  type IWorkEscrow,
  type MockERC20,
} from "../../typechain-types/index.js";
import type { Deployment } from "../../scripts/lib/indexer.js";
import { NO_OPTIONS, createJobCall } from "../../sdk/checks.js";

export const NATIVE = ZeroAddress;
const DAY = 86_400;
const BPS = 10_000n;

export type Ending =
  | "Open"
  | "Accepted"
  | "Submitted"
  | "Released"
  | "Refunded"
  | "Cancelled"
  | "Resolved";

export interface DisputeRecord {
  by: "requester" | "provider";
  resolution?: "Arbitrated" | "Agreed" | "Stale";
  outcome?: "provider" | "requester" | "split";
  evidence: number;
}

export interface Record {
  /** what each job's status is now */
  jobs: Map<bigint, Ending | "Disputed">;
  disputes: Map<bigint, DisputeRecord>;
  /** every address that may hold a credit */
  accounts: Set<string>;
  tokens: string[];
  rounds: number;
}

export class Scenario {
  readonly rpc: JsonRpcProvider;
  escrow!: IWorkEscrow;
  fund!: CommunityFund;
  token!: MockERC20;
  fot!: FeeOnTransferToken;
  hostile!: HostileReceiver;
  wallet!: ERC1271WalletMock;
  s!: JsonRpcSigner[];
  record: Record = {
    jobs: new Map(),
    disputes: new Map(),
    accounts: new Set(),
    tokens: [NATIVE],
    rounds: 0,
  };
  /** job ids by name (j1 …) */
  ids: Record_<bigint> = {};
  private roundTree?: StandardMerkleTree<[string, bigint]>;

  constructor(
    url: string,
    readonly deployment: Deployment,
  ) {
    this.rpc = new JsonRpcProvider(url, undefined, { staticNetwork: true, pollingInterval: 50 });
  }

  // Roles (localhost.json)
  get admin() {
    return this.s[0]!;
  }
  get treasury() {
    return this.s[1]!;
  }
  get guardian() {
    return this.s[2]!;
  }
  get arbitrator() {
    return this.s[3]!;
  }
  get requester() {
    return this.s[4]!;
  }
  get p1() {
    return this.s[5]!;
  }
  get p2() {
    return this.s[6]!;
  }
  get p3() {
    return this.s[7]!;
  }
  get approvers() {
    return [this.s[8]!, this.s[9]!];
  }
  get verifier() {
    return this.s[10]!;
  }
  get keeper() {
    return this.s[11]!;
  }
  get treasury2() {
    return this.s[12]!;
  }
  get walletOwner() {
    return this.s[13]!;
  }
  /** the fund's next guardian (proposed in part B, applied in part C) */
  get guardian2() {
    return this.s[14]!;
  }

  async setup() {
    this.s = await Promise.all([...Array(16).keys()].map((i) => this.rpc.getSigner(i)));
    this.escrow = IWorkEscrow__factory.connect(this.deployment.escrow, this.s[0]!);
    this.fund = CommunityFund__factory.connect(this.deployment.fund, this.s[0]!);
    this.token = await new MockERC20__factory(this.admin).deploy("Mock Dollar", "MUSD", 18);
    this.fot = await new FeeOnTransferToken__factory(this.admin).deploy(100); // 1% per transfer
    this.hostile = await new HostileReceiver__factory(this.admin).deploy();
    this.wallet = await new ERC1271WalletMock__factory(this.admin).deploy(this.walletOwner.address);
    await Promise.all([
      this.token.waitForDeployment(),
      this.fot.waitForDeployment(),
      this.hostile.waitForDeployment(),
      this.wallet.waitForDeployment(),
    ]);
    for (const t of [this.token, this.fot]) {
      for (const who of [this.requester, this.p1, this.p2]) {
        await this.wait(t.mint(who.address, parseEther("1000000")));
        await this.wait(t.connect(who).approve(this.deployment.escrow, 2n ** 255n));
      }
    }
    this.record.tokens.push((await this.token.getAddress()).toLowerCase());
    this.record.tokens.push((await this.fot.getAddress()).toLowerCase());
    for (const s of this.s) this.record.accounts.add(s.address.toLowerCase());
    this.record.accounts.add((await this.hostile.getAddress()).toLowerCase());
    this.record.accounts.add((await this.wallet.getAddress()).toLowerCase());
    this.record.accounts.add(this.deployment.fund.toLowerCase());
  }

  /* ------------------------------------------------------------------------ helpers */

  async wait(tx: Promise<ContractTransactionResponse>) {
    const receipt = await (await tx).wait();
    if (receipt === null || receipt.status !== 1) throw new Error("transaction failed");
    return receipt;
  }

  // Straight JSON-RPC: ethers reuses an identical request's answer for a moment, which can be a
  // block behind right after a transaction.
  async now(): Promise<number> {
    const block = (await this.rpc.send("eth_getBlockByNumber", ["latest", false])) as {
      timestamp: string;
    };
    return Number(block.timestamp);
  }

  async travel(seconds: number) {
    await this.rpc.send("evm_increaseTime", [seconds]);
    await this.rpc.send("evm_mine", []);
  }

  async head(): Promise<number> {
    return Number(await this.rpc.send("eth_blockNumber", []));
  }

  async params(over: Partial<Params> = {}): Promise<Params> {
    const now = await this.now();
    return {
      provider: this.p1.address,
      token: NATIVE,
      amount: parseEther("1"),
      deadline: BigInt(now + 30 * DAY),
      reviewPeriod: 3 * DAY,
      jobType: 0,
      jobHash: hashText(`spec ${this.record.jobs.size + 1}`),
      arbitrator: this.arbitrator.address,
      approvers: [],
      threshold: 0,
      ...NO_OPTIONS,
      ...over,
    };
  }

  /** Creates a job as `from` (default the requester); returns its id. */
  async create(name: string, over: Partial<Params> = {}, from = this.requester): Promise<bigint> {
    const p = await this.params(over);
    const value = p.token === NATIVE ? BigInt(p.amount) + BigInt(p.keeperTip) : 0n;
    // createJob(terms), or createJobWithOptions(terms, options) when an optional term is set (as the SDK).
    const call = createJobCall(p);
    const escrow = this.escrow.connect(from);
    const receipt = await this.wait(
      call.method === "createJob"
        ? escrow.createJob(...call.args, { value })
        : escrow.createJobWithOptions(...call.args, { value }),
    );
    const log = receipt.logs
      .map((l) => {
        try {
          return this.escrow.interface.parseLog(l);
        } catch {
          return null;
        }
      })
      .find((e) => e?.name === "JobCreated");
    const id = log!.args.jobId as bigint;
    this.ids[name] = id;
    this.record.jobs.set(id, "Open");
    return id;
  }

  as(signer: JsonRpcSigner) {
    return this.escrow.connect(signer);
  }

  async accept(id: bigint, provider: JsonRpcSigner, value: BigNumberish = 0n) {
    await this.wait(this.as(provider).acceptJob(id, { value }));
    this.record.jobs.set(id, "Accepted");
  }

  async submit(id: bigint, provider: JsonRpcSigner) {
    await this.wait(this.as(provider).submitWork(id, hashText(`result ${id}`)));
    this.record.jobs.set(id, "Submitted");
  }

  async dispute(id: bigint, by: JsonRpcSigner, role: "requester" | "provider") {
    const job = await this.escrow.getJob(id);
    const deposit = (job.amount * job.arbitrationFeeBps) / BPS;
    await this.wait(
      this.as(by).raiseDispute(id, `dispute ${id}`, { value: job.token === NATIVE ? deposit : 0n }),
    );
    this.record.jobs.set(id, "Disputed");
    this.record.disputes.set(id, { by: role, evidence: 0 });
  }

  private resolved(id: bigint, resolution: DisputeRecord["resolution"], bps: number) {
    this.record.jobs.set(id, "Resolved");
    const d = this.record.disputes.get(id);
    if (d !== undefined) {
      d.resolution = resolution;
      d.outcome = bps > 5000 ? "provider" : bps < 5000 ? "requester" : "split";
    }
  }

  /* ------------------------------------------------------------------------- parts */

  /** Before the indexer starts: history it must backfill. */
  async partA() {
    const r = this.requester;
    const musd = await this.token.getAddress();
    const fot = await this.fot.getAddress();

    // j1: the plain path, released by the requester (4 ETH: enough community fee for a round).
    const j1 = await this.create("j1", { amount: parseEther("4") });
    await this.accept(j1, this.p1);
    await this.submit(j1, this.p1);
    await this.wait(this.as(r).release(j1));
    this.record.jobs.set(j1, "Released");

    // j2: two approvers, threshold 2: the second approval releases.
    const j2 = await this.create("j2", {
      provider: this.p2.address,
      approvers: this.approvers.map((a) => a.address),
      threshold: 2,
    });
    await this.accept(j2, this.p2);
    await this.submit(j2, this.p2);
    await this.wait(this.as(this.approvers[0]!).approveWork(j2));
    await this.wait(this.as(this.approvers[1]!).approveWork(j2));
    this.record.jobs.set(j2, "Released");

    // j3: open job with a keeper tip, cancelled: amount and tip back to the requester.
    const j3 = await this.create("j3", { provider: NATIVE, keeperTip: parseEther("0.01") });
    await this.wait(this.as(r).cancelJob(j3));
    this.record.jobs.set(j3, "Cancelled");

    // j4: open job taken by p2, who misses the (short) deadline: refunded later by a keeper.
    const j4 = await this.create("j4", {
      provider: NATIVE,
      deadline: BigInt((await this.now()) + 700),
    });
    await this.accept(j4, this.p2);

    // j5: the requester disputes delivered work; the arbitrator rules all for the provider
    // (fully against the disputer: the deposit goes to the provider).
    const j5 = await this.create("j5");
    await this.accept(j5, this.p1);
    await this.submit(j5, this.p1);
    await this.dispute(j5, r, "requester");
    await this.wait(this.as(r).submitEvidence(j5, "ipfs://requester-evidence-5"));
    this.record.disputes.get(j5)!.evidence++;
    await this.wait(this.as(this.arbitrator).resolveDispute(j5, 10_000));
    this.resolved(j5, "Arbitrated", 10_000);

    // j6: the provider disputes; the parties agree on 60% (no arbitration fee, deposit back).
    const j6 = await this.create("j6", { provider: this.p2.address });
    await this.accept(j6, this.p2);
    await this.submit(j6, this.p2);
    await this.dispute(j6, this.p2, "provider");
    await this.wait(this.as(r).proposeSettlement(j6, 6000));
    await this.wait(this.as(this.p2).acceptSettlement(j6, 6000));
    this.resolved(j6, "Agreed", 6000);

    // j7: disputed with evidence from both sides and the arbitrator, left to go stale (part C).
    const j7 = await this.create("j7");
    await this.accept(j7, this.p1);
    await this.submit(j7, this.p1);
    await this.dispute(j7, r, "requester");
    for (const who of [r, this.p1, this.arbitrator]) {
      await this.wait(this.as(who).submitEvidence(j7, `ipfs://evidence-7-${who.address}`));
      this.record.disputes.get(j7)!.evidence++;
    }

    // j8: milestones: 30% released, 20% refunded by the provider, then the rest released.
    const j8 = await this.create("j8", { amount: parseEther("2") });
    await this.accept(j8, this.p1);
    await this.wait(this.as(r).releasePartial(j8, parseEther("0.6")));
    await this.wait(this.as(this.p1).refundPartial(j8, parseEther("0.4")));
    await this.submit(j8, this.p1);
    await this.wait(this.as(r).release(j8));
    this.record.jobs.set(j8, "Released");

    // j9: the provider refunds everything (partial refunds down to 0 end the job).
    const j9 = await this.create("j9", { provider: this.p2.address });
    await this.accept(j9, this.p2);
    await this.wait(this.as(this.p2).refundPartial(j9, parseEther("0.25")));
    await this.wait(this.as(this.p2).refundPartial(j9, parseEther("0.75")));
    this.record.jobs.set(j9, "Refunded");

    // j10: bond + keeper tip; finalised by a keeper after the review window (part B).
    const j10 = await this.create("j10", {
      providerBond: parseEther("0.5"),
      keeperTip: parseEther("0.01"),
    });
    await this.accept(j10, this.p1, parseEther("0.5"));
    await this.submit(j10, this.p1);

    // j11: a verifier approves (5% fee off the remaining amount): released at once.
    const j11 = await this.create("j11", {
      provider: this.p2.address,
      verifier: this.verifier.address,
      verifierFeeBps: 500,
    });
    await this.accept(j11, this.p2);
    await this.submit(j11, this.p2);
    await this.wait(this.as(this.verifier).verifyWork(j11, true));
    this.record.jobs.set(j11, "Released");

    // j12: bonded, the verifier rejects; refunded after the review window (part B), bond forfeited.
    const j12 = await this.create("j12", {
      verifier: this.verifier.address,
      verifierFeeBps: 300,
      providerBond: parseEther("0.2"),
    });
    await this.accept(j12, this.p1, parseEther("0.2"));
    await this.submit(j12, this.p1);
    await this.wait(this.as(this.verifier).verifyWork(j12, false));

    // j13: a provider that refuses native coin: its payout is credited (Credited), withdrawn in part B.
    const hostile = await this.hostile.getAddress();
    await this.wait(this.hostile.setMode(1)); // Revert
    const j13 = await this.create("j13", { provider: hostile });
    const call = (data: string) => this.wait(this.hostile.call(this.deployment.escrow, data));
    await call(this.escrow.interface.encodeFunctionData("acceptJob", [j13]));
    await call(this.escrow.interface.encodeFunctionData("submitWork", [j13, hashText("r13")]));
    this.record.jobs.set(j13, "Submitted");
    await this.wait(this.as(r).release(j13));
    this.record.jobs.set(j13, "Released");

    // j14: an ERC-20 job.
    const j14 = await this.create("j14", {
      provider: this.p2.address,
      token: musd,
      amount: parseEther("2000"),
    });
    await this.accept(j14, this.p2);
    await this.submit(j14, this.p2);
    await this.wait(this.as(r).release(j14));
    this.record.jobs.set(j14, "Released");

    // j15: bids only: p3 signs a bid at 0.8 (EIP-712), the requester awards it (0.2 back).
    const j15 = await this.create("j15", { provider: NATIVE, bidsOnly: true });
    const signed = await this.signBid(this.p3, j15, parseEther("0.8"));
    await this.wait(this.as(r).awardBid(j15, signed.bid, signed.signature));
    this.record.jobs.set(j15, "Accepted");
    await this.submit(j15, this.p3);
    await this.wait(this.as(r).release(j15));
    this.record.jobs.set(j15, "Released");
    // p3 cancels its bids on another key.
    await this.wait(this.as(this.p3).invalidateNonce(999n));

    // j16: fee-on-transfer token with a bond (what arrives is held); the provider disputes and the
    // arbitrator rules all for the requester: deposit and bond to the requester.
    const j16 = await this.create("j16", {
      token: fot,
      amount: parseEther("1000"),
      providerBond: parseEther("100"),
    });
    await this.accept(j16, this.p1);
    await this.submit(j16, this.p1);
    await this.dispute(j16, this.p1, "provider");
    await this.wait(this.as(this.arbitrator).resolveDispute(j16, 0));
    this.resolved(j16, "Arbitrated", 0);

    // Money out: the treasury withdraws its fees; the fund collects its community fees.
    await this.wait(this.as(this.treasury).withdraw(NATIVE));
    await this.wait(this.fund.connect(this.keeper).collect(this.deployment.escrow, NATIVE));

    // Admin: new fee rates; a pause and its end.
    await this.wait(this.as(this.admin).setFees(80, 40, 150));
    await this.wait(this.as(this.admin).pause());
    await this.wait(this.as(this.admin).unpause());

    // A round of the community fund: three entries (one will stay unclaimed and expire).
    const state = await this.fund.tokenState(NATIVE);
    const entries: [string, bigint][] = [
      [this.p1.address, state.pool / 4n],
      [this.p2.address, state.pool / 4n],
      [this.p3.address, state.pool / 8n],
    ];
    this.roundTree = StandardMerkleTree.of(entries, ["address", "uint256"]);
    const total = entries.reduce((a, [, v]) => a + v, 0n);
    // It rewards the payments up to now (coveredUntil ≤ now).
    const coveredUntil = await this.now();
    await this.wait(
      this.fund
        .connect(this.admin)
        .postRound(NATIVE, this.roundTree.root, total, coveredUntil, "ipfs://round-1"),
    );
    this.record.rounds = 1;

    // Past j4's deadline: a keeper refunds it (p2 missed its deadline).
    await this.travel(800);
    await this.wait(this.as(this.keeper).refundExpired(j4));
    this.record.jobs.set(j4, "Refunded");
  }

  /** While the indexer runs: what it must follow live. */
  async partB() {
    const r = this.requester;
    // The hostile provider withdraws its credit to another address.
    const hostile = this.hostile;
    await this.wait(
      hostile.call(
        this.deployment.escrow,
        this.escrow.interface.encodeFunctionData("withdrawTo", [NATIVE, this.keeper.address]),
      ),
    );

    // A new fee epoch: fees from now on are credited to treasury2.
    await this.wait(
      this.as(this.admin).setFeeRecipients(this.treasury2.address, this.deployment.fund),
    );
    const j17 = await this.create("j17", { provider: this.p2.address, amount: parseEther("3") });
    await this.accept(j17, this.p2);
    await this.submit(j17, this.p2);
    await this.wait(this.as(r).release(j17));
    this.record.jobs.set(j17, "Released");

    // An ERC-1271 contract wallet's bid is awarded (a designated bidder with a bond on a bids-only job
    // stays Open until it accepts: here no bond, so Accepted at once).
    const j18 = await this.create("j18", {
      provider: NATIVE,
      bidsOnly: true,
      token: await this.token.getAddress(),
      amount: parseEther("500"),
    });
    const walletBid = await this.signBid(
      this.walletOwner,
      j18,
      parseEther("450"),
      await this.wallet.getAddress(),
    );
    await this.wait(this.as(r).awardBid(j18, walletBid.bid, walletBid.signature));
    this.record.jobs.set(j18, "Accepted");

    // After the review windows: a keeper finalises j10 (released, tip and bond) and j12 (rejected:
    // refunded, bond forfeited) in one call; p1 and p2 claim their round entries.
    await this.travel(3 * DAY + 60);
    await this.wait(
      this.as(this.keeper).finalize([this.ids.j10!, this.ids.j12!, this.ids.j7!, 9999n]),
    );
    this.record.jobs.set(this.ids.j10!, "Released");
    this.record.jobs.set(this.ids.j12!, "Refunded");
    await this.claim(this.p1.address);
    // p2 has its entry paid to another address (claimTo: only the account itself may send it).
    await this.claimTo(this.p2, this.keeper.address);

    // The admin proposes a new guardian: in force only after the challenge delay, once applied.
    await this.wait(this.fund.connect(this.admin).setGuardian(this.guardian2.address));
  }

  /** While the indexer is stopped: what it must catch up with after a restart. */
  async partC() {
    const r = this.requester;
    // j7 goes stale (7-day arbitration period): settled 50/50 by a keeper; round 1 expires with
    // p3's entry unclaimed; round 2 is posted and cancelled by the guardian.
    await this.travel(7 * DAY + 60);
    await this.wait(this.as(this.keeper).settleStaleDispute(this.ids.j7!));
    this.resolved(this.ids.j7!, "Stale", 5000);
    await this.wait(this.fund.connect(this.keeper).expireRound(1n));
    await this.wait(this.fund.connect(this.keeper).collect(this.deployment.escrow, NATIVE));
    const state = await this.fund.tokenState(NATIVE);
    const tree = StandardMerkleTree.of(
      [[this.p1.address, state.pool / 2n]],
      ["address", "uint256"],
    );
    // A hand-picked round (coveredUntil 0); then the guardian change proposed in part B is applied:
    // the guardian in force at posting may still cancel the round.
    await this.wait(
      this.fund
        .connect(this.admin)
        .postRound(NATIVE, tree.root, state.pool / 2n, 0, "ipfs://round-2"),
    );
    await this.wait(this.fund.connect(this.keeper).applyPendingChanges());
    await this.wait(this.fund.connect(this.guardian).cancelRound(2n));
    this.record.rounds = 2;
    // A schedule change, left pending.
    await this.wait(this.fund.connect(this.admin).setSchedule(2 * 86400, 7200, 14 * 86400));

    // Jobs left in each live state: Open, Accepted with a standing offer, Submitted.
    await this.create("j19", { provider: NATIVE });
    const j20 = await this.create("j20", { provider: this.p2.address });
    await this.accept(j20, this.p2);
    await this.wait(this.as(this.p2).proposeSettlement(j20, 7000));
    const j21 = await this.create("j21", {
      token: await this.token.getAddress(),
      amount: parseEther("10"),
    });
    await this.accept(j21, this.p1);
    await this.submit(j21, this.p1);

    // The arbitrator and treasury2 withdraw; the j18 wallet-bid job is released.
    await this.wait(this.as(this.arbitrator).withdraw(NATIVE));
    await this.wait(this.as(this.treasury2).withdraw(NATIVE));
    await this.wait(this.as(r).release(this.ids.j18!));
    this.record.jobs.set(this.ids.j18!, "Released");
  }

  async claim(account: string) {
    for (const [i, [who, amount]] of this.roundTree!.entries()) {
      if (who !== account) continue;
      await this.wait(
        this.fund.connect(this.keeper).claim(1n, who, amount, this.roundTree!.getProof(i)),
      );
    }
  }

  /** `account` claims its round-1 entry, paid to `to`. */
  async claimTo(account: JsonRpcSigner, to: string) {
    for (const [i, [who, amount]] of this.roundTree!.entries()) {
      if (who !== account.address) continue;
      await this.wait(
        this.fund.connect(account).claimTo(1n, amount, this.roundTree!.getProof(i), to),
      );
    }
  }

  /** A bid signed by `signer` for `provider` (itself, or the contract wallet it owns). */
  async signBid(
    signer: JsonRpcSigner,
    jobId: bigint,
    price: bigint,
    provider = signer.address,
    expiresIn = 3600,
  ) {
    const d = await this.escrow.eip712Domain();
    const domain = {
      name: d.name,
      version: d.version,
      chainId: d.chainId,
      verifyingContract: d.verifyingContract,
    };
    const nonce = await this.escrow.nonces(provider, jobId);
    const bid = {
      jobId,
      provider,
      price,
      expiry: BigInt((await this.now()) + expiresIn),
      nonce,
    };
    const types = {
      Bid: [
        { name: "jobId", type: "uint256" },
        { name: "provider", type: "address" },
        { name: "price", type: "uint256" },
        { name: "expiry", type: "uint64" },
        { name: "nonce", type: "uint256" },
      ],
    };
    // For a contract wallet (ERC1271WalletMock) the owner's ECDSA signature of the same digest.
    const signature = await signer.signTypedData(domain, types, bid);
    return { bid, signature, domain };
  }
}

type Record_<T> = { [name: string]: T };

export interface Params {
  provider: string;
  token: string;
  amount: bigint;
  deadline: bigint;
  reviewPeriod: number;
  jobType: number;
  jobHash: string;
  arbitrator: string;
  approvers: string[];
  threshold: number;
  providerBond: bigint;
  keeperTip: bigint;
  verifier: string;
  verifierFeeBps: number;
  bidsOnly: boolean;
  agentRequired: boolean;
  agentId: bigint;
}

export const ESCROW_INTERFACE = new Interface(IWorkEscrow__factory.abi);
