/**
 * WorkEscrow SDK: a typed client over the generated typechain bindings (ethers v6), for the whole
 * `IWorkEscrow` surface at the escrow's (core's) address.
 *
 *   import { EscrowClient, hashContent, parseDeadline } from "work-escrow";
 *   const escrow = new EscrowClient(address, signer);
 *   const { jobId } = await escrow.createJob({ amount, deadline, jobHash: hashContent(spec), arbitrator });
 */
// The pure part (types, units, checks, nextActions, sentences, deployment records), as the viem entry has it.
export * from "./shared.js";
export { getLogsInChunks, type LogRange } from "./logs.js";
export {
  ApiError,
  createApiClient,
  type ApiAccount,
  type ApiBid,
  type ApiClient,
  type ApiEvent,
  type ApiJob,
  type ApiJobMembership,
  type BidInput,
  type CommunityFundState,
  type DisputeStatistics,
  type EscrowStatistics,
  type JobFilter,
  type Page,
} from "./api.js";
export {
  EscrowClient,
  type EscrowClientOptions,
  type EscrowConfig,
  type FinalizeResult,
  type JobEvent,
  type JobMembership,
  type JobsOfSource,
  type TxResult,
} from "./client.js";
export {
  decodeEscrowError,
  decodeRevertData,
  describeError,
  describeFailure,
  toEscrowError,
} from "./errors.js";
export {
  ArbitrationError,
  COMMITTEE_INTERFACE_ID,
  COURT_ADAPTER_INTERFACE_ID,
  COURT_RULING_BPS,
  CommitteeClient,
  CourtClient,
  CourtDisputeStatus,
  CourtRuling,
  arbitrationBackend,
  decodeArbitrationRevert,
  describeArbitration,
  type ArbitrationBackend,
  type ArbitrationTx,
  type CommitteeMemberVote,
  type CommitteeStatus,
  type CourtStatus,
} from "./arbitration.js";
export {
  BID_TYPES,
  BidError,
  awardBid,
  bidDigest,
  bidDomain,
  bidFromJson,
  bidToJson,
  cancelBids,
  isValidSignature,
  nextBidNonce,
  rankBids,
  signBid,
  verifyBid,
  type AwardResult,
  type Bid,
  type BidCheck,
  type BidProblem,
  type BidProblemCode,
  type SignedBid,
} from "./bids.js";
export {
  DEFAULT_REQUEST_GAS,
  FORWARD_REQUEST_TYPES,
  RelayError,
  checkRequest,
  describeRequest,
  forwarderDomain,
  relay,
  requestDigest,
  requestFromJson,
  requestToJson,
  signRequest,
  simulateForwarded,
  type ForwardRequestData,
  type RelayProblemCode,
  type RelayResult,
  type SignedRequest,
} from "./relay.js";
export {
  createJob,
  createdJobId,
  tokenDomain,
  tokenSignatureSupport,
  type CreateJobOptions,
  type FundedJob,
  type FundingMethod,
  type TokenSignatureSupport,
} from "./funding.js";
export { WorkEscrowForwarder__factory } from "../typechain-types/factories/WorkEscrowForwarder__factory.js";
export type { WorkEscrowForwarder } from "../typechain-types/WorkEscrowForwarder.js";
export {
  configureValidation,
  decodeVerifyError,
  describeVerifyError,
  readRecord,
  readValidation,
  requestValidation,
  tagHash,
  triggerValidation,
  validationRequestHash,
  type ValidationRecord,
  type ValidationState,
  type ValidationTerms,
  type VerifyTarget,
} from "./verify.js";
export { hashContent } from "./hash.js";
export { IWorkEscrow__factory } from "../typechain-types/factories/interfaces/IWorkEscrow__factory.js";
export { WorkEscrow__factory } from "../typechain-types/factories/WorkEscrow__factory.js";
export { CommunityFund__factory } from "../typechain-types/factories/CommunityFund__factory.js";
export type { CommunityFund, ICommunityFund } from "../typechain-types/CommunityFund.js";
export type { IWorkEscrow, IWorkEscrowTypes } from "../typechain-types/interfaces/IWorkEscrow.js";
export type { WorkEscrow } from "../typechain-types/WorkEscrow.js";
