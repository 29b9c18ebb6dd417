// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {IWorkEscrow} from "../../contracts/interfaces/IWorkEscrow.sol";
import {IWorkEscrowTypes} from "../../contracts/interfaces/IWorkEscrowTypes.sol";
import {FeeOnTransferToken} from "../../contracts/mocks/MockTokens.sol";

/// @notice A party that cannot receive the native coin: every push to it must become a credit.
contract RevertingActor {
    receive() external payable {
        revert("no");
    }
}

/// @notice Drives WorkEscrow through random sequences of every entry point, over the native coin and a
/// fee-on-transfer token, with one actor that cannot receive. Inputs are bounded so calls are mostly
/// valid; calls that revert anyway change nothing. Ghost variables record what each settlement moved.
contract EscrowHandler is Test {
    IWorkEscrow public immutable escrow;
    FeeOnTransferToken public immutable token;
    address public immutable treasury = makeAddr("treasury");
    address public immutable community = makeAddr("community");
    address[2] public arbitrators;
    address[] public actors;
    address[] public accounts; // every address that can ever hold a credit

    uint256 public jobsCreated;
    /// @notice Settlements where balance decrease + credit increase != the job's amount.
    uint256 public conservationViolations;
    /// @notice The terminal status each job reached, recorded when it settled.
    mapping(uint256 jobId => IWorkEscrowTypes.Status) public terminalStatus;
    mapping(bytes32 => uint256) public calls;
    /// @notice Times an account's credit went down other than by its own withdrawal.
    uint256 public creditDecreases;
    address private _withdrawer; // the account allowed to decrease its own credit in this action

    constructor(IWorkEscrow escrow_, FeeOnTransferToken token_, address[2] memory arbitrators_) {
        escrow = escrow_;
        token = token_;
        arbitrators = arbitrators_;
        for (uint256 i; i < 4; ++i) actors.push(makeAddr(string.concat("actor", vm.toString(i))));
        actors.push(address(new RevertingActor()));
        for (uint256 i; i < actors.length; ++i) {
            vm.deal(actors[i], 1e30);
            token.mint(actors[i], 1e30);
            vm.prank(actors[i]);
            token.approve(address(escrow_), type(uint256).max);
            accounts.push(actors[i]);
        }
        accounts.push(treasury);
        accounts.push(community);
        accounts.push(arbitrators_[0]);
        accounts.push(arbitrators_[1]);
    }

    // ------------------------------------------------------------------ helpers

    /// @dev Wraps every action: no credit may go down unless its holder withdrew it in this action.
    modifier creditsNeverDecrease() {
        uint256 n = accounts.length;
        uint256[] memory before = new uint256[](2 * n);
        for (uint256 i; i < n; ++i) {
            before[i] = escrow.withdrawable(address(0), accounts[i]);
            before[n + i] = escrow.withdrawable(address(token), accounts[i]);
        }
        _;
        for (uint256 i; i < n; ++i) {
            if (accounts[i] == _withdrawer) continue;
            if (escrow.withdrawable(address(0), accounts[i]) < before[i]) ++creditDecreases;
            if (escrow.withdrawable(address(token), accounts[i]) < before[n + i]) ++creditDecreases;
        }
        _withdrawer = address(0);
    }

    function actorCount() external view returns (uint256) {
        return actors.length;
    }

    function accountCount() external view returns (uint256) {
        return accounts.length;
    }

    function _actor(uint256 seed) private view returns (address) {
        return actors[seed % actors.length];
    }

    function _job(uint256 seed) private view returns (uint256 id, IWorkEscrowTypes.Job memory job) {
        if (jobsCreated == 0) return (0, job);
        id = (seed % jobsCreated) + 1;
        job = escrow.getJob(id);
    }

    function _balance(address t) private view returns (uint256) {
        return t == address(0) ? address(escrow).balance : token.balanceOf(address(escrow));
    }

    function _credits(address t) private view returns (uint256 sum) {
        for (uint256 i; i < accounts.length; ++i) sum += escrow.withdrawable(t, accounts[i]);
    }

    /// @dev Runs a settling call as `caller` and checks that the job's whole amount left the contract or
    /// became credits, and that the job is now in a terminal state.
    function _settle(uint256 id, IWorkEscrowTypes.Job memory job, address caller, bytes memory data) private {
        uint256 balanceBefore = _balance(job.token);
        uint256 creditsBefore = _credits(job.token);
        vm.prank(caller);
        (bool ok, ) = address(escrow).call(data);
        if (!ok) return;
        IWorkEscrowTypes.Status status = escrow.getJob(id).status;
        uint256 moved = balanceBefore - _balance(job.token) + (_credits(job.token) - creditsBefore);
        if (moved != job.amount || uint8(status) < uint8(IWorkEscrowTypes.Status.Released)) ++conservationViolations;
        terminalStatus[id] = status;
        calls[bytes4(data)]++;
    }

    function _act(address caller, bytes memory data) private returns (bool ok) {
        vm.prank(caller);
        (ok, ) = address(escrow).call(data);
        if (ok) calls[bytes4(data)]++;
    }

    // ------------------------------------------------------------------ actions

    function createJob(
        uint256 seed,
        uint256 amount,
        bool useToken,
        bool open,
        uint8 approverCount
    ) external creditsNeverDecrease {
        address requester = _actor(seed);
        address provider = open ? address(0) : _actor(seed + 1);
        address[] memory approvers = new address[](approverCount % 3);
        for (uint256 i; i < approvers.length; ++i) approvers[i] = _actor(seed + 2 + i);
        IWorkEscrowTypes.JobParams memory p = IWorkEscrowTypes.JobParams({
            provider: provider,
            token: useToken ? address(token) : address(0),
            amount: bound(amount, 1, 1e24),
            deadline: uint64(block.timestamp + bound(seed, 1 hours, 30 days)),
            reviewPeriod: uint32(bound(seed >> 8, 1 hours, 7 days)),
            jobType: uint8(seed % 2),
            jobHash: keccak256(abi.encode(seed)),
            arbitrator: arbitrators[(seed >> 16) % 2],
            approvers: approvers,
            threshold: uint16(approvers.length == 0 ? 0 : 1 + ((seed >> 24) % approvers.length)),
            providerBond: 0,
            keeperTip: 0,
            verifier: address(0),
            verifierFeeBps: 0,
            bidsOnly: false,
            agentRequired: false,
            agentId: 0
        });
        vm.prank(requester);
        try escrow.createJob{value: useToken ? 0 : p.amount}(p) returns (uint256 id) {
            jobsCreated = id;
            calls["createJob"]++;
        } catch {}
    }

    function acceptJob(uint256 seed, uint256 who) external creditsNeverDecrease {
        (uint256 id, IWorkEscrowTypes.Job memory job) = _job(seed);
        if (id == 0) return;
        _act(job.provider == address(0) ? _actor(who) : job.provider, abi.encodeCall(escrow.acceptJob, (id)));
    }

    function cancelJob(uint256 seed) external creditsNeverDecrease {
        (uint256 id, IWorkEscrowTypes.Job memory job) = _job(seed);
        if (id == 0) return;
        _settle(id, job, job.requester, abi.encodeCall(escrow.cancelJob, (id)));
    }

    function submitWork(uint256 seed) external creditsNeverDecrease {
        (uint256 id, IWorkEscrowTypes.Job memory job) = _job(seed);
        if (id == 0) return;
        _act(job.provider, abi.encodeCall(escrow.submitWork, (id, keccak256(abi.encode(seed, "result")))));
    }

    function approveWork(uint256 seed, uint256 who) external creditsNeverDecrease {
        (uint256 id, IWorkEscrowTypes.Job memory job) = _job(seed);
        if (id == 0) return;
        address approver = _actor(who);
        (bool isApprover, ) = escrow.approverState(id, approver);
        if (!isApprover) return;
        uint256 before = escrow.getJob(id).approvals;
        if (before + 1 >= job.threshold) {
            _settle(id, job, approver, abi.encodeCall(escrow.approveWork, (id)));
        } else {
            _act(approver, abi.encodeCall(escrow.approveWork, (id)));
        }
    }

    function release(uint256 seed, bool byRequester, uint256 who) external creditsNeverDecrease {
        (uint256 id, IWorkEscrowTypes.Job memory job) = _job(seed);
        if (id == 0) return;
        _settle(id, job, byRequester ? job.requester : _actor(who), abi.encodeCall(escrow.release, (id)));
    }

    function refundExpired(uint256 seed, uint256 who) external creditsNeverDecrease {
        (uint256 id, IWorkEscrowTypes.Job memory job) = _job(seed);
        if (id == 0) return;
        _settle(id, job, _actor(who), abi.encodeCall(escrow.refundExpired, (id)));
    }

    function raiseDispute(uint256 seed, bool byProvider) external creditsNeverDecrease {
        (uint256 id, IWorkEscrowTypes.Job memory job) = _job(seed);
        if (id == 0) return;
        address by = byProvider ? job.provider : job.requester;
        uint256 deposit = (job.amount * job.arbitrationFeeBps) / 10_000;
        bool native = job.token == address(0);
        vm.prank(by);
        (bool ok, ) = address(escrow).call{value: native ? deposit : 0}(
            abi.encodeCall(escrow.raiseDispute, (id, "dispute"))
        );
        if (ok) calls[escrow.raiseDispute.selector]++;
    }

    function submitEvidence(uint256 seed) external creditsNeverDecrease {
        (uint256 id, IWorkEscrowTypes.Job memory job) = _job(seed);
        if (id == 0) return;
        _act(job.arbitrator, abi.encodeCall(escrow.submitEvidence, (id, "ipfs://evidence")));
    }

    function proposeSettlement(uint256 seed, bool byProvider, uint16 bps) external creditsNeverDecrease {
        (uint256 id, IWorkEscrowTypes.Job memory job) = _job(seed);
        if (id == 0) return;
        bps = uint16(bound(bps, 0, 10_000));
        _act(byProvider ? job.provider : job.requester, abi.encodeCall(escrow.proposeSettlement, (id, bps)));
    }

    function acceptSettlement(uint256 seed) external creditsNeverDecrease {
        (uint256 id, IWorkEscrowTypes.Job memory job) = _job(seed);
        if (id == 0 || job.proposer == address(0)) return;
        address other = job.proposer == job.provider ? job.requester : job.provider;
        _settle(id, job, other, abi.encodeCall(escrow.acceptSettlement, (id, job.proposalBps)));
    }

    function resolveDispute(uint256 seed, uint16 bps) external creditsNeverDecrease {
        (uint256 id, IWorkEscrowTypes.Job memory job) = _job(seed);
        if (id == 0) return;
        bps = uint16(bound(bps, 0, 10_000));
        _settle(id, job, job.arbitrator, abi.encodeCall(escrow.resolveDispute, (id, bps)));
    }

    function settleStaleDispute(uint256 seed, uint256 who) external creditsNeverDecrease {
        (uint256 id, IWorkEscrowTypes.Job memory job) = _job(seed);
        if (id == 0) return;
        _settle(id, job, _actor(who), abi.encodeCall(escrow.settleStaleDispute, (id)));
    }

    function withdraw(uint256 who, bool useToken) external creditsNeverDecrease {
        address account = accounts[who % accounts.length];
        address t = useToken ? address(token) : address(0);
        uint256 credit = escrow.withdrawable(t, account);
        uint256 balanceBefore = _balance(t);
        // the reverting actor withdraws to another address, everyone else to themselves
        address to = account.code.length > 0 ? actors[0] : account;
        _withdrawer = account;
        if (!_act(account, abi.encodeCall(escrow.withdrawTo, (t, to)))) return;
        if (balanceBefore - _balance(t) != credit || escrow.withdrawable(t, account) != 0) ++conservationViolations;
    }

    function toggleArbitrator(uint256 which, bool registered) external creditsNeverDecrease {
        vm.prank(escrow.owner());
        escrow.setArbitrator(arbitrators[which % 2], registered, 0);
    }

    function changeFees(uint16 platform, uint16 communityBps, uint16 arbitration) external creditsNeverDecrease {
        platform = uint16(bound(platform, 0, 1_000));
        communityBps = uint16(bound(communityBps, 0, platform > 500 ? 1_000 - platform : 500));
        arbitration = uint16(bound(arbitration, 0, 1_000));
        vm.prank(escrow.owner());
        escrow.setFees(platform, communityBps, arbitration);
    }

    /// @notice Rotates the fee recipients among the tracked accounts (possibly one address for both).
    function changeFeeRecipients(uint256 a, uint256 b) external creditsNeverDecrease {
        vm.prank(escrow.owner());
        escrow.setFeeRecipients(accounts[a % accounts.length], accounts[b % accounts.length]);
        calls["setFeeRecipients"]++;
    }

    function warp(uint256 secondsAhead) external {
        vm.warp(block.timestamp + bound(secondsAhead, 1, 10 days));
    }
}
