/** Fee credits, withdrawn by their holders, and a community round back to the providers. */
import { NATIVE } from "../../sdk/index.js";
import { allotProRata, proofFor, releasedPayments, toRoundFile } from "../../tasks/rounds.js";
import { HOUR, type DemoContext } from "./context.js";

export async function demoCommunityRound(ctx: DemoContext, challengeDelay: bigint) {
  const { log, eth, name, as, fund, address, ethers } = ctx;
  const { treasury, arbitrator, keeper, admin, provider, gpuProvider } = ctx.signers;
  const time = ctx.networkHelpers.time;
  const fundAddress = await fund.getAddress();

  ctx.section("Fee credits (never pushed; withdrawn by their holders)");
  for (const who of [treasury, arbitrator]) {
    const credit = await ctx.client.withdrawable(NATIVE, who.address);
    log(`  ${name(who.address).padEnd(15)} ${eth(credit)}`);
    if (credit > 0n) await as(who).withdraw(NATIVE);
  }
  const communityCredit = await ctx.client.withdrawable(NATIVE, fundAddress);
  log(
    `  ${"community fund".padEnd(15)} ${eth(communityCredit)} → collected by the fund (anyone may call collect)`,
  );
  await fund.connect(keeper).collect(address, NATIVE);
  log(
    `  after withdrawals the escrow holds ${eth(await ethers.provider.getBalance(address))} (every job settled, no dust)`,
  );
  log();

  ctx.section(
    "Community round: the fund returns the community fee to providers, pro rata to their released payments",
  );
  const pool = (await fund.tokenState(NATIVE)).pool;
  const until = BigInt(await time.latest()) + 1n;
  const weights = await releasedPayments(ctx.core, ethers.provider, NATIVE, { since: 0n, until });
  const round = toRoundFile(
    {
      method: "pro-rata",
      chainId: "31337",
      fund: fundAddress,
      escrow: address,
      token: NATIVE,
      since: "0",
      until: until.toString(),
      requested: pool.toString(),
    },
    allotProRata(weights, pool),
  );
  for (const [who, weight] of weights)
    log(`  ${name(who).padEnd(15)} released payments ${eth(weight)}`);
  log(
    `  pool ${eth(pool)} → round total ${eth(BigInt(round.total))}, remainder ${round.remainder} wei stays in the pool`,
  );
  log(`  root ${round.root} (anyone can rebuild it: npx hardhat fund:build-round)`);
  await fund
    .connect(admin)
    .postRound(NATIVE, round.root, BigInt(round.total), until, "ipfs://demo-round-1");
  log(`  admin posts round 1; claims open after the ${challengeDelay / HOUR}-hour challenge delay`);
  await time.increase(challengeDelay);
  for (const who of [provider, gpuProvider]) {
    const entry = proofFor(round, who.address);
    if (!entry) continue;
    await fund.connect(who).claim(1n, who.address, entry.amount, entry.proof);
    log(`  ${name(who.address).padEnd(15)} claims ${eth(entry.amount)} with its Merkle proof`);
  }
  const state = await fund.tokenState(NATIVE);
  log(
    `  fund: received ${eth(state.totalReceived)} = claimed ${eth(state.totalClaimed)} + undistributed ${eth(state.pool)} + in rounds ${eth(state.reserved)}`,
  );
  log();
}
