// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ERC165} from "@openzeppelin/contracts/utils/introspection/ERC165.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";

import {ICommitteeArbitrator} from "../interfaces/ICommitteeArbitrator.sol";
import {IWorkEscrow} from "../interfaces/IWorkEscrow.sol";
import {IWorkEscrowTypes} from "../interfaces/IWorkEscrowTypes.sol";
import {ArbitrationFeeCollector} from "./ArbitrationFeeCollector.sol";

/// @title CommitteeArbitrator — a committee of trusted members that arbitrates WorkEscrow disputes by vote
/// @notice See {ICommitteeArbitrator} for the rules (who votes, the quorum, the median, the fee shares,
/// membership epochs) and the trust model.
/// @dev Storage per dispute: one `Tally` slot (the fee owed included) and the votes (16 bits per member
/// position, two slots at most). Membership epochs are looked up by the dispute's `disputedAt` in an
/// OpenZeppelin `Checkpoints.Trace224` (key: the first `disputedAt` an epoch applies to), a binary search, so no
/// number of membership changes can make a vote expensive. Every mutating function is `nonReentrant`; the only
/// external calls go to the escrow (fixed at deployment), after this contract's state is updated, and to the
/// job's token inside the fee collection ({ArbitrationFeeCollector}: bounded gas, failures caught in a ruling);
/// fee credits depend on what the escrow actually paid, so they are written after that call, still under the
/// guard.
contract CommitteeArbitrator is
    ICommitteeArbitrator,
    ArbitrationFeeCollector,
    Ownable2Step,
    ReentrancyGuardTransient,
    ERC165
{
    using SafeERC20 for IERC20;
    using Checkpoints for Checkpoints.Trace224;

    /*//////////////////////////////////////////////////////////////
                               CONSTANTS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ICommitteeArbitrator
    uint256 public constant MAX_MEMBERS = 32;
    uint256 private constant BPS = 10_000; // basis points in a whole

    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    /// @dev One membership epoch. `positions` are 1-based indexes into `members` (0 = not a member).
    struct Membership {
        address[] members;
        mapping(address member => uint8 position) positions;
        uint8 quorum;
        uint8 size; // members.length (≤ MAX_MEMBERS), next to the quorum so the first vote reads one slot
        uint32 appliesFrom;
    }

    /// @dev The vote on one job's dispute (a job is disputed at most once, so the job id names the dispute).
    struct Tally {
        uint32 epoch; // 0 until the first vote; then the epoch in force at `disputedAt`
        uint8 quorum; // the dispute's quorum (see {_quorumOf}), fixed by the first vote
        uint8 votes; // votes cast; never exceeds the quorum
        bool executed;
        uint16 ruling; // the executed median, providerBps
        uint32 voters; // bit (position - 1) set = that member voted
        uint8 executor; // position of the member whose vote executed the ruling (gets the fee's remainder)
        uint128 feeOwed; // the escrow's fee for the executed ruling while it is still to be collected; else 0
    }

    uint32 private _currentEpoch;
    mapping(uint32 epoch => Membership) private _memberships;
    /// @dev key: the first `disputedAt` (unix seconds) an epoch applies to; value: the epoch.
    Checkpoints.Trace224 private _epochStarts;
    mapping(uint256 jobId => Tally) private _tallies;
    /// @dev Votes by member position - 1; 32 × uint16 = two slots.
    mapping(uint256 jobId => uint16[MAX_MEMBERS]) private _votes;
    mapping(address token => mapping(address member => uint256)) private _credits;

    /*//////////////////////////////////////////////////////////////
                              CONSTRUCTOR
    //////////////////////////////////////////////////////////////*/

    /// @param escrow_ the WorkEscrow (its core address) whose disputes this committee decides
    /// @param owner_ who may change the member set for future disputes (Ownable2Step; may renounce to freeze it)
    /// @param members_ the first member set (epoch 1, deciding every dispute until a change)
    /// @param quorum_ votes that decide a dispute, 1..members
    constructor(
        IWorkEscrow escrow_,
        address owner_,
        address[] memory members_,
        uint8 quorum_
    ) ArbitrationFeeCollector(escrow_) Ownable(owner_) {
        if (address(escrow_) == address(0)) revert CommitteeZeroAddress();
        _setMembers(members_, quorum_, 0);
    }

    /*//////////////////////////////////////////////////////////////
                                MEMBERS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ICommitteeArbitrator
    function vote(uint256 jobId, uint16 providerBps) external nonReentrant {
        if (providerBps > BPS) revert CommitteeInvalidBps(providerBps);
        IWorkEscrowTypes.Job memory job = ESCROW.getJob(jobId);
        if (job.arbitrator != address(this)) revert CommitteeNotJobArbitrator(jobId, job.arbitrator);
        if (job.status != IWorkEscrowTypes.Status.Disputed) revert CommitteeNotDisputed(jobId, job.status);
        uint256 endsAt = uint256(job.disputedAt) + job.arbitrationPeriod;
        if (block.timestamp >= endsAt) revert CommitteeVotingClosed(jobId, endsAt);

        Tally memory t = _tallies[jobId];
        Membership storage m;
        if (t.epoch == 0) {
            t.epoch = _epochAt(uint32(job.disputedAt)); // the escrow stores it as uint32
            m = _memberships[t.epoch];
            t.quorum = _quorumOf(m, job);
        } else {
            m = _memberships[t.epoch];
        }
        uint256 position = m.positions[msg.sender];
        if (position == 0) revert CommitteeNotMember(jobId, t.epoch, msg.sender);
        _requireNoConflict(jobId, job);
        uint32 bit = uint32(1 << (position - 1)); // position ≤ MAX_MEMBERS = 32
        if (t.voters & bit != 0) revert CommitteeAlreadyVoted(jobId, msg.sender);

        t.voters |= bit;
        ++t.votes; // < quorum ≤ 32 before this vote: a vote after the quorum finds the job Resolved
        _votes[jobId][position - 1] = providerBps;
        emit Voted(jobId, msg.sender, providerBps, t.votes);
        if (t.votes < t.quorum) {
            _tallies[jobId] = t;
            return;
        }
        t.executor = uint8(position); // ≤ MAX_MEMBERS
        _execute(jobId, job.token, m, t);
    }

    /// @inheritdoc ICommitteeArbitrator
    function collectFee(uint256 jobId) external nonReentrant {
        Tally memory t = _tallies[jobId];
        uint256 fee = t.feeOwed;
        if (fee == 0) revert CommitteeNoFeeOwed(jobId);
        _tallies[jobId].feeOwed = 0;
        address token = ESCROW.getJob(jobId).token;
        uint256 amount = _collectOwed(token, fee);
        emit FeeCollected(jobId, token, amount);
        _shareFee(jobId, token, amount, _memberships[t.epoch], t);
    }

    /// @inheritdoc ICommitteeArbitrator
    function withdraw(address token) external nonReentrant {
        _withdraw(token, msg.sender);
    }

    /// @inheritdoc ICommitteeArbitrator
    function withdrawTo(address token, address to) external nonReentrant {
        if (to == address(0)) revert CommitteeZeroAddress();
        _withdraw(token, to);
    }

    /// @notice Accepts the native coin only from the escrow (the arbitration fee, withdrawn by the executing vote
    /// or by `collectFee`).
    receive() external payable {
        if (msg.sender != address(ESCROW)) revert CommitteeUnexpectedPayment(msg.sender);
    }

    /*//////////////////////////////////////////////////////////////
                                 OWNER
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ICommitteeArbitrator
    function setMembers(address[] calldata members_, uint8 quorum_) external onlyOwner {
        // Applies to disputes raised from the next second on: a dispute raised in this very second (even later
        // in this block) keeps the epoch it could see when it was raised.
        _setMembers(members_, quorum_, block.timestamp + 1);
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ICommitteeArbitrator
    function escrow() external view returns (IWorkEscrow) {
        return ESCROW;
    }

    /// @inheritdoc ICommitteeArbitrator
    function currentEpoch() external view returns (uint32) {
        return _currentEpoch;
    }

    /// @inheritdoc ICommitteeArbitrator
    function epochAt(uint256 disputedAt) external view returns (uint32) {
        return _epochAt(disputedAt > type(uint32).max ? type(uint32).max : uint32(disputedAt));
    }

    /// @inheritdoc ICommitteeArbitrator
    function membership(
        uint32 epoch
    ) external view returns (address[] memory members, uint8 quorum, uint256 appliesFrom) {
        Membership storage m = _memberships[epoch];
        return (m.members, m.quorum, m.appliesFrom);
    }

    /// @inheritdoc ICommitteeArbitrator
    function tally(
        uint256 jobId
    ) external view returns (uint32 epoch, uint8 quorum, uint8 votes, bool executed, uint16 ruling) {
        Tally memory t = _tallies[jobId];
        (epoch, quorum) = (t.epoch, t.quorum);
        if (epoch == 0) {
            IWorkEscrowTypes.Job memory job = ESCROW.getJob(jobId);
            if (job.disputedAt != 0) {
                epoch = _epochAt(uint32(job.disputedAt)); // the escrow stores it as uint32
                quorum = _quorumOf(_memberships[epoch], job);
            }
        }
        return (epoch, quorum, t.votes, t.executed, t.ruling);
    }

    /// @inheritdoc ICommitteeArbitrator
    function feeOwed(uint256 jobId) external view returns (uint256) {
        return _tallies[jobId].feeOwed;
    }

    /// @inheritdoc ICommitteeArbitrator
    function feeBook(address token) external view returns (uint256 owed, uint256 held) {
        return _feeBook(token);
    }

    /// @inheritdoc ICommitteeArbitrator
    function voteOf(uint256 jobId, address member) external view returns (bool voted, uint16 providerBps) {
        Tally memory t = _tallies[jobId];
        uint256 position = _memberships[t.epoch].positions[member];
        if (t.epoch == 0 || position == 0 || t.voters & (1 << (position - 1)) == 0) return (false, 0);
        return (true, _votes[jobId][position - 1]);
    }

    /// @inheritdoc ICommitteeArbitrator
    function withdrawable(address token, address member) external view returns (uint256) {
        return _credits[token][member];
    }

    /// @notice ERC-165: {ICommitteeArbitrator} and ERC-165 itself (how the SDK recognises a committee).
    function supportsInterface(bytes4 interfaceId) public view override returns (bool) {
        return interfaceId == type(ICommitteeArbitrator).interfaceId || super.supportsInterface(interfaceId);
    }

    /*//////////////////////////////////////////////////////////////
                               INTERNAL
    //////////////////////////////////////////////////////////////*/

    /// @dev Starts a new epoch for disputes raised at or after `appliesFrom`. Checkpoint keys never decrease
    /// (time only moves forward); two changes in one second share a key and the later one wins.
    function _setMembers(address[] memory members_, uint8 quorum_, uint256 appliesFrom) private {
        uint256 count = members_.length;
        if (count == 0 || count > MAX_MEMBERS) revert CommitteeInvalidMemberCount(count, MAX_MEMBERS);
        if (quorum_ == 0 || quorum_ > count) revert CommitteeInvalidQuorum(quorum_, count);
        uint32 epoch = ++_currentEpoch;
        Membership storage m = _memberships[epoch];
        for (uint256 i; i < count; ++i) {
            address member = members_[i];
            if (member == address(0) || m.positions[member] != 0) revert CommitteeInvalidMember(member);
            m.positions[member] = uint8(i + 1); // ≤ MAX_MEMBERS
            m.members.push(member);
        }
        m.quorum = quorum_;
        m.size = uint8(count); // ≤ MAX_MEMBERS
        m.appliesFrom = uint32(appliesFrom); // unix seconds fit uint32 until 2106, as the escrow's disputedAt
        _epochStarts.push(uint32(appliesFrom), epoch);
        emit MembersUpdated(epoch, members_, quorum_, appliesFrom);
    }

    /// @dev The last epoch whose `appliesFrom` is ≤ `disputedAt` (epoch 1 applies from 0, so there always is one).
    function _epochAt(uint32 disputedAt) private view returns (uint32) {
        return uint32(_epochStarts.upperLookupRecent(disputedAt)); // epochs are counted in a uint32
    }

    /// @dev The votes of the `voters` bitmap, sorted ascending (insertion sort, at most 32 values), and the one
    /// at index (n - 1) / 2: the median for odd n, the lower middle for even n (see {ICommitteeArbitrator}).
    function _median(uint256 jobId, uint32 voters, uint8 n) private view returns (uint16) {
        uint16[MAX_MEMBERS] storage stored = _votes[jobId];
        uint16[] memory sorted = new uint16[](n);
        uint256 filled;
        for (uint256 i; filled < n; ++i) {
            if (voters & (1 << i) == 0) continue;
            uint16 v = stored[i];
            uint256 j = filled;
            ++filled;
            while (j != 0 && sorted[j - 1] > v) {
                sorted[j] = sorted[j - 1];
                --j;
            }
            sorted[j] = v;
        }
        return sorted[(n - 1) / 2];
    }

    /// @dev Reverts if the caller has a conflict of interest in the job: it is the requester or the provider, or
    /// it acted in the job as its verifier (a verdict) or as an approver (an approval). A verifier or an approver
    /// is named by the requester alone: only its own act makes it a judge in its own cause, so merely naming
    /// members cannot take their votes away (and leave the committee without a quorum).
    function _requireNoConflict(uint256 jobId, IWorkEscrowTypes.Job memory job) private view {
        if (
            msg.sender == job.requester ||
            msg.sender == job.provider ||
            (msg.sender == job.verifier && job.verdict != IWorkEscrowTypes.Verdict.None)
        ) revert CommitteeConflictOfInterest(jobId, msg.sender);
        (, bool approved) = ESCROW.approverState(jobId, msg.sender);
        if (approved) revert CommitteeConflictOfInterest(jobId, msg.sender);
    }

    /// @dev The executing vote: effects first (the tally can never execute twice), then the escrow, then the fee
    /// (shared at once, or recorded as owed when the token refuses: the ruling never depends on the token).
    function _execute(uint256 jobId, address token, Membership storage m, Tally memory t) private {
        t.executed = true;
        t.ruling = _median(jobId, t.voters, t.votes);
        _tallies[jobId] = t;
        (uint256 fee, uint256 creditBefore) = _resolveOnEscrow(jobId, t.ruling, token);
        emit RulingExecuted(jobId, msg.sender, t.ruling, t.votes, token, fee);
        if (fee == 0) return; // an arbitration fee rate of 0
        (bool collected, uint256 amount) = _tryCollect(token, fee, creditBefore);
        if (collected) {
            emit FeeCollected(jobId, token, amount);
            _shareFee(jobId, token, amount, m, t);
        } else {
            _tallies[jobId].feeOwed = uint128(fee); // ≤ the job's remaining amount, a uint128 in the escrow
            emit FeeOwed(jobId, token, fee);
        }
    }

    /// @dev The quorum of a dispute decided by epoch `m`: the epoch's quorum, lowered to the number of members
    /// who are not the job's requester or provider when those seats would make it unreachable (a party's own
    /// seat never blocks the committee; see {ICommitteeArbitrator}). 0 when every member is a party.
    function _quorumOf(Membership storage m, IWorkEscrowTypes.Job memory job) private view returns (uint8) {
        (uint8 quorum, uint8 size) = (m.quorum, m.size);
        if (uint256(quorum) + 2 <= size) return quorum; // two party seats leave enough members
        uint8 free = size;
        if (m.positions[job.requester] != 0) --free;
        if (m.positions[job.provider] != 0) --free; // the escrow never lets the provider be the requester
        return free < quorum ? free : quorum;
    }

    /// @dev `amount / votes` to each voter of tally `t`, the remainder (< votes wei) to the member who cast the
    /// executing vote (recorded in the tally, whoever collects the fee).
    function _shareFee(uint256 jobId, address token, uint256 amount, Membership storage m, Tally memory t) private {
        if (amount == 0) return;
        uint256 share = amount / t.votes;
        uint256 remainder = amount - share * t.votes;
        uint32 voters = t.voters;
        for (uint256 i; voters != 0; ++i) {
            if (voters & (1 << i) == 0) continue;
            voters &= ~uint32(1 << i);
            uint256 credit = i + 1 == t.executor ? share + remainder : share;
            if (credit == 0) continue;
            address member = m.members[i];
            _credits[token][member] += credit;
            emit Credited(jobId, token, member, credit);
        }
    }

    function _withdraw(address token, address to) private {
        uint256 amount = _credits[token][msg.sender];
        if (amount == 0) revert CommitteeNothingToWithdraw(token, msg.sender);
        _credits[token][msg.sender] = 0;
        emit Withdrawn(token, msg.sender, to, amount);
        if (token == address(0)) {
            (bool ok, ) = to.call{value: amount}("");
            if (!ok) revert CommitteeTransferFailed(to, amount);
        } else {
            IERC20(token).safeTransfer(to, amount);
        }
    }
}
