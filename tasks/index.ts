/**
 * The `escrow:*` Hardhat tasks. Each is declared here with its arguments; its action (lazily loaded,
 * as Hardhat's own plugins do) lives in ./actions.ts and drives the SDK's EscrowClient.
 *
 * Every task takes --from (account index or address, default 0) and --escrow (default: the
 * network's Ignition deployment, or WORKESCROW_ADDRESS). See README "CLI" for examples.
 */
import { ArgumentType } from "hardhat/types/arguments";
import { task } from "hardhat/config";
import type { NewTaskActionFunction } from "hardhat/types/tasks";
import type * as Actions from "./actions.js";
import type * as FundActions from "./fund.js";
import type * as LocalActions from "./local.js";
import { bidTasks } from "./bids.js";
import { verifyTasks } from "./verify.js";

type ActionName = keyof typeof Actions;
/** Lazy action: ./actions.ts (and the SDK, ethers) load only when an escrow task runs. */
const action = (name: ActionName) => async () => ({
  // Each action declares its own argument type; the builder's inferred one is structurally the same.
  default: (await import("./actions.js"))[name] as NewTaskActionFunction<any>,
});

/** `escrow:<verb>` with the options every task has. */
function escrowTask(verb: string, description: string) {
  return task(`escrow:${verb}`, description)
    .addOption({
      name: "from",
      description:
        "account index, address, or keystore:NAME (a key in the keystore or environment) to act as (default: 0)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "escrow",
      description: "escrow address (default: this network's deployment)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    });
}

/** `escrow:<verb> <jobId>`. */
function jobTask(verb: string, description: string) {
  return escrowTask(verb, description).addPositionalArgument({
    name: "jobId",
    description: "the job id",
    type: ArgumentType.BIGINT,
  });
}

const localAction = (name: keyof typeof LocalActions) => async () => ({
  default: (await import("./local.js"))[name] as NewTaskActionFunction<any>,
});

const fundAction = (name: keyof typeof FundActions) => async () => ({
  default: (await import("./fund.js"))[name] as NewTaskActionFunction<any>,
});

/** `fund:<verb>` with the options every fund task has. */
function fundTask(verb: string, description: string) {
  return task(`fund:${verb}`, description)
    .addOption({
      name: "from",
      description:
        "account index, address, or keystore:NAME (a key in the keystore or environment) to act as (default: 0)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "fund",
      description: "CommunityFund address (default: this network's deployment)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    });
}

const tokenOption = {
  name: "token",
  description: "ERC-20 address or native (default: native)",
  type: ArgumentType.STRING_WITHOUT_DEFAULT,
  defaultValue: undefined,
};
const roundId = { name: "roundId", description: "the round id", type: ArgumentType.BIGINT };

export const fundTasks = [
  fundTask(
    "status",
    "Balances, threshold, next eligible round, and every round with claimed/unclaimed",
  )
    .addOption(tokenOption)
    .setAction(fundAction("status"))
    .build(),
  fundTask("collect", "Pull the fund's community-fee credit out of the escrow (anyone)")
    .addOption(tokenOption)
    .addOption({
      name: "escrow",
      description: "escrow address (default: this network's deployment)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .setAction(fundAction("collect"))
    .build(),
  fundTask(
    "build-round",
    "Build a round's Merkle tree (pro rata to released payments, or --manual) and write it to a file",
  )
    .addOption(tokenOption)
    .addOption({
      name: "since",
      description: "range start (ISO date or unix seconds; default: the last round)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "until",
      description: "range end, exclusive (default: now)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "total",
      description: "amount to distribute in whole tokens (default: everything undistributed)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "manual",
      description: "a JSON or CSV list of account,amount (base units) instead of pro rata",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "out",
      description: "tree file (default: deploy/rounds/chain-<id>/<symbol>-<until>.json)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "escrow",
      description: "escrow address (default: this network's deployment)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .setAction(fundAction("buildRound"))
    .build(),
  fundTask("post-round", "Post a round from a tree file (admin)")
    .addOption({
      name: "tree",
      description: "tree file written by fund:build-round",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "uri",
      description: "where the tree is published (default: the file path)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .setAction(fundAction("postRound"))
    .build(),
  fundTask("claim", "Claim an entry of a round; the proof is found in the tree file")
    .addOption({
      name: "tree",
      description: "tree file of the round",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "round",
      description: "round id (default: the newest round with the file's root)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "account",
      description: "whose entry (default: --from); the money goes to that account",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "to",
      description: "pay your own entry to this address or account index instead (claimTo)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .setAction(fundAction("claim"))
    .build(),
  fundTask("cancel-round", "Cancel a round during its challenge delay (admin or guardian)")
    .addPositionalArgument(roundId)
    .setAction(fundAction("cancelRound"))
    .build(),
  fundTask(
    "expire-round",
    "Return a round's unclaimed rest to the pool after its claim period (anyone)",
  )
    .addPositionalArgument(roundId)
    .setAction(fundAction("expireRound"))
    .build(),
  fundTask(
    "set-threshold",
    "Set the pool a token needs before a round (admin; in force at once, 0 disables)",
  )
    .addOption(tokenOption)
    .addOption({
      name: "amount",
      description: "threshold in whole tokens, e.g. 0.5 (0 disables rounds of the token)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .setAction(fundAction("setThreshold"))
    .build(),
  fundTask(
    "set-schedule",
    "Propose a round schedule (admin); it can be applied after the current challenge delay",
  )
    .addOption({
      name: "interval",
      description: "time between rounds of a token, 1d..365d (default: unchanged)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "delay",
      description: "challenge delay from posting to claims, 1h..30d (default: unchanged)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "claimPeriod",
      description: "how long claims stay open, 7d..365d (default: unchanged)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .setAction(fundAction("setSchedule"))
    .build(),
  fundTask(
    "set-guardian",
    "Propose a guardian (admin); it can be applied after the current challenge delay",
  )
    .addPositionalArgument({
      name: "guardian",
      description: "address, account index, or none (only the admin can cancel)",
      defaultValue: "",
    })
    .setAction(fundAction("setGuardian"))
    .build(),
  fundTask(
    "apply-changes",
    "Put in force the proposed guardian and schedule whose challenge delay is over (anyone)",
  )
    .setAction(fundAction("applyChanges"))
    .build(),
];

const bps = {
  name: "bps",
  description: "the provider's share in basis points (0..10000)",
  type: ArgumentType.STRING_WITHOUT_DEFAULT,
  defaultValue: undefined,
};

export const escrowTasks = [
  task(
    "escrow:deploy",
    "Deploy WorkEscrow (forwarder, extension, core) and its CommunityFund with Ignition, using deploy/parameters/<network>.json",
  )
    .addOption({
      name: "parameters",
      description: "parameters file (default: deploy/parameters/<network>.json)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "deploymentId",
      description: "Ignition deployment id (default: chain-<chainId>)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addFlag({
      name: "reset",
      description: "wipe this deployment's journal first (after restarting a local node)",
    })
    .setAction(action("deploy"))
    .build(),

  escrowTask("create", "Create and fund a job (checked first; ERC-20 approval is done for you)")
    .addOption({
      name: "amount",
      description: "payment in whole tokens, e.g. 1.5 (a bids-only job: the maximum price)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "token",
      description: "ERC-20 address (default: native coin)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "provider",
      description: "provider address or account index (default: open job, anyone may accept)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "deadline",
      description: "24h, 7d, an ISO date or unix seconds (at least 10 minutes ahead)",
      defaultValue: "7d",
    })
    .addOption({
      name: "review",
      description: "review period after submission (1h..30d)",
      defaultValue: "3d",
    })
    .addOption({
      name: "type",
      description: "compute, storage or agent",
      defaultValue: "compute",
    })
    .addOption({
      name: "spec",
      description: "job specification text (hashed)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "specFile",
      description: "job specification file (hashed)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "arbitrator",
      description: "registered arbitrator (default: the first in the deploy parameters)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "approvers",
      description: "comma-separated approver addresses",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "threshold",
      description: "approvals needed (default: all approvers)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "bond",
      description: "bond the provider posts on acceptance, in whole tokens (default: none)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "tip",
      description:
        "keeper tip paid on top of the amount to whoever finalises the job (default: none)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "verifier",
      description: "verifier address or account index: approves or rejects the work once",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "verifierFee",
      description: "the verifier's fee in basis points (0..1000)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addFlag({ name: "bidsOnly", description: "open job given only by awarding a signed bid" })
    .addOption({
      name: "agentId",
      description: "the provider must own this ERC-8004 agent identity",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .setAction(action("create"))
    .build(),
  jobTask(
    "accept",
    "Accept a job, posting its bond (designated provider, or anyone for an open job)",
  )
    .setAction(action("accept"))
    .build(),
  jobTask("submit", "Submit the hash of the result")
    .addOption({
      name: "result",
      description: "result text (hashed)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "resultFile",
      description: "result file (hashed)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .setAction(action("submit"))
    .build(),
  jobTask("approve", "Approve submitted work as an approver").setAction(action("approve")).build(),
  jobTask("verify", "Give the verifier's verdict on submitted work (once)")
    .addFlag({ name: "approve", description: "approve: the job is released at once" })
    .addFlag({
      name: "reject",
      description: "reject: refunded after the review window unless disputed",
    })
    .setAction(action("verify"))
    .build(),
  jobTask("release", "Pay the provider (requester any time; anyone after the review window)")
    .setAction(action("release"))
    .build(),
  jobTask("release-part", "Pay the provider part of the amount now (requester)")
    .addOption({
      name: "amount",
      description: "in whole tokens, e.g. 0.25",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .setAction(action("releasePart"))
    .build(),
  jobTask("refund-part", "Return part of the amount to the requester (provider)")
    .addOption({
      name: "amount",
      description: "in whole tokens, e.g. 0.25",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .setAction(action("refundPart"))
    .build(),
  jobTask(
    "refund",
    "Refund the requester: after the deadline when nothing was submitted, or after a rejecting verdict's review window",
  )
    .setAction(action("refund"))
    .build(),
  jobTask("cancel", "Cancel an open job and take the payment back")
    .setAction(action("cancel"))
    .build(),
  escrowTask(
    "finalize",
    "Apply every open permissionless exit to the listed jobs in one transaction",
  )
    .addVariadicArgument({ name: "jobIds", description: "job ids", defaultValue: [] })
    .addFlag({
      name: "allOpen",
      description: "find the finalisable jobs from the escrow's events instead",
    })
    .setAction(action("finalize"))
    .build(),
  jobTask("dispute", "Dispute submitted work within the review window, paying the deposit")
    .addOption({
      name: "reason",
      description: "why (stored in the event)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .setAction(action("dispute"))
    .build(),
  jobTask("evidence", "Publish evidence for a disputed job")
    .addOption({
      name: "uri",
      description: "where the evidence lives (ipfs://, https://)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .setAction(action("evidence"))
    .build(),
  jobTask("propose", "Offer a split (Accepted, Submitted or Disputed; 0 bps = mutual cancellation)")
    .addOption(bps)
    .setAction(action("propose"))
    .build(),
  jobTask("accept-settlement", "Accept the other party's offer (default: the standing offer)")
    .addOption(bps)
    .setAction(action("acceptSettlement"))
    .build(),
  jobTask("resolve", "Rule a split as the job's arbitrator")
    .addOption(bps)
    .setAction(action("resolve"))
    .build(),
  jobTask("settle-stale", "Split a dispute 50/50 once the job's arbitration period is over")
    .setAction(action("settleStale"))
    .build(),
  escrowTask("withdraw", "Withdraw your credit (fees, or a payout that could not be pushed)")
    .addOption({
      name: "token",
      description: "ERC-20 address (default: native coin)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "to",
      description: "recipient (default: you)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .setAction(action("withdraw"))
    .build(),
  jobTask("show", "Show a job in words, with what you can do next and when")
    .addOption({
      name: "as",
      description: "show next steps for this address or account index (default: --from)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .setAction(action("show"))
    .build(),
  escrowTask("list", "List the jobs of an address, from the HTTP API or rebuilt from events")
    .addOption({
      name: "account",
      description: "address or account index (default: --from)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "api",
      description:
        "URL of the WorkEscrow HTTP API (npm run api) to ask instead of scanning logs (default: WORKESCROW_API_URL, else logs)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .setAction(action("list"))
    .build(),
  escrowTask(
    "credits",
    "What an account can withdraw, per token (fees, payouts that could not be pushed)",
  )
    .addOption({
      name: "account",
      description: "address or account index (default: --from)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "token",
      description: "one ERC-20 address or native (default: every token the escrow has held)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .setAction(localAction("credits"))
    .build(),
  task(
    "escrow:time",
    "Show the chain's block time, or move a local node's clock forward (--advance 2d or --to <date>)",
  )
    .addOption({
      name: "advance",
      description: "move forward by a duration: 90m, 24h, 2d, 1w",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "to",
      description: "move forward to an ISO date or unix seconds",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .setAction(localAction("time"))
    .build(),
  escrowTask(
    "token",
    "Local nodes: deploy a test ERC-20 (escrow:token deploy) or mint one (escrow:token mint --token <address>)",
  )
    .addPositionalArgument({ name: "action", description: "deploy or mint" })
    .addOption({ name: "name", description: "deploy: the token's name", defaultValue: "Test USD" })
    .addOption({ name: "symbol", description: "deploy: the token's symbol", defaultValue: "TUSD" })
    .addOption({ name: "decimals", description: "deploy: decimals (0..36)", defaultValue: "6" })
    .addOption({
      name: "token",
      description: "mint: the token's address",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "to",
      description: "comma-separated addresses or account indexes (default: accounts 0 to 9)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "amount",
      description: "whole tokens minted to each account",
      defaultValue: "10000",
    })
    .setAction(localAction("token"))
    .build(),
  escrowTask(
    "admin",
    "Admin: status, set-fees, set-recipients, set-arbitrator, arbitrator, set-min, pause, unpause, transfer-admin, accept-admin",
  )
    .addPositionalArgument({
      name: "action",
      description:
        "status | set-fees <platform> <community> <arbitration> | set-recipients <treasury> <fund> | " +
        "set-arbitrator <address> <true|false> | arbitrator <address> | set-min <token|native> <amount> | " +
        "pause | unpause | transfer-admin <address> | accept-admin (escrow:admin help explains them)",
      defaultValue: "help",
    })
    .addVariadicArgument({ name: "values", description: "the action's values", defaultValue: [] })
    .addOption({
      name: "period",
      description: "set-arbitrator: its arbitration period (1d..90d; default 7d)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .setAction(action("admin"))
    .build(),
  ...bidTasks,
  ...verifyTasks,
];
