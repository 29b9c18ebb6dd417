/**
 * WorkEscrow SDK: a typed client over the generated typechain bindings (ethers v6).
 *
 *   import { EscrowClient, hashContent, parseDeadline } from "work-escrow";
 *   const escrow = new EscrowClient(address, signer);
 *   const { jobId } = await escrow.createJob({ amount, deadline, jobHash: hashContent(spec), arbitrator });
 */
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
export { EscrowClient, type TxResult, type JobMembership, type JobEvent } from "./client.js";
export {
  EscrowError,
  decodeEscrowError,
  decodeRevertData,
  describeError,
  type DecodedError,
} from "./errors.js";
export { nextActions, type NextAction } from "./next.js";
export {
  ARBITRATION_PERIOD,
  BPS,
  JobType,
  NATIVE,
  Resolution,
  Status,
  type CreateJobInput,
  type JobView,
  type Role,
} from "./types.js";
export { formatDuration, formatTime, hashContent, parseDeadline, parseDuration } from "./units.js";
export { WorkEscrow__factory } from "../typechain-types/factories/WorkEscrow__factory.js";
export { CommunityFund__factory } from "../typechain-types/factories/CommunityFund__factory.js";
export type { CommunityFund, ICommunityFund } from "../typechain-types/CommunityFund.js";
export type { WorkEscrow, IWorkEscrow } from "../typechain-types/WorkEscrow.js";
