// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IWorkEscrowCore} from "./IWorkEscrowCore.sol";
import {IWorkEscrowExtension} from "./IWorkEscrowExtension.sol";

/// @title WorkEscrow — an escrow and market for paid work (compute, storage, AI-agent tasks)
/// @notice A requester locks a payment; a provider accepts the job (or wins it with a signed bid) and
/// submits a hash of the result before the deadline; the payment goes to the provider when the requester,
/// enough approvers, the job's verifier, or the silence of the review window accept the work; it goes
/// back to the requester when nothing is delivered in time; an arbitrator splits it when the two disagree
/// about delivered work.
///
/// This is the whole surface of a deployment, called at the `WorkEscrow` address: {IWorkEscrowCore} (the
/// lifecycle and its money) runs in `WorkEscrow`; {IWorkEscrowExtension} (bids, admin, views) runs in
/// `WorkEscrowExtension` on the escrow's storage, reached through the escrow's fallback. Types, events and
/// errors are in {IWorkEscrowTypes}. Dapps use this interface's ABI at the escrow's address.
///
/// @dev Trust model (what each role can and can NOT do):
/// - The admin sets fee rates (capped, new jobs only), fee recipients, the arbitrator registry with each
///   arbitrator's period (new jobs only), per-token minimums, and pauses the creation of new jobs. There is
///   no function that moves escrowed funds, pause never blocks an exit, and ownership cannot be renounced.
/// - An arbitrator can only split the remaining amount of a disputed job that named it at creation, and
///   only within the job's arbitration period. Disputes exist only over delivered work (Submitted, inside
///   the review window), so nobody is paid for work never submitted. Residual trust: an arbitrator can
///   still favour a colluding provider on submitted work; the requester is protected by choosing the
///   arbitrator (the registry, a committee or a court), the dispute deposit that a frivolous disputer
///   forfeits, a verifier, approvers, and settling by agreement at any time before a ruling.
/// - No counterparty can block a settlement: payouts are pushed with a bounded gas stipend (native coin
///   and ERC-20 alike) and a push that fails (reverting or gas-burning receivers, token hooks, return-data
///   bombs, blocklisted holders) is credited to a withdrawable balance instead (`withdrawTo` lets the
///   holder take it elsewhere).
/// - Every path has a permissionless exit: `refundExpired` after the deadline, `release` after the review
///   window, `settleStaleDispute` after the arbitration period; `finalize` applies them in batch, and the
///   job's keeper tip pays whoever does it. The escrow never calls a verifier or an arbitrator.
/// - Gasless use: every function acts for `_msgSender()`, the signer of an ERC-2771 request relayed by the
///   trusted forwarder fixed at deployment (OpenZeppelin ERC2771Forwarder). There is no `multicall`.
/// Tokens: native coin and ERC-20s, including tokens without return values (USDT) and fee-on-transfer
/// tokens (a job escrows what the contract actually received). Rebasing tokens and tokens whose balance
/// can change without a transfer are NOT supported: a negative rebase can make the escrow insolvent
/// for that token. Time: windows use `block.timestamp` (unix seconds); they are minutes to days long, so
/// the few seconds a block producer can skew a timestamp do not matter.
interface IWorkEscrow is IWorkEscrowCore, IWorkEscrowExtension {
    /*//////////////////////////////////////////////////////////////
              OPENZEPPELIN EVENTS AND ERRORS THE ESCROW EMITS
    //////////////////////////////////////////////////////////////*/
    // Declared here (not inherited by the contracts, which get them from OpenZeppelin) so that this ABI
    // decodes everything a deployment can emit or revert with.

    /// @notice Ownable2Step: an admin transfer started / completed.
    event OwnershipTransferStarted(address indexed previousOwner, address indexed newOwner);
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);
    /// @notice Pausable: job creation paused / resumed by `account` (the admin).
    event Paused(address account);
    event Unpaused(address account);

    /// @notice Ownable: `account` is not the admin (or, for acceptOwnership, not the pending admin).
    error OwnableUnauthorizedAccount(address account);
    error OwnableInvalidOwner(address owner);
    /// @notice Pausable: job creation is paused.
    error EnforcedPause();
    error ExpectedPause();
    /// @notice ReentrancyGuardTransient: a money-moving call re-entered the escrow.
    error ReentrancyGuardReentrantCall();
    /// @notice SafeERC20: an ERC-20 transfer into the escrow (a job, a bond, a deposit) or a withdrawal failed.
    error SafeERC20FailedOperation(address token);

    /// @notice At most 16 approvers: approvals are a 16-bit bitmap, so one approval costs the same with 1 or 16.
    function MAX_APPROVERS() external view returns (uint256);

    /// @notice Minimum review window, seconds (1 hour).
    function MIN_REVIEW() external view returns (uint32);

    /// @notice Maximum review window, seconds (30 days).
    function MAX_REVIEW() external view returns (uint32);

    /// @notice Maximum time from creation to deadline, seconds (365 days).
    function MAX_DURATION() external view returns (uint64);

    /// @notice v2: minimum time from creation to deadline, seconds (10 minutes).
    function MIN_WORK_TIME() external view returns (uint64);

    /// @notice v2: arbitration period of an arbitrator registered with period 0, seconds (7 days).
    function DEFAULT_ARBITRATION_PERIOD() external view returns (uint32);

    /// @notice v2: bounds of an arbitrator's arbitration period, seconds (1 day and 90 days).
    function MIN_ARBITRATION_PERIOD() external view returns (uint32);

    function MAX_ARBITRATION_PERIOD() external view returns (uint32);

    /// @notice Fee caps, basis points.
    function MAX_PLATFORM_FEE_BPS() external view returns (uint16);

    function MAX_COMMUNITY_FEE_BPS() external view returns (uint16);

    function MAX_ARBITRATION_FEE_BPS() external view returns (uint16);

    /// @notice v2: cap of a job's verifier fee, basis points (10%).
    function MAX_VERIFIER_FEE_BPS() external view returns (uint16);

    /// @notice Gas forwarded to a native-coin payout push.
    function PUSH_GAS_LIMIT() external view returns (uint256);

    /// @notice v2: gas forwarded to an ERC-20 payout push.
    function ERC20_PUSH_GAS_LIMIT() external view returns (uint256);

    /// @notice OpenZeppelin Ownable2Step: the admin, and the pending admin of a transfer.
    function owner() external view returns (address);

    function pendingOwner() external view returns (address);

    function transferOwnership(address newOwner) external;

    function acceptOwnership() external;

    /// @notice Always reverts: an escrow must always have an admin able to rotate fee recipients and arbitrators.
    function renounceOwnership() external;

    /// @notice ERC-2771: the forwarder whose relayed requests act for their signer.
    function trustedForwarder() external view returns (address);

    function isTrustedForwarder(address forwarder) external view returns (bool);

    /// @notice EIP-5267: the EIP-712 domain bids are signed in.
    function eip712Domain()
        external
        view
        returns (
            bytes1 fields,
            string memory name,
            string memory version,
            uint256 chainId,
            address verifyingContract,
            bytes32 salt,
            uint256[] memory extensions
        );
}
