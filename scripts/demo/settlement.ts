/** A mutual cancellation: an accepted job ended by agreement at 0 bps, before any delivery. */
import type { DemoContext } from "./context.js";

export async function demoMutualCancellation(ctx: DemoContext) {
  const { as, step, log, money } = ctx;
  const { requester, provider } = ctx.signers;
  const id = await ctx.createJob("accepted, then cancelled by agreement (0 bps)", {
    providerBond: ctx.ethers.parseEther("0.1"),
  });
  await step("provider accepts, posting its 0.1 ETH bond", as(provider).accept(id), id);
  await step("requester offers 0 bps: call it off", as(requester).propose(id, 0), id);
  money(
    await step("provider agrees (no fee of any kind)", as(provider).acceptSettlement(id, 0), id),
  );
  log();
}
