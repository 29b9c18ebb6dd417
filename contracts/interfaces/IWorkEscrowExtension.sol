// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IWorkEscrowTypes} from "./IWorkEscrowTypes.sol";

/// @title IWorkEscrowExtension — signed inputs (bids, permits, authorizations), admin and views (the functions of `WorkEscrowExtension`)
/// @notice These functions are called at the `WorkEscrow` address: its fallback delegates them to the
/// extension, which runs on the escrow's storage. See {IWorkEscrow}.
interface IWorkEscrowExtension is IWorkEscrowTypes {
    /*//////////////////////////////////////////////////////////////
                                  BIDS
    //////////////////////////////////////////////////////////////*/

    /// @notice v2: the requester awards an EIP-712 signed bid (EOA or ERC-1271 signer) on an Open job with
    /// no designated provider (or a `bidsOnly` job whose awarded bidder has not posted the bond yet).
    /// The bidder becomes the provider at `bid.price` and `amount - price` goes back to the requester at
    /// once. Without a bond the job is Accepted now; with one it stays Open, designated to the bidder,
    /// who starts it by posting the bond with `acceptJob`; until then the requester may award another
    /// bid or cancel. Uses the bid's nonce (OpenZeppelin NoncesKeyed).
    /// @param signature the provider's signature over `hashBid(bid)`
    function awardBid(uint256 jobId, Bid calldata bid, bytes calldata signature) external;

    /// @notice v2: the caller (a bidder) cancels all its outstanding bids using nonce key `key` (the SDK
    /// uses key = jobId) by using the key's current nonce.
    function invalidateNonce(uint192 key) external;

    /// @notice v2: the EIP-712 digest a provider signs for `bid` (domain: name "WorkEscrow", version "2",
    /// this chain, the escrow's address).
    function hashBid(Bid calldata bid) external view returns (bytes32);

    /// @notice v2: the provider's next nonce for `key` (`key << 64 | sequence`), as NoncesKeyed defines it.
    function nonces(address owner, uint192 key) external view returns (uint256);

    /// @notice v2: the ERC-3009 nonce `createJobWithAuthorization` requires for `p` and `o`:
    /// keccak256(abi.encode(p, o)).
    function authorizationNonce(JobParams calldata p, JobOptions calldata o) external pure returns (bytes32);

    /*//////////////////////////////////////////////////////////////
                       DISPUTES: OPENING AND OFFERS
    //////////////////////////////////////////////////////////////*/

    /// @notice Requester or provider disputes delivered work: Submitted, strictly before the review
    /// window ends. The disputer deposits the arbitration fee on the remaining amount
    /// (`amount * arbitrationFeeBps / 10_000`; native coin as exact msg.value, an ERC-20 pulled). The deposit
    /// goes to the other party if the arbitrator rules fully against the disputer, and back otherwise.
    function raiseDispute(uint256 jobId, string calldata reason) external payable;

    /// @notice Requester, provider or the job's arbitrator points at off-chain evidence (event only).
    function submitEvidence(uint256 jobId, string calldata uri) external;

    /// @notice A party offers that the provider gets `providerBps` of the remaining amount: Accepted,
    /// Submitted or Disputed. Replaces any earlier offer (by either party); lapses on a status change.
    function proposeSettlement(uint256 jobId, uint16 providerBps) external;

    /*//////////////////////////////////////////////////////////////
                                 CREDITS
    //////////////////////////////////////////////////////////////*/

    /// @notice Pays the caller's whole credit of `token` (0 = native) to the caller.
    function withdraw(address token) external;

    /// @notice Pays the caller's whole credit of `token` to `to` (e.g. when the caller cannot receive).
    function withdrawTo(address token, address to) external;
    /*//////////////////////////////////////////////////////////////
                                  ADMIN
    //////////////////////////////////////////////////////////////*/

    /// @notice Sets fee rates for jobs created from now on. Caps: platform <= MAX_PLATFORM_FEE_BPS,
    /// community <= MAX_COMMUNITY_FEE_BPS, platform + community <= MAX_PLATFORM_FEE_BPS,
    /// arbitration <= MAX_ARBITRATION_FEE_BPS.
    function setFees(uint16 platformFeeBps, uint16 communityFeeBps, uint16 arbitrationFeeBps) external;

    /// @notice Sets where future fees are credited (a new fee epoch). Credits already earned stay with their holder.
    function setFeeRecipients(address treasury, address communityFund) external;

    /// @notice Registers or unregisters an arbitrator for new jobs, with its arbitration period in seconds
    /// ([MIN_ARBITRATION_PERIOD, MAX_ARBITRATION_PERIOD]; 0 = DEFAULT_ARBITRATION_PERIOD). Existing jobs keep
    /// theirs (arbitrator and period are snapshotted at creation).
    function setArbitrator(address arbitrator, bool registered, uint32 arbitrationPeriod) external;

    /// @notice Sets the minimum amount of a job in `token` (0 = native coin) for new jobs.
    function setMinAmount(address token, uint256 minAmount) external;

    /// @notice Pauses the creation of new jobs only. Every other call stays open.
    function pause() external;

    /// @notice Resumes the creation of new jobs.
    function unpause() external;

    /*//////////////////////////////////////////////////////////////
                                  VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @notice The whole job, every term and its live state; `status == None` for an id that does not exist.
    function getJob(uint256 jobId) external view returns (Job memory);

    /// @notice `account`'s withdrawable credit of `token` (0 = native).
    function withdrawable(address token, address account) external view returns (uint256);

    /// @notice Whether `account` is one of the job's approvers, and whether it has approved.
    function approverState(uint256 jobId, address account) external view returns (bool isApprover, bool approved);

    /// @notice Whether `arbitrator` may be named by new jobs, and the arbitration period they would snapshot.
    function arbitratorInfo(address arbitrator) external view returns (bool registered, uint32 arbitrationPeriod);

    /// @notice Whether `arbitrator` may be named by new jobs.
    function isArbitrator(address arbitrator) external view returns (bool);

    /// @notice Minimum amount of a new job in `token`.
    function minAmount(address token) external view returns (uint256);

    /// @notice The number of jobs created (the last id).
    function jobCount() external view returns (uint256);

    /// @notice Whether the creation of new jobs is paused.
    function paused() external view returns (bool);

    /// @notice The current fee epoch (see `FeeRecipientsUpdated`).
    function feeEpoch() external view returns (uint32);

    function treasury() external view returns (address);

    function communityFund() external view returns (address);

    function platformFeeBps() external view returns (uint16);

    function communityFeeBps() external view returns (uint16);

    function arbitrationFeeBps() external view returns (uint16);

    /// @notice The ERC-8004 Identity Registry (ERC-721) that `agentRequired` jobs check; 0 = none.
    function identityRegistry() external view returns (address);

    /// @notice The contract this escrow delegates the functions of this interface to.
    function extension() external view returns (address);
}
