/**
 * Bid and gasless tasks: `escrow:bid`, `escrow:bids`, `escrow:award`, `escrow:cancel-bids`,
 * `escrow:sign-request`, `escrow:relay`. Declared here with their arguments; the actions (lazily loaded)
 * live in ./bids-actions.ts and drive the SDK's bids.ts and relay.ts.
 *
 *   hardhat escrow:bid 3 --price 0.8 --expiry 24h --from 5      # provider signs, writes bids/chain-…/job-3/…
 *   hardhat escrow:bids 3                                        # requester ranks them, invalid ones marked
 *   hardhat escrow:award bids/chain-31337/job-3/0x…-0.json --from 4
 *   hardhat escrow:sign-request submitWork 3 0x… --from 5 --out req.json   # no gas needed
 *   hardhat escrow:relay req.json --from 9                       # anyone sends it and pays the gas
 */
import { ArgumentType } from "hardhat/types/arguments";
import { task } from "hardhat/config";
import type { NewTaskActionFunction } from "hardhat/types/tasks";
import type * as BidActions from "./bids-actions.js";

const action = (name: keyof typeof BidActions) => async () => ({
  default: (await import("./bids-actions.js"))[name] as NewTaskActionFunction<any>,
});

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

const jobId = { name: "jobId", description: "the job id", type: ArgumentType.BIGINT };
const dir = {
  name: "dir",
  description: "folder of bid files (default bids)",
  defaultValue: "bids",
};

export const bidTasks = [
  escrowTask("bid", "Sign a bid on an open job (no gas) and write it to a bid file")
    .addPositionalArgument(jobId)
    .addOption({
      name: "price",
      description: "your price in whole tokens, e.g. 0.8",
      defaultValue: "",
    })
    .addOption({
      name: "expiry",
      description: "how long the bid stands: 24h, 7d, an ISO date or unix seconds",
      defaultValue: "24h",
    })
    .addOption({
      name: "wallet",
      description: "bid as this ERC-1271 contract wallet (you sign as its owner)",
      defaultValue: "",
    })
    .addOption({
      name: "out",
      description: "bid file (default <dir>/chain-<id>/job-<id>/<provider>-<n>.json)",
      defaultValue: "",
    })
    .addOption(dir)
    .setAction(action("bid"))
    .build(),
  escrowTask(
    "bids",
    "List the bid files of a job: valid ones first, cheapest first, invalid ones marked",
  )
    .addPositionalArgument(jobId)
    .addOption(dir)
    .setAction(action("bids"))
    .build(),
  escrowTask(
    "award",
    "Award a bid file as the job's requester (checked first; the difference comes back)",
  )
    .addPositionalArgument({ name: "file", description: "bid file written by escrow:bid" })
    .setAction(action("award"))
    .build(),
  escrowTask("cancel-bids", "Cancel your outstanding bids on a job (uses up their nonce)")
    .addPositionalArgument(jobId)
    .setAction(action("cancelBidsAction"))
    .build(),
  escrowTask("sign-request", "Sign a gasless escrow call (ERC-2771) and write it to a request file")
    .addPositionalArgument({ name: "fn", description: "escrow function, e.g. submitWork" })
    .addVariadicArgument({ name: "values", description: "its arguments", defaultValue: [] })
    .addOption({
      name: "value",
      description: "native coin the relayer sends with it, in ETH",
      defaultValue: "",
    })
    .addOption({
      name: "deadline",
      description: "how long the request stands (default 1h)",
      defaultValue: "1h",
    })
    .addOption({
      name: "gas",
      description: "gas for the call (default: simulated + 25%)",
      defaultValue: "",
    })
    .addOption({
      name: "out",
      description: "request file (default requests/<from>-<nonce>-<fn>.json)",
      defaultValue: "",
    })
    .setAction(action("signRequestAction"))
    .build(),
  escrowTask("relay", "Send a request file signed by someone else, paying its gas (checked first)")
    .addPositionalArgument({
      name: "file",
      description: "request file written by escrow:sign-request",
    })
    .setAction(action("relayAction"))
    .build(),
];
