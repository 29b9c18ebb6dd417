/**
 * The arbitration tasks: vote as a committee member, take a dispute to an ERC-792 court, appeal, relay
 * evidence, apply a court's final ruling, collect a fee a ruling could not withdraw, withdraw fee shares,
 * and show how a job's arbitrator is handling it. Declared here with their
 * arguments; the actions (lazily loaded) live in ./arbitration-actions.ts and drive sdk/arbitration.ts.
 *
 * The committee or court adapter is the job's own arbitrator, read from the escrow: no address to pass.
 * Every task takes --from (account index or address, default 0) and --escrow (default: the network's
 * Ignition deployment, or WORKESCROW_ADDRESS). See docs/arbitration.md.
 */
import { ArgumentType } from "hardhat/types/arguments";
import { task } from "hardhat/config";
import type { NewTaskActionFunction } from "hardhat/types/tasks";
import type * as Actions from "./arbitration-actions.js";

const action = (name: keyof typeof Actions) => async () => ({
  default: (await import("./arbitration-actions.js"))[name] as NewTaskActionFunction<any>,
});

function arbitrationTask(name: string, description: string) {
  return task(`escrow:${name}`, description)
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

function jobTask(name: string, description: string) {
  return arbitrationTask(name, description).addPositionalArgument({
    name: "jobId",
    description: "the job id",
    type: ArgumentType.BIGINT,
  });
}

const value = {
  name: "value",
  description: "native coin to send, in whole units (default: what the court asks now)",
  defaultValue: "",
};

export const arbitrationTasks = [
  jobTask(
    "vote",
    "Vote a split as a member of the job's committee (the quorum vote executes the median)",
  )
    .addOption({
      name: "bps",
      description: "the provider's share in basis points (0..10000)",
      defaultValue: "",
    })
    .setAction(action("vote"))
    .build(),
  jobTask(
    "court-dispute",
    "Pay (part of) the court's arbitration cost; the payment that completes it creates the court dispute",
  )
    .addOption(value)
    .setAction(action("courtDispute"))
    .build(),
  jobTask(
    "court-withdraw-contribution",
    "Take back your part of a court cost before the court dispute exists",
  )
    .setAction(action("courtWithdrawContribution"))
    .build(),
  jobTask("court-evidence", "Relay evidence to the court (ERC-1497 Evidence, group = the job id)")
    .addOption({
      name: "uri",
      description: "where the evidence lives (ipfs://, https://)",
      defaultValue: "",
    })
    .setAction(action("courtEvidence"))
    .build(),
  jobTask("appeal", "Appeal the court's current ruling (anyone; pays the court's appeal cost)")
    .addOption(value)
    .setAction(action("appeal"))
    .build(),
  jobTask(
    "court-apply-ruling",
    "Apply the court's current ruling once it can no longer change (final, or appeals closed)",
  )
    .setAction(action("courtApplyRuling"))
    .build(),
  jobTask(
    "arbitration-collect-fee",
    "Collect an arbitration fee a ruling could not withdraw, for the voters or the court's funders",
  )
    .setAction(action("arbitrationCollectFee"))
    .build(),
  jobTask("arbitration", "Show the committee's votes or the court case of a job")
    .setAction(action("arbitration"))
    .build(),
  arbitrationTask(
    "arbitration-withdraw",
    "Withdraw your committee fee shares or court reimbursements",
  )
    .addOption({
      name: "arbitrator",
      description: "the committee or court adapter address",
      defaultValue: "",
    })
    .addOption({
      name: "token",
      description: "ERC-20 address (default: native coin)",
      defaultValue: "",
    })
    .addOption({ name: "to", description: "recipient (default: you)", defaultValue: "" })
    .setAction(action("arbitrationWithdraw"))
    .build(),
  arbitrationTask(
    "committee-members",
    "Owner: a new member set and quorum for disputes raised from now on",
  )
    .addOption({ name: "committee", description: "the committee address", defaultValue: "" })
    .addOption({
      name: "quorum",
      description: "votes that decide a dispute",
      type: ArgumentType.INT,
      defaultValue: 0,
    })
    .addVariadicArgument({
      name: "members",
      description: "member addresses or account indexes",
      defaultValue: [],
    })
    .setAction(action("committeeMembers"))
    .build(),
];
