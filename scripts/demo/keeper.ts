/** A keeper bot: finds every job whose permissionless exit is open and finalises them in one batch. */
import { hashContent } from "../../sdk/index.js";
import type { DemoContext } from "./context.js";

export async function demoKeeperBatch(ctx: DemoContext) {
  const { as, log, eth } = ctx;
  const { provider, requester, keeper } = ctx.signers;
  const tip = ctx.ethers.parseEther("0.002");
  ctx.section("Keeper bot: three jobs reach their permissionless exits");
  const silent = await as(requester).createJob({
    amount: ctx.ethers.parseEther("0.5"),
    deadline: BigInt(await ctx.networkHelpers.time.latest()) + 86_400n,
    reviewPeriod: 3600n,
    jobHash: hashContent("keeper: silence"),
    arbitrator: ctx.signers.arbitrator.address,
    provider: provider.address,
    keeperTip: tip,
  });
  const noShow = await as(requester).createJob({
    amount: ctx.ethers.parseEther("0.5"),
    deadline: BigInt(await ctx.networkHelpers.time.latest()) + 3600n,
    jobHash: hashContent("keeper: nobody came"),
    arbitrator: ctx.signers.arbitrator.address,
    keeperTip: tip,
  });
  const stale = await as(requester).createJob({
    amount: ctx.ethers.parseEther("0.5"),
    deadline: BigInt(await ctx.networkHelpers.time.latest()) + 86_400n,
    reviewPeriod: 3600n,
    jobHash: hashContent("keeper: stale"),
    arbitrator: ctx.signers.arbitrator.address,
    provider: provider.address,
    keeperTip: tip,
  });
  ctx.jobs.push(silent.jobId, noShow.jobId, stale.jobId);
  for (const id of [silent.jobId, stale.jobId]) {
    await as(provider).accept(id);
    await as(provider).submit(id, hashContent(`result ${id}`));
  }
  await as(requester).dispute(stale.jobId, "late");
  log(
    `  job ${silent.jobId}: submitted, review window 1h · job ${noShow.jobId}: open, deadline in 1h · job ${stale.jobId}: disputed`,
  );
  log(`  each carries a keeper tip of ${eth(tip)}`);
  await ctx.networkHelpers.time.increase(8n * 86_400n);
  log("  … 8 days pass: the review window, the deadline and the arbitration period are all over");
  const due = await as(keeper).finalizable();
  log(
    `  the bot reads the escrow's events: finalisable now ${due.map((id) => `#${id}`).join(" ")}`,
  );
  const r = await as(keeper).finalize(due);
  const earned = [...r.tips.values()].reduce((a, b) => a + b, 0n);
  log(
    `  finalize([${due.join(", ")}]) in one transaction (${r.receipt.gasUsed} gas): ${r.finalized.length} jobs ended, ` +
      `the bot earned ${eth(earned)} in tips`,
  );
  for (const id of r.finalized) log(`    job ${id} → ${await ctx.status(id)}`);
  log();
}
