/**
 * Where WorkEscrow is deployed (`work-escrow/deployments`): one record per real network, built from
 * Ignition's journals by scripts/package/deployments.mjs (also shipped as `deployments.json`).
 * Pure data: no ethers or viem.
 */
import { DEPLOYMENTS } from "./deployments-data.js";

export { DEPLOYMENTS };

/** A WorkEscrow deployment on one chain. Optional backends are present only where deployed. */
export interface Deployment {
  chainId: number;
  /** the Ignition deployment id (deploy/deployments/<id>) */
  deploymentId: string;
  /** the escrow's core: call everything here with the IWorkEscrow ABI */
  escrow: string;
  /** the extension the core delegates to (never called directly) */
  extension: string;
  /** the ERC-2771 forwarder the escrow trusts */
  forwarder: string;
  /** the CommunityFund that receives the community fee */
  fund: string;
  committee?: string;
  courtAdapter?: string;
  erc8004Adapter?: string;
  /** the block each contract was deployed in, by field name */
  blocks: Partial<Record<string, number>>;
  /** the first of those blocks: scan events from here */
  deployBlock: number;
}

/** The deployment on `chainId`, or undefined when the package knows none there. */
export function getDeployment(chainId: number | bigint): Deployment | undefined {
  return DEPLOYMENTS[String(chainId)];
}

/** The chain ids the package has a deployment for. */
export function deployedChainIds(): number[] {
  return Object.keys(DEPLOYMENTS).map(Number);
}
