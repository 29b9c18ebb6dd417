import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import WorkEscrowModule from "./WorkEscrow.js";

/**
 * Optional: an ERC792ArbitratorAdapter that takes this network's WorkEscrow disputes to an ERC-792 court
 * (e.g. Kleros's KlerosLiquid). Parameters (`deploy/parameters/<network>.json`, key "CourtAdapter"):
 *
 *   court                 the ERC-792 arbitrator's address (fixed for good)
 *   arbitratorExtraData   hex bytes passed with every dispute and appeal (Kleros: subcourt id and juror
 *                         count, abi-encoded as two uint256); "0x" for none
 *   metaEvidenceURI       the ERC-1497 meta-evidence JSON (question; options 1 = pay the provider,
 *                         2 = refund the requester); each dispute appends #escrow=<escrow>&job=<id>
 *   minAppealTime         seconds (1 to 90 days, no default): appeals close this long before a job's
 *                         arbitration period ends. More than the court's longest round (appeal → new
 *                         ruling) plus its appeal period, with a margin to execute the ruling (audit M-02)
 *
 * Deploy into the escrow's deployment, then have the escrow's admin register it with an arbitration
 * period that covers the court's first round, the appeals and minAppealTime (e.g. 30 days; at most 90):
 *   npx hardhat ignition deploy deploy/modules/CourtAdapter.ts --network <name> \
 *     --parameters deploy/parameters/<name>.json --deployment-id chain-<chainId>
 *   then the admin: setArbitrator(<adapter>, true, 2592000) (the escrow:admin set-arbitrator task)
 */
export default buildModule("CourtAdapter", (m) => {
  const { escrow } = m.useModule(WorkEscrowModule);
  const adapter = m.contract("ERC792ArbitratorAdapter", [
    escrow,
    m.getParameter<string>("court"),
    m.getParameter<string>("arbitratorExtraData", "0x"),
    m.getParameter<string>("metaEvidenceURI"),
    m.getParameter<number>("minAppealTime"),
  ]);
  return { adapter, escrow };
});
