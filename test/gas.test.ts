import { readFileSync } from "node:fs";
import { expect } from "chai";
import { network } from "hardhat";
import { BUDGETS, measureGas, toSnapshot } from "../scripts/gas-scenarios.js";
import { escrowFixtures } from "./helpers/escrow.js";

const { ethers, networkHelpers } = await network.create();
const fx = escrowFixtures({ ethers, networkHelpers });

/**
 * Flows whose budget is known to be out of reach, with the reason (see gas/report.md):
 * - create → cancel (issue 5): create alone is 21,000 + 4 new slots × 22,100 = 109,400 before calldata,
 *   events and checks, because getJob must return every field; ≤ 154,000 would need ≤ 3 slots.
 * - create → accept → submit → release: v1 was already 272,158 against 273,000; v2 stays within 1% of v1
 *   (the test below) but not under the budget.
 */
const KNOWN_OVER_BUDGET = new Set([
  "native: create → cancel",
  "native: create → accept → submit → release",
]);

/** The v1 snapshot (gas/v1-baseline.json): a job that uses no v2 option costs at most 1% more. */
const V1_BASELINE: Record<string, number> = JSON.parse(
  readFileSync("gas/v1-baseline.json", "utf8"),
);
/** v1 rows that are not a flow without options: bytecode sizes, and the disputed flows, which pay issue
 * 10's dispute deposit by rule. */
const NOT_COMPARED_WITH_V1 = (name: string) =>
  name.includes("bytecode") || name.includes("dispute");

/** Runtime bytecode budget of every contract (10% under EIP-170's 24,576). */
const SIZE_BUDGET = 22_000;

describe("gas", function () {
  // Coverage instruments the bytecode, so gas figures are meaningless there (npm run coverage sets this).
  before(function () {
    if (process.env.WORKESCROW_COVERAGE) this.skip();
  });

  it("stays within 1% of the committed snapshot (gas/snapshot.json) and within budget", async function () {
    const committed: Record<string, number> = JSON.parse(readFileSync("gas/snapshot.json", "utf8"));
    const report = await measureGas(ethers, networkHelpers);
    const current = toSnapshot(report);
    for (const [name, total] of Object.entries(current)) {
      expect(committed[name], `no committed figure for "${name}": run npm run gas`).to.not.equal(
        undefined,
      );
      expect(total, `${name} grew more than 1% over the committed snapshot`).to.be.lte(
        Math.floor(committed[name] * 1.01),
      );
    }
    // Pay for what you use (issue 11): every v1 flow without options within +1% of v1.
    const compared = Object.keys(V1_BASELINE).filter(
      (name) => name in current && !NOT_COMPARED_WITH_V1(name),
    );
    expect(compared.length, "v1 flows still measured").to.be.gte(9);
    for (const name of compared)
      expect(current[name], `${name}: more than 1% over v1 (${V1_BASELINE[name]})`).to.be.lte(
        Math.floor(V1_BASELINE[name] * 1.01),
      );
    for (const [name, [, budget]] of Object.entries(BUDGETS)) {
      if (KNOWN_OVER_BUDGET.has(name)) continue;
      expect(current[name], `${name} exceeds its budget`).to.be.lte(budget);
    }
    expect(report.runtimeBytes, "WorkEscrow runtime bytes").to.be.lte(SIZE_BUDGET);
    expect(report.extensionRuntimeBytes, "WorkEscrowExtension runtime bytes").to.be.lte(
      SIZE_BUDGET,
    );
    expect(report.fundRuntimeBytes, "CommunityFund runtime bytes").to.be.lte(SIZE_BUDGET);
    for (const [name, size] of Object.entries(report.otherRuntimeBytes))
      expect(size, `${name} runtime bytes`).to.be.lte(SIZE_BUDGET);
    // A batch is cheaper per job than one call each (the 21,000 base and the cold escrow are shared).
    expect(current["keeper: finalize a batch of 20 (per job)"]).to.be.lessThan(
      current["keeper: 20 refunds one by one (per job)"],
    );
    // One approval costs the same (±2%) whatever the number of approvers.
    const approvals = report.flows.find((f) => f.name.startsWith("approvals:"))!.steps;
    const paying = approvals.filter(([op]) => op.includes("paying")).map(([, g]) => g);
    for (const g of paying)
      expect(g, "paying approval vs 1-approver job").to.be.closeTo(
        paying[0],
        Math.ceil(paying[0] * 0.02),
      );
  });

  it("no operation grows with the number of jobs or a user's history (job #2 vs job #500)", async function () {
    const f = await networkHelpers.loadFixture(fx.deployEscrow);
    const measure = async () => {
      const job = await fx.createJob(f);
      const c = (await job.tx.wait())!.gasUsed;
      const a = (await (await f.escrow.connect(f.provider).acceptJob(job.id)).wait())!.gasUsed;
      const s = (await (
        await f.escrow.connect(f.provider).submitWork(job.id, ethers.id("r"))
      ).wait())!.gasUsed;
      const r = (await (await f.escrow.connect(f.requester).release(job.id)).wait())!.gasUsed;
      return [job.id, c, a, s, r];
    };
    await measure(); // job #1 writes the counter and the fee accrual slot for the first time
    const early = await measure();
    for (let i = 0; i < 497; i++) await fx.createJob(f, { provider: ethers.ZeroAddress });
    const late = await measure();
    expect(early[0]).to.equal(2n);
    expect(late[0]).to.equal(500n);
    // identical but for calldata bytes of the id (a few gas)
    for (let i = 1; i < 5; i++) expect(Number(late[i])).to.be.closeTo(Number(early[i]), 100);
  });
});
