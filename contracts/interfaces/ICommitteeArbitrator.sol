// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IWorkEscrow} from "./IWorkEscrow.sol";
import {IWorkEscrowTypes} from "./IWorkEscrowTypes.sol";

/// @title ICommitteeArbitrator — a committee of trusted members that arbitrates WorkEscrow disputes by vote
/// @notice The committee is one address in the escrow's arbitrator registry. For each disputed job that named
/// it, every member of the committee *as it was when the dispute was raised* may vote once, strictly before
/// the job's arbitration period ends (`disputedAt + arbitrationPeriod`), the share of the remaining amount the
/// provider should get (`providerBps`, 0..10,000). The vote that reaches the quorum executes the median of the
/// votes on the escrow (`resolveDispute`) in the same transaction, so no one has to be trusted to trigger it:
/// whichever member casts the quorum vote triggers it. Without a quorum in time nothing happens here and the
/// escrow's own stale settlement (50/50, anyone, from `disputedAt + arbitrationPeriod`) applies unchanged.
///
/// Median: the votes sorted ascending, the element at index `(n - 1) / 2` — the exact median for an odd
/// number of votes, the LOWER of the two middle votes for an even number (the smaller payment to the
/// provider: the requester paid, so a tie between two middles is broken against paying more). The median
/// cannot be moved past the honest majority by a minority of extreme votes.
///
/// Fee: the escrow credits its arbitration fee (the job's `arbitrationFeeBps` of the remaining amount) to the
/// committee when the ruling executes; the executing vote withdraws it from the escrow at once and credits
/// what arrived, in the job's token, in equal shares to the members who voted (`fee / votes` each). The
/// remainder (`fee % votes`, less than one wei per voter) goes to the member who cast the executing vote, who
/// also paid the gas of the execution. Members take their credit with `withdraw(token)`.
///
/// Membership: the owner (OpenZeppelin Ownable2Step) may replace the member set and the quorum; every change
/// starts a new membership epoch that applies to disputes raised strictly after the change
/// (`disputedAt >= appliesFrom = block.timestamp + 1` of the change). A dispute is always decided by the epoch
/// in force when it was raised, so a change never adds or removes a voter, or changes the quorum, of a dispute
/// already open. Renouncing ownership freezes the committee for good.
///
/// @dev Trust model: members are trusted as a group, not individually: a quorum of them decides the split of
/// a disputed job (within the escrow's limits: only submitted work, only the remaining amount, only within the
/// arbitration period); fewer than half of the quorum cannot move the median beyond the honest votes. A
/// member who is the job's requester, provider, verifier or one of its approvers cannot vote on it. The owner
/// chooses who decides future disputes but cannot touch open ones, votes, or credited fees. The committee holds
/// only the members' fee credits; every wei it receives from the escrow is credited to a voter.
interface ICommitteeArbitrator {
    /*//////////////////////////////////////////////////////////////
                                 EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @notice Membership epoch `epoch` decides disputes raised at or after `appliesFrom` (unix seconds; 0 for
    /// the first epoch), until a later epoch applies.
    event MembersUpdated(uint32 indexed epoch, address[] members, uint8 quorum, uint256 appliesFrom);

    /// @notice `member` voted `providerBps` on job `jobId`'s dispute; `votes` is the number of votes cast so far.
    event Voted(uint256 indexed jobId, address indexed member, uint16 providerBps, uint8 votes);

    /// @notice The median `providerBps` of the `votes` votes was executed on the escrow by `executor`'s vote;
    /// `fee` of `token` (0 = native coin) arrived from the escrow and was shared by the voters.
    event RulingExecuted(
        uint256 indexed jobId,
        address indexed executor,
        uint16 providerBps,
        uint8 votes,
        address token,
        uint256 fee
    );

    /// @notice `amount` of `token` was credited to `member`'s withdrawable balance (its share of job `jobId`'s fee).
    event Credited(uint256 indexed jobId, address indexed token, address indexed member, uint256 amount);

    /// @notice `member` withdrew its credit of `token` to `to`.
    event Withdrawn(address indexed token, address indexed member, address indexed to, uint256 amount);

    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    error CommitteeZeroAddress();
    /// @notice A member set must have 1..maximum members.
    error CommitteeInvalidMemberCount(uint256 count, uint256 maximum);
    /// @notice A member is address(0) or listed twice.
    error CommitteeInvalidMember(address member);
    /// @notice The quorum must be 1..members.
    error CommitteeInvalidQuorum(uint8 quorum, uint256 members);
    /// @notice The job did not name this committee as its arbitrator.
    error CommitteeNotJobArbitrator(uint256 jobId, address arbitrator);
    /// @notice The job is not in dispute (not yet, or already ended: ruled, settled, stale).
    error CommitteeNotDisputed(uint256 jobId, IWorkEscrowTypes.Status status);
    /// @notice The job's arbitration period ended at `endedAt`: the escrow's stale settlement applies.
    error CommitteeVotingClosed(uint256 jobId, uint256 endedAt);
    /// @notice `account` is not a member of membership epoch `epoch`, which decides this dispute.
    error CommitteeNotMember(uint256 jobId, uint32 epoch, address account);
    /// @notice `member` is the job's requester, provider, verifier or an approver of it.
    error CommitteeConflictOfInterest(uint256 jobId, address member);
    error CommitteeAlreadyVoted(uint256 jobId, address member);
    error CommitteeInvalidBps(uint16 providerBps);
    error CommitteeNothingToWithdraw(address token, address member);
    error CommitteeTransferFailed(address to, uint256 amount);
    /// @notice Only the escrow pays the committee (its arbitration fee); any other native payment is refused.
    error CommitteeUnexpectedPayment(address from);

    /*//////////////////////////////////////////////////////////////
                                MEMBERS
    //////////////////////////////////////////////////////////////*/

    /// @notice A member votes that the provider gets `providerBps` (0..10,000) of the job's remaining amount.
    /// Once per dispute, strictly before `disputedAt + arbitrationPeriod`, only by a member of the epoch in
    /// force when the dispute was raised who holds no role in the job. The vote that reaches the quorum
    /// executes the median on the escrow and shares the arbitration fee (see the contract NatSpec).
    function vote(uint256 jobId, uint16 providerBps) external;

    /// @notice Pays the caller's whole credit of `token` (0 = native coin) to the caller.
    function withdraw(address token) external;

    /// @notice Pays the caller's whole credit of `token` to `to`.
    function withdrawTo(address token, address to) external;

    /*//////////////////////////////////////////////////////////////
                                 OWNER
    //////////////////////////////////////////////////////////////*/

    /// @notice Replaces the member set (1..MAX_MEMBERS distinct non-zero addresses) and the quorum
    /// (1..members) for disputes raised from the next second on. Open disputes keep their epoch.
    function setMembers(address[] calldata members, uint8 quorum) external;

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @notice The escrow this committee arbitrates for (fixed at deployment).
    function escrow() external view returns (IWorkEscrow);

    /// @notice At most 32 members: who voted is a 32-bit bitmap and the votes fit two storage slots.
    function MAX_MEMBERS() external view returns (uint256);

    /// @notice The latest membership epoch (1 at deployment).
    function currentEpoch() external view returns (uint32);

    /// @notice The membership epoch that decides a dispute raised at `disputedAt` (unix seconds).
    function epochAt(uint256 disputedAt) external view returns (uint32);

    /// @notice The members (in order), the quorum and the first dispute time (unix seconds) of epoch `epoch`.
    function membership(
        uint32 epoch
    ) external view returns (address[] memory members, uint8 quorum, uint256 appliesFrom);

    /// @notice The state of job `jobId`'s vote: the epoch deciding it (from the escrow's `disputedAt`; 0 if the
    /// job was never disputed), its quorum, the votes cast, whether the ruling was executed and its `providerBps`.
    function tally(
        uint256 jobId
    ) external view returns (uint32 epoch, uint8 quorum, uint8 votes, bool executed, uint16 ruling);

    /// @notice Whether `member` voted on job `jobId`, and its vote.
    function voteOf(uint256 jobId, address member) external view returns (bool voted, uint16 providerBps);

    /// @notice `member`'s withdrawable credit of `token` (0 = native coin).
    function withdrawable(address token, address member) external view returns (uint256);
}
