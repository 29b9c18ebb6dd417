import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import WorkEscrowModule from "./WorkEscrow.js";

/**
 * Optional: a CommitteeArbitrator for this network's WorkEscrow (./WorkEscrow.ts, reused when already
 * deployed in the same deployment). Parameters (`deploy/parameters/<network>.json`, key "Committee"):
 *
 *   owner     may replace the member set for future disputes (Ownable2Step; a multisig, or renounce later)
 *   members   [address, ...] 1..32 distinct members (epoch 1)
 *   quorum    votes that decide a dispute, 1..members (default 3)
 *
 * Deploy into the escrow's deployment, then have the escrow's admin register it with its arbitration
 * period (e.g. 3 days):
 *   npx hardhat ignition deploy deploy/modules/Committee.ts --network <name> \
 *     --parameters deploy/parameters/<name>.json --deployment-id chain-<chainId>
 *   then the admin: setArbitrator(<committee>, true, 259200) (the escrow:admin set-arbitrator task)
 * Registration is the escrow admin's decision (SPEC: "arbitrator registry"), so the module does not do it.
 */
export default buildModule("Committee", (m) => {
  const { escrow } = m.useModule(WorkEscrowModule);
  const committee = m.contract("CommitteeArbitrator", [
    escrow,
    m.getParameter<string>("owner"),
    m.getParameter<string[]>("members"),
    m.getParameter<number>("quorum", 3),
  ]);
  return { committee, escrow };
});
