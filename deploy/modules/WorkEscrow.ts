import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import CommunityFundModule from "./CommunityFund.js";

/**
 * The WorkEscrow deployment: the ERC-2771 forwarder, the extension, then the escrow (core). Every setting
 * is a module parameter, taken from `deploy/parameters/<network>.json` by `npm run deploy -- --network <name>`:
 *
 *   admin, treasury                   addresses
 *   (the community fee goes to the CommunityFund of ./CommunityFund.ts, deployed first)
 *   platformFeeBps, communityFeeBps, arbitrationFeeBps   basis points (caps in contracts/libraries/Bounds.sol)
 *   arbitrators                       [{ "arbitrator": address, "arbitrationPeriod": seconds (0 = 7 days) }]
 *   minAmounts                        [{ "token": address (0x0 = native), "minAmount": base units }]
 *   identityRegistry                  the chain's ERC-8004 Identity Registry (0x0 = no agent-identity jobs)
 *
 * Each contract is deployed in one transaction with all of its settings, so the deployer never holds admin
 * rights unless it is the admin. The escrow reads the forwarder and the identity registry from the extension,
 * so the two always agree. Ignition journals the deployment: running it again with the same parameters does
 * nothing.
 */
export default buildModule("WorkEscrow", (m) => {
  const { fund } = m.useModule(CommunityFundModule);
  const forwarder = m.contract("WorkEscrowForwarder", []);
  const extension = m.contract("WorkEscrowExtension", [
    forwarder,
    m.getParameter<string>("identityRegistry", "0x0000000000000000000000000000000000000000"),
  ]);
  const escrow = m.contract("WorkEscrow", [
    {
      admin: m.getParameter<string>("admin"),
      treasury: m.getParameter<string>("treasury"),
      communityFund: fund,
      platformFeeBps: m.getParameter<number>("platformFeeBps", 100),
      communityFeeBps: m.getParameter<number>("communityFeeBps", 50),
      arbitrationFeeBps: m.getParameter<number>("arbitrationFeeBps", 200),
      arbitrators: m.getParameter<{ arbitrator: string; arbitrationPeriod: number }[]>(
        "arbitrators",
        [],
      ),
      minAmounts: m.getParameter<{ token: string; minAmount: string }[]>("minAmounts", []),
    },
    extension,
  ]);
  return { escrow, extension, forwarder, fund };
});
