/** A bonded job whose provider never shows up: the bond is slashed to the requester. */
import type { DemoContext } from "./context.js";

export async function demoBondSlashed(ctx: DemoContext) {
  const { as, step, log, money, eth } = ctx;
  const { gpuProvider, keeper } = ctx.signers;
  const bond = ctx.ethers.parseEther("0.25");
  const id = await ctx.createJob("bonded job, provider no-show: the bond goes to the requester", {
    provider: gpuProvider.address,
    providerBond: bond,
    keeperTip: ctx.ethers.parseEther("0.005"),
  });
  await step(`provider accepts, posting a ${eth(bond)} bond`, as(gpuProvider).accept(id), id);
  await ctx.networkHelpers.time.increaseTo((await ctx.client.getJob(id)).deadline + 1n);
  log("  … the deadline passes: nothing submitted");
  money(await step("a keeper bot refunds (earns the tip)", as(keeper).refund(id), id));
  log();
}
