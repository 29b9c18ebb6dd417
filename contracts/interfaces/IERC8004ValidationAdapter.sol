// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IWorkEscrow} from "./IWorkEscrow.sol";
import {IWorkEscrowTypes} from "./IWorkEscrowTypes.sol";
import {IValidationRegistry} from "./erc8004/IValidationRegistry.sol";

/// @title IERC8004ValidationAdapter — an ERC-8004 Validation Registry as a WorkEscrow job's verifier
/// @notice A job names this adapter as its `verifier`; its requester fixes the job's terms here (which
/// validator must answer, the minimum score, optionally the tag of the answer that counts) before the work is
/// submitted. After submission the provider (the owner of the job's ERC-8004 agent) opens a validation request
/// in the registry for `requestHash(escrow, jobId, resultHash)`, naming that validator; the validator answers
/// with a score 0..100; then anyone calls `validate`, which gives the escrow the verdict: approve
/// (`verifyWork(jobId, true)`: released at once) at or above the minimum score, reject below it.
///
/// Request hash: `keccak256(abi.encode(escrow, jobId, resultHash))` (escrow as an address, jobId as uint256,
/// the result hash the provider submitted): one request per delivered result, which no other job, escrow or
/// result can share.
///
/// What counts as the validator's answer (the registry's `getValidationStatus` does not say whether a
/// response exists; a request alone reads as response 0, no hash, no tag):
/// - the request must exist, name the job's validator and have been opened for the job's agent (`agentId`);
/// - when the terms name a tag, the latest response must carry exactly that tag (earlier "progressive"
///   answers with another tag do not count); any score, 0 included, then counts;
/// - otherwise the latest response counts when it differs from what a request alone stores: a score above 0,
///   a non-zero response hash, or a non-empty tag. A bare 0 with no hash and no tag cannot be told apart from
///   silence and is treated as silence: a validator that fails work should attach its report's hash or a tag.
/// The verdict follows the latest response when `validate` runs; the escrow accepts one verdict per job, and
/// only strictly before the job's review window ends.
///
/// @dev Trust model:
/// - The adapter holds no money and has no owner. Terms are set once, by the job's requester only, while the
///   job is Open or Accepted; nobody (not the requester either) can change them afterwards. A provider should
///   read `terms` before it accepts (or at least before it submits): work submitted to a job without terms
///   is never judged here.
/// - Jobs must require an ERC-8004 agent identity (`agentRequired`) in the Identity Registry the Validation
///   Registry uses: the request hash is public, so only the job's agent id tells the provider's request apart
///   from one opened first by someone else. A request opened by another agent, or for another validator, never
///   counts (the registry keeps the first request for a hash, so such a request leaves the job unjudged).
/// - Whenever no verdict is given (no terms, no request, a misdirected request, no answer, an answer after the
///   review window, a validator that cannot receive its fee) the verifier is silent and the escrow's v1 rules
///   apply: the requester may still release or dispute within the review window, anyone releases after it.
/// - The validator is trusted for the verdict, and the registry is trusted to report what validators answered
///   (the ERC-8004 reference deployment is an upgradeable proxy: its owner is trusted too). The validator
///   cannot be the job's requester, provider, arbitrator or an approver.
/// - Verifier fee: the escrow credits the job's `verifierFeeBps` to this adapter on either verdict; `validate`
///   forwards that credit to the job's validator in the same transaction (`withdrawTo`), so the adapter's credit
///   is zero between transactions.
interface IERC8004ValidationAdapter {
    /// @notice The terms of one job.
    /// @param validator the address that must answer the job's request (0 = no terms yet)
    /// @param minScore the lowest response (1..100) that approves; anything lower rejects
    /// @param tagHash keccak256 of the tag the counting response must carry; 0 = any response counts
    struct Terms {
        address validator;
        uint8 minScore;
        bytes32 tagHash;
    }

    /// @notice The requester of `jobId` at `escrow` fixed the job's terms (`tag` "" = any response counts).
    event TermsSet(
        IWorkEscrow indexed escrow,
        uint256 indexed jobId,
        address indexed validator,
        uint8 minScore,
        string tag
    );

    /// @notice The validator's `response` to request `requestHash` was given to the escrow as the job's verdict.
    event ValidationApplied(
        IWorkEscrow indexed escrow,
        uint256 indexed jobId,
        bytes32 indexed requestHash,
        address validator,
        uint8 response,
        bool approved
    );

    /// @notice The escrow's verifier fee for the job (`amount` of `token`, 0 = native) went on to its validator.
    event FeeForwarded(
        IWorkEscrow indexed escrow,
        uint256 indexed jobId,
        address indexed validator,
        address token,
        uint256 amount
    );

    /// @notice The Validation Registry given at deployment has no code.
    error ERC8004InvalidRegistry(address registry);
    /// @notice Terms can be set once; this job has them.
    error ERC8004AlreadyConfigured(IWorkEscrow escrow, uint256 jobId);
    /// @notice Only the job's requester sets its terms (a job that does not exist has no requester).
    error ERC8004NotRequester(IWorkEscrow escrow, uint256 jobId, address caller);
    /// @notice Terms are set while the job is Open or Accepted; `validate` needs a Submitted job.
    error ERC8004InvalidJobStatus(IWorkEscrow escrow, uint256 jobId, IWorkEscrowTypes.Status status);
    /// @notice The job does not name this adapter as its verifier.
    error ERC8004NotJobVerifier(IWorkEscrow escrow, uint256 jobId, address verifier);
    /// @notice The job does not require an ERC-8004 agent identity (see the trust model).
    error ERC8004AgentNotRequired(IWorkEscrow escrow, uint256 jobId);
    /// @notice The escrow's Identity Registry is not the one the Validation Registry uses.
    error ERC8004IdentityRegistryMismatch(address escrowRegistry, address validationRegistryIdentity);
    /// @notice The validator is zero or holds another role in the job.
    error ERC8004InvalidValidator(address validator);
    /// @notice The minimum score must be 1..100.
    error ERC8004InvalidMinScore(uint8 minScore);
    /// @notice The job's requester never set terms here.
    error ERC8004NotConfigured(IWorkEscrow escrow, uint256 jobId);
    /// @notice The registry has no request `requestHash` (the provider has not opened it yet).
    error ERC8004NoRequest(bytes32 requestHash);
    /// @notice The request names another validator than the job's terms.
    error ERC8004WrongValidator(bytes32 requestHash, address expected, address actual);
    /// @notice The request was opened for another agent than the job's.
    error ERC8004WrongAgent(bytes32 requestHash, uint256 expected, uint256 actual);
    /// @notice The validator became the job's provider (an open job accepted by the validator itself).
    error ERC8004ValidatorIsProvider(IWorkEscrow escrow, uint256 jobId, address validator);
    /// @notice The validator has not answered yet (or not with the job's tag).
    error ERC8004NoResponse(bytes32 requestHash);

    /// @notice The ERC-8004 Validation Registry this adapter reads (fixed at deployment).
    function validationRegistry() external view returns (IValidationRegistry);

    /// @notice Sets the terms of `jobId` at `escrow`, once, as its requester, while it is Open or Accepted.
    /// The job must name this adapter as verifier and require an agent identity of the Identity Registry the
    /// Validation Registry uses; `validator` must hold no other role in the job.
    /// @param minScore the lowest response that approves, 1..100
    /// @param tag the tag the counting response must carry ("" = the latest response counts, whatever its tag)
    function configure(
        IWorkEscrow escrow,
        uint256 jobId,
        address validator,
        uint8 minScore,
        string calldata tag
    ) external;

    /// @notice Anyone: gives the escrow the verdict of the job's validator (see the contract NatSpec for what
    /// counts) and forwards the verifier fee to the validator. Reverts with this adapter's errors while there is
    /// nothing to apply, and with the escrow's when the escrow refuses the verdict (review window over,
    /// verdict already given).
    /// @return approved whether the work was approved (released) or rejected
    function validate(IWorkEscrow escrow, uint256 jobId) external returns (bool approved);

    /// @notice What `validate` would apply now, without applying it; reverts as `validate` does before it calls
    /// the escrow.
    /// @return requestHash the job's request hash
    /// @return response the validator's counted response, 0..100
    /// @return approved whether that response approves
    function preview(
        IWorkEscrow escrow,
        uint256 jobId
    ) external view returns (bytes32 requestHash, uint8 response, bool approved);

    /// @notice The job's terms (`validator == 0`: none set).
    function terms(IWorkEscrow escrow, uint256 jobId) external view returns (Terms memory);

    /// @notice The ERC-8004 request hash of a job's result: keccak256(abi.encode(escrow, jobId, resultHash)).
    function requestHash(IWorkEscrow escrow, uint256 jobId, bytes32 resultHash) external pure returns (bytes32);
}
