/**
 * Issue 10 item 11 (client state machine drift): a property test of the SDK's `nextActions` against the
 * contract itself. For jobs in every state (open with and without a provider, bids-only with and
 * without an awarded bidder, accepted, part-paid, submitted, approved once, rejected, disputed by
 * either party, every terminal state), for every role (requester, provider, arbitrator, approver,
 * verifier, stranger) and at t-1, t and t+1 of each window edge of the job (deadline, end of the
 * review window, end of the job's own arbitration period), every action is called with `eth_call`
 * (staticCall) and must succeed exactly when `nextActions` lists it as allowed now.
 */
import { expect } from "chai";
import { network } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { parseEther } from "ethers";
import {
  EscrowClient,
  Status,
  decodeEscrowError,
  disputeDeposit,
  isAllowedNow,
  type ActionCall,
  type JobView,
} from "../sdk/index.js";
import type { IWorkEscrow } from "../typechain-types/index.js";
import { DAY, escrowFixtures, type EscrowFixture, type ParamsInput } from "./helpers/escrow.js";

const { ethers, networkHelpers } = await network.create();
const { loadFixture, time } = networkHelpers;
const fx = escrowFixtures({ ethers, networkHelpers });

const BOND = parseEther("0.1");
const TIP = parseEther("0.01");
const RESULT = ethers.id("result");
/** An arbitrator registered with its own period (not the 7-day default), for the disputed states. */
const SHORT_PERIOD = 3n * DAY;

type Who = "requester" | "provider" | "arbitrator" | "approver" | "verifier" | "stranger";
const ROLES: Who[] = ["requester", "provider", "arbitrator", "approver", "verifier", "stranger"];

interface StateFixture {
  f: EscrowFixture;
  jobId: bigint;
  roles: Record<Who, HardhatEthersSigner>;
  /** a provider's signed bid on the job (by a signer holding no role), for `award-bid` */
  bid: { bid: Parameters<IWorkEscrow["awardBid"]>[1]; signature: string };
}

/** Signs an EIP-712 bid of `bidder` for the whole amount of the job, with the bidder's next nonce. */
async function signBid(escrow: IWorkEscrow, bidder: HardhatEthersSigner, jobId: bigint) {
  const job = await escrow.getJob(jobId);
  const nonce = await escrow.nonces(bidder.address, jobId);
  const d = await escrow.eip712Domain();
  const bid = { jobId, provider: bidder.address, price: job.amount, expiry: 1n << 40n, nonce };
  const signature = await bidder.signTypedData(
    {
      name: d.name,
      version: d.version,
      chainId: d.chainId,
      verifyingContract: d.verifyingContract,
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
}

/**
 * A job with every option (bond, tip, verifier with a fee, two approvers, the short-period arbitrator)
 * brought to a state by `drive`; `overrides` change its terms.
 */
function state(
  overrides: (f: EscrowFixture, arbitrator: HardhatEthersSigner) => ParamsInput,
  drive: (f: EscrowFixture, jobId: bigint) => Promise<HardhatEthersSigner | void> = async () => {},
): () => Promise<StateFixture> {
  return async function stateFixture() {
    const f = await fx.deployEscrow();
    const signers = await ethers.getSigners();
    const [shortArbitrator, bidder] = [signers[11], signers[12]];
    await f.escrow.connect(f.admin).setArbitrator(shortArbitrator.address, true, SHORT_PERIOD);
    const [a1, a2, verifier] = f.approvers;
    const { id } = await fx.createJob(f, {
      deadline: BigInt(await time.latest()) + 2n * DAY,
      reviewPeriod: DAY,
      arbitrator: shortArbitrator.address,
      approvers: [a1.address, a2.address],
      threshold: 2,
      providerBond: BOND,
      keeperTip: TIP,
      verifier: verifier.address,
      verifierFeeBps: 100,
      ...overrides(f, shortArbitrator),
    });
    const provider = (await drive(f, id)) ?? f.provider;
    const job = await f.escrow.getJob(id);
    const arbitrator = signers.find((s) => s.address === job.arbitrator)!;
    return {
      f,
      jobId: id,
      roles: {
        requester: f.requester,
        provider,
        arbitrator,
        approver: a1,
        verifier,
        stranger: f.stranger,
      },
      bid: await signBid(f.escrow, bidder, id),
    };
  };
}

const accept = (f: EscrowFixture, id: bigint, value = BOND) =>
  f.escrow.connect(f.provider).acceptJob(id, { value });
const submit = async (f: EscrowFixture, id: bigint) => {
  await accept(f, id);
  await f.escrow.connect(f.provider).submitWork(id, RESULT);
};
const deposit = async (f: EscrowFixture, id: bigint) => {
  const j = await f.escrow.getJob(id);
  return (j.amount * j.arbitrationFeeBps) / 10_000n;
};

const STATES: [string, () => Promise<StateFixture>][] = [
  ["Open, designated provider", state(() => ({}))],
  [
    "Open, no provider (anyone may accept), no bond",
    state(() => ({ provider: ethers.ZeroAddress, providerBond: 0n })),
  ],
  ["Open, bids only", state(() => ({ provider: ethers.ZeroAddress, bidsOnly: true }))],
  [
    "Open, bids only, awarded bidder owes the bond",
    state(
      () => ({ provider: ethers.ZeroAddress, bidsOnly: true }),
      async (f, id) => {
        const bidder = (await ethers.getSigners())[12];
        const { bid, signature } = await signBid(f.escrow, bidder, id);
        await f.escrow.connect(f.requester).awardBid(id, bid, signature);
        return bidder;
      },
    ),
  ],
  [
    "Accepted, bond posted",
    state(
      () => ({}),
      (f, id) => accept(f, id).then(() => {}),
    ),
  ],
  [
    "Accepted, the provider's offer standing",
    state(
      () => ({}),
      async (f, id) => {
        await accept(f, id);
        await f.escrow.connect(f.provider).proposeSettlement(id, 6000);
      },
    ),
  ],
  [
    "Accepted, part released",
    state(
      () => ({}),
      async (f, id) => {
        await accept(f, id);
        await f.escrow.connect(f.requester).releasePartial(id, parseEther("0.3"));
      },
    ),
  ],
  ["Submitted", state(() => ({}), submit)],
  [
    "Submitted, no options (no bond, tip, verifier or approvers)",
    state(
      () => ({
        providerBond: 0n,
        keeperTip: 0n,
        verifier: ethers.ZeroAddress,
        verifierFeeBps: 0,
        approvers: [],
        threshold: 0,
      }),
      async (f, id) => {
        await accept(f, id, 0n);
        await f.escrow.connect(f.provider).submitWork(id, RESULT);
      },
    ),
  ],
  [
    "Submitted, one approval, the requester's offer standing",
    state(
      () => ({}),
      async (f, id) => {
        await submit(f, id);
        await f.escrow.connect(f.approvers[0]).approveWork(id);
        await f.escrow.connect(f.requester).proposeSettlement(id, 3000);
      },
    ),
  ],
  [
    "Submitted, rejected by the verifier",
    state(
      () => ({}),
      async (f, id) => {
        await submit(f, id);
        await f.escrow.connect(f.approvers[2]).verifyWork(id, false);
      },
    ),
  ],
  [
    "Disputed by the requester, the provider's offer standing",
    state(
      () => ({}),
      async (f, id) => {
        await submit(f, id);
        await f.escrow
          .connect(f.requester)
          .raiseDispute(id, "incomplete", { value: await deposit(f, id) });
        await f.escrow.connect(f.provider).proposeSettlement(id, 5000);
      },
    ),
  ],
  [
    "Disputed by the provider after a rejection (default 7-day arbitrator)",
    state(
      (f) => ({ arbitrator: f.arbitrator.address }),
      async (f, id) => {
        await submit(f, id);
        await f.escrow.connect(f.approvers[2]).verifyWork(id, false);
        await f.escrow
          .connect(f.provider)
          .raiseDispute(id, "the verifier is wrong", { value: await deposit(f, id) });
      },
    ),
  ],
  [
    "Released",
    state(
      () => ({}),
      async (f, id) => {
        await submit(f, id);
        await f.escrow.connect(f.requester).release(id);
      },
    ),
  ],
  [
    "Cancelled",
    state(
      () => ({}),
      (f, id) =>
        f.escrow
          .connect(f.requester)
          .cancelJob(id)
          .then(() => {}),
    ),
  ],
  [
    "Resolved by agreement (mutual cancellation)",
    state(
      () => ({}),
      async (f, id) => {
        await accept(f, id);
        await f.escrow.connect(f.requester).proposeSettlement(id, 0);
        await f.escrow.connect(f.provider).acceptSettlement(id, 0);
      },
    ),
  ],
];

/** The contract call behind each `nextActions` entry, as an `eth_call` by `signer`. */
function callOf(
  call: ActionCall,
  escrow: IWorkEscrow,
  job: JobView,
  s: StateFixture,
): Promise<unknown> {
  const id = job.id;
  switch (call) {
    case "cancel":
      return escrow.cancelJob.staticCall(id);
    case "award":
      return escrow.awardBid.staticCall(id, s.bid.bid, s.bid.signature);
    case "accept":
      return escrow.acceptJob.staticCall(id, {
        value: job.status === Status.Open ? job.providerBond : 0n,
      });
    case "submit":
      return escrow.submitWork.staticCall(id, RESULT);
    case "release":
      return escrow.release.staticCall(id);
    case "release-part":
      return escrow.releasePartial.staticCall(id, 1n);
    case "refund-part":
      return escrow.refundPartial.staticCall(id, 1n);
    case "approve":
      return escrow.approveWork.staticCall(id);
    case "verify":
      return escrow.verifyWork.staticCall(id, true);
    case "refund":
      return escrow.refundExpired.staticCall(id);
    case "finalize":
      // finalize never reverts: it "succeeds" for this job when it ends it.
      return escrow.finalize.staticCall([id]).then((n) => {
        if (n !== 1n) throw new Error("skipped");
      });
    case "dispute":
      return escrow.raiseDispute.staticCall(id, "why", {
        value: job.status === Status.Submitted ? disputeDeposit(job) : 0n,
      });
    case "evidence":
      return escrow.submitEvidence.staticCall(id, "ipfs://evidence");
    case "propose":
      return escrow.proposeSettlement.staticCall(id, 5000);
    case "accept-settlement":
      return escrow.acceptSettlement.staticCall(id, job.proposalBps);
    case "resolve":
      return escrow.resolveDispute.staticCall(id, 5000);
    case "settle-stale":
      return escrow.settleStaleDispute.staticCall(id);
  }
}

const CALLS: ActionCall[] = [
  "cancel",
  "award",
  "accept",
  "submit",
  "release",
  "release-part",
  "refund-part",
  "approve",
  "verify",
  "refund",
  "finalize",
  "dispute",
  "evidence",
  "propose",
  "accept-settlement",
  "resolve",
  "settle-stale",
];

/** t-1, t, t+1 of each window edge of the job, later than `now`, plus `now` itself. */
function timePoints(job: JobView, now: bigint): bigint[] {
  const edges = [job.deadline];
  if (job.submittedAt > 0n) edges.push(job.submittedAt + job.reviewPeriod);
  if (job.disputedAt > 0n) edges.push(job.disputedAt + job.arbitrationPeriod);
  const points = new Set<bigint>([now]);
  for (const e of edges) for (const t of [e - 1n, e, e + 1n]) if (t > now) points.add(t);
  return [...points].sort((a, b) => (a < b ? -1 : 1));
}

describe("SDK nextActions matches the contract (property test over states × roles × window edges)", function () {
  it("lists exactly the calls an eth_call accepts, for every state, role and edge", async function () {
    this.timeout(900_000);
    let cases = 0;
    const mismatches: string[] = [];
    const reasons = new Map<string, number>();
    for (const [name, fixture] of STATES) {
      const first = await loadFixture(fixture);
      const start = BigInt(await time.latest());
      const points = timePoints(
        await new EscrowClient(await first.f.escrow.getAddress(), first.f.requester).getJob(
          first.jobId,
        ),
        start,
      );
      for (const t of points) {
        const s = await loadFixture(fixture);
        if (t > start) await time.increaseTo(t);
        expect(BigInt(await time.latest()), "the calls run at block time t").to.equal(t);
        const address = await s.f.escrow.getAddress();
        const job = await new EscrowClient(address, s.f.requester).getJob(s.jobId);
        for (const who of ROLES) {
          const signer = s.roles[who];
          const client = new EscrowClient(address, signer);
          const listed = (await client.nextActions(s.jobId, signer.address))
            .filter((a) => isAllowedNow(a, t))
            .map((a) => a.call);
          const escrow = s.f.escrow.connect(signer);
          const outcomes = await Promise.all(
            CALLS.map((call) =>
              callOf(call, escrow, job, s).then(
                () => ({ call, ok: true, reason: "" }),
                (err: unknown) => ({
                  call,
                  ok: false,
                  reason: decodeEscrowError(err)?.name ?? (err as Error).message,
                }),
              ),
            ),
          );
          for (const o of outcomes) {
            cases++;
            if (!o.ok) reasons.set(o.reason, (reasons.get(o.reason) ?? 0) + 1);
            const expected = listed.includes(o.call);
            if (o.ok !== expected) {
              const at = t === start ? "fixture time" : `fixture time + ${t - start}s`;
              mismatches.push(
                `${name} | ${who} | t=${t} (${at}) | ${o.call}: contract ${o.ok ? "allows" : `refuses (${o.reason})`}, nextActions ${expected ? "lists it" : "does not"}`,
              );
            }
          }
        }
      }
    }
    console.log(
      `      ${cases} cases (${STATES.length} states × roles × edges × ${CALLS.length} calls)`,
    );
    expect(mismatches, mismatches.slice(0, 20).join("\n")).to.deep.equal([]);
    // Every refusal is one of the escrow's own errors (so the arguments the test sends are right).
    const foreign = [...reasons.keys()].filter(
      (r) => !r.startsWith("WorkEscrow") && r !== "skipped",
    );
    expect(foreign, "refusals that are not WorkEscrow errors").to.deep.equal([]);
    expect(reasons.has("WorkEscrowValueMismatch"), "values sent are the right ones").to.equal(
      false,
    );
    expect(cases).to.be.greaterThan(5000);
  });
});
