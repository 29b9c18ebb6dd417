import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";
import type { WorkEscrow } from "../../typechain-types/index.js";

/** The fee rates used by the demo, the gas benchmark and the tests (basis points). */
export const DEFAULT_FEES = { platform: 100n, community: 50n, arbitration: 200n } as const;

/**
 * Deploys WorkEscrow owned by `admin`, registers `arbitrator` and sets the fee rates: the suite as the
 * demo, the gas benchmark and the test fixtures use it on the in-process chain.
 */
export async function deployWorkEscrow(
  ethers: HardhatEthers,
  roles: { admin: string; treasury: string; community: string; arbitrator: string },
  fees: { platform: bigint; community: bigint; arbitration: bigint } = DEFAULT_FEES,
): Promise<WorkEscrow> {
  const escrow = (await ethers.deployContract("WorkEscrow", [
    {
      admin: roles.admin,
      treasury: roles.treasury,
      communityFund: roles.community,
      platformFeeBps: fees.platform,
      communityFeeBps: fees.community,
      arbitrationFeeBps: fees.arbitration,
      arbitrators: [roles.arbitrator],
      minAmounts: [],
    },
  ])) as unknown as WorkEscrow;
  return escrow;
}
