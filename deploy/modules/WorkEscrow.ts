import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import CommunityFundModule from "./CommunityFund.js";

/**
 * The WorkEscrow deployment. Every constructor setting is a module parameter, taken from
 * `deploy/parameters/<network>.json` by `npm run deploy -- --network <name>`:
 *
 *   admin, treasury                   addresses
 *   (the community fee goes to the CommunityFund of ./CommunityFund.ts, deployed first)
 *   platformFeeBps, communityFeeBps, arbitrationFeeBps   basis points (caps in IWorkEscrow.sol)
 *   arbitrators                       addresses registered at deployment
 *   minAmounts                        [{ "token": address (0x0 = native), "minAmount": base units }]
 *
 * The escrow is deployed in one transaction, so the deployer never holds admin rights unless it is
 * the admin. Ignition journals the deployment: running it again with the same parameters does nothing.
 */
export default buildModule("WorkEscrow", (m) => {
  const { fund } = m.useModule(CommunityFundModule);
  const escrow = m.contract("WorkEscrow", [
    {
      admin: m.getParameter<string>("admin"),
      treasury: m.getParameter<string>("treasury"),
      communityFund: fund,
      platformFeeBps: m.getParameter<number>("platformFeeBps", 100),
      communityFeeBps: m.getParameter<number>("communityFeeBps", 50),
      arbitrationFeeBps: m.getParameter<number>("arbitrationFeeBps", 200),
      arbitrators: m.getParameter<string[]>("arbitrators", []),
      minAmounts: m.getParameter<{ token: string; minAmount: string }[]>("minAmounts", []),
    },
  ]);
  return { escrow, fund };
});
