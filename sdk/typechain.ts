/**
 * `work-escrow/typechain`: the typechain (ethers v6) bindings of the product contracts — the escrow
 * (core, extension, IWorkEscrow and its parts), the forwarder, the community fund, the committee and
 * court arbitration adapters (and the fee collector they share), the ERC-8004 validation adapter and
 * their interfaces. Test mocks are not part of the package. (Kept equal to typechain-types/index.ts
 * minus mocks by `check package`.)
 */
export type { CommunityFund } from "../typechain-types/CommunityFund.js";
export type { WorkEscrow } from "../typechain-types/WorkEscrow.js";
export type { WorkEscrowBase } from "../typechain-types/WorkEscrowBase.js";
export type { WorkEscrowExtension } from "../typechain-types/WorkEscrowExtension.js";
export type { WorkEscrowForwarder } from "../typechain-types/WorkEscrowForwarder.js";
export { CommunityFund__factory } from "../typechain-types/factories/CommunityFund__factory.js";
export { WorkEscrow__factory } from "../typechain-types/factories/WorkEscrow__factory.js";
export { WorkEscrowBase__factory } from "../typechain-types/factories/WorkEscrowBase__factory.js";
export { WorkEscrowExtension__factory } from "../typechain-types/factories/WorkEscrowExtension__factory.js";
export { WorkEscrowForwarder__factory } from "../typechain-types/factories/WorkEscrowForwarder__factory.js";
export type { ArbitrationFeeCollector } from "../typechain-types/arbitration/ArbitrationFeeCollector.js";
export { ArbitrationFeeCollector__factory } from "../typechain-types/factories/arbitration/ArbitrationFeeCollector__factory.js";
export type { CommitteeArbitrator } from "../typechain-types/arbitration/CommitteeArbitrator.js";
export { CommitteeArbitrator__factory } from "../typechain-types/factories/arbitration/CommitteeArbitrator__factory.js";
export type { ERC792ArbitratorAdapter } from "../typechain-types/arbitration/ERC792ArbitratorAdapter.js";
export { ERC792ArbitratorAdapter__factory } from "../typechain-types/factories/arbitration/ERC792ArbitratorAdapter__factory.js";
export type { ICommitteeArbitrator } from "../typechain-types/interfaces/ICommitteeArbitrator.js";
export { ICommitteeArbitrator__factory } from "../typechain-types/factories/interfaces/ICommitteeArbitrator__factory.js";
export type { ICommunityFund } from "../typechain-types/interfaces/ICommunityFund.js";
export { ICommunityFund__factory } from "../typechain-types/factories/interfaces/ICommunityFund__factory.js";
export type { IERC3009 } from "../typechain-types/interfaces/IERC3009.js";
export { IERC3009__factory } from "../typechain-types/factories/interfaces/IERC3009__factory.js";
export type { IERC792ArbitratorAdapter } from "../typechain-types/interfaces/IERC792ArbitratorAdapter.js";
export { IERC792ArbitratorAdapter__factory } from "../typechain-types/factories/interfaces/IERC792ArbitratorAdapter__factory.js";
export type { IERC8004ValidationAdapter } from "../typechain-types/interfaces/IERC8004ValidationAdapter.js";
export { IERC8004ValidationAdapter__factory } from "../typechain-types/factories/interfaces/IERC8004ValidationAdapter__factory.js";
export type { IWorkEscrow } from "../typechain-types/interfaces/IWorkEscrow.js";
export { IWorkEscrow__factory } from "../typechain-types/factories/interfaces/IWorkEscrow__factory.js";
export type { IWorkEscrowCore } from "../typechain-types/interfaces/IWorkEscrowCore.js";
export { IWorkEscrowCore__factory } from "../typechain-types/factories/interfaces/IWorkEscrowCore__factory.js";
export type { IWorkEscrowExtension } from "../typechain-types/interfaces/IWorkEscrowExtension.js";
export { IWorkEscrowExtension__factory } from "../typechain-types/factories/interfaces/IWorkEscrowExtension__factory.js";
export type { IWorkEscrowTypes } from "../typechain-types/interfaces/IWorkEscrowTypes.js";
export { IWorkEscrowTypes__factory } from "../typechain-types/factories/interfaces/IWorkEscrowTypes__factory.js";
export type { ERC8004ValidationAdapter } from "../typechain-types/verifiers/ERC8004ValidationAdapter.js";
export { ERC8004ValidationAdapter__factory } from "../typechain-types/factories/verifiers/ERC8004ValidationAdapter__factory.js";
export type { IArbitrable } from "../typechain-types/interfaces/erc792/IArbitrable.js";
export { IArbitrable__factory } from "../typechain-types/factories/interfaces/erc792/IArbitrable__factory.js";
export type { IArbitrator } from "../typechain-types/interfaces/erc792/IArbitrator.js";
export { IArbitrator__factory } from "../typechain-types/factories/interfaces/erc792/IArbitrator__factory.js";
export type { IEvidence } from "../typechain-types/interfaces/erc792/IEvidence.js";
export { IEvidence__factory } from "../typechain-types/factories/interfaces/erc792/IEvidence__factory.js";
export type { IIdentityRegistry } from "../typechain-types/interfaces/erc8004/IIdentityRegistry.js";
export { IIdentityRegistry__factory } from "../typechain-types/factories/interfaces/erc8004/IIdentityRegistry__factory.js";
export type { IValidationRegistry } from "../typechain-types/interfaces/erc8004/IValidationRegistry.js";
export { IValidationRegistry__factory } from "../typechain-types/factories/interfaces/erc8004/IValidationRegistry__factory.js";
export type {
  TypedContractEvent,
  TypedEventLog,
  TypedListener,
} from "../typechain-types/common.js";
