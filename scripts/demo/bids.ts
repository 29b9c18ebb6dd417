/**
 * Demo chapter: a bid market and gasless delivery. A requester posts an open job with a maximum price;
 * three providers sign bids off-chain (one of them is a brand-new wallet holding no native coin at all);
 * the requester ranks them, awards the cheapest and gets the difference back at once; the winner
 * delivers through a relayer who pays its gas, and is paid. Uses only the SDK (bids.ts, relay.ts).
 * The lead wires it into scripts/demo.ts: `await demoBids({ ethers, escrow, forwarder, ... })`.
 */
import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";
import type { Signer } from "ethers";
import type { IWorkEscrow, WorkEscrowForwarder } from "../../typechain-types/index.js";
import {
  NATIVE,
  awardBid,
  hashContent,
  rankBids,
  relay,
  signBid,
  signRequest,
  NO_OPTIONS,
  verifyBid,
} from "../../sdk/index.js";

export interface DemoBidsContext {
  ethers: HardhatEthers;
  /** the escrow, typed with its whole surface */
  escrow: IWorkEscrow;
  /** the deployment's ERC-2771 forwarder (`escrow.trustedForwarder()`) */
  forwarder: WorkEscrowForwarder;
  requester: Signer;
  /** two providers with gas; the third bidder is a fresh wallet the demo creates, with none */
  bidders: [Signer, Signer];
  /** pays the gasless provider's gas */
  relayer: Signer;
  /** a registered arbitrator */
  arbitrator: string;
  /** printing (default console.log) */
  log?: (line: string) => void;
  /** display names of addresses, extended with the demo's own wallet */
  names?: Map<string, string>;
}

/** Runs the chapter; returns the job, the winner and what came back to the requester. */
export async function demoBids(ctx: DemoBidsContext) {
  const { ethers, escrow, forwarder, requester, relayer } = ctx;
  const log = ctx.log ?? ((s: string) => console.log(s));
  const names = ctx.names ?? new Map<string, string>();
  const eth = (wei: bigint) => `${ethers.formatEther(wei)} ETH`;
  const who = (a: string) => names.get(a) ?? `${a.slice(0, 8)}…`;
  const now = async () => BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
  const escrowAddress = await escrow.getAddress();

  log("");
  log("Bids: the cheapest signed offer wins, the difference comes back");
  log("--------------------------------------------------------------");
  const gasless = ethers.Wallet.createRandom().connect(ethers.provider);
  names.set(gasless.address, "new provider (no ETH)");
  const [b1, b2] = ctx.bidders;
  for (const [s, n] of [
    [b1, "provider A"],
    [b2, "provider B"],
  ] as const) {
    const a = await s.getAddress();
    if (!names.has(a)) names.set(a, n);
  }

  const maximum = ethers.parseEther("1");
  const terms = {
    provider: NATIVE, // open: given by awardBid
    token: NATIVE,
    amount: maximum, // the maximum price
    deadline: (await now()) + 2n * 86_400n,
    reviewPeriod: 86_400,
    jobType: 2, // agent task
    jobHash: hashContent("summarise 10,000 support tickets into a weekly report"),
    arbitrator: ctx.arbitrator,
    approvers: [],
    threshold: 0,
  };
  const options = { ...NO_OPTIONS, bidsOnly: true };
  await (
    await escrow.connect(requester).createJobWithOptions(terms, options, { value: maximum })
  ).wait();
  const jobId = await escrow.jobCount();
  log(`requester posts job ${jobId}, bids only, paying at most ${eth(maximum)} (locked now)`);

  const expiry = (await now()) + 3_600n;
  const offers: [Signer, bigint][] = [
    [b1, ethers.parseEther("0.8")],
    [gasless, ethers.parseEther("0.55")],
    [b2, ethers.parseEther("0.7")],
  ];
  const signed = [];
  for (const [bidder, price] of offers) {
    const bid = await signBid(escrow, bidder, { jobId, price, expiry });
    log(`  ${who(bid.bid.provider)} signs a bid of ${eth(price)} (off-chain, no gas)`);
    signed.push({ signed: bid, check: await verifyBid(escrow, bid) });
  }
  const ranked = rankBids(signed);
  const best = ranked[0].signed;
  const before = await ethers.provider.getBalance(requester);
  const award = await awardBid(escrow.connect(requester), best);
  const gasCost = award.receipt.gasUsed * award.receipt.gasPrice;
  const back = (await ethers.provider.getBalance(requester)) + gasCost - before;
  log(
    `requester awards the cheapest, ${who(award.provider)} at ${eth(award.price)}: ` +
      `${eth(award.refunded)} comes straight back (balance +${eth(back)} before gas)`,
  );

  log("");
  log("Gasless delivery: the winner has no ETH; a relayer sends its signed requests");
  const provider = award.provider;
  const send = async (label: string, data: string) => {
    const request = await signRequest(forwarder, gasless, { to: escrowAddress, data });
    const { receipt, events } = await relay(forwarder.connect(relayer), request);
    log(
      `  ${who(provider)} signs ${label}; ${who(await relayer.getAddress())} relays it ` +
        `(gas ${receipt.gasUsed}) → ${events.map((e) => e.name).join(", ")}`,
    );
  };
  await send(
    "submitWork",
    escrow.interface.encodeFunctionData("submitWork", [jobId, hashContent("weekly-report.pdf")]),
  );
  await (await escrow.connect(requester).release(jobId)).wait();
  const paid = await ethers.provider.getBalance(provider);
  log(
    `requester releases: ${who(provider)} now holds ${eth(paid)} (the price minus fees), ` +
      `having never paid for gas`,
  );
  return { jobId, winner: provider, refunded: award.refunded, paid };
}
