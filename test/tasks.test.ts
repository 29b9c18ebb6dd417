/**
 * The `escrow:*` tasks in-process: each task is run through Hardhat's task runner against the
 * in-process network (as `npx hardhat escrow:<verb>` runs it, minus the process start), its printed
 * lines captured and checked, and the outcome read back on-chain. test/e2e/cli.test.ts runs a
 * subset as real processes against `hardhat node`; this file covers every v2 task and its input checks.
 */
import { expect } from "chai";
import hre from "hardhat";
import { parseEther } from "ethers";
import { EscrowClient, NATIVE, Status, Verdict } from "../sdk/index.js";
import { deploySuiteForTasks, runTask, type TaskRun } from "./helpers/tasks.js";

const { ethers, networkHelpers } = await hre.network.getOrCreate();
const { time } = networkHelpers;
const signers = await ethers.getSigners();
const [admin, treasury, community, arbitrator, , provider, , verifier, other, keeper] = signers;
const requester = admin; // --from defaults to account #0

/** Runs `escrow:<verb>` with `args` (as parsed options) and returns its exit code and printed lines. */
async function task(name: string, args: Record<string, unknown>): Promise<TaskRun> {
  // The in-process network has no parameters file to take the default arbitrator from.
  const defaults = name === "escrow:create" ? { arbitrator: arbitrator.address } : {};
  return runTask(name, { escrow: address, ...defaults, ...args });
}

async function ok(name: string, args: Record<string, unknown> = {}): Promise<string> {
  const r = await task(name, args);
  expect(
    r.code,
    `${name} ${JSON.stringify(args, (_, v) => (typeof v === "bigint" ? `${v}` : v))} failed: ${r.err}`,
  ).to.equal(0);
  return r.out;
}

async function fails(name: string, args: Record<string, unknown> = {}): Promise<string> {
  const r = await task(name, args);
  expect(r.code, `${name} must fail; printed ${r.out}`).to.equal(1);
  return r.err;
}

const idOf = (out: string) => BigInt(/job (\d+) created/.exec(out)![1]);

const address = await deploySuiteForTasks(ethers);
const client = new EscrowClient(address, ethers.provider);

describe("escrow:* tasks (in-process)", function () {
  it("escrow:create takes every v2 term; bad input is refused before anything is sent", async function () {
    const nonce = await ethers.provider.getTransactionCount(requester.address);
    for (const [args, error] of [
      [
        { amount: "1", spec: "x", type: "poetry" },
        "error: --type poetry: use compute, storage or agent",
      ],
      [
        { amount: "1", spec: "x", verifierFee: "10" },
        "error: --verifier-fee needs --verifier <address>",
      ],
      [
        { amount: "1", spec: "x", verifier: "7", verifierFee: "1001" },
        "error: --verifier-fee 1001 must be a whole number of basis points from 0 to 1000",
      ],
      [
        { amount: "1.5x", spec: "x" },
        'error: --amount "1.5x" is not an amount with at most 18 decimals',
      ],
      [{ amount: "1" }, "error: give --spec <text> or --spec-file <path>"],
      [
        { amount: "1", spec: "x", agentId: "one" },
        "error: --agent-id one must be a whole number (an ERC-8004 agent id)",
      ],
    ] as const) {
      expect(await fails("escrow:create", args)).to.equal(error);
    }
    // The SDK's checks against the contract's bounds: the contract's own errors, nothing sent.
    expect(await fails("escrow:create", { amount: "1", spec: "x", deadline: "9m" })).to.match(
      /^error: --deadline 9m is .*: it must leave at least 10m of work \(the earliest is .*\)$/,
    );
    expect(await fails("escrow:create", { amount: "1", spec: "x", agentId: "5" })).to.equal(
      "error: WorkEscrowIdentityRegistryNotSet: this deployment has no ERC-8004 identity registry: it cannot take jobs that require an agent identity",
    );
    expect(
      await fails("escrow:create", { amount: "1", spec: "x", provider: "5", bidsOnly: true }),
    ).to.match(
      /^error: WorkEscrowInvalidProvider: a bids-only job has no provider until a bid is awarded: leave out provider 0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc$/,
    );
    expect(await ethers.provider.getTransactionCount(requester.address), "nothing sent").to.equal(
      nonce,
    );

    const out = await ok("escrow:create", {
      amount: "1",
      provider: "5",
      bond: "0.1",
      tip: "0.01",
      verifier: "7",
      verifierFee: "100",
      type: "agent",
      review: "1d",
      spec: "label 10k images",
    });
    expect(out).to.match(
      /^job \d+ created: 1\.0 ETH escrowed, deadline .*, spec hash 0x[0-9a-f]{64}$/m,
    );
    expect(out).to.include(
      `  terms: bond 0.1 ETH, keeper tip 0.01 ETH, verifier ${verifier.address} (fee 100 bps)`,
    );
    const job = await client.getJob(idOf(out));
    expect(job).to.deep.include({
      jobType: 2,
      providerBond: parseEther("0.1"),
      keeperTip: parseEther("0.01"),
      verifier: verifier.address,
      verifierFeeBps: 100,
      reviewPeriod: 86_400n,
    });
  });

  it("a rejected verdict, the provider's dispute with its deposit, and a ruling against it: deposit and bond to the requester", async function () {
    const id = idOf(
      await ok("escrow:create", {
        amount: "1",
        provider: "5",
        bond: "0.1",
        tip: "0.01",
        verifier: "7",
        verifierFee: "100",
        spec: "b",
      }),
    );
    expect(await ok("escrow:accept", { jobId: id, from: "5" })).to.include(
      `job ${id} accepted by ${provider.address}, bond 0.1 ETH posted`,
    );
    expect(await fails("escrow:dispute", { jobId: id, from: "5" })).to.equal(
      `error: WorkEscrowInvalidStatus: job ${id} is Accepted, and this call is not allowed in that state`,
    );
    await ok("escrow:submit", { jobId: id, from: "5", result: "labels.csv" });
    expect(await fails("escrow:verify", { jobId: id, from: "7" })).to.equal(
      "error: give exactly one of --approve or --reject",
    );
    expect(
      await fails("escrow:verify", { jobId: id, from: "7", approve: true, reject: true }),
    ).to.equal("error: give exactly one of --approve or --reject");
    expect(await fails("escrow:verify", { jobId: id, from: "8", reject: true })).to.match(
      /^error: WorkEscrowUnauthorized: 0x\w+ may not do this on job/,
    );
    const rejected = await ok("escrow:verify", { jobId: id, from: "7", reject: true });
    expect(rejected).to.include(
      `job ${id} rejected by its verifier; fee 0.01 ETH credited to the verifier`,
    );
    expect(rejected).to.match(
      /the provider may dispute until .*; from .* anyone refunds the requester \(bond forfeited\)/,
    );

    const shown = await ok("escrow:show", { jobId: id, as: "5" });
    for (const line of [
      /amount\s+0\.99 ETH remaining/,
      /bond\s+0\.1 ETH \(posted\)/,
      /verifier\s+0x14dC79964da2C08b23698B3D3cc7Ca32193d9955 \(fee 100 bps; verdict Rejected\)/,
      /dispute deposit\s+0\.0198 ETH to dispute now/,
      /escrow:dispute\s+dispute the verifier's rejection now, until .* \(pays 0\.0198 ETH\)/,
      /escrow:refund\s+refund the requester \(the verifier rejected the work\) from /,
    ])
      expect(shown).to.match(line);
    expect(shown, "no release over a rejection").to.not.match(/escrow:release\s/);
    expect(await ok("escrow:show", { jobId: id, as: "9" }), "a keeper's view").to.match(
      /escrow:refund\s+refund the requester \(the verifier rejected the work\); earns the keeper tip from /,
    );

    expect(
      await ok("escrow:dispute", { jobId: id, from: "5", reason: "the labels are right" }),
    ).to.match(
      /disputed, deposit 0\.0198 ETH paid \(forfeited to the other party if the ruling goes fully against you\); the arbitrator 0x90F79bf6EB2c4f870365E785982E1f101E93b906 can rule until /,
    );
    const ruling = await ok("escrow:resolve", { jobId: id, from: "3", bps: "0" });
    expect(ruling).to.include(
      `job ${id} resolved by the arbitrator at 0 bps: 0.0 ETH to the provider, 0.9702 ETH to the requester, fees 0.0 ETH platform + 0.0 ETH community + 0.0198 ETH arbitration`,
    );
    expect(ruling).to.include("bond: 0.0 ETH to the provider, 0.1 ETH to the requester");
    expect(ruling).to.include(`dispute deposit: 0.0198 ETH to ${requester.address}`);
    expect((await client.getJob(id)).verdict).to.equal(Verdict.Rejected);
    expect(await ok("escrow:show", { jobId: id }), "an ended job has nothing remaining").to.match(
      /amount\s+0\.99 ETH settled \(the job has ended\)/,
    );
    const listed = await ok("escrow:list", { account: "7" });
    expect(listed).to.match(new RegExp(`#${id}\\s+Resolved\\s+0\\.99 ETH.*as verifier`));
  });

  it("milestones (release-part, refund-part) and a mutual cancellation of an accepted job", async function () {
    const id = idOf(
      await ok("escrow:create", { amount: "1", provider: "5", spec: "three stages" }),
    );
    await ok("escrow:accept", { jobId: id, from: "5" });
    expect(await ok("escrow:release-part", { jobId: id, amount: "0.4" })).to.include(
      `job ${id}: paid 0.4 ETH of the amount now: 0.394 ETH to the provider, fees 0.004 ETH platform + 0.002 ETH community; 0.6 ETH remains`,
    );
    expect(await fails("escrow:release-part", { jobId: id, amount: "0.7" })).to.equal(
      `error: --amount 0.7 must be more than 0 and at most the 0.6 ETH that remains in job ${id}`,
    );
    expect(await fails("escrow:release-part", { jobId: id, amount: "0" })).to.match(
      /must be more than 0/,
    );
    expect(await fails("escrow:refund-part", { jobId: id, amount: "0.1" })).to.match(
      /^error: WorkEscrowUnauthorized: 0xf39F\w+ may not do this on job/,
    );
    expect(await ok("escrow:refund-part", { jobId: id, from: "5", amount: "0.1" })).to.include(
      `job ${id}: 0.1 ETH returned to the requester; 0.5 ETH remains`,
    );
    expect(await fails("escrow:accept-settlement", { jobId: id, from: "5" })).to.equal(
      `error: job ${id} has no standing offer`,
    );
    expect(await ok("escrow:propose", { jobId: id, bps: "0" })).to.include(
      `job ${id}: offered the provider 0 bps (0%) (a mutual cancellation); the other party can accept it`,
    );
    expect(await ok("escrow:accept-settlement", { jobId: id, from: "5" })).to.include(
      `job ${id} settled by agreement at 0 bps to the provider: 0.0 ETH to the provider, 0.5 ETH to the requester, fees 0.0 ETH platform + 0.0 ETH community`,
    );
    expect((await client.getJob(id)).status).to.equal(Status.Resolved);

    // Three milestones: two partial releases, then the final release.
    const m = idOf(await ok("escrow:create", { amount: "3", provider: "5", spec: "milestones" }));
    await ok("escrow:accept", { jobId: m, from: "5" });
    await ok("escrow:release-part", { jobId: m, amount: "1" });
    await ok("escrow:release-part", { jobId: m, amount: "1" });
    expect(await ok("escrow:release-part", { jobId: m, amount: "1" })).to.include(
      `job ${m} released: 0.985 ETH to the provider ${provider.address}, fees 0.01 ETH platform + 0.005 ETH community (nothing remained)`,
    );
    const job = await client.getJob(m);
    expect([job.status, job.released, job.amount]).to.deep.equal([
      Status.Released,
      parseEther("2"),
      parseEther("1"),
    ]);
  });

  it("escrow:finalize: listed ids or --all-open, one batch, keeper tips to the caller", async function () {
    expect(await fails("escrow:finalize", {})).to.equal(
      "error: give job ids (escrow:finalize 3 7 9) or --all-open, not both",
    );
    expect(await fails("escrow:finalize", { jobIds: ["1"], allOpen: true })).to.equal(
      "error: give job ids (escrow:finalize 3 7 9) or --all-open, not both",
    );
    expect(await fails("escrow:finalize", { jobIds: ["x"] })).to.equal(
      "error: job id x is not a number",
    );
    const open = idOf(
      await ok("escrow:create", { amount: "1", tip: "0.01", deadline: "11m", spec: "a" }),
    );
    const delivered = idOf(
      await ok("escrow:create", {
        amount: "1",
        tip: "0.02",
        provider: "5",
        review: "1h",
        spec: "b",
      }),
    );
    await ok("escrow:accept", { jobId: delivered, from: "5" });
    await ok("escrow:submit", { jobId: delivered, from: "5", result: "r" });
    expect(await ok("escrow:finalize", { allOpen: true, from: "9" })).to.equal(
      "nothing to finalise: no job has an open permissionless exit",
    );
    await time.increase(3601);
    const batch = await ok("escrow:finalize", { allOpen: true, from: "9" });
    expect(batch).to.include(`finalised 2 of 2 job(s): #${open} #${delivered}`);
    expect(batch).to.include(`keeper tip from job ${open}: 0.01 ETH to ${keeper.address}`);
    expect(batch).to.include(`keeper tip from job ${delivered}: 0.02 ETH to ${keeper.address}`);
    const again = await ok("escrow:finalize", { jobIds: [String(open), "999"], from: "9" });
    expect(again).to.include("finalised 0 of 2 job(s): none");
    expect(again).to.include(`skipped (not finalisable now): #${open} #999`);
  });

  it("an ERC-20 job with a stale allowance on a USDT-like token (reset to 0 first)", async function () {
    const usdt = await ethers.deployContract("MockUSDT");
    await usdt.mint(requester.address, 100_000_000n);
    await usdt.connect(requester).approve(address, 10_000_000n);
    const out = await ok("escrow:create", {
      amount: "12",
      token: await usdt.getAddress(),
      spec: "usdt job",
    });
    expect(out).to.match(/job \d+ created: 12\.0 USDT escrowed/);
    expect(await usdt.allowance(requester.address, address)).to.equal(0n);
  });

  it("escrow:admin: status, set-arbitrator with its period (checked), arbitrator, help", async function () {
    const status = await ok("escrow:admin", { action: "status" });
    expect(status).to.match(/fees \(bps\)\s+platform 100, community 50, arbitration 200/);
    expect(status).to.match(/forwarder\s+0x[0-9a-fA-F]{40} \(ERC-2771\)/);
    expect(status).to.include("identity registry none (no agent-identity jobs)");
    expect(
      await ok("escrow:admin", {
        action: "set-arbitrator",
        values: [other.address, "true"],
        period: "14d",
      }),
    ).to.include(`arbitrator ${other.address} registered, arbitration period 2w (new jobs only)`);
    expect(await client.arbitratorInfo(other.address)).to.deep.equal({
      registered: true,
      arbitrationPeriod: 14n * 86_400n,
    });
    expect(await ok("escrow:admin", { action: "arbitrator", values: [other.address] })).to.equal(
      `${other.address}: registered, arbitration period 2w`,
    );
    expect(
      await fails("escrow:admin", {
        action: "set-arbitrator",
        values: [other.address, "true"],
        period: "91d",
      }),
    ).to.equal("error: --period 91d must be from 1d to 90d");
    expect(await fails("escrow:admin", { action: "pause", period: "1d" })).to.equal(
      "error: --period only applies to set-arbitrator",
    );
    expect(await fails("escrow:admin", { action: "pause", from: "7" })).to.match(
      /^error: 0x[0-9a-fA-F]{40} is not the admin of this escrow \(the admin is 0x[0-9a-fA-F]{40}\): pass --from with the admin's account$/,
    );
    expect(await ok("escrow:admin", { action: "help" })).to.match(/^usage: escrow:admin <action>/);
    // A job naming the new arbitrator snapshots its 14-day period.
    const id = idOf(
      await ok("escrow:create", { amount: "1", arbitrator: other.address, spec: "x" }),
    );
    expect((await client.getJob(id)).arbitrationPeriod).to.equal(14n * 86_400n);
    expect(await ok("escrow:show", { jobId: id })).to.match(
      new RegExp(`arbitrator\\s+${other.address} \\(rules within 2w of a dispute\\)`),
    );
    expect(await ok("escrow:withdraw", { from: "1" })).to.match(/^withdrew 0\.\d+ ETH to 0x7099/);
    expect(await client.withdrawable(NATIVE, treasury.address)).to.equal(0n);
  });
});
