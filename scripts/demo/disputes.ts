/** A frivolous dispute: the requester disputes good work and loses its deposit to the provider. */
import { hashContent } from "../../sdk/index.js";
import type { DemoContext } from "./context.js";

export async function demoFrivolousDispute(ctx: DemoContext) {
  const { as, step, log, money, eth } = ctx;
  const { requester, provider, arbitrator } = ctx.signers;
  const id = await ctx.createJob("frivolous dispute: rejected, the deposit goes to the provider");
  await step("provider accepts", as(provider).accept(id), id);
  await step("provider submits", as(provider).submit(id, hashContent("good work")), id);
  const raised = await step(
    "requester disputes to delay payment, depositing 2%",
    as(requester).dispute(id, "not sure yet"),
    id,
  );
  log(`    deposit ${eth(raised.events[0].args.deposit)} = arbitration fee on the disputed amount`);
  money(
    await step("arbitrator rules 100% for the provider", as(arbitrator).resolve(id, 10_000), id),
  );
  log(
    "  the provider is paid in full and also receives the forfeited deposit, which covers the arbitration fee",
  );
  log();
}
