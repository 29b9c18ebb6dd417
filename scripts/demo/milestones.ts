/** A job paid in three milestones: two partial releases, then the final release. */
import { hashContent } from "../../sdk/index.js";
import type { DemoContext } from "./context.js";

export async function demoMilestones(ctx: DemoContext) {
  const { as, step, log, money } = ctx;
  const { requester, provider } = ctx.signers;
  const third = ctx.ethers.parseEther("1");
  const id = await ctx.createJob("three milestones of 1 ETH", {
    amount: 3n * third,
    deadline: BigInt(await ctx.networkHelpers.time.latest()) + 7n * 86_400n,
  });
  await step("provider accepts", as(provider).accept(id), id);
  money(
    await step(
      "milestone 1 delivered: requester releases 1 ETH",
      as(requester).releasePartial(id, third),
      id,
    ),
  );
  money(
    await step(
      "milestone 2 delivered: requester releases 1 ETH",
      as(requester).releasePartial(id, third),
      id,
    ),
  );
  await step(
    "provider submits the final result",
    as(provider).submit(id, hashContent("final")),
    id,
  );
  money(await step("requester releases the rest", as(requester).release(id), id));
  const job = await ctx.client.getJob(id);
  log(
    `  released in parts: ${ctx.eth(job.released)}, in the final release: ${ctx.eth(job.amount)}`,
  );
  log();
}
