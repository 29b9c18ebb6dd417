// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {Vm} from "forge-std/Vm.sol";
import {IWorkEscrow} from "../../contracts/interfaces/IWorkEscrow.sol";
import {IWorkEscrowTypes} from "../../contracts/interfaces/IWorkEscrowTypes.sol";
import {FeeOnTransferToken} from "../../contracts/mocks/MockTokens.sol";
import {EscrowModel} from "./EscrowModel.sol";
import {NoErc1271Actor, RevertingActor} from "./EscrowFixture.sol";

/// @notice Drives a v2 WorkEscrow through random sequences of every entry point (Morpho Blue's handler
/// style): inputs are bounded to mostly valid calls, the handler itself never reverts, and every call is
/// measured. Money: the native coin and a fee-on-transfer token. Actors: four EOAs (they sign bids), one
/// contract that refuses the native coin (its pushes must become credits) and one contract wallet without
/// ERC-1271 (its "signatures" must never be valid).
///
/// For every call the handler knows whether it must succeed (a model of the preconditions, including the
/// exact window edges, which it reaches by warping to t-1, t or t+1) and records an `outcome` violation when
/// the escrow disagrees. Around every call it snapshots the escrow's balance and every account's balance and
/// withdrawable credit of the job's token, and keeps ghost variables:
/// - `ghostIn[id]` / `ghostOut[id]`: what came in for the job (balance increase) and what went out (balance
///   decrease plus new credits, fees included), over the job's whole life (partial payments too);
/// - `payout` violations: a settlement whose per-account gains differ from {EscrowModel} by one wei;
/// - `consent` violations: a provider paid (or a job Released) without a submission, on a path the requester,
///   its approvers or verifier did not take or agree to;
/// - `transition` violations: a status change the state machine does not allow (terminal states are terminal);
/// - `credit` violations: a credit that went down other than by its holder's withdrawal;
/// - `loggedCredit`: every account's credit rebuilt from `Credited`, the fees named by the settlement events
///   (to the recipients of the fee epoch in force) and `Withdrawn` alone.
/// `calls[kind]` counts what each run reached (see `kinds()`), so a run that exercised nothing is visible.
contract EscrowHandler is Test {
    uint256 internal constant BPS = 10_000;
    uint256 internal constant MAX_AMOUNT = 1e24;

    // Status masks for job selection.
    uint256 internal constant OPEN = 1 << uint8(IWorkEscrowTypes.Status.Open);
    uint256 internal constant ACCEPTED = 1 << uint8(IWorkEscrowTypes.Status.Accepted);
    uint256 internal constant SUBMITTED = 1 << uint8(IWorkEscrowTypes.Status.Submitted);
    uint256 internal constant DISPUTED = 1 << uint8(IWorkEscrowTypes.Status.Disputed);
    uint256 internal constant ANY_STATUS = 0x1FE; // Open through Resolved

    // Conditions for job selection (see `_pick`). Structural ones always apply; timing ones are dropped in one
    // pick of sixteen, so that calls outside their windows are tried (and must be refused) too.
    uint256 internal constant UNDESIGNATED = 1; // open job without a provider (biddable)
    uint256 internal constant WITH_APPROVERS = 2;
    uint256 internal constant VERIFIABLE = 4; // a verifier and no verdict yet
    uint256 internal constant PROPOSED = 8; // a standing settlement offer
    uint256 internal constant NOT_REJECTED = 16;
    uint256 internal constant REJECTED = 32;
    uint256 internal constant STRUCTURAL = 63;
    uint256 internal constant BEFORE_DEADLINE = 64; // now <= deadline
    uint256 internal constant AFTER_DEADLINE = 128; // now > deadline
    uint256 internal constant IN_REVIEW = 256; // now < submittedAt + reviewPeriod
    uint256 internal constant REVIEW_OVER = 512;
    uint256 internal constant IN_ARBITRATION = 1024; // now < disputedAt + arbitrationPeriod
    uint256 internal constant ARBITRATION_OVER = 2048;

    /// @dev What job selection needs to know about a job, refreshed from `getJob` after every call on it.
    struct JobInfo {
        uint64 deadline;
        uint64 reviewEnd;
        uint64 arbitrationEnd;
        uint8 flags; // UNDESIGNATED | VERIFIABLE | PROPOSED | REJECTED
    }

    /// @dev A measured escrow call.
    struct Call {
        bytes32 kind;
        uint256 id; // 0 for calls on no job
        address token; // the token whose balances are measured
        address caller;
        uint256 value;
        bytes data;
        bool expectOk;
        bool settles; // compare the gains with `payout`
        bool consented; // the requester (or its approvers/verifier) released or agreed
        EscrowModel.Payout payout;
        bytes32 also; // a second kind counted when the call succeeds (0 = none)
    }

    /// @dev Balances of one token before or after a call.
    struct Snap {
        uint256 escrow;
        uint256[] balances; // per account
        uint256[] credits; // per account: withdrawable
    }

    struct Measurement {
        bool ok;
        bytes ret;
        IWorkEscrowTypes.Job before;
        IWorkEscrowTypes.Job afterwards;
        Snap s0;
        Snap s1;
    }

    // Plain storage, not immutables: the test runner identifies the handler by its deployed bytecode.
    IWorkEscrow public escrow;
    FeeOnTransferToken public token;
    address public admin;
    address public revertingActor;
    address public plainContract;
    address public verifierAccount;
    uint256 internal _tokenFeeBps;

    address[] public actors;
    mapping(address actor => uint256 key) internal _keys;
    address[3] public arbitrators;
    bool[3] public arbitratorRegistered;
    uint32[3] public arbitratorPeriod; // as registered (0 = default)
    address[4] public feeAccounts;
    /// @notice Every address that can ever hold a credit or a balance that matters.
    address[] public accounts;
    mapping(address account => uint256 position) internal _position; // 1-based
    mapping(uint32 epoch => address[2] recipients) internal _epochRecipients;
    mapping(uint256 jobId => address) internal _jobToken;
    uint16[3] public fees; // platform, community, arbitration (the rates new jobs snapshot)
    bool public paused;

    // ----------------------------------------------------------------- ghosts
    uint256 public jobs;
    mapping(uint256 jobId => uint256) public ghostIn;
    mapping(uint256 jobId => uint256) public ghostOut;
    mapping(uint256 jobId => IWorkEscrowTypes.Status) public lastStatus;
    mapping(uint256 jobId => JobInfo) internal _info;
    mapping(uint256 jobId => bool) public submitted;
    mapping(uint256 jobId => address[]) internal _approvers;
    mapping(uint256 jobId => mapping(address approver => bool)) public approvedBy;
    mapping(uint256 jobId => uint16) public approvals;
    mapping(address token => mapping(address account => uint256)) public loggedCredit;

    uint256 public violationTotal;
    mapping(bytes32 category => uint256) public violations;
    mapping(bytes32 category => string) public firstViolation;
    mapping(bytes32 kind => uint256) public calls;
    bytes32[] internal _kinds;
    mapping(bytes32 kind => bool) internal _seen;

    constructor(
        IWorkEscrow escrow_,
        FeeOnTransferToken token_,
        address admin_,
        address[3] memory arbitrators_,
        uint32[3] memory periods_,
        address[2] memory feeRecipients_,
        uint16[3] memory fees_
    ) {
        escrow = escrow_;
        token = token_;
        admin = admin_;
        _tokenFeeBps = token_.feeBps();
        for (uint256 i; i < 4; ++i) {
            (address a, uint256 key) = makeAddrAndKey(string.concat("actor", vm.toString(i)));
            actors.push(a);
            _keys[a] = key;
        }
        revertingActor = address(new RevertingActor());
        plainContract = address(new NoErc1271Actor());
        actors.push(revertingActor);
        actors.push(plainContract);
        verifierAccount = makeAddr("verifier");
        for (uint256 i; i < actors.length; ++i) {
            vm.deal(actors[i], 1e30);
            token_.mint(actors[i], 1e30);
            vm.prank(actors[i]);
            token_.approve(address(escrow_), type(uint256).max);
            _addAccount(actors[i]);
        }
        _addAccount(verifierAccount);
        arbitrators = arbitrators_;
        arbitratorPeriod = periods_;
        for (uint256 i; i < 3; ++i) {
            arbitratorRegistered[i] = true;
            _addAccount(arbitrators_[i]);
        }
        feeAccounts = [feeRecipients_[0], feeRecipients_[1], makeAddr("treasury2"), makeAddr("community2")];
        for (uint256 i; i < 4; ++i) _addAccount(feeAccounts[i]);
        _epochRecipients[escrow_.feeEpoch()] = feeRecipients_;
        fees = fees_;
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    function accountCount() external view returns (uint256) {
        return accounts.length;
    }

    function actorCount() external view returns (uint256) {
        return actors.length;
    }

    /// @notice The jobs the handler last saw live (Open, Accepted, Submitted or Disputed).
    function liveJobs() external view returns (uint256[] memory ids) {
        ids = new uint256[](jobs);
        uint256 count;
        for (uint256 id = 1; id <= jobs; ++id) {
            if (uint8(lastStatus[id]) <= uint8(IWorkEscrowTypes.Status.Disputed)) ids[count++] = id;
        }
        assembly ("memory-safe") {
            mstore(ids, count)
        }
    }

    /// @notice Every kind of call that succeeded at least once in this run, in first-seen order.
    function kinds() external view returns (bytes32[] memory) {
        return _kinds;
    }

    /*//////////////////////////////////////////////////////////////
                            ACTIONS: REQUESTER
    //////////////////////////////////////////////////////////////*/

    /// @notice createJob with random optional terms: designated or open, native or fee-on-transfer, bond, tip,
    /// verifier (an actor or the dedicated verifier, fee 0, random or the 1,000 bps cap), 0–3 approvers, any of
    /// the arbitrators (one unregistered by the admin must be refused; so must creation while paused).
    function createJob(uint256 seed, uint256 amount, uint256 extra, uint256 opts) external {
        if (paused && (opts >> 12) % 2 == 0) _unpause(); // a pause lasts a few calls, not the rest of the run
        _create(seed, amount, extra, opts, false);
    }

    /// @notice cancelJob on an open job, by its requester (or, in one mode of eight, by someone else).
    function cancelJob(uint256 seed, uint256 mode) external {
        uint256 id = _openJob(seed, 0);
        if (id == 0) return _count("idle");
        IWorkEscrowTypes.Job memory j = escrow.getJob(id);
        Call memory c = _call("cancel", id, j, mode % 8 == 0 ? _actor(mode >> 3) : j.requester);
        c.data = abi.encodeCall(escrow.cancelJob, (id));
        c.expectOk = _is(j, OPEN) && c.caller == j.requester;
        c.payout = EscrowModel.cancel(j);
        c.settles = true;
        _exec(c);
    }

    /// @notice awardBid on an open job without a provider: an EOA bidder with no role in the job signs an
    /// EIP-712 bid at a random price. Refused: the contract actors as bidders (neither implements ERC-1271), a
    /// price above the amount, an expired bid, a nonce the bidder cancelled, a signature by another key, a
    /// caller other than the requester, and (in the random-actor mode) a bidder that holds another role.
    function awardBid(uint256 seed, uint256 who, uint256 price, uint256 mode) external {
        uint256 id = _openJob(seed, UNDESIGNATED);
        if (id == 0) return _count("idle");
        IWorkEscrowTypes.Job memory j = escrow.getJob(id);
        mode %= 16;
        address bidder = mode == 0
            ? (who % 2 == 0 ? revertingActor : plainContract)
            : mode == 6
                ? _actor(who)
                : _freeActor(id, j, who, true);
        if (bidder == address(0)) return _count("idle");
        IWorkEscrowTypes.Bid memory bid = IWorkEscrowTypes.Bid({
            jobId: id,
            provider: bidder,
            price: mode == 1 ? j.amount + 1 : _bound(price, 1, j.amount),
            expiry: uint64(mode == 2 ? block.timestamp - 1 : block.timestamp + 1 hours),
            nonce: escrow.nonces(bidder, uint192(id))
        });
        bool nonceFresh = true;
        if (mode == 3) {
            (bool ok, bytes memory ret) = _callEscrow(bidder, 0, abi.encodeCall(escrow.invalidateNonce, (uint192(id))));
            nonceFresh = !_checkOutcome("invalidateNonce", true, ok, ret);
            if (ok) _count("invalidateNonce");
        }
        bytes memory signature = _signBid(bid, mode == 4 ? uint256(keccak256("not the bidder's key")) : _keys[bidder]);

        Call memory c = _call("awardBid", id, j, mode == 5 ? _actorOtherThan(who, j.requester, bidder) : j.requester);
        c.data = abi.encodeCall(escrow.awardBid, (id, bid, signature));
        c.expectOk =
            _is(j, OPEN) &&
            j.provider == address(0) &&
            c.caller == j.requester &&
            !_holdsRole(id, j, bidder) &&
            block.timestamp <= j.deadline &&
            bid.price <= j.amount &&
            block.timestamp <= bid.expiry &&
            _keys[bidder] != 0 &&
            mode != 4 &&
            nonceFresh;
        if (c.expectOk) c.payout = EscrowModel.award(j, bid.price);
        c.settles = true;
        c.consented = true; // the provider gets nothing here; the requester chose the bid
        _exec(c);
    }

    /// @notice release by the requester (Accepted or Submitted), or by the provider, a stranger or a holder of
    /// another role (Submitted, from the end of the review window on, not over a rejection), at the window's
    /// exact edges now and then.
    function release(uint256 seed, uint256 who, uint256 mode) external {
        bool byRequester = mode % 3 == 0;
        uint256 id = byRequester
            ? _pick(seed, ACCEPTED | SUBMITTED, 0)
            : _pick(seed, SUBMITTED, REVIEW_OVER | NOT_REJECTED);
        if (id == 0) {
            // Nothing due: take (or make) submitted work and wait for the end of its review window.
            id = byRequester ? _acceptedJob(seed) : _submittedJob(seed);
            if (id == 0) return _count("idle");
            if (!byRequester) _warpTo(_reviewEnd(escrow.getJob(id)));
        }
        IWorkEscrowTypes.Job memory j = escrow.getJob(id);
        if (j.status == IWorkEscrowTypes.Status.Submitted) _edgeWarp(_reviewEnd(j), mode >> 2);
        address other = (mode >> 6) % 4 == 0 ? _roleHolder(id, j, who) : _actor(who);
        _release(
            id,
            byRequester
                ? j.requester
                : mode % 3 == 1
                    ? j.provider
                    : other
        );
    }

    function _release(uint256 id, address caller) private {
        IWorkEscrowTypes.Job memory j = escrow.getJob(id);
        bool submittedJob = j.status == IWorkEscrowTypes.Status.Submitted;
        bool byRequester = caller == j.requester;
        Call memory c = _call(
            byRequester
                ? (submittedJob ? bytes32("release.requester") : bytes32("release.accepted"))
                : bytes32("release.permissionless"),
            id,
            j,
            caller
        );
        c.data = abi.encodeCall(escrow.release, (id));
        c.expectOk =
            (byRequester && _is(j, ACCEPTED | SUBMITTED)) ||
            (submittedJob && block.timestamp >= _reviewEnd(j) && j.verdict != IWorkEscrowTypes.Verdict.Rejected);
        c.payout = EscrowModel.release(j, byRequester ? address(0) : _keeperOf(id, j, caller));
        if (!byRequester) c.also = _tipKind(id, j, caller);
        c.settles = true;
        c.consented = byRequester;
        _exec(c);
    }

    /// @notice releasePartial by the requester, an amount in [1, remaining] (exactly the remaining amount in
    /// one mode of four, which ends the job); 0 or more than remaining, or another caller, must revert.
    function releasePartial(uint256 seed, uint256 amount, uint256 mode) external {
        uint256 id = _pick(seed, ACCEPTED | SUBMITTED, 0);
        if (id == 0) id = _acceptedJob(seed);
        if (id == 0) return _count("idle");
        IWorkEscrowTypes.Job memory j = escrow.getJob(id);
        amount = _partialAmount(j.amount, amount, mode);
        bool full = amount == j.amount;
        Call memory c = _call(
            full ? bytes32("releasePartial.full") : bytes32("releasePartial"),
            id,
            j,
            mode % 9 == 8 ? j.provider : j.requester
        );
        c.data = abi.encodeCall(escrow.releasePartial, (id, amount));
        c.expectOk = _is(j, ACCEPTED | SUBMITTED) && c.caller == j.requester && amount != 0 && amount <= j.amount;
        if (c.expectOk) c.payout = full ? EscrowModel.release(j, address(0)) : EscrowModel.releasePartial(j, amount);
        c.settles = true;
        c.consented = true;
        _exec(c);
    }

    /*//////////////////////////////////////////////////////////////
                            ACTIONS: PROVIDER
    //////////////////////////////////////////////////////////////*/

    /// @notice acceptJob by the designated provider or, on an open job, by any actor (those holding another
    /// role must be refused), posting the bond (msg.value for the native coin; a wrong value must fail); at the
    /// deadline's exact edges now and then.
    function acceptJob(uint256 seed, uint256 who, uint256 mode) external {
        uint256 id = _openJob(seed, 0);
        if (id == 0) return _count("idle");
        IWorkEscrowTypes.Job memory j = escrow.getJob(id);
        _edgeWarp(j.deadline, mode >> 3);
        address caller = j.provider == address(0) || mode % 16 == 0 ? _actor(who) : j.provider;
        _accept(id, caller, mode % 8 == 1);
    }

    /// @notice submitWork by the provider (or, in one mode of sixteen, someone else), up to the deadline.
    function submitWork(uint256 seed, uint256 mode) external {
        uint256 id = _acceptedJob(seed);
        if (id == 0) return _count("idle");
        IWorkEscrowTypes.Job memory j = escrow.getJob(id);
        _edgeWarp(j.deadline, mode >> 3);
        _submit(id, mode % 16 == 0 ? _actor(mode >> 5) : j.provider, seed);
    }

    /// @notice refundPartial by the provider, an amount in [1, remaining] (the whole remaining amount in one
    /// mode of four, which refunds the job and forfeits the bond).
    function refundPartial(uint256 seed, uint256 amount, uint256 mode) external {
        uint256 id = _pick(seed, ACCEPTED | SUBMITTED, 0);
        if (id == 0) id = _acceptedJob(seed);
        if (id == 0) return _count("idle");
        IWorkEscrowTypes.Job memory j = escrow.getJob(id);
        amount = _partialAmount(j.amount, amount, mode);
        bool full = amount == j.amount;
        Call memory c = _call(
            full ? bytes32("refundPartial.full") : bytes32("refundPartial"),
            id,
            j,
            mode % 9 == 8 ? j.requester : j.provider
        );
        c.data = abi.encodeCall(escrow.refundPartial, (id, amount));
        c.expectOk = _is(j, ACCEPTED | SUBMITTED) && c.caller == j.provider && amount != 0 && amount <= j.amount;
        if (c.expectOk) c.payout = full ? EscrowModel.refund(j, address(0)) : EscrowModel.refundPartial(j, amount);
        c.settles = true;
        _exec(c);
    }

    /*//////////////////////////////////////////////////////////////
                       ACTIONS: APPROVER AND VERIFIER
    //////////////////////////////////////////////////////////////*/

    /// @notice approveWork by one of the job's approvers (twice must fail; a non-approver must fail); the
    /// threshold-th approval releases.
    function approveWork(uint256 seed, uint256 who, uint256 mode) external {
        uint256 id = _pick(seed, SUBMITTED, WITH_APPROVERS);
        if (id == 0) id = _submittedJob(seed);
        if (id == 0 || _approvers[id].length == 0) return _count("idle");
        IWorkEscrowTypes.Job memory j = escrow.getJob(id);
        address[] storage list = _approvers[id];
        address approver = mode % 8 == 0 ? _actor(who) : list[who % list.length];
        bool isApprover = _isApprover(id, approver);
        bool releases = _is(j, SUBMITTED) &&
            isApprover &&
            !approvedBy[id][approver] &&
            approvals[id] + 1 >= j.threshold;
        Call memory c = _call(releases ? bytes32("approve.release") : bytes32("approve"), id, j, approver);
        c.data = abi.encodeCall(escrow.approveWork, (id));
        c.expectOk = _is(j, SUBMITTED) && isApprover && !approvedBy[id][approver];
        if (releases) {
            c.payout = EscrowModel.release(j, address(0));
            c.settles = true;
        }
        c.consented = true;
        Measurement memory m = _exec(c);
        if (!m.ok) return;
        approvedBy[id][approver] = true;
        ++approvals[id];
        if (m.afterwards.approvals != approvals[id]) {
            _violate("approvals", _jobText(id, ": approvals != distinct approvers who approved"));
        }
    }

    /// @notice verifyWork by the job's verifier (approve or reject), strictly before the review window ends;
    /// another caller must fail.
    function verifyWork(uint256 seed, uint256 verdict, uint256 mode) external {
        uint256 id = _pick(seed, SUBMITTED, VERIFIABLE | IN_REVIEW);
        if (id == 0) id = _submittedJob(seed);
        if (id == 0 || _info[id].flags & VERIFIABLE == 0) return _count("idle");
        IWorkEscrowTypes.Job memory j = escrow.getJob(id);
        _edgeWarp(_reviewEnd(j), mode >> 3);
        _verify(id, mode % 16 == 0 ? _actor(mode >> 5) : j.verifier, verdict % 2 == 0);
    }

    function _verify(uint256 id, address caller, bool approved) private {
        IWorkEscrowTypes.Job memory j = escrow.getJob(id);
        Call memory c = _call(approved ? bytes32("verify.approve") : bytes32("verify.reject"), id, j, caller);
        c.data = abi.encodeCall(escrow.verifyWork, (id, approved));
        c.expectOk =
            _is(j, SUBMITTED) &&
            j.verifier != address(0) &&
            j.verdict == IWorkEscrowTypes.Verdict.None &&
            caller == j.verifier &&
            block.timestamp < _reviewEnd(j);
        c.payout = EscrowModel.verify(j, approved);
        c.settles = true;
        c.consented = true;
        _exec(c);
    }

    /*//////////////////////////////////////////////////////////////
                        ACTIONS: ANYONE (KEEPERS)
    //////////////////////////////////////////////////////////////*/

    /// @notice refundExpired by anyone (parties, strangers, the job's verifier, arbitrator or approvers):
    /// Open/Accepted after the deadline, Submitted once the window a rejection opened has passed
    /// (`verdictAt + reviewPeriod`); at the exact edges now and then.
    function refundExpired(uint256 seed, uint256 who, uint256 mode) external {
        bool afterRejection = mode % 4 == 3;
        uint256 id = afterRejection
            ? _pick(seed, SUBMITTED, REJECTED | REVIEW_OVER)
            : _pick(seed, OPEN | ACCEPTED, AFTER_DEADLINE);
        if (id == 0 && afterRejection) {
            // No rejected work due: take (or make) submitted work, have its verifier reject it, wait for the window.
            id = _submittedJob(seed);
            if (id == 0 || _info[id].flags & VERIFIABLE == 0) return _count("idle");
            _verify(id, escrow.getJob(id).verifier, false);
            if (_info[id].flags & REJECTED == 0) return _count("idle");
            _warpTo(_info[id].reviewEnd);
        } else if (id == 0) {
            // Nothing due: take (or make) a job and let its deadline pass.
            id = mode % 2 == 0 ? _openJob(seed, 0) : _acceptedJob(seed);
            if (id == 0) return _count("idle");
            _warpTo(uint256(escrow.getJob(id).deadline) + 1);
        }
        IWorkEscrowTypes.Job memory j = escrow.getJob(id);
        _edgeWarp(j.status == IWorkEscrowTypes.Status.Submitted ? _reviewEnd(j) : uint256(j.deadline) + 1, mode >> 4);
        // (never address(0): with no forwarder configured, ERC-2771 would read a "sender" from its calldata)
        address caller = (mode >> 2) % 4 == 0
            ? j.requester
            : (mode >> 2) % 4 == 1
                ? j.provider
                : address(0);
        if (caller == address(0)) caller = (mode >> 8) % 4 == 0 ? _roleHolder(id, j, who) : _actor(who);
        _refundExpired(id, caller);
    }

    function _refundExpired(uint256 id, address caller) private {
        IWorkEscrowTypes.Job memory j = escrow.getJob(id);
        bool rejected = j.verdict == IWorkEscrowTypes.Verdict.Rejected;
        Call memory c = _call(rejected ? bytes32("refundExpired.rejected") : bytes32("refundExpired"), id, j, caller);
        c.data = abi.encodeCall(escrow.refundExpired, (id));
        c.expectOk = j.status == IWorkEscrowTypes.Status.Submitted
            ? rejected && block.timestamp >= _reviewEnd(j)
            : _is(j, OPEN | ACCEPTED) && block.timestamp > j.deadline;
        c.payout = EscrowModel.refund(j, _keeperOf(id, j, caller));
        c.also = _tipKind(id, j, caller);
        c.settles = true;
        _exec(c);
    }

    /// @notice settleStaleDispute by anyone from the end of the job's arbitration period on (50/50): a party, a
    /// stranger, or a holder of another role (the arbitrator that let it go stale earns no tip).
    function settleStaleDispute(uint256 seed, uint256 who, uint256 mode) external {
        uint256 id = _pick(seed, DISPUTED, ARBITRATION_OVER);
        if (id == 0) {
            id = _disputedJob(seed);
            if (id == 0) return _count("idle");
            _warpTo(_arbitrationEnd(escrow.getJob(id)));
        }
        IWorkEscrowTypes.Job memory j = escrow.getJob(id);
        _edgeWarp(_arbitrationEnd(j), mode >> 2);
        _settleStale(
            id,
            mode % 4 == 0
                ? j.requester
                : mode % 4 == 1
                    ? _roleHolder(id, j, who)
                    : _actor(who)
        );
    }

    function _settleStale(uint256 id, address caller) private {
        IWorkEscrowTypes.Job memory j = escrow.getJob(id);
        Call memory c = _call("stale", id, j, caller);
        c.data = abi.encodeCall(escrow.settleStaleDispute, (id));
        c.expectOk = _is(j, DISPUTED) && block.timestamp >= _arbitrationEnd(j);
        c.payout = EscrowModel.resolve(j, 5_000, IWorkEscrowTypes.Resolution.Stale, _keeperOf(id, j, caller));
        c.also = _tipKind(id, j, caller);
        c.settles = true;
        _exec(c);
    }

    /// @notice finalize a random list of ids (unknown ids, ended jobs, jobs not yet due and duplicates
    /// included). Each listed job that is due is first settled alone on a snapshot of the state, measured
    /// and compared with the model; the real batch must then move exactly the sum of those settlements.
    function finalize(uint256 seed, uint256 count, uint256 who) external {
        uint256 n = _bound(count, 1, 6);
        uint256[] memory ids = new uint256[](n);
        for (uint256 k; k < n; ++k) ids[k] = uint256(keccak256(abi.encode(seed, k))) % (jobs + 3); // 0 and > jobs: unknown
        _finalize(ids, _actor(who));
    }

    /*//////////////////////////////////////////////////////////////
                              ACTIONS: DISPUTES
    //////////////////////////////////////////////////////////////*/

    /// @notice raiseDispute by the requester or the provider, strictly inside the review window (after a
    /// rejection, the window the rejection opened), with the exact deposit (msg.value for the native coin;
    /// pulled for the token); a wrong value or a stranger must fail. In one call of eight, the audit M-01 case:
    /// the verifier rejects in the window's last second and the provider disputes after the original window.
    function raiseDispute(uint256 seed, uint256 side, uint256 mode) external {
        if (side % 8 == 7) return _disputeLateRejection(seed, mode);
        uint256 id = _submittedJob(seed);
        if (id == 0) return _count("idle");
        IWorkEscrowTypes.Job memory j = escrow.getJob(id);
        _edgeWarp(_reviewEnd(j), mode >> 3);
        address caller = mode % 16 == 0
            ? _actor(mode >> 5)
            : side % 2 == 1
                ? j.provider
                : j.requester;
        _dispute(id, caller, mode % 8 == 1);
    }

    /// @dev Audit M-01: a rejection at `submittedAt + reviewPeriod - 1` leaves the provider until
    /// `verdictAt + reviewPeriod` to dispute; after the original window a keeper tries to refund (refused until
    /// the new window ends) and the provider disputes (at the new window's exact edges now and then, where the
    /// refund must succeed and the dispute be refused).
    function _disputeLateRejection(uint256 seed, uint256 mode) private {
        uint256 id = _pick(seed, SUBMITTED, VERIFIABLE | IN_REVIEW);
        if (id == 0) id = _newSubmittedWithVerifier(seed);
        if (id == 0) return _count("idle");
        IWorkEscrowTypes.Job memory j = escrow.getJob(id);
        _warpTo(_reviewEnd(j) - 1); // the window's last second (the pick guarantees now < its end)
        _verify(id, j.verifier, false);
        if (_info[id].flags & REJECTED == 0) return;
        j = escrow.getJob(id);
        uint256 originalEnd = uint256(j.submittedAt) + j.reviewPeriod;
        _warpTo(originalEnd + _bound(seed >> 32, 0, _reviewEnd(j) - originalEnd - 1));
        _edgeWarp(_reviewEnd(j), mode >> 3);
        // A keeper's refund must wait for the new window's end (refused inside it, allowed from its first second).
        _refundExpired(id, _actorOtherThan(seed >> 8, j.requester, j.provider));
        _dispute(id, j.provider, false);
    }

    /// @notice submitEvidence by a party or the arbitrator; anyone else must be refused.
    function submitEvidence(uint256 seed, uint256 who) external {
        uint256 id = _disputedJob(seed);
        if (id == 0) return _count("idle");
        IWorkEscrowTypes.Job memory j = escrow.getJob(id);
        address caller = who % 4 == 0
            ? j.requester
            : who % 4 == 1
                ? j.provider
                : who % 4 == 2
                    ? j.arbitrator
                    : _actor(who >> 2);
        Call memory c = _call("evidence", id, j, caller);
        c.data = abi.encodeCall(escrow.submitEvidence, (id, "ipfs://evidence"));
        c.expectOk = _is(j, DISPUTED) && (caller == j.requester || caller == j.provider || caller == j.arbitrator);
        _exec(c);
    }

    /// @notice proposeSettlement by a party in Accepted, Submitted or Disputed (0, 5,000 and 10,000 bps often;
    /// over 10,000 or a stranger must fail).
    function proposeSettlement(uint256 seed, uint256 side, uint256 bps, uint256 mode) external {
        uint256 id = _pick(seed, ACCEPTED | SUBMITTED | DISPUTED, 0);
        if (id == 0) id = _acceptedJob(seed);
        if (id == 0) return _count("idle");
        IWorkEscrowTypes.Job memory j = escrow.getJob(id);
        address caller = mode % 16 == 0
            ? _actor(mode >> 4)
            : side % 2 == 1
                ? j.provider
                : j.requester;
        _propose(id, caller, _bps(bps, mode >> 4));
    }

    /// @notice acceptSettlement of the standing offer by the other party (Accepted, Submitted or Disputed);
    /// the proposer itself or another bps must be refused.
    function acceptSettlement(uint256 seed, uint256 mode) external {
        uint256 id = _pick(seed, ACCEPTED | SUBMITTED | DISPUTED, PROPOSED);
        if (id == 0) {
            // No offer standing: a party of a live job makes one.
            id = mode % 3 == 0
                ? _acceptedJob(seed)
                : mode % 3 == 1
                    ? _submittedJob(seed)
                    : _disputedJob(seed);
            if (id == 0) return _count("idle");
            IWorkEscrowTypes.Job memory live = escrow.getJob(id);
            if (!_propose(id, seed % 2 == 0 ? live.requester : live.provider, _bps(seed >> 8, seed >> 24))) {
                return _count("idle");
            }
        }
        IWorkEscrowTypes.Job memory j = escrow.getJob(id);
        address other = j.proposer == j.provider ? j.requester : j.provider;
        uint16 providerBps = mode % 8 == 1 ? (j.proposalBps == 0 ? 1 : j.proposalBps - 1) : j.proposalBps;
        bytes32 kind = j.status == IWorkEscrowTypes.Status.Accepted
            ? bytes32("agreed.accepted")
            : j.status == IWorkEscrowTypes.Status.Submitted
                ? bytes32("agreed.submitted")
                : bytes32("agreed.disputed");
        Call memory c = _call(kind, id, j, mode % 16 == 0 ? j.proposer : other);
        c.data = abi.encodeCall(escrow.acceptSettlement, (id, providerBps));
        c.expectOk =
            _is(j, ACCEPTED | SUBMITTED | DISPUTED) &&
            j.proposer != address(0) &&
            c.caller == other &&
            providerBps == j.proposalBps;
        c.payout = EscrowModel.resolve(j, providerBps, IWorkEscrowTypes.Resolution.Agreed, address(0));
        c.settles = true;
        c.consented = true;
        _exec(c);
    }

    /// @notice resolveDispute by the job's snapshotted arbitrator (even if unregistered since), strictly
    /// before the arbitration period ends; 0 and 10,000 bps often (deposit forfeits).
    function resolveDispute(uint256 seed, uint256 bps, uint256 mode) external {
        uint256 id = _disputedJob(seed);
        if (id == 0) return _count("idle");
        IWorkEscrowTypes.Job memory j = escrow.getJob(id);
        _edgeWarp(_arbitrationEnd(j), mode >> 8);
        uint16 providerBps = _bps(bps, mode >> 4);
        address caller = mode % 16 == 0 ? _actor(mode >> 4) : j.arbitrator;
        bool forfeit = EscrowModel.depositToProvider(j, providerBps, true) != (j.disputedBy == j.provider);
        Call memory c = _call(forfeit ? bytes32("ruling.forfeit") : bytes32("ruling"), id, j, caller);
        c.data = abi.encodeCall(escrow.resolveDispute, (id, providerBps));
        c.expectOk =
            _is(j, DISPUTED) &&
            caller == j.arbitrator &&
            block.timestamp < _arbitrationEnd(j) &&
            providerBps <= BPS;
        if (c.expectOk)
            c.payout = EscrowModel.resolve(j, providerBps, IWorkEscrowTypes.Resolution.Arbitrated, address(0));
        c.settles = true;
        _exec(c);
    }

    /*//////////////////////////////////////////////////////////////
                  STEPS SHARED BY THE ACTIONS (MEASURED)
    //////////////////////////////////////////////////////////////*/

    /// @dev An open job before its deadline (with `UNDESIGNATED`, without a provider): an existing one, or a
    /// new one, so that an action always has something to act on (Morpho's handlers do the same).
    function _openJob(uint256 seed, uint256 conds) private returns (uint256 id) {
        id = _pick(seed, OPEN, conds | BEFORE_DEADLINE);
        if (id == 0)
            id = _create(seed, seed >> 64, seed >> 128, (seed >> 160) | (conds & UNDESIGNATED != 0 ? 2 : 0), true);
    }

    /// @dev An accepted job before its deadline: an existing one, or an open one accepted now.
    function _acceptedJob(uint256 seed) private returns (uint256 id) {
        id = _pick(seed, ACCEPTED, BEFORE_DEADLINE);
        if (id != 0) return id;
        id = _openJob(seed, 0);
        if (id == 0) return 0;
        IWorkEscrowTypes.Job memory j = escrow.getJob(id);
        address caller = j.provider != address(0) ? j.provider : _freeActor(id, j, seed, false);
        if (block.timestamp > j.deadline || caller == address(0)) return 0;
        _accept(id, caller, false);
        return lastStatus[id] == IWorkEscrowTypes.Status.Accepted ? id : 0;
    }

    /// @dev Submitted work inside its review window: an existing one, or an accepted job submitted now.
    function _submittedJob(uint256 seed) private returns (uint256 id) {
        id = _pick(seed, SUBMITTED, IN_REVIEW);
        if (id != 0) return id;
        id = _acceptedJob(seed);
        if (id == 0 || block.timestamp > _info[id].deadline) return 0;
        _submit(id, escrow.getJob(id).provider, seed);
        return lastStatus[id] == IWorkEscrowTypes.Status.Submitted ? id : 0;
    }

    /// @dev A dispute inside its arbitration period: an existing one, or submitted work disputed now.
    function _disputedJob(uint256 seed) private returns (uint256 id) {
        id = _pick(seed, DISPUTED, IN_ARBITRATION);
        if (id != 0) return id;
        id = _submittedJob(seed);
        if (id == 0 || block.timestamp >= _info[id].reviewEnd) return 0;
        IWorkEscrowTypes.Job memory j = escrow.getJob(id);
        _dispute(id, (seed >> 7) % 2 == 0 ? j.requester : j.provider, false);
        return lastStatus[id] == IWorkEscrowTypes.Status.Disputed ? id : 0;
    }

    /// @dev A new job with a verifier, accepted and submitted now (0 if a step failed).
    function _newSubmittedWithVerifier(uint256 seed) private returns (uint256 id) {
        id = _create(seed, seed >> 64, seed >> 128, (seed >> 160) | 16, true); // opts bit 4: a verifier
        if (id == 0) return 0;
        IWorkEscrowTypes.Job memory j = escrow.getJob(id);
        address provider = j.provider != address(0) ? j.provider : _freeActor(id, j, seed, false);
        if (provider == address(0)) return 0;
        _accept(id, provider, false);
        if (lastStatus[id] != IWorkEscrowTypes.Status.Accepted) return 0;
        _submit(id, provider, seed);
        return lastStatus[id] == IWorkEscrowTypes.Status.Submitted ? id : 0;
    }

    /// @dev A creation from a seed; with `mustSucceed` (a step toward another action) the creation is valid:
    /// unpaused, a registered arbitrator, a tip the fee-on-transfer token leaves room for.
    function _create(
        uint256 seed,
        uint256 amount,
        uint256 extra,
        uint256 opts,
        bool mustSucceed
    ) private returns (uint256 id) {
        CreateVars memory v;
        v.requester = _actor(seed);
        v.useToken = opts & 1 != 0;
        v.provider = opts & 2 != 0 ? address(0) : _actorOtherThan(seed >> 8, v.requester, address(0));
        v.amount = _bound(amount, 1, MAX_AMOUNT);
        v.bond = opts & 4 != 0 ? _bound(extra, 1, MAX_AMOUNT) : 0;
        v.tip = opts & 8 != 0 ? _bound(extra >> 128, 1, MAX_AMOUNT / 100) : 0;
        if (opts & 16 != 0) {
            v.verifier = (opts >> 8) % 2 == 0 ? verifierAccount : _actorOtherThan(seed >> 16, v.requester, v.provider);
            uint256 feeMode = (opts >> 9) % 3;
            v.verifierFeeBps = feeMode == 0
                ? 1_000
                : feeMode == 1
                    ? 0
                    : uint16(_bound(seed >> 24, 1, 999));
        }
        v.approverCount = (opts >> 5) % 4;
        v.arbitrator = (seed >> 40) % 3;
        if (mustSucceed) {
            if (paused) _unpause();
            for (uint256 k; k < 3 && !arbitratorRegistered[v.arbitrator]; ++k) v.arbitrator = (v.arbitrator + 1) % 3;
            if (!arbitratorRegistered[v.arbitrator]) return 0;
            if (v.useToken && v.amount + v.tip - _transferFee(v.amount + v.tip) <= v.tip) v.tip = 0;
        }
        return _createWith(v, seed);
    }

    struct CreateVars {
        address requester;
        address provider;
        address verifier;
        uint16 verifierFeeBps;
        bool useToken;
        uint256 amount;
        uint256 bond;
        uint256 tip;
        uint256 arbitrator;
        uint256 approverCount;
    }

    function _createWith(CreateVars memory v, uint256 seed) private returns (uint256 id) {
        address[] memory approvers = _chooseApprovers(v, seed);
        IWorkEscrowTypes.JobParams memory p = _jobParams(v, seed, approvers);
        uint256 total = v.amount + v.tip;
        uint256 received = v.useToken ? total - _transferFee(total) : total;
        Call memory c;
        c.kind = v.useToken ? bytes32("create.token") : bytes32("create.native");
        c.id = jobs + 1;
        c.token = p.token;
        c.caller = v.requester;
        c.value = v.useToken ? 0 : total;
        // A job without options goes through v1's `createJob`; one in four of them through
        // `createJobWithOptions` with all-zero options, which must make the same plain job.
        bool plain = v.bond == 0 && v.tip == 0 && v.verifier == address(0);
        c.data = plain && (seed >> 120) % 4 != 0
            ? abi.encodeCall(escrow.createJob, (p))
            : abi.encodeCall(escrow.createJobWithOptions, (p, _jobOptions(v)));
        c.expectOk = !paused && arbitratorRegistered[v.arbitrator] && received > v.tip;
        Measurement memory m = _exec(c);
        if (!m.ok) return 0;

        id = abi.decode(m.ret, (uint256));
        if (id != jobs + 1) _violate("ids", string.concat("createJob returned id ", vm.toString(id)));
        jobs = id;
        _jobToken[id] = p.token;
        for (uint256 i; i < approvers.length; ++i) _approvers[id].push(approvers[i]);
        IWorkEscrowTypes.Job memory j = m.afterwards;
        if (ghostIn[id] != received || j.amount != received - v.tip || j.keeperTip != v.tip) {
            _violate("inflow", _jobText(id, ": creation received != amount + tip"));
        }
        uint32 period = arbitratorPeriod[v.arbitrator] == 0 ? 7 days : arbitratorPeriod[v.arbitrator];
        if (
            j.arbitrationPeriod != period ||
            j.platformFeeBps != fees[0] ||
            j.communityFeeBps != fees[1] ||
            j.arbitrationFeeBps != fees[2]
        ) _violate("snapshot", _jobText(id, ": fees or arbitration period not snapshotted"));
    }

    function _jobParams(
        CreateVars memory v,
        uint256 seed,
        address[] memory approvers
    ) private view returns (IWorkEscrowTypes.JobParams memory) {
        return
            IWorkEscrowTypes.JobParams({
                provider: v.provider,
                token: v.useToken ? address(token) : address(0),
                amount: v.amount,
                deadline: uint64(block.timestamp + _bound(seed >> 48, 10 minutes, 4 days)),
                reviewPeriod: uint32(_bound(seed >> 80, 1 hours, 2 days)),
                jobType: uint8((seed >> 100) % 3),
                jobHash: keccak256(abi.encode(seed, "job")),
                arbitrator: arbitrators[v.arbitrator],
                approvers: approvers,
                threshold: uint16(approvers.length == 0 ? 0 : 1 + ((seed >> 110) % approvers.length))
            });
    }

    function _jobOptions(CreateVars memory v) private pure returns (IWorkEscrowTypes.JobOptions memory) {
        return
            IWorkEscrowTypes.JobOptions({
                providerBond: v.bond,
                keeperTip: v.tip,
                verifier: v.verifier,
                verifierFeeBps: v.verifierFeeBps,
                bidsOnly: false,
                agentRequired: false,
                agentId: 0
            });
    }

    function _accept(uint256 id, address caller, bool wrongValue) private {
        IWorkEscrowTypes.Job memory j = escrow.getJob(id);
        bool native = j.token == address(0);
        Call memory c = _call(j.providerBond == 0 ? bytes32("accept") : bytes32("accept.bonded"), id, j, caller);
        c.value = (native ? j.providerBond : 0) + (wrongValue ? 1 : 0);
        c.data = abi.encodeCall(escrow.acceptJob, (id));
        c.expectOk =
            _is(j, OPEN) &&
            !wrongValue &&
            block.timestamp <= j.deadline &&
            (j.provider == address(0) ? !_holdsRole(id, j, caller) : caller == j.provider);
        Measurement memory m = _exec(c);
        if (!m.ok) return;
        uint256 expected = native ? j.providerBond : j.providerBond - _transferFee(j.providerBond);
        uint256 arrived = _inflow(m);
        if (arrived != expected || EscrowModel.bondHeld(m.afterwards) != arrived || m.afterwards.provider != caller) {
            _violate("inflow", _jobText(id, ": bond held != bond received"));
        }
    }

    function _submit(uint256 id, address caller, uint256 seed) private {
        IWorkEscrowTypes.Job memory j = escrow.getJob(id);
        Call memory c = _call("submit", id, j, caller);
        c.data = abi.encodeCall(escrow.submitWork, (id, keccak256(abi.encode(seed, "result"))));
        c.expectOk = _is(j, ACCEPTED) && caller == j.provider && block.timestamp <= j.deadline;
        Measurement memory m = _exec(c);
        if (!m.ok) return;
        submitted[id] = true;
        if (m.afterwards.proposer != address(0)) {
            _violate("transition", _jobText(id, ": an offer survived the submission"));
        }
    }

    function _dispute(uint256 id, address caller, bool wrongValue) private {
        IWorkEscrowTypes.Job memory j = escrow.getJob(id);
        bool native = j.token == address(0);
        uint256 deposit = (j.amount * j.arbitrationFeeBps) / BPS;
        Call memory c = _call(native ? bytes32("dispute.native") : bytes32("dispute.token"), id, j, caller);
        c.value = (native ? deposit : 0) + (wrongValue ? 1 : 0);
        c.data = abi.encodeCall(escrow.raiseDispute, (id, "the work does not match the job"));
        c.expectOk =
            _is(j, SUBMITTED) &&
            !wrongValue &&
            (caller == j.requester || caller == j.provider) &&
            block.timestamp < _reviewEnd(j);
        Measurement memory m = _exec(c);
        if (!m.ok) return;
        uint256 expected = native ? deposit : deposit - _transferFee(deposit);
        uint256 arrived = _inflow(m);
        if (arrived != expected || m.afterwards.disputeDeposit != arrived || m.afterwards.disputedBy != caller) {
            _violate("inflow", _jobText(id, ": deposit held != deposit received"));
        }
        if (j.verdict == IWorkEscrowTypes.Verdict.Rejected) {
            _count("dispute.rejected");
            if (block.timestamp >= uint256(j.submittedAt) + j.reviewPeriod) _count("dispute.rejected.late");
        }
        if (m.afterwards.proposer != address(0)) {
            _violate("transition", _jobText(id, ": an offer survived the dispute"));
        }
    }

    function _propose(uint256 id, address caller, uint16 providerBps) private returns (bool) {
        IWorkEscrowTypes.Job memory j = escrow.getJob(id);
        Call memory c = _call("propose", id, j, caller);
        c.data = abi.encodeCall(escrow.proposeSettlement, (id, providerBps));
        c.expectOk =
            _is(j, ACCEPTED | SUBMITTED | DISPUTED) &&
            (caller == j.requester || caller == j.provider) &&
            providerBps <= BPS;
        Measurement memory m = _exec(c);
        if (m.ok && (m.afterwards.proposer != caller || m.afterwards.proposalBps != providerBps)) {
            _violate("transition", _jobText(id, ": the offer is not the one proposed"));
        }
        return m.ok;
    }

    /*//////////////////////////////////////////////////////////////
                              ACTIONS: CREDITS
    //////////////////////////////////////////////////////////////*/

    /// @notice withdraw / withdrawTo by any account (the reverting actor's native coin can only go elsewhere).
    function withdraw(uint256 who, uint256 which, uint256 mode) external {
        bool useToken = which % 2 == 1;
        address account = accounts[who % accounts.length];
        address to = mode % 3 == 0 ? accounts[(mode >> 2) % accounts.length] : account;
        _withdraw(account, useToken ? address(token) : address(0), to);
    }

    function _withdraw(address account, address t, address to) private {
        uint256 credit = escrow.withdrawable(t, account);
        Call memory c;
        c.kind = to == account ? bytes32("withdraw") : bytes32("withdrawTo");
        c.token = t;
        c.caller = account;
        c.data = to == account ? abi.encodeCall(escrow.withdraw, (t)) : abi.encodeCall(escrow.withdrawTo, (t, to));
        c.expectOk = credit != 0 && !(t == address(0) && to == revertingActor);
        Measurement memory m = _exec(c);
        if (!m.ok) return;
        for (uint256 i; i < accounts.length; ++i) {
            if (accounts[i] != account && m.s1.credits[i] != m.s0.credits[i]) {
                _violate("credit", string.concat("a withdrawal by ", vm.toString(account), " changed another credit"));
            }
        }
        int256[] memory expected = new int256[](accounts.length);
        expected[_position[account] - 1] -= int256(credit);
        expected[_position[to] - 1] += int256(t == address(0) ? credit : credit - _transferFee(credit));
        _compareGains(c, m, expected, "withdraw");
        if (m.s0.escrow != m.s1.escrow + credit || escrow.withdrawable(t, account) != 0) {
            _violate("conservation", string.concat("withdraw of ", vm.toString(credit), " moved another amount"));
        }
    }

    /*//////////////////////////////////////////////////////////////
                              ACTIONS: ADMIN
    //////////////////////////////////////////////////////////////*/

    /// @notice setFees within the caps (at the caps often); over a cap or by a non-admin must fail.
    function setFees(uint256 platform, uint256 community, uint256 arbitration, uint256 mode) external guarded {
        uint16[3] memory r;
        if (mode % 4 == 0) {
            r = mode % 8 == 0 ? [uint16(1_000), 0, 1_000] : [uint16(500), 500, 1_000];
        } else {
            r[0] = uint16(_bound(platform, 0, 1_000));
            r[1] = uint16(_bound(community, 0, r[0] > 500 ? 1_000 - r[0] : 500));
            r[2] = uint16(_bound(arbitration, 0, 1_000));
        }
        bool invalid = mode % 7 == 6;
        if (invalid) r[mode % 3] = mode % 3 == 1 ? 501 : 1_001;
        address caller = mode % 11 == 10 ? _actor(mode) : admin;
        (bool ok, bytes memory ret) = _callEscrow(caller, 0, abi.encodeCall(escrow.setFees, (r[0], r[1], r[2])));
        if (!_checkOutcome("setFees", !invalid && caller == admin, ok, ret)) return;
        _count("setFees");
        fees = r;
    }

    /// @notice setFeeRecipients among four fee accounts (possibly one address for both): fees already
    /// credited stay with the old recipients.
    function setFeeRecipients(uint256 a, uint256 b) external guarded {
        address[2] memory r = [feeAccounts[a % 4], feeAccounts[b % 4]];
        (bool ok, bytes memory ret) = _callEscrow(admin, 0, abi.encodeCall(escrow.setFeeRecipients, (r[0], r[1])));
        if (!_checkOutcome("setFeeRecipients", true, ok, ret)) return;
        _count("setFeeRecipients");
        _epochRecipients[escrow.feeEpoch()] = r;
    }

    /// @notice setArbitrator: (un)register one of the arbitrators with a period (0 = default, 1–90 days; out
    /// of range must fail). Jobs keep the period and arbitrator they snapshotted.
    function setArbitrator(uint256 which, uint256 register, uint256 period, uint256 mode) external guarded {
        bool registered = register % 4 != 0;
        which %= 3;
        uint32 p = mode % 4 == 0 ? 0 : uint32(_bound(period, 1 days, 90 days));
        bool invalid = mode % 9 == 8;
        if (invalid) p = mode % 2 == 0 ? 1 days - 1 : 90 days + 1;
        (bool ok, bytes memory ret) = _callEscrow(
            admin,
            0,
            abi.encodeCall(escrow.setArbitrator, (arbitrators[which], registered, p))
        );
        if (!_checkOutcome("setArbitrator", !invalid, ok, ret)) return;
        _count("setArbitrator");
        arbitratorRegistered[which] = registered;
        arbitratorPeriod[which] = p;
    }

    /// @notice pause / unpause: creation only; every exit must keep working while paused.
    function togglePause(uint256 coin) external guarded {
        if (paused) return _unpause();
        if (coin % 2 == 1) return; // unpaused more often than paused
        (bool ok, bytes memory ret) = _callEscrow(admin, 0, abi.encodeCall(escrow.pause, ()));
        if (!_checkOutcome("pause", true, ok, ret)) return;
        _count("pause");
        paused = true;
    }

    function _unpause() private {
        (bool ok, bytes memory ret) = _callEscrow(admin, 0, abi.encodeCall(escrow.unpause, ()));
        if (!_checkOutcome("unpause", true, ok, ret)) return;
        _count("unpause");
        paused = false;
    }

    /// @notice Time passes: 1 second to 12 hours (windows are reached exactly by the actions' edge warps).
    function warp(uint256 secondsAhead) external {
        vm.warp(block.timestamp + _bound(secondsAhead, 1, 12 hours));
        _count("warp");
    }

    /*//////////////////////////////////////////////////////////////
                         END OF A RUN (NOT TARGETED)
    //////////////////////////////////////////////////////////////*/

    /// @notice After every window has passed, a stranger ends every live job through its permissionless
    /// exit; each must succeed and be paid by the model.
    function endEverything() external {
        vm.warp(block.timestamp + 200 days); // > every deadline, review window and 90-day arbitration period
        for (uint256 id = 1; id <= jobs; ++id) {
            IWorkEscrowTypes.Job memory j = escrow.getJob(id);
            address stranger = _actorOtherThan(id, j.requester, j.provider);
            if (j.status == IWorkEscrowTypes.Status.Open || j.status == IWorkEscrowTypes.Status.Accepted) {
                _refundExpired(id, stranger);
            } else if (j.status == IWorkEscrowTypes.Status.Submitted) {
                if (j.verdict == IWorkEscrowTypes.Verdict.Rejected) _refundExpired(id, stranger);
                else _release(id, stranger);
            } else if (j.status == IWorkEscrowTypes.Status.Disputed) {
                _settleStale(id, stranger);
            }
        }
    }

    /// @notice Every account withdraws every credit (the reverting actor's native coin to another actor).
    function withdrawEverything() external {
        for (uint256 i; i < accounts.length; ++i) {
            address a = accounts[i];
            if (escrow.withdrawable(address(0), a) != 0) _withdraw(a, address(0), a == revertingActor ? actors[0] : a);
            if (escrow.withdrawable(address(token), a) != 0) _withdraw(a, address(token), a);
        }
    }

    /*//////////////////////////////////////////////////////////////
                         MEASURED CALLS AND CHECKS
    //////////////////////////////////////////////////////////////*/

    /// @dev Admin actions (no job, no measured token): no credit of either token may change at all. Actions on
    /// jobs check the credits of the job's token in `_account`; the other token's credits must stay equal to
    /// their events (`loggedCredit`), which the invariant checks after every call.
    modifier guarded() {
        uint256[] memory before = _allCredits();
        _;
        uint256[] memory afterwards = _allCredits();
        uint256 n = accounts.length;
        for (uint256 i; i < 2 * n; ++i) {
            if (afterwards[i] >= before[i]) continue;
            address account = accounts[i % n];
            _violate(
                "credit",
                string.concat(
                    vm.toString(account),
                    "'s credit went from ",
                    vm.toString(before[i]),
                    " to ",
                    vm.toString(afterwards[i])
                )
            );
        }
    }

    function _call(
        bytes32 kind,
        uint256 id,
        IWorkEscrowTypes.Job memory j,
        address caller
    ) private pure returns (Call memory c) {
        c.kind = kind;
        c.id = id;
        c.token = j.token;
        c.caller = caller;
    }

    /// @dev Calls the escrow as `caller`, recording its credit events.
    function _callEscrow(address caller, uint256 value, bytes memory data) private returns (bool ok, bytes memory ret) {
        // An open job's provider is 0: such calls are refused by status whoever makes them. Never call as
        // address(0): with no forwarder configured, ERC-2771 would read a "sender" from the calldata.
        if (caller == address(0)) caller = actors[0];
        vm.recordLogs();
        vm.prank(caller);
        (ok, ret) = address(escrow).call{value: value}(data);
        Vm.Log[] memory logs = vm.getRecordedLogs(); // (the runner also returns the logs of a reverted call)
        if (ok) _ingest(logs, caller);
    }

    /// @dev Runs a call, measured, and checks it (see the contract's NatSpec).
    function _exec(Call memory c) private returns (Measurement memory m) {
        m = _measure(c, true);
        if (_checkOutcome(c.kind, c.expectOk, m.ok, m.ret)) _account(c, m);
    }

    function _measure(Call memory c, bool real) private returns (Measurement memory m) {
        m.before = escrow.getJob(c.id);
        m.s0 = _snap(c.token);
        if (real) {
            (m.ok, m.ret) = _callEscrow(c.caller, c.value, c.data);
        } else {
            vm.prank(c.caller);
            (m.ok, m.ret) = address(escrow).call{value: c.value}(c.data);
        }
        if (!m.ok) return m;
        m.s1 = _snap(c.token);
        m.afterwards = escrow.getJob(c.id);
    }

    /// @dev Books a successful call: the job's in/out ghosts, its status, and the model's payout.
    function _account(Call memory c, Measurement memory m) private {
        _count(c.kind);
        if (c.also != 0) _count(c.also);
        bool withdrawal = c.kind == "withdraw" || c.kind == "withdrawTo";
        for (uint256 i; i < accounts.length; ++i) {
            if (m.s1.credits[i] >= m.s0.credits[i] || (withdrawal && accounts[i] == c.caller)) continue;
            _violate(
                "credit",
                string.concat(
                    _str(c.kind),
                    ": the credit of ",
                    vm.toString(accounts[i]),
                    " went from ",
                    vm.toString(m.s0.credits[i]),
                    " to ",
                    vm.toString(m.s1.credits[i])
                )
            );
        }
        if (c.id == 0) return;
        (uint256 inflow, uint256 outflow) = _flows(m);
        ghostIn[c.id] += inflow;
        ghostOut[c.id] += outflow;
        _observe(c, m.before.status, m.afterwards.status);
        _refreshInfo(c.id, m.afterwards);
        if (c.settles && c.expectOk) _checkPayout(c, m); // an unexpected success is an `outcome` violation
        if (!c.consented) _checkConsent(c, m);
    }

    /// @dev Escrow-side flows of one call: balance increase in; balance decrease plus new credits out.
    function _flows(Measurement memory m) private pure returns (uint256 inflow, uint256 outflow) {
        if (m.s1.escrow >= m.s0.escrow) inflow = m.s1.escrow - m.s0.escrow;
        else outflow = m.s0.escrow - m.s1.escrow;
        for (uint256 i; i < m.s0.credits.length; ++i) {
            if (m.s1.credits[i] > m.s0.credits[i]) outflow += m.s1.credits[i] - m.s0.credits[i];
        }
    }

    function _inflow(Measurement memory m) private pure returns (uint256 inflow) {
        (inflow, ) = _flows(m);
    }

    /// @dev Status bookkeeping: the job was where the handler left it, and moved along the state machine.
    function _observe(Call memory c, IWorkEscrowTypes.Status from, IWorkEscrowTypes.Status to) private {
        if (lastStatus[c.id] != from) {
            _violate("transition", string.concat("job ", vm.toString(c.id), " changed status between calls on it"));
        }
        if (from != to && !_legal(from, to)) {
            _violate(
                "transition",
                string.concat(
                    _str(c.kind),
                    ": job ",
                    vm.toString(c.id),
                    " went from status ",
                    vm.toString(uint8(from)),
                    " to ",
                    vm.toString(uint8(to))
                )
            );
        }
        lastStatus[c.id] = to;
    }

    function _legal(IWorkEscrowTypes.Status from, IWorkEscrowTypes.Status to) private pure returns (bool) {
        if (from == IWorkEscrowTypes.Status.None) return to == IWorkEscrowTypes.Status.Open;
        if (from == IWorkEscrowTypes.Status.Open) {
            return
                to == IWorkEscrowTypes.Status.Accepted ||
                to == IWorkEscrowTypes.Status.Cancelled ||
                to == IWorkEscrowTypes.Status.Refunded;
        }
        if (from == IWorkEscrowTypes.Status.Accepted || from == IWorkEscrowTypes.Status.Submitted) {
            return
                to ==
                    (
                        from == IWorkEscrowTypes.Status.Accepted
                            ? IWorkEscrowTypes.Status.Submitted
                            : IWorkEscrowTypes.Status.Disputed
                    ) ||
                to == IWorkEscrowTypes.Status.Released ||
                to == IWorkEscrowTypes.Status.Refunded ||
                to == IWorkEscrowTypes.Status.Resolved;
        }
        if (from == IWorkEscrowTypes.Status.Disputed) return to == IWorkEscrowTypes.Status.Resolved;
        return false; // terminal states are terminal
    }

    /// @dev Every account's gain (balance + credit) against the model, and the job's status and remaining amount.
    function _checkPayout(Call memory c, Measurement memory m) private {
        EscrowModel.Payout memory p = c.payout;
        IWorkEscrowTypes.Job memory j = m.before;
        int256[] memory expected = new int256[](accounts.length);
        _expectPush(expected, j.provider, p.toProvider, c.token);
        _expectPush(expected, j.requester, p.toRequester, c.token);
        _expectPush(expected, p.keeper, p.toKeeper, c.token);
        _expectCredit(expected, j.arbitrator, p.toArbitrator);
        _expectCredit(expected, j.verifier, p.toVerifier);
        address[2] memory r = _epochRecipients[escrow.feeEpoch()];
        _expectCredit(expected, r[0], p.platformFee);
        _expectCredit(expected, r[1], p.communityFee);
        _compareGains(c, m, expected, "payout");
        if (p.toKeeper != 0) _count("tipToKeeper");
        if (m.afterwards.status != p.status) {
            _violate("payout", string.concat(_str(c.kind), ": job ", vm.toString(c.id), " ended in the wrong status"));
        }
        if (
            uint8(m.afterwards.status) <= uint8(IWorkEscrowTypes.Status.Disputed) && m.afterwards.amount != p.remaining
        ) {
            _violate("payout", string.concat(_str(c.kind), ": job ", vm.toString(c.id), " kept the wrong amount"));
        }
    }

    function _compareGains(Call memory c, Measurement memory m, int256[] memory expected, bytes32 category) private {
        for (uint256 i; i < accounts.length; ++i) {
            int256 gain = int256(m.s1.balances[i]) -
                int256(m.s0.balances[i]) +
                int256(m.s1.credits[i]) -
                int256(m.s0.credits[i]);
            if (gain == expected[i]) continue;
            _violate(
                category,
                string.concat(
                    _str(c.kind),
                    " on job ",
                    vm.toString(c.id),
                    ": ",
                    vm.toString(accounts[i]),
                    " gained ",
                    vm.toString(gain),
                    ", the rules say ",
                    vm.toString(expected[i])
                )
            );
        }
    }

    /// @dev A provider is paid only for submitted work, unless the requester (its approvers, its verifier)
    /// released or agreed: on every other path, provider gains or a Released status imply a submission.
    function _checkConsent(Call memory c, Measurement memory m) private {
        if (submitted[c.id]) return;
        address provider = m.before.provider;
        bool paid;
        if (provider != address(0)) {
            uint256 i = _position[provider] - 1;
            paid = m.s1.balances[i] + m.s1.credits[i] > m.s0.balances[i] + m.s0.credits[i];
        }
        if (paid || m.afterwards.status == IWorkEscrowTypes.Status.Released) {
            _violate(
                "consent",
                string.concat(_str(c.kind), ": job ", vm.toString(c.id), " paid its provider without a submission")
            );
        }
    }

    function _checkOutcome(bytes32 kind, bool expectOk, bool ok, bytes memory ret) private returns (bool) {
        if (ok == expectOk) {
            if (!ok) _count("rejected");
            return ok;
        }
        _violate(
            "outcome",
            string.concat(
                _str(kind),
                ok ? " succeeded where it must revert" : " reverted where it must succeed: ",
                ok ? "" : vm.toString(ret),
                " at ",
                vm.toString(block.timestamp)
            )
        );
        return ok;
    }

    /// @dev `Credited`, the settlement events' fees and `Withdrawn` rebuild every credit (the spec's indexer
    /// promise).
    function _ingest(Vm.Log[] memory logs, address caller) private {
        for (uint256 i; i < logs.length; ++i) {
            Vm.Log memory entry = logs[i];
            if (entry.emitter != address(escrow) || entry.topics.length == 0) continue;
            bytes32 topic = entry.topics[0];
            if (topic == IWorkEscrowTypes.Credited.selector) {
                address t = address(uint160(uint256(entry.topics[2])));
                address account = address(uint160(uint256(entry.topics[3])));
                loggedCredit[t][account] += abi.decode(entry.data, (uint256));
                if (account == revertingActor && t == address(0)) _count("pushCredited");
            } else if (
                topic == IWorkEscrowTypes.JobReleased.selector ||
                topic == IWorkEscrowTypes.JobPartiallyReleased.selector ||
                topic == IWorkEscrowTypes.DisputeResolved.selector
            ) {
                _ingestFees(entry);
            } else if (topic == IWorkEscrowTypes.Withdrawn.selector) {
                address t = address(uint160(uint256(entry.topics[1])));
                address account = address(uint160(uint256(entry.topics[2])));
                uint256 amount = abi.decode(entry.data, (uint256));
                if (account != caller) {
                    _violate(
                        "credit",
                        string.concat(vm.toString(caller), " withdrew the credit of ", vm.toString(account))
                    );
                }
                if (loggedCredit[t][account] < amount) {
                    _violate("events", string.concat(vm.toString(account), " withdrew more than its logged credits"));
                    loggedCredit[t][account] = 0;
                } else {
                    loggedCredit[t][account] -= amount;
                }
            }
        }
    }

    /// @dev The settlement event is the fees' credit event: the job's token, the fee epoch in force.
    function _ingestFees(Vm.Log memory entry) private {
        bytes32 topic = entry.topics[0];
        uint256 id = uint256(entry.topics[1]);
        uint256 platformFee;
        uint256 communityFee;
        if (topic == IWorkEscrowTypes.JobReleased.selector) {
            (, platformFee, communityFee) = abi.decode(entry.data, (uint256, uint256, uint256));
        } else if (topic == IWorkEscrowTypes.JobPartiallyReleased.selector) {
            (, , platformFee, communityFee, ) = abi.decode(entry.data, (uint256, uint256, uint256, uint256, uint256));
        } else {
            (, , , platformFee, communityFee, ) = abi.decode(
                entry.data,
                (uint16, uint256, uint256, uint256, uint256, uint256)
            );
        }
        address[2] memory r = _epochRecipients[escrow.feeEpoch()];
        loggedCredit[_jobToken[id]][r[0]] += platformFee;
        loggedCredit[_jobToken[id]][r[1]] += communityFee;
    }

    /*//////////////////////////////////////////////////////////////
                                FINALIZE
    //////////////////////////////////////////////////////////////*/

    struct Due {
        Call c;
        Measurement m;
    }

    // solhint-disable-next-line function-max-lines
    function _finalize(uint256[] memory ids, address caller) private {
        Due[] memory due = new Due[](ids.length);
        uint256 dueCount;
        for (uint256 k; k < ids.length; ++k) {
            uint256 id = ids[k];
            if (id == 0 || id > jobs || _listedBefore(ids, k)) continue;
            IWorkEscrowTypes.Job memory j = escrow.getJob(id);
            (bool isDue, Call memory c) = _finalizeCall(id, j, caller);
            if (!isDue) continue;
            // Settle this job alone on a snapshot and measure it; the state (and every ghost) is then restored.
            uint256 snapshot = vm.snapshotState();
            Measurement memory m = _measure(c, false);
            vm.revertToStateAndDelete(snapshot);
            due[dueCount++] = Due(c, m);
        }

        Snap[2] memory before = [_snap(address(0)), _snap(address(token))];
        (bool ok, bytes memory ret) = _callEscrow(caller, 0, abi.encodeCall(escrow.finalize, (ids)));
        if (!_checkOutcome("finalize", true, ok, ret)) return;
        Snap[2] memory afterwards = [_snap(address(0)), _snap(address(token))];
        _count(dueCount == 0 ? bytes32("finalize.nothingDue") : bytes32("finalize"));
        if (abi.decode(ret, (uint256)) != dueCount) {
            _violate("outcome", string.concat("finalize ended ", vm.toString(abi.decode(ret, (uint256))), " jobs"));
        }

        // The batch must move, per account and token, exactly what the due jobs moved one by one.
        int256[][2] memory sum = [new int256[](accounts.length), new int256[](accounts.length)];
        int256[2] memory escrowSum;
        for (uint256 k; k < dueCount; ++k) {
            Due memory d = due[k];
            if (!_checkOutcome(d.c.kind, true, d.m.ok, d.m.ret)) continue;
            _account(d.c, d.m);
            uint256 t = d.c.token == address(0) ? 0 : 1;
            escrowSum[t] += int256(d.m.s1.escrow) - int256(d.m.s0.escrow);
            for (uint256 i; i < accounts.length; ++i) {
                sum[t][i] +=
                    int256(d.m.s1.balances[i]) -
                    int256(d.m.s0.balances[i]) +
                    int256(d.m.s1.credits[i]) -
                    int256(d.m.s0.credits[i]);
            }
            if (escrow.getJob(d.c.id).status != d.m.afterwards.status) {
                _violate(
                    "transition",
                    string.concat("finalize: job ", vm.toString(d.c.id), " ended otherwise in the batch")
                );
            }
        }
        for (uint256 t; t < 2; ++t) {
            if (int256(afterwards[t].escrow) - int256(before[t].escrow) != escrowSum[t]) {
                _violate("conservation", "finalize: the batch moved another amount than its jobs one by one");
            }
            for (uint256 i; i < accounts.length; ++i) {
                int256 gain = int256(afterwards[t].balances[i]) -
                    int256(before[t].balances[i]) +
                    int256(afterwards[t].credits[i]) -
                    int256(before[t].credits[i]);
                if (gain != sum[t][i]) {
                    _violate(
                        "conservation",
                        string.concat("finalize: the batch paid ", vm.toString(accounts[i]), " differently")
                    );
                }
            }
        }
    }

    /// @dev Whether `finalize` must end the job now, and how (the model of its permissionless exits).
    function _finalizeCall(
        uint256 id,
        IWorkEscrowTypes.Job memory j,
        address caller
    ) private view returns (bool isDue, Call memory c) {
        address keeper = _keeperOf(id, j, caller);
        IWorkEscrowTypes.Status s = j.status;
        if (s == IWorkEscrowTypes.Status.Submitted && block.timestamp >= _reviewEnd(j)) {
            bool rejected = j.verdict == IWorkEscrowTypes.Verdict.Rejected;
            c = _call(rejected ? bytes32("finalize.refund") : bytes32("finalize.release"), id, j, caller);
            c.payout = rejected ? EscrowModel.refund(j, keeper) : EscrowModel.release(j, keeper);
        } else if (
            (s == IWorkEscrowTypes.Status.Open || s == IWorkEscrowTypes.Status.Accepted) && block.timestamp > j.deadline
        ) {
            c = _call("finalize.refund", id, j, caller);
            c.payout = EscrowModel.refund(j, keeper);
        } else if (s == IWorkEscrowTypes.Status.Disputed && block.timestamp >= _arbitrationEnd(j)) {
            c = _call("finalize.stale", id, j, caller);
            c.payout = EscrowModel.resolve(j, 5_000, IWorkEscrowTypes.Resolution.Stale, keeper);
        } else {
            return (false, c);
        }
        uint256[] memory one = new uint256[](1);
        one[0] = id;
        c.data = abi.encodeCall(escrow.finalize, (one));
        c.also = _tipKind(id, j, caller);
        c.expectOk = true;
        c.settles = true;
        isDue = true;
    }

    function _listedBefore(uint256[] memory ids, uint256 k) private pure returns (bool) {
        for (uint256 i; i < k; ++i) if (ids[i] == ids[k]) return true;
        return false;
    }

    /*//////////////////////////////////////////////////////////////
                                 HELPERS
    //////////////////////////////////////////////////////////////*/

    function _addAccount(address a) private {
        accounts.push(a);
        _position[a] = accounts.length;
    }

    function _actor(uint256 seed) private view returns (address) {
        return actors[seed % actors.length];
    }

    function _actorOtherThan(uint256 seed, address a, address b) private view returns (address candidate) {
        uint256 n = actors.length;
        seed %= n;
        for (uint256 k; k < n; ++k) {
            candidate = actors[(seed + k) % n];
            if (candidate != a && candidate != b) return candidate;
        }
    }

    function _chooseApprovers(CreateVars memory v, uint256 seed) private view returns (address[] memory list) {
        list = new address[](v.approverCount);
        uint256 found;
        uint256 n = actors.length;
        seed %= n;
        for (uint256 k; k < n && found < v.approverCount; ++k) {
            address a = actors[(seed + k) % n];
            if (a == v.requester || a == v.provider || a == v.verifier) continue;
            list[found++] = a;
        }
        assembly ("memory-safe") {
            mstore(list, found)
        }
    }

    /// @dev A job whose handler-known status is in `mask` and that meets `conds`, from a random start. In one
    /// pick of sixteen the status and timing conditions are dropped: calls on jobs in any state (ended ones
    /// included: terminal states are terminal) and outside their windows must be refused.
    function _pick(uint256 seed, uint256 mask, uint256 conds) private view returns (uint256) {
        uint256 n = jobs;
        if (n == 0) return 0;
        if ((seed >> 128) % 16 == 0) (mask, conds) = (ANY_STATUS, conds & STRUCTURAL);
        uint256 start = seed % n;
        for (uint256 k; k < n; ++k) {
            uint256 id = ((start + k) % n) + 1;
            if (mask & (1 << uint8(lastStatus[id])) != 0 && _meets(id, conds)) return id;
        }
        return 0;
    }

    function _meets(uint256 id, uint256 conds) private view returns (bool) {
        if (conds == 0) return true;
        JobInfo memory info = _info[id];
        uint256 have = info.flags;
        if (_approvers[id].length != 0) have |= WITH_APPROVERS;
        if (info.flags & REJECTED == 0) have |= NOT_REJECTED;
        have |= block.timestamp <= info.deadline ? BEFORE_DEADLINE : AFTER_DEADLINE;
        have |= block.timestamp < info.reviewEnd ? IN_REVIEW : REVIEW_OVER;
        have |= block.timestamp < info.arbitrationEnd ? IN_ARBITRATION : ARBITRATION_OVER;
        return have & conds == conds;
    }

    /// @dev Refreshes what job selection knows about a job from how `getJob` shows it after a call.
    function _refreshInfo(uint256 id, IWorkEscrowTypes.Job memory j) private {
        uint8 flags;
        if (j.provider == address(0)) flags |= uint8(UNDESIGNATED);
        if (j.verifier != address(0) && j.verdict == IWorkEscrowTypes.Verdict.None) flags |= uint8(VERIFIABLE);
        if (j.proposer != address(0)) flags |= uint8(PROPOSED);
        if (j.verdict == IWorkEscrowTypes.Verdict.Rejected) flags |= uint8(REJECTED);
        _info[id] = JobInfo({
            deadline: j.deadline,
            reviewEnd: uint64(_reviewEnd(j)),
            arbitrationEnd: uint64(_arbitrationEnd(j)),
            flags: flags
        });
    }

    function _is(IWorkEscrowTypes.Job memory j, uint256 mask) private pure returns (bool) {
        return mask & (1 << uint8(j.status)) != 0;
    }

    function _holdsRole(uint256 id, IWorkEscrowTypes.Job memory j, address a) private view returns (bool) {
        return a == j.requester || a == j.arbitrator || a == j.verifier || _isApprover(id, a);
    }

    function _isApprover(uint256 id, address a) private view returns (bool) {
        address[] storage list = _approvers[id];
        for (uint256 i; i < list.length; ++i) if (list[i] == a) return true;
        return false;
    }

    /// @dev Moves time forward to `to` (never back).
    function _warpTo(uint256 to) private {
        if (to > block.timestamp) vm.warp(to);
    }

    /// @dev An actor with no role in the job (who may accept it or bid for it; an EOA if `eoa`), or 0.
    function _freeActor(
        uint256 id,
        IWorkEscrowTypes.Job memory j,
        uint256 seed,
        bool eoa
    ) private view returns (address) {
        uint256 n = actors.length;
        seed %= n;
        for (uint256 k; k < n; ++k) {
            address a = actors[(seed + k) % n];
            if (!_holdsRole(id, j, a) && (!eoa || _keys[a] != 0)) return a;
        }
        return address(0);
    }

    function _jobText(uint256 id, string memory what) private pure returns (string memory) {
        return string.concat("job ", vm.toString(id), what);
    }

    /// @dev In 3 modes of 16, moves time forward to `target - 1`, `target` or `target + 1` (exact window edges).
    function _edgeWarp(uint256 target, uint256 mode) private {
        mode %= 16;
        if (mode > 2) return;
        uint256 to = target + mode - 1;
        if (to > block.timestamp) vm.warp(to);
    }

    /// @dev A partial amount: the whole remaining amount (mode % 4 == 0), 0 or remaining + 1 (invalid,
    /// mode % 9 == 7), else in [1, remaining].
    function _partialAmount(uint256 remaining, uint256 amount, uint256 mode) private pure returns (uint256) {
        if (mode % 9 == 7) return mode % 2 == 0 ? 0 : remaining + 1;
        if (mode % 4 == 0) return remaining;
        return _bound(amount, 1, remaining);
    }

    /// @dev Basis points: 0, 10,000, 5,000 or random in [0, 10,000]; over 10,000 in one mode of 16.
    function _bps(uint256 bps, uint256 mode) private pure returns (uint16) {
        mode %= 16;
        if (mode == 15) return uint16(_bound(bps, 10_001, type(uint16).max));
        if (mode < 3) return [uint16(0), 10_000, 5_000][mode];
        return uint16(_bound(bps, 0, 10_000));
    }

    /// @dev The model's review window (after a rejection it runs to `verdictAt + reviewPeriod`, audit M-01).
    function _reviewEnd(IWorkEscrowTypes.Job memory j) private pure returns (uint256) {
        return EscrowModel.reviewEnd(j);
    }

    /// @dev The model's keeper of a permissionless exit by `caller` (nobody when it holds a role in the job).
    function _keeperOf(uint256 id, IWorkEscrowTypes.Job memory j, address caller) private view returns (address) {
        return EscrowModel.keeperOf(j, caller, _isApprover(id, caller));
    }

    /// @dev "tipNotForRoleHolder" when a permissionless exit by `caller` has a tip that must go back to the
    /// requester because the caller holds a role in the job other than requester or provider.
    function _tipKind(uint256 id, IWorkEscrowTypes.Job memory j, address caller) private view returns (bytes32) {
        bool party = caller == j.requester || caller == j.provider;
        return
            j.keeperTip != 0 && !party && _keeperOf(id, j, caller) == address(0)
                ? bytes32("tipNotForRoleHolder")
                : bytes32(0);
    }

    /// @dev A caller that holds a role in the job other than requester or provider (and must not earn the keeper
    /// tip): its verifier, one of its approvers or its arbitrator (always there).
    function _roleHolder(uint256 id, IWorkEscrowTypes.Job memory j, uint256 seed) private view returns (address) {
        address[] storage list = _approvers[id];
        uint256 pick = seed % 3;
        if (pick == 0 && j.verifier != address(0)) return j.verifier;
        if (pick == 1 && list.length != 0) return list[(seed >> 2) % list.length];
        return j.arbitrator;
    }

    function _arbitrationEnd(IWorkEscrowTypes.Job memory j) private pure returns (uint256) {
        return uint256(j.disputedAt) + j.arbitrationPeriod;
    }

    function _transferFee(uint256 value) private view returns (uint256) {
        return (value * _tokenFeeBps) / BPS;
    }

    function _signBid(IWorkEscrowTypes.Bid memory bid, uint256 key) private view returns (bytes memory) {
        if (key == 0) return abi.encodePacked(bytes32(uint256(1)), bytes32(uint256(2)), uint8(27)); // a contract's junk
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, escrow.hashBid(bid));
        return abi.encodePacked(r, s, v);
    }

    function _balanceOf(address t, address account) private view returns (uint256) {
        return t == address(0) ? account.balance : token.balanceOf(account);
    }

    function _snap(address t) private view returns (Snap memory s) {
        uint256 n = accounts.length;
        s.escrow = _balanceOf(t, address(escrow));
        s.balances = new uint256[](n);
        s.credits = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            s.balances[i] = _balanceOf(t, accounts[i]);
            s.credits[i] = escrow.withdrawable(t, accounts[i]);
        }
    }

    function _allCredits() private view returns (uint256[] memory all) {
        uint256 n = accounts.length;
        all = new uint256[](2 * n);
        for (uint256 i; i < n; ++i) {
            all[i] = escrow.withdrawable(address(0), accounts[i]);
            all[n + i] = escrow.withdrawable(address(token), accounts[i]);
        }
    }

    /// @dev A push of `amount` arrives whole for the native coin (or is credited whole) and minus the
    /// token's transfer fee for the fee-on-transfer token.
    function _expectPush(int256[] memory expected, address to, uint256 amount, address t) private view {
        if (amount == 0) return;
        uint256 arrives = t == address(0) ? amount : amount - _transferFee(amount);
        expected[_indexOf(to)] += int256(arrives);
    }

    function _expectCredit(int256[] memory expected, address to, uint256 amount) private view {
        if (amount != 0) expected[_indexOf(to)] += int256(amount);
    }

    function _indexOf(address a) private view returns (uint256) {
        uint256 p = _position[a];
        require(p != 0, "EscrowHandler: payout to an untracked address"); // a model bug, never the escrow's
        return p - 1;
    }

    function _count(bytes32 kind) private {
        if (!_seen[kind]) {
            _seen[kind] = true;
            _kinds.push(kind);
        }
        ++calls[kind];
    }

    function _violate(bytes32 category, string memory what) private {
        ++violationTotal;
        if (violations[category]++ == 0) firstViolation[category] = what;
    }

    function _str(bytes32 b) private pure returns (string memory s) {
        uint256 len;
        while (len < 32 && b[len] != 0) ++len;
        s = new string(len);
        for (uint256 i; i < len; ++i) bytes(s)[i] = b[i];
    }
}
