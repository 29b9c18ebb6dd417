/**
 * The SDK's pure part, shared by the ethers entry (`work-escrow`) and the viem entry
 * (`work-escrow/viem`): types and enums, units, the job-term checks, `nextActions`, error sentences
 * and the deployment records. Nothing here imports ethers or viem.
 */
export {
  ARBITRATION_PERIOD,
  BPS,
  DEFAULT_ARBITRATION_PERIOD,
  JobType,
  MIN_WORK_TIME,
  NATIVE,
  Resolution,
  RoundStatus,
  Status,
  Verdict,
  type Bounds,
  type CreateJobInput,
  type JobView,
  type Role,
} from "./types.js";
export { formatDuration, formatTime, parseDeadline, parseDuration } from "./units.js";
export {
  checkJobParams,
  createJobCall,
  hasOptions,
  jobParams,
  NO_OPTIONS,
  splitJobParams,
  toJobView,
  type CreateJobCall,
  type CreationEnv,
  type JobOptions,
  type JobParams,
  type JobTerms,
  type RawJob,
} from "./checks.js";
export {
  ACTION_METHODS,
  disputeDeposit,
  isAllowedNow,
  nextActions,
  permissionlessExit,
  reviewEnd,
  type AccountContext,
  type ActionCall,
  type NextAction,
} from "./next.js";
export {
  ESCROW_ERRORS_ABI,
  EscrowError,
  describeDecoded,
  findRevertData,
  preflightError,
  type AbiErrorItem,
  type DecodedError,
} from "./sentences.js";
export { DEPLOYMENTS, deployedChainIds, getDeployment, type Deployment } from "./deployments.js";
