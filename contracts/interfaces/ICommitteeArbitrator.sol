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
/// Who may vote (conflicts of interest): not the job's requester or provider; not its verifier once it has
/// given a verdict; not an approver who has approved the work. A verifier or approver is named by the requester
/// alone, without its consent, so merely being named takes no member's vote away (otherwise a requester could
/// name the members and leave the committee without a quorum); its own act in the job does.
///
/// Quorum: the epoch's quorum, except when the members who are the job's requester or provider would make it
/// unreachable: it is then lowered to the number of the other members (`min(quorum, members − party seats)`),
/// so a party's own seat never blocks a ruling (e.g. 3 members, quorum 3, the requester is one of them: the
/// other two decide). Fixed by the first vote; `tally` shows it.
///
/// Median: the votes sorted ascending, the element at index `(n - 1) / 2` — the exact median for an odd
/// number of votes, the LOWER of the two middle votes for an even number (the smaller payment to the
/// provider: the requester paid, so a tie between two middles is broken against paying more). The median
/// cannot be moved past the honest majority by a minority of extreme votes.
///
/// Fee: the escrow credits its arbitration fee (the job's `arbitrationFeeBps` of the remaining amount) to the
/// committee when the ruling executes. The executing vote tries to withdraw it at once (bounded gas; whatever
/// the token does — paused, blocklisting the committee, reverting, burning gas — the ruling stands) and credits
/// what arrived, in the job's token, in equal shares to the members who voted (`amount / votes` each). The
/// remainder (`amount % votes`, less than one wei per voter) goes to the member who cast the executing vote, who
/// also paid the gas of the execution. If the withdrawal fails, the fee stays in the escrow as the committee's
/// credit, owed to that ruling (`FeeOwed`, `feeOwed(jobId)`); anyone calls `collectFee(jobId)` later and the
/// same shares are credited (the remainder still to the executor). Members take their credit with
/// `withdraw(token)`.
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
/// member who is a party of the job, or acted in it as its verifier or an approver, cannot vote on it. The
/// owner chooses who decides future disputes but cannot touch open ones, votes, or credited fees. The committee
/// holds only the members' fee credits and fees collected for rulings not yet shared (see `feeBook`); every wei
/// it receives from the escrow is credited to a voter. Between transactions its escrow credit is 0 or owed to
/// recorded rulings.
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
    /// the escrow credited the committee `fee` of `token` (0 = native coin) for it, owed to the voters
    /// (followed by `FeeCollected` when it was withdrawn, or `FeeOwed` when it could not be).
    event RulingExecuted(
        uint256 indexed jobId,
        address indexed executor,
        uint16 providerBps,
        uint8 votes,
        address token,
        uint256 fee
    );

    /// @notice `amount` of `token` arrived from the escrow for job `jobId`'s ruling (its fee, less any transfer fee
    /// of the token) and was shared by its voters (`Credited`), by the executing vote or by `collectFee`.
    event FeeCollected(uint256 indexed jobId, address indexed token, uint256 amount);

    /// @notice Job `jobId`'s fee (`fee` of `token`) could not be withdrawn from the escrow in the ruling's
    /// transaction (the token refused or needed too much gas); it stays owed to the voters: `collectFee(jobId)`.
    event FeeOwed(uint256 indexed jobId, address indexed token, uint256 fee);

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
    /// @notice `member` is the job's requester or provider, its verifier after a verdict, or an approver who
    /// approved.
    error CommitteeConflictOfInterest(uint256 jobId, address member);
    error CommitteeAlreadyVoted(uint256 jobId, address member);
    error CommitteeInvalidBps(uint16 providerBps);
    error CommitteeNothingToWithdraw(address token, address member);
    /// @notice Job `jobId` has no fee owed (no executed ruling, or its fee was already collected).
    error CommitteeNoFeeOwed(uint256 jobId);
    error CommitteeTransferFailed(address to, uint256 amount);
    /// @notice Only the escrow pays the committee (its arbitration fee); any other native payment is refused.
    error CommitteeUnexpectedPayment(address from);

    /*//////////////////////////////////////////////////////////////
                                MEMBERS
    //////////////////////////////////////////////////////////////*/

    /// @notice A member votes that the provider gets `providerBps` (0..10,000) of the job's remaining amount.
    /// Once per dispute, strictly before `disputedAt + arbitrationPeriod`, only by a member of the epoch in
    /// force when the dispute was raised who has no conflict of interest in the job. The vote that reaches the
    /// quorum executes the median on the escrow and shares the arbitration fee, or records it as owed if the
    /// escrow's transfer fails (see the contract NatSpec): the ruling never depends on the token.
    function vote(uint256 jobId, uint16 providerBps) external;

    /// @notice Anyone: collects job `jobId`'s fee that the executing vote could not withdraw (`FeeOwed`) and
    /// credits the voters' shares (the remainder to the executing voter). Reverts, changing nothing, while the
    /// token still refuses the escrow's transfer.
    function collectFee(uint256 jobId) external;

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
    /// job was never disputed), its quorum (lowered when party seats would block it), the votes cast, whether the
    /// ruling was executed and its `providerBps`.
    function tally(
        uint256 jobId
    ) external view returns (uint32 epoch, uint8 quorum, uint8 votes, bool executed, uint16 ruling);

    /// @notice Whether `member` voted on job `jobId`, and its vote.
    function voteOf(uint256 jobId, address member) external view returns (bool voted, uint16 providerBps);

    /// @notice `member`'s withdrawable credit of `token` (0 = native coin).
    function withdrawable(address token, address member) external view returns (uint256);

    /// @notice The fee of job `jobId`'s executed ruling that is still to be collected (`collectFee`); 0 if none.
    function feeOwed(uint256 jobId) external view returns (uint256);

    /// @notice For `token`: `owed`, the fees still owed to executed rulings (Σ `feeOwed` of the jobs in that
    /// token), and `held`, what already arrived for them from the escrow (one withdrawal takes the committee's
    /// whole escrow credit, so it can carry several rulings' fees) and is not yet credited.
    function feeBook(address token) external view returns (uint256 owed, uint256 held);
}
