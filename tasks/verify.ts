/**
 * The verification tasks (docs/verification.md): an ERC-8004 Validation Registry as a job's verifier through
 * the ERC8004ValidationAdapter. Declared here, registered with the escrow tasks in ./index.ts; the actions
 * (./verifyActions.ts, with the SDK and ethers) load only when one of these tasks runs.
 *
 *   escrow:validation-terms <id> --validator <addr> --min-score 80 [--tag <tag>]   the requester, before submission
 *   escrow:request-validation <id> --uri <uri> [--validator <addr>]                the provider, after submission
 *   escrow:validate <id> [--check]                                                 anyone, once the validator answered
 *
 * Every task takes --from, --escrow (as the escrow tasks) and --adapter (default: WORKESCROW_ERC8004_ADAPTER,
 * else the network's Ignition deployment of deploy/modules/ERC8004Adapter.ts).
 */
import { ArgumentType } from "hardhat/types/arguments";
import { task } from "hardhat/config";
import type { NewTaskActionFunction } from "hardhat/types/tasks";
import type * as VerifyActions from "./verifyActions.js";

const action = (name: keyof typeof VerifyActions) => async () => ({
  default: (await import("./verifyActions.js"))[name] as NewTaskActionFunction<any>,
});

/** `escrow:<verb> <jobId>` with --from, --escrow and --adapter. */
function verifyTask(verb: string, description: string) {
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
    })
    .addOption({
      name: "adapter",
      description: "ERC8004ValidationAdapter address (default: this network's deployment)",
      defaultValue: "",
    })
    .addPositionalArgument({ name: "jobId", description: "the job id", type: ArgumentType.BIGINT });
}

export const verifyTasks = [
  verifyTask(
    "validation-terms",
    "Requester: fix which ERC-8004 validator judges the job and the score that approves (once, before submission)",
  )
    .addOption({ name: "validator", description: "the validator's address", defaultValue: "" })
    .addOption({
      name: "minScore",
      description: "lowest response (1..100) that approves",
      type: ArgumentType.INT,
      defaultValue: 80,
    })
    .addOption({
      name: "tag",
      description: "only a response with this tag counts (default: the latest response)",
      defaultValue: "",
    })
    .setAction(action("validationTerms"))
    .build(),
  verifyTask(
    "request-validation",
    "Provider: open the job's ERC-8004 validation request for the submitted result",
  )
    .addOption({
      name: "uri",
      description: "where the validator finds the inputs and outputs (ipfs://, https://)",
      defaultValue: "",
    })
    .addOption({
      name: "validator",
      description: "validator address (default: the job's terms on the adapter)",
      defaultValue: "",
    })
    .addOption({
      name: "registry",
      description: "Validation Registry (default: the adapter's)",
      defaultValue: "",
    })
    .setAction(action("requestValidation"))
    .build(),
  verifyTask(
    "validate",
    "Anyone: apply the validator's answer as the job's verdict (via the adapter)",
  )
    .addFlag({ name: "check", description: "only show what would be applied, send nothing" })
    .setAction(action("validate"))
    .build(),
];
