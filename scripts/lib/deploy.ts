import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";
import type { IWorkEscrow, WorkEscrowForwarder } from "../../typechain-types/index.js";
import { IWorkEscrow__factory } from "../../typechain-types/index.js";

/** The fee rates used by the demo, the gas benchmark and the tests (basis points). */
export const DEFAULT_FEES = { platform: 100n, community: 50n, arbitration: 200n } as const;

/** What `deployWorkEscrow` deploys: the escrow (typed with its whole surface) and its two helpers. */
export interface EscrowDeployment {
  /** the WorkEscrow core's address, typed as IWorkEscrow (core + extension functions) */
  escrow: IWorkEscrow;
  /** the WorkEscrowExtension the core delegates to */
  extension: string;
  /** the OpenZeppelin ERC2771Forwarder the escrow trusts */
  forwarder: WorkEscrowForwarder;
}

/**
 * Deploys a WorkEscrow suite on the in-process chain, as the demo, the gas benchmark and the test
 * fixtures use it: the ERC-2771 forwarder, the extension (with `identityRegistry`, 0 = none), then the
 * core owned by `admin` with `arbitrators` registered (default arbitration period unless given) and the
 * fee rates set. Returns the escrow typed as `IWorkEscrow` (every function, at the core's address).
 */
export async function deployWorkEscrowSuite(
  ethers: HardhatEthers,
  roles: {
    admin: string;
    treasury: string;
    community: string;
    arbitrator: string;
    /** more arbitrators, with their arbitration period in seconds (0 = default 7 days) */
    arbitrators?: { arbitrator: string; arbitrationPeriod: bigint | number }[];
    identityRegistry?: string;
  },
  fees: { platform: bigint; community: bigint; arbitration: bigint } = DEFAULT_FEES,
): Promise<EscrowDeployment> {
  const forwarder = (await ethers.deployContract(
    "WorkEscrowForwarder",
  )) as unknown as WorkEscrowForwarder;
  const extension = await ethers.deployContract("WorkEscrowExtension", [
    await forwarder.getAddress(),
    roles.identityRegistry ?? ethers.ZeroAddress,
  ]);
  const core = await ethers.deployContract("WorkEscrow", [
    {
      admin: roles.admin,
      treasury: roles.treasury,
      communityFund: roles.community,
      platformFeeBps: fees.platform,
      communityFeeBps: fees.community,
      arbitrationFeeBps: fees.arbitration,
      arbitrators: [
        { arbitrator: roles.arbitrator, arbitrationPeriod: 0 },
        ...(roles.arbitrators ?? []),
      ],
      minAmounts: [],
    },
    await extension.getAddress(),
  ]);
  const [signer] = await ethers.getSigners();
  return {
    escrow: IWorkEscrow__factory.connect(await core.getAddress(), signer),
    extension: await extension.getAddress(),
    forwarder,
  };
}

/** `deployWorkEscrowSuite`, returning only the escrow. */
export async function deployWorkEscrow(
  ethers: HardhatEthers,
  roles: Parameters<typeof deployWorkEscrowSuite>[1],
  fees: { platform: bigint; community: bigint; arbitration: bigint } = DEFAULT_FEES,
): Promise<IWorkEscrow> {
  return (await deployWorkEscrowSuite(ethers, roles, fees)).escrow;
}
