/** The v1 tour on v2: every basic path of a job, one job each. */
import { EscrowError, NATIVE, hashContent } from "../../sdk/index.js";
import type { DemoContext } from "./context.js";

export async function demoTour(ctx: DemoContext) {
  const { as, step, log, money, eth, createJob } = ctx;
  const { requester, provider, gpuProvider, approverA, approverB, approverC, keeper, arbitrator } =
    ctx.signers;
  const time = ctx.networkHelpers.time;

  // Happy path: the requester releases.
  {
    const id = await createJob("compute job, released by the requester");
    await step("provider accepts", as(provider).accept(id), id);
    await step("provider submits the result hash", as(provider).submit(id, hashContent("r1")), id);
    money(await step("requester releases", as(requester).release(id), id));
    log();
    // Bad input loses nothing: a second release reverts with a custom error, decoded in words.
    try {
      await as(keeper).release(id);
    } catch (err) {
      log(`## A keeper tries to release job ${id} again`);
      log(`  reverted: ${(err as EscrowError).message}`);
      log();
    }
  }

  // Silence accepts: anyone releases once the review window has passed.
  {
    const id = await createJob("storage job, auto-released after the review window", {
      jobType: 1,
      provider: gpuProvider.address,
    });
    await step("provider accepts", as(gpuProvider).accept(id), id);
    await step("provider submits", as(gpuProvider).submit(id, hashContent("r2")), id);
    const job = await ctx.client.getJob(id);
    await time.increaseTo(job.submittedAt + job.reviewPeriod);
    log("  … 2 days of silence pass (review window over)");
    money(await step("a keeper bot releases (permissionless)", as(keeper).release(id), id));
    log();
  }

  // Multiparty: 2 of 3 approvers release.
  {
    const id = await createJob("AI-agent task, 2-of-3 approvers", {
      jobType: 2,
      approvers: [approverA.address, approverB.address, approverC.address],
      threshold: 2,
    });
    await step("provider accepts", as(provider).accept(id), id);
    await step("provider submits", as(provider).submit(id, hashContent("r3")), id);
    await step("approver A approves (1 of 2)", as(approverA).approve(id), id);
    money(await step("approver C approves (2 of 2) → releases", as(approverC).approve(id), id));
    log();
  }

  // Cancel before anyone accepted.
  {
    const id = await createJob("open job nobody took, cancelled", { provider: NATIVE });
    await step("requester cancels (full refund, no fee)", as(requester).cancel(id), id);
    log();
  }

  // Refund after the deadline.
  {
    const id = await createJob("accepted but never delivered, refunded after the deadline");
    await step("provider accepts", as(provider).accept(id), id);
    await time.increaseTo((await ctx.client.getJob(id)).deadline + 1n);
    log("  … the deadline passes with no submission");
    money(
      await step("a keeper bot refunds the requester (permissionless)", as(keeper).refund(id), id),
    );
    log();
  }

  // Dispute over delivered work, resolved by the arbitrator.
  {
    const id = await createJob("delivered, disputed, resolved by the arbitrator 70/30");
    await step("provider accepts", as(provider).accept(id), id);
    await step("provider submits", as(provider).submit(id, hashContent("r6")), id);
    const raised = await step(
      "requester disputes (2% deposit): 'rows missing'",
      as(requester).dispute(id, "half the rows are missing"),
      id,
    );
    log(`    deposit ${eth(raised.events[0].args.deposit)} held until the ruling`);
    await step("provider posts evidence", as(provider).evidence(id, "ipfs://bafy-logs"), id);
    money(await step("arbitrator rules: provider gets 70%", as(arbitrator).resolve(id, 7000), id));
    log();
  }

  // Settled by agreement inside a dispute: no arbitration fee, the deposit comes back.
  {
    const id = await createJob("disputed, settled by agreement 60/40");
    await step("provider accepts", as(provider).accept(id), id);
    await step("provider submits", as(provider).submit(id, hashContent("r7")), id);
    await step(
      "requester disputes: 'spec changed mid-job'",
      as(requester).dispute(id, "spec changed"),
      id,
    );
    await step("requester proposes 60% to the provider", as(requester).propose(id, 6000), id);
    money(
      await step(
        "provider accepts the offer (no arbitration fee)",
        as(provider).acceptSettlement(id, 6000),
        id,
      ),
    );
    log();
  }

  // Stale dispute: the arbitrator stays silent for its whole period.
  {
    const id = await createJob("disputed, arbitrator silent, settled as stale 50/50");
    await step("provider accepts", as(provider).accept(id), id);
    await step("provider submits", as(provider).submit(id, hashContent("r8")), id);
    await step("requester disputes", as(requester).dispute(id, "wrong format"), id);
    const job = await ctx.client.getJob(id);
    await time.increaseTo(job.disputedAt + job.arbitrationPeriod);
    log(
      `  … ${job.arbitrationPeriod / 86_400n} days (this arbitrator's period) pass without a ruling`,
    );
    money(
      await step("a keeper bot settles 50/50 (permissionless)", as(keeper).settleStale(id), id),
    );
    log();
  }
}
