// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IWorkEscrowTypes} from "./IWorkEscrowTypes.sol";

/// @title IWorkEscrowCore — the job lifecycle and its money (the functions of the `WorkEscrow` contract)
/// @notice Every function here acts for `_msgSender()`: the caller, or the signer of an ERC-2771 request
/// relayed through the deployment's trusted forwarder. See {IWorkEscrow} for the protocol and trust model.
interface IWorkEscrowCore is IWorkEscrowTypes {
    /*//////////////////////////////////////////////////////////////
                                REQUESTER
    //////////////////////////////////////////////////////////////*/

    /// @notice Creates and funds a job without optional terms (v1's call). Native coin: send `p.amount` as
    /// msg.value. ERC-20: approve `p.amount` first; the job escrows what actually arrived (fee-on-transfer).
    /// @dev Reverts while creation is paused (OpenZeppelin `EnforcedPause`). Fee rates, the arbitrator and its
    /// arbitration period, and the approvers are fixed here. Errors: `WorkEscrowZeroAmount`,
    /// `WorkEscrowAmountBelowMinimum`, `WorkEscrowAmountTooLarge`, `WorkEscrowInvalidDeadline`,
    /// `WorkEscrowInvalidReviewPeriod`, `WorkEscrowInvalidJobType`, `WorkEscrowZeroJobHash`,
    /// `WorkEscrowArbitratorNotRegistered`, `WorkEscrowInvalidProvider`, `WorkEscrowTooManyApprovers`,
    /// `WorkEscrowInvalidThreshold`, `WorkEscrowInvalidApprover`, `WorkEscrowValueMismatch`,
    /// `WorkEscrowNothingReceived`.
    /// @return jobId the new job's id (1, 2, 3, …)
    function createJob(JobParams calldata p) external payable returns (uint256 jobId);

    /// @notice v2: `createJob` with optional terms (bond, keeper tip, verifier, bids only, agent identity).
    /// Native coin: send `p.amount + o.keeperTip` as msg.value; ERC-20: approve that much. A shortfall of a
    /// fee-on-transfer token comes off `amount`, never off the tip. All-zero options make a plain job.
    /// @dev Besides `createJob`'s errors: `WorkEscrowAmountTooLarge` (bond or tip above uint128),
    /// `WorkEscrowInvalidVerifier`, `WorkEscrowIdentityRegistryNotSet`, `WorkEscrowInvalidProvider` (a named
    /// provider on a bids-only job), `WorkEscrowInvalidApprover` (the verifier is also an approver).
    function createJobWithOptions(JobParams calldata p, JobOptions calldata o) external payable returns (uint256 jobId);

    /// @notice `createJobWithOptions` for an ERC-20 with an EIP-2612 `permit` of `p.amount + o.keeperTip` to
    /// this contract, signed by the requester (`_msgSender()`), in the same transaction. If the permit call
    /// fails (e.g. someone already submitted it) the job is still created when the allowance suffices.
    /// Options may be all zero.
    /// @param permitDeadline the permit's deadline (unix seconds)
    function createJobWithPermit(
        JobParams calldata p,
        JobOptions calldata o,
        uint256 permitDeadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (uint256 jobId);

    /// @notice `createJobWithOptions` funded by an ERC-3009 `receiveWithAuthorization` (as USDC offers) signed
    /// by `from`, who becomes the requester. Anyone may send it: the authorization's nonce must be
    /// `authorizationNonce(p, o)`, so the signature commits to every term of the job, and its value must be
    /// `p.amount + o.keeperTip`. A requester needs no native coin and no approval. Options may be all zero.
    /// @param from the requester, who signed the authorization
    /// @param validAfter the authorization is valid strictly after this time (unix seconds)
    /// @param validBefore the authorization is valid strictly before this time (unix seconds)
    function createJobWithAuthorization(
        JobParams calldata p,
        JobOptions calldata o,
        address from,
        uint256 validAfter,
        uint256 validBefore,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (uint256 jobId);

    /// @notice Requester cancels an Open job (nobody accepted yet): the amount and the tip come back, no fee.
    function cancelJob(uint256 jobId) external;

    /// @notice Pays the provider the whole remaining amount (minus platform and community fees) and
    /// returns its bond. The requester may call it from Accepted on; anyone may call it once the review
    /// window after submission has fully passed (`now >= submittedAt + reviewPeriod`), unless the job's
    /// verifier rejected the work. A caller who holds no role in the job earns the keeper tip.
    function release(uint256 jobId) external;

    /// @notice v2: the requester pays `amount` (1 ≤ amount ≤ remaining) of the remaining amount to the
    /// provider now, fees on that part at the job's rates. Accepted or Submitted. Reaching 0 releases the job.
    function releasePartial(uint256 jobId, uint256 amount) external;

    /*//////////////////////////////////////////////////////////////
                                PROVIDER
    //////////////////////////////////////////////////////////////*/

    /// @notice Accepts an Open job up to and including its deadline: the designated (or awarded)
    /// provider, or for an open job without `bidsOnly` anyone who holds no other role in it. Posts the
    /// job's `providerBond`: native coin as exact msg.value, an ERC-20 pulled (approve it first).
    /// With `agentRequired`, the caller must own the job's ERC-8004 agent identity.
    function acceptJob(uint256 jobId) external payable;

    /// @notice The provider submits a non-zero hash of the result up to and including the deadline.
    /// Starts the review window.
    function submitWork(uint256 jobId, bytes32 resultHash) external;

    /// @notice v2: the provider returns `amount` (1 ≤ amount ≤ remaining) of the remaining amount to the
    /// requester. Accepted or Submitted. Reaching 0 ends the job as Refunded and forfeits the bond.
    function refundPartial(uint256 jobId, uint256 amount) external;

    /*//////////////////////////////////////////////////////////////
                          APPROVER AND VERIFIER
    //////////////////////////////////////////////////////////////*/

    /// @notice An approver approves submitted work, once. The approval that reaches the threshold
    /// releases the payment. Costs the same whatever the number of approvers.
    function approveWork(uint256 jobId) external;

    /// @notice v2: the job's verifier approves (released at once) or rejects the submitted work, once,
    /// strictly before the review window ends; it is credited `verifierFeeBps` of the remaining amount
    /// on either verdict. A rejection opens a new review window for the provider, `verdictAt + reviewPeriod`:
    /// it may dispute until then (the arbitrator decides); otherwise anyone refunds the requester from then
    /// on (`refundExpired`) and the bond is forfeited. So a rejection in the window's last second still
    /// leaves the provider a whole review period.
    function verifyWork(uint256 jobId, bool approved) external;

    /*//////////////////////////////////////////////////////////////
                                 ANYONE
    //////////////////////////////////////////////////////////////*/

    /// @notice Refunds the requester, no fee: an Open or Accepted job once `now > deadline` (nothing was
    /// submitted), or a Submitted job whose verifier rejected it once the provider's window to dispute the
    /// rejection has passed (`now >= verdictAt + reviewPeriod`). A bond posted is forfeited to the requester.
    /// Anyone may call; a caller who holds no role in the job earns the keeper tip.
    function refundExpired(uint256 jobId) external;

    /// @notice v2: applies to each listed job whichever permissionless exit is open to it now (release
    /// after the review window, refund after the deadline or a rejection, stale settlement) and skips the
    /// others (unknown ids, jobs not yet finalisable) without reverting. Keeper tips go to the caller.
    /// @return finalized how many of the listed jobs this call ended
    function finalize(uint256[] calldata jobIds) external returns (uint256 finalized);

    /*//////////////////////////////////////////////////////////////
                                DISPUTES
    //////////////////////////////////////////////////////////////*/

    /// @notice The other party accepts the standing offer; `providerBps` must match it (guards against a
    /// last-second replacement). Ends the job as Resolved (Agreed) with no arbitration fee; the bond goes
    /// back to the provider and a dispute deposit to the disputer. 0 bps is a mutual cancellation.
    function acceptSettlement(uint256 jobId, uint16 providerBps) external;

    /// @notice The job's arbitrator splits the remaining amount: the arbitration fee first, then
    /// `providerBps` of the rest to the provider (minus platform and community fees), the exact remainder
    /// to the requester; the bond is split by `providerBps`. Only strictly before
    /// `disputedAt + arbitrationPeriod`.
    function resolveDispute(uint256 jobId, uint16 providerBps) external;

    /// @notice Anyone settles a dispute nobody ruled on in time (`now >= disputedAt + arbitrationPeriod`):
    /// 50/50, no arbitration fee; the bond goes back to the provider and the deposit to the disputer.
    function settleStaleDispute(uint256 jobId) external;
}
