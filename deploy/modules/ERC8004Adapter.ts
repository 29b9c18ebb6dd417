import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * The ERC8004ValidationAdapter (docs/verification.md): lets a chain's ERC-8004 Validation Registry act as
 * the verifier of agent jobs. Optional, per network: deploy it only where an ERC-8004 Validation Registry
 * exists whose Identity Registry is the escrow's `identityRegistry` parameter. Parameters
 * (`deploy/parameters/<network>.json`, key "ERC8004Adapter"):
 *
 *   validationRegistry   the chain's ERC-8004 Validation Registry (required)
 *
 * The adapter has no owner and no other setting; one adapter serves every escrow on the chain. Deploy it
 * into the escrow's deployment so the tasks find it:
 *
 *   npx hardhat ignition deploy deploy/modules/ERC8004Adapter.ts --network <name> \
 *     --parameters deploy/parameters/<name>.json --deployment-id chain-<chainId>
 */
export default buildModule("ERC8004Adapter", (m) => {
  const adapter = m.contract("ERC8004ValidationAdapter", [
    m.getParameter<string>("validationRegistry"),
  ]);
  return { adapter };
});
