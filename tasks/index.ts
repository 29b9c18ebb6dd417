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
      description: "account index or address to act as (default 0)",
      defaultValue: "",
    })
    .addOption({
      name: "escrow",
      description: "escrow address (default: this network's deployment)",
      defaultValue: "",
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

const fundAction = (name: keyof typeof FundActions) => async () => ({
  default: (await import("./fund.js"))[name] as NewTaskActionFunction<any>,
});

/** `fund:<verb>` with the options every fund task has. */
function fundTask(verb: string, description: string) {
  return task(`fund:${verb}`, description)
    .addOption({
      name: "from",
      description: "account index or address to act as (default 0)",
      defaultValue: "",
    })
    .addOption({
      name: "fund",
      description: "CommunityFund address (default: this network's deployment)",
      defaultValue: "",
    });
}

const tokenOption = {
  name: "token",
  description: "ERC-20 address or native (default native)",
  defaultValue: "",
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
      defaultValue: "",
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
      defaultValue: "",
    })
    .addOption({
      name: "until",
      description: "range end, exclusive (default: now)",
      defaultValue: "",
    })
    .addOption({
      name: "total",
      description: "amount to distribute in whole tokens (default: everything undistributed)",
      defaultValue: "",
    })
    .addOption({
      name: "manual",
      description: "a JSON or CSV list of account,amount (base units) instead of pro rata",
      defaultValue: "",
    })
    .addOption({
      name: "out",
      description: "tree file (default deploy/rounds/chain-<id>/<symbol>-<until>.json)",
      defaultValue: "",
    })
    .addOption({
      name: "escrow",
      description: "escrow address (default: this network's deployment)",
      defaultValue: "",
    })
    .setAction(fundAction("buildRound"))
    .build(),
  fundTask("post-round", "Post a round from a tree file (admin)")
    .addOption({
      name: "tree",
      description: "tree file written by fund:build-round",
      defaultValue: "",
    })
    .addOption({
      name: "uri",
      description: "where the tree is published (default: the file path)",
      defaultValue: "",
    })
    .setAction(fundAction("postRound"))
    .build(),
  fundTask("claim", "Claim an entry of a round; the proof is found in the tree file")
    .addOption({ name: "tree", description: "tree file of the round", defaultValue: "" })
    .addOption({
      name: "round",
      description: "round id (default: the newest round with the file's root)",
      type: ArgumentType.BIGINT,
      defaultValue: 0n,
    })
    .addOption({
      name: "account",
      description: "whose entry (default: --from); the money goes to that account",
      defaultValue: "",
    })
    .addOption({
      name: "to",
      description: "pay your own entry to this address or account index instead (claimTo)",
      defaultValue: "",
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
      defaultValue: "",
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
      defaultValue: "",
    })
    .addOption({
      name: "delay",
      description: "challenge delay from posting to claims, 1h..30d (default: unchanged)",
      defaultValue: "",
    })
    .addOption({
      name: "claimPeriod",
      description: "how long claims stay open, 7d..365d (default: unchanged)",
      defaultValue: "",
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
  defaultValue: "",
};

export const escrowTasks = [
  task(
    "escrow:deploy",
    "Deploy WorkEscrow (forwarder, extension, core) and its CommunityFund with Ignition, using deploy/parameters/<network>.json",
  )
    .addOption({
      name: "parameters",
      description: "parameters file (default deploy/parameters/<network>.json)",
      defaultValue: "",
    })
    .addOption({
      name: "deploymentId",
      description: "Ignition deployment id (default chain-<chainId>)",
      defaultValue: "",
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
      defaultValue: "",
    })
    .addOption({
      name: "token",
      description: "ERC-20 address (default: native coin)",
      defaultValue: "",
    })
    .addOption({
      name: "provider",
      description: "provider address or account index (default: open job, anyone may accept)",
      defaultValue: "",
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
    .addOption({ name: "spec", description: "job specification text (hashed)", defaultValue: "" })
    .addOption({
      name: "specFile",
      description: "job specification file (hashed)",
      defaultValue: "",
    })
    .addOption({
      name: "arbitrator",
      description: "registered arbitrator (default: the first in the deploy parameters)",
      defaultValue: "",
    })
    .addOption({
      name: "approvers",
      description: "comma-separated approver addresses",
      defaultValue: "",
    })
    .addOption({
      name: "threshold",
      description: "approvals needed (default: all approvers)",
      type: ArgumentType.INT,
      defaultValue: -1,
    })
    .addOption({
      name: "bond",
      description: "bond the provider posts on acceptance, in whole tokens (default none)",
      defaultValue: "",
    })
    .addOption({
      name: "tip",
      description:
        "keeper tip paid on top of the amount to whoever finalises the job (default none)",
      defaultValue: "",
    })
    .addOption({
      name: "verifier",
      description: "verifier address or account index: approves or rejects the work once",
      defaultValue: "",
    })
    .addOption({
      name: "verifierFee",
      description: "the verifier's fee in basis points (0..1000)",
      defaultValue: "",
    })
    .addFlag({ name: "bidsOnly", description: "open job given only by awarding a signed bid" })
    .addOption({
      name: "agentId",
      description: "the provider must own this ERC-8004 agent identity",
      defaultValue: "",
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
    .addOption({ name: "result", description: "result text (hashed)", defaultValue: "" })
    .addOption({ name: "resultFile", description: "result file (hashed)", defaultValue: "" })
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
    .addOption({ name: "amount", description: "in whole tokens, e.g. 0.25", defaultValue: "" })
    .setAction(action("releasePart"))
    .build(),
  jobTask("refund-part", "Return part of the amount to the requester (provider)")
    .addOption({ name: "amount", description: "in whole tokens, e.g. 0.25", defaultValue: "" })
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
    .addOption({ name: "reason", description: "why (stored in the event)", defaultValue: "" })
    .setAction(action("dispute"))
    .build(),
  jobTask("evidence", "Publish evidence for a disputed job")
    .addOption({
      name: "uri",
      description: "where the evidence lives (ipfs://, https://)",
      defaultValue: "",
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
      defaultValue: "",
    })
    .addOption({ name: "to", description: "recipient (default: you)", defaultValue: "" })
    .setAction(action("withdraw"))
    .build(),
  jobTask("show", "Show a job in words, with what you can do next and when")
    .addOption({
      name: "as",
      description: "show next steps for this address or account index (default: --from)",
      defaultValue: "",
    })
    .setAction(action("show"))
    .build(),
  escrowTask("list", "List the jobs of an address, rebuilt from events")
    .addOption({
      name: "account",
      description: "address or account index (default: --from)",
      defaultValue: "",
    })
    .setAction(action("list"))
    .build(),
  escrowTask(
    "admin",
    "Admin: status, set-fees, set-recipients, set-arbitrator, arbitrator, set-min, pause, unpause, transfer-admin, accept-admin",
  )
    .addPositionalArgument({
      name: "action",
      description: "what to do (escrow:admin help lists them)",
      defaultValue: "help",
    })
    .addVariadicArgument({ name: "values", description: "the action's values", defaultValue: [] })
    .addOption({
      name: "period",
      description: "set-arbitrator: its arbitration period (1d..90d; default 7d)",
      defaultValue: "",
    })
    .setAction(action("admin"))
    .build(),
  ...bidTasks,
  ...verifyTasks,
];
