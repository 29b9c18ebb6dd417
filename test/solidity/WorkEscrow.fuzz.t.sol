// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IWorkEscrow} from "../../contracts/interfaces/IWorkEscrow.sol";
import {IWorkEscrowTypes} from "../../contracts/interfaces/IWorkEscrowTypes.sol";
import {FeeOnTransferToken} from "../../contracts/mocks/MockTokens.sol";
import {EscrowFixture} from "./EscrowFixture.sol";

/// @notice Fuzz tests of a job's money from creation to its end, with amounts up to 2^128 - 1 and every rate
/// anywhere up to its cap (and exactly at the caps): what leaves the escrow equals what came in, wei for wei;
/// the dispute deposit goes where the spec says; approvals count distinct approvers.
contract WorkEscrowFuzzTest is EscrowFixture {
    uint256 internal constant BPS = 10_000;
    uint256 internal constant MAX = type(uint128).max;
    uint32 internal constant ARBITRATION_PERIOD = 2 days;
    uint32 internal constant REVIEW = 1 days;
    uint64 internal constant WORK_TIME = 10 days;

    IWorkEscrow internal escrow;
    FeeOnTransferToken internal token;
    address internal admin = makeAddr("admin");
    address internal treasury = makeAddr("treasury");
    address internal community = makeAddr("community");
    address internal arbitrator = makeAddr("arbitrator");
    address internal verifier = makeAddr("verifier");
    address internal requester = makeAddr("requester");
    address internal provider = makeAddr("provider");
    address internal keeper = makeAddr("keeper");

    /// @dev What a job's life moved through the escrow, measured on the escrow's balance.
    struct Flow {
        address token;
        uint256 escrowIn; // every increase of the escrow's balance
        uint256 escrowOut; // every decrease
        uint256 declaredIn; // what the job recorded as arriving: amount + tip, bond held, deposit held
    }

    function setUp() public {
        IWorkEscrowTypes.ArbitratorConfig[] memory registry = new IWorkEscrowTypes.ArbitratorConfig[](1);
        registry[0] = IWorkEscrowTypes.ArbitratorConfig(arbitrator, ARBITRATION_PERIOD);
        escrow = _deployEscrow(admin, treasury, community, [uint16(0), 0, 0], registry);
        token = new FeeOnTransferToken(100);
        address[3] memory payers = [requester, provider, keeper];
        for (uint256 i; i < payers.length; ++i) {
            token.mint(payers[i], 2 ** 131);
            vm.prank(payers[i]);
            token.approve(address(escrow), type(uint256).max);
        }
    }

    /*//////////////////////////////////////////////////////////////
                 A JOB'S MONEY: PARTIAL PAYMENTS, THEN AN END
    //////////////////////////////////////////////////////////////*/

    struct MoneyCase {
        uint256 amount;
        uint256 bond;
        uint256 tip;
        uint16[4] rates; // platform, community, arbitration, verifier
        uint256 seed;
        uint8 ending;
        bool useToken;
    }

    /// @notice Random partial releases and refunds, then a random end (release by the requester or a keeper,
    /// refund after the deadline, a ruling, a stale dispute, an agreement in Accepted/Submitted/Disputed, a
    /// verifier's rejection or approval, or partial payments down to zero): everything that left the escrow
    /// (pushes and withdrawn credits, fees included) equals amount + bond + tip + deposit, and the escrow ends
    /// holding nothing. The keeper gets exactly the tip; the verifier exactly its bps of what remained.
    function testFuzz_money_partialPaymentsThenAnyEnding_payOutExactlyWhatCameIn(
        uint256 amount,
        uint256 bond,
        uint256 tip,
        uint256 rateSeed,
        uint256 seed,
        uint8 ending,
        bool useToken
    ) public {
        MoneyCase memory m;
        m.amount = bound(amount, 1, MAX);
        m.bond = bound(bond, 0, MAX);
        // Native: any tip; the fee-on-transfer token must leave room for the tip in what arrives.
        m.tip = useToken ? bound(tip, 0, m.amount) : bound(tip, 0, MAX);
        m.rates = _rates(rateSeed);
        m.seed = seed;
        m.ending = ending % 9;
        m.useToken = useToken;
        _runMoneyCase(m);
    }

    /// @notice The same at the extremes: every rate at its cap and the largest amount, bond and tip.
    function testFuzz_money_atEveryCap_payOutExactlyWhatCameIn(uint256 seed, uint8 ending, bool useToken) public {
        MoneyCase memory m;
        m.amount = MAX;
        m.bond = MAX;
        m.tip = useToken ? MAX / 2 : MAX;
        m.rates = seed % 2 == 0 ? [uint16(500), 500, 1_000, 1_000] : [uint16(1_000), 0, 1_000, 1_000];
        m.seed = seed;
        m.ending = ending % 9;
        m.useToken = useToken;
        _runMoneyCase(m);
    }

    function _runMoneyCase(MoneyCase memory m) internal {
        Flow memory f;
        f.token = m.useToken ? address(token) : address(0);
        uint256 id = _startJob(f, m);
        _endAndDrain(f, m, id);
    }

    /// @dev Creation (amount + tip in), acceptance (bond in), maybe a submission, then partial payments.
    function _startJob(Flow memory f, MoneyCase memory m) internal returns (uint256 id) {
        vm.prank(admin);
        escrow.setFees(m.rates[0], m.rates[1], m.rates[2]);
        bool withVerifier = m.ending >= 6 || m.seed % 2 == 0;

        // Creation: amount + tip in.
        IWorkEscrowTypes.JobParams memory p = _params(f.token, m.amount);
        IWorkEscrowTypes.JobOptions memory o = _options(m.bond, m.tip);
        if (withVerifier) (o.verifier, o.verifierFeeBps) = (verifier, m.rates[3]);
        vm.deal(requester, m.amount + m.tip);
        bytes memory ret = _do(
            f,
            requester,
            m.useToken ? 0 : m.amount + m.tip,
            abi.encodeCall(escrow.createJobWithOptions, (p, o))
        );
        id = abi.decode(ret, (uint256));
        IWorkEscrowTypes.Job memory j = escrow.getJob(id);
        f.declaredIn = j.amount + j.keeperTip;
        assertEq(j.keeperTip, m.tip, "the tip is kept whole");

        // Acceptance: the bond in.
        vm.deal(provider, m.bond);
        _do(f, provider, m.useToken ? 0 : m.bond, abi.encodeCall(escrow.acceptJob, (id)));
        j = escrow.getJob(id);
        f.declaredIn += j.bondPosted ? j.providerBond : 0;

        bool needsSubmission = m.ending == 1 || m.ending == 3 || m.ending == 4 || m.ending == 6 || m.ending == 7;
        bool submitFirst = needsSubmission || (m.ending != 2 && (m.seed >> 1) % 2 == 0);
        if (submitFirst) _do(f, provider, 0, abi.encodeCall(escrow.submitWork, (id, keccak256("result"))));

        _partials(f, id, m.seed);
    }

    /// @dev Up to four partial releases or refunds, each leaving something in the job.
    function _partials(Flow memory f, uint256 id, uint256 seed) internal {
        uint256 steps = (seed >> 2) % 5;
        for (uint256 k; k < steps; ++k) {
            uint256 remaining = escrow.getJob(id).amount;
            if (remaining < 2) break;
            uint256 r = uint256(keccak256(abi.encode(seed, k)));
            uint256 part = bound(r >> 1, 1, remaining - 1);
            if (r % 2 == 0) _do(f, requester, 0, abi.encodeCall(escrow.releasePartial, (id, part)));
            else _do(f, provider, 0, abi.encodeCall(escrow.refundPartial, (id, part)));
        }
    }

    /// @dev The end of the job, every credit withdrawn, and the accounts.
    function _endAndDrain(Flow memory f, MoneyCase memory m, uint256 id) internal {
        uint256 keeperBefore = _balanceOf(f.token, keeper) + escrow.withdrawable(f.token, keeper);
        uint256 deposit = _end(f, m, id);
        f.declaredIn += deposit;
        assertGe(uint8(escrow.getJob(id).status), uint8(IWorkEscrowTypes.Status.Released), "the job ended");

        // The keeper earned exactly the tip on a permissionless end, nothing otherwise.
        bool permissionless = m.ending == 1 || m.ending == 2 || m.ending == 4 || m.ending == 6;
        uint256 keeperGain = _balanceOf(f.token, keeper) + escrow.withdrawable(f.token, keeper) - keeperBefore;
        assertEq(keeperGain, permissionless ? _arrives(f.token, m.tip) : 0, "keeper's gain != the tip");

        // Everyone takes their credit; then the escrow must hold nothing.
        address[7] memory holders = [requester, provider, keeper, arbitrator, verifier, treasury, community];
        for (uint256 i; i < holders.length; ++i) {
            if (escrow.withdrawable(f.token, holders[i]) != 0) {
                _do(f, holders[i], 0, abi.encodeCall(escrow.withdraw, (f.token)));
            }
        }
        assertEq(f.escrowIn, f.declaredIn, "what arrived != amount + bond + tip + deposit the job recorded");
        assertEq(f.escrowOut, f.escrowIn, "paid out (pushes + withdrawn credits, fees included) != came in");
        assertEq(_balanceOf(f.token, address(escrow)), 0, "dust left in the escrow");
        if (!m.useToken) {
            uint256 nominal = m.amount + m.tip + (escrow.getJob(id).bondPosted ? m.bond : 0) + deposit;
            assertEq(f.escrowOut, nominal, "native: paid out != amount + bond + tip + deposit");
        }
    }

    /// @dev The end of the job; returns the deposit that arrived (0 without a dispute).
    function _end(Flow memory f, MoneyCase memory m, uint256 id) internal returns (uint256 deposit) {
        IWorkEscrowTypes.Job memory j = escrow.getJob(id);
        uint256 r = uint256(keccak256(abi.encode(m.seed, "end")));
        if (m.ending == 0) {
            _do(f, requester, 0, abi.encodeCall(escrow.release, (id)));
        } else if (m.ending == 1) {
            vm.warp(uint256(j.submittedAt) + j.reviewPeriod);
            _do(f, keeper, 0, abi.encodeCall(escrow.release, (id)));
        } else if (m.ending == 2) {
            vm.warp(uint256(j.deadline) + 1);
            _do(f, keeper, 0, abi.encodeCall(escrow.refundExpired, (id)));
        } else if (m.ending == 3 || m.ending == 4) {
            deposit = _dispute(f, id, r % 2 == 0 ? requester : provider);
            if (m.ending == 3) {
                uint16 bps = r % 3 == 0
                    ? 0
                    : r % 3 == 1
                        ? 10_000
                        : uint16(bound(r >> 8, 0, BPS));
                _do(f, arbitrator, 0, abi.encodeCall(escrow.resolveDispute, (id, bps)));
            } else {
                vm.warp(uint256(escrow.getJob(id).disputedAt) + ARBITRATION_PERIOD);
                _do(f, keeper, 0, abi.encodeCall(escrow.settleStaleDispute, (id)));
            }
        } else if (m.ending == 5) {
            if (j.status == IWorkEscrowTypes.Status.Submitted && r % 3 == 0) {
                deposit = _dispute(f, id, (r >> 2) % 2 == 0 ? requester : provider);
            }
            (address proposer, address other) = (r >> 3) % 2 == 0 ? (requester, provider) : (provider, requester);
            uint16 bps = uint16(bound(r >> 8, 0, BPS));
            _do(f, proposer, 0, abi.encodeCall(escrow.proposeSettlement, (id, bps)));
            _do(f, other, 0, abi.encodeCall(escrow.acceptSettlement, (id, bps)));
        } else if (m.ending == 6 || m.ending == 7) {
            uint256 fee = (uint256(j.amount) * j.verifierFeeBps) / BPS;
            // The verdict comes at any second of the review window (its last one included).
            vm.warp(uint256(j.submittedAt) + bound(r >> 16, 0, j.reviewPeriod - 1));
            _do(f, verifier, 0, abi.encodeCall(escrow.verifyWork, (id, m.ending == 7)));
            assertEq(escrow.withdrawable(f.token, verifier), fee, "verifier's fee != its bps of what remained");
            if (m.ending == 6) {
                // Audit M-01: the rejection opens a whole new review window; the refund waits for its end.
                vm.warp(uint256(escrow.getJob(id).verdictAt) + j.reviewPeriod);
                _do(f, keeper, 0, abi.encodeCall(escrow.refundExpired, (id)));
            }
        } else {
            // Partial payments down to zero end the job (Released / Refunded).
            uint256 remaining = j.amount;
            if (r % 2 == 0) _do(f, requester, 0, abi.encodeCall(escrow.releasePartial, (id, remaining)));
            else _do(f, provider, 0, abi.encodeCall(escrow.refundPartial, (id, remaining)));
        }
    }

    function _dispute(Flow memory f, uint256 id, address by) internal returns (uint256) {
        IWorkEscrowTypes.Job memory j = escrow.getJob(id);
        uint256 deposit = (uint256(j.amount) * j.arbitrationFeeBps) / BPS;
        bool native = f.token == address(0);
        if (native) vm.deal(by, deposit);
        _do(f, by, native ? deposit : 0, abi.encodeCall(escrow.raiseDispute, (id, "not what was asked")));
        return escrow.getJob(id).disputeDeposit;
    }

    /*//////////////////////////////////////////////////////////////
                            THE DISPUTE DEPOSIT
    //////////////////////////////////////////////////////////////*/

    /// @notice The deposit (the arbitration fee on the disputed amount) goes to the other party only when the
    /// arbitrator rules fully against the disputer (a requester's dispute ruled 10,000, a provider's ruled 0);
    /// it comes back to the disputer on any other ruling, an agreement or a stale dispute. Each party's payout
    /// is checked to the wei against the split of the spec.
    // solhint-disable-next-line function-max-lines
    function testFuzz_deposit_goesToTheOtherPartyOnlyOnARulingFullyAgainstTheDisputer(
        uint256 amount,
        uint256 arbitrationBps,
        uint256 bpsSeed,
        bool byProvider,
        uint8 how
    ) public {
        amount = bound(amount, 1, MAX);
        arbitrationBps = bound(arbitrationBps, 0, 1_000);
        how %= 3; // 0 ruling, 1 agreement, 2 stale
        uint16 bps = how == 2
            ? 5_000
            : bpsSeed % 3 == 0
                ? 0
                : bpsSeed % 3 == 1
                    ? 10_000
                    : uint16(bound(bpsSeed >> 2, 0, BPS));
        vm.prank(admin);
        escrow.setFees(0, 0, uint16(arbitrationBps));

        vm.deal(requester, amount);
        vm.prank(requester);
        uint256 id = escrow.createJob{value: amount}(_params(address(0), amount));
        vm.startPrank(provider);
        escrow.acceptJob(id);
        escrow.submitWork(id, keccak256("result"));
        vm.stopPrank();

        address disputer = byProvider ? provider : requester;
        uint256 deposit = (amount * arbitrationBps) / BPS;
        vm.deal(disputer, deposit);
        vm.prank(disputer);
        escrow.raiseDispute{value: deposit}(id, "not what was asked");
        assertEq(escrow.getJob(id).disputeDeposit, deposit, "deposit held");

        bool lost = how == 0 && (byProvider ? bps == 0 : bps == 10_000);
        address depositTo = lost ? (byProvider ? requester : provider) : disputer;
        if (how == 1) {
            vm.prank(byProvider ? requester : provider);
            escrow.proposeSettlement(id, bps);
        } else if (how == 2) {
            vm.warp(block.timestamp + ARBITRATION_PERIOD);
        }
        uint256[2] memory before = [requester.balance, provider.balance];
        if (deposit != 0) {
            vm.expectEmit(true, true, false, true, address(escrow));
            emit IWorkEscrowTypes.DisputeDepositSettled(id, depositTo, deposit);
        }
        if (how == 0) {
            vm.prank(arbitrator);
            escrow.resolveDispute(id, bps);
        } else if (how == 1) {
            vm.prank(disputer);
            escrow.acceptSettlement(id, bps);
        } else {
            vm.prank(keeper);
            escrow.settleStaleDispute(id);
        }

        uint256 arbitrationFee = how == 0 ? (amount * arbitrationBps) / BPS : 0;
        uint256 rest = amount - arbitrationFee;
        uint256 toProvider = (rest * bps) / BPS;
        uint256 toRequester = rest - toProvider;
        if (depositTo == provider) toProvider += deposit;
        else toRequester += deposit;
        assertEq(requester.balance - before[0], toRequester, "requester's payout (its share +/- the deposit)");
        assertEq(provider.balance - before[1], toProvider, "provider's payout (its share +/- the deposit)");
        assertEq(escrow.withdrawable(address(0), arbitrator), arbitrationFee, "arbitration fee only on a ruling");
        assertEq(escrow.getJob(id).disputeDeposit, 0, "deposit no longer held");
        assertEq(address(escrow).balance, arbitrationFee, "the escrow keeps only the arbitrator's credit");
    }

    /*//////////////////////////////////////////////////////////////
                 A REJECTION'S REVIEW WINDOW (AUDIT M-01)
    //////////////////////////////////////////////////////////////*/

    /// @notice A verifier's rejection at any second of the review window (its last one included) opens a whole new
    /// window for the provider, `verdictAt + reviewPeriod` (`getJob` shows `verdictAt`): up to its last second
    /// nobody can refund the requester (nor `finalize` the job, nor release it), and the provider may still
    /// dispute, even after the original window; from its first second on the dispute is refused and anyone
    /// refunds the requester (bond forfeited, tip to the keeper).
    // solhint-disable-next-line function-max-lines
    function testFuzz_rejection_opensAWholeReviewWindowForTheProvider(
        uint256 verdictSeed,
        uint256 reviewPeriod,
        uint256 probe,
        bool disputes
    ) public {
        uint32 review = uint32(bound(reviewPeriod, 1 hours, 30 days));
        vm.prank(admin);
        escrow.setFees(0, 0, 500);
        IWorkEscrowTypes.JobParams memory p = _params(address(0), 1 ether);
        IWorkEscrowTypes.JobOptions memory o = _options(0.2 ether, 0.01 ether);
        (p.reviewPeriod, o.verifier, o.verifierFeeBps) = (review, verifier, 100);
        vm.deal(requester, 1.01 ether);
        vm.prank(requester);
        uint256 id = escrow.createJobWithOptions{value: 1.01 ether}(p, o);
        vm.deal(provider, 0.2 ether);
        vm.startPrank(provider);
        escrow.acceptJob{value: 0.2 ether}(id);
        escrow.submitWork(id, keccak256("result"));
        vm.stopPrank();
        uint256 originalEnd = block.timestamp + review;

        // The rejection at any second of the window; its last second one time in four.
        uint256 verdictAt = verdictSeed % 4 == 0
            ? originalEnd - 1
            : bound(verdictSeed >> 2, block.timestamp, originalEnd - 1);
        vm.warp(verdictAt);
        vm.prank(verifier);
        escrow.verifyWork(id, false);
        assertEq(escrow.getJob(id).verdictAt, verdictAt, "getJob().verdictAt != when the verdict was given");
        uint256 end = verdictAt + review;

        // Inside the new window: its last second, the original window's end (when it falls inside), or any second.
        uint256 inside = probe % 3 == 0
            ? end - 1
            : probe % 3 == 1
                ? originalEnd
                : probe >> 2;
        inside = bound(inside, verdictAt, end - 1);
        vm.warp(inside);
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IWorkEscrowTypes.WorkEscrowReviewWindowOpen.selector, id, end));
        escrow.refundExpired(id);
        vm.prank(keeper);
        if (inside < originalEnd) {
            vm.expectRevert(
                abi.encodeWithSelector(IWorkEscrowTypes.WorkEscrowReviewWindowOpen.selector, id, originalEnd)
            );
        } else {
            vm.expectRevert(abi.encodeWithSelector(IWorkEscrowTypes.WorkEscrowWorkRejected.selector, id));
        }
        escrow.release(id);
        uint256[] memory ids = new uint256[](1);
        ids[0] = id;
        vm.prank(keeper);
        assertEq(escrow.finalize(ids), 0, "finalize ended a rejected job inside the provider's window");

        uint256 deposit = (0.99 ether * 500) / BPS; // the arbitration fee on what remains after the verifier's 1%
        vm.deal(provider, deposit);
        if (disputes) {
            vm.prank(provider);
            escrow.raiseDispute{value: deposit}(id, "the rejection is wrong");
            assertEq(
                uint8(escrow.getJob(id).status),
                uint8(IWorkEscrowTypes.Status.Disputed),
                "the provider disputed in time"
            );
            return;
        }
        // From the new window's end: the dispute is refused and anyone refunds the requester.
        vm.warp(end);
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(IWorkEscrowTypes.WorkEscrowReviewWindowClosed.selector, id, end));
        escrow.raiseDispute{value: deposit}(id, "too late");
        uint256[2] memory before = [requester.balance, keeper.balance];
        vm.prank(keeper);
        escrow.refundExpired(id);
        assertEq(
            requester.balance - before[0],
            0.99 ether + 0.2 ether,
            "requester: the remaining amount + the forfeited bond"
        );
        assertEq(keeper.balance - before[1], 0.01 ether, "keeper: the tip");
        assertEq(uint8(escrow.getJob(id).status), uint8(IWorkEscrowTypes.Status.Refunded), "refunded");
    }

    /*//////////////////////////////////////////////////////////////
                  THE KEEPER TIP: ONLY FOR A CALLER WITH NO ROLE
    //////////////////////////////////////////////////////////////*/

    /// @notice On every permissionless exit (release after the window, refund after the deadline, stale
    /// settlement, refund after a rejection, batch finalize), the tip goes to the caller only when it holds no role
    /// in the job; when the job's verifier, arbitrator or an approver (or a party) makes the exit, the tip goes back
    /// to the requester, who gets exactly its share plus the tip, and the role holder gets nothing.
    // solhint-disable-next-line function-max-lines
    function testFuzz_keeperTip_onlyForACallerWithNoRoleInTheJob(uint8 exit, uint8 who, uint256 tip) public {
        tip = bound(tip, 1, MAX);
        exit %= 5; // 0 release, 1 refund after the deadline, 2 stale dispute, 3 refund after a rejection, 4 finalize
        address approver = makeAddr("approver");
        address[6] memory callers = [keeper, verifier, arbitrator, approver, requester, provider];
        address caller = callers[who % 6];

        IWorkEscrowTypes.JobParams memory p = _params(address(0), 1 ether);
        IWorkEscrowTypes.JobOptions memory o = _options(0, tip);
        (o.verifier, p.approvers, p.threshold) = (verifier, new address[](1), 1);
        p.approvers[0] = approver;
        vm.deal(requester, 1 ether + tip);
        vm.prank(requester);
        uint256 id = escrow.createJobWithOptions{value: 1 ether + tip}(p, o);
        vm.startPrank(provider);
        escrow.acceptJob(id);
        if (exit != 1) escrow.submitWork(id, keccak256("result"));
        vm.stopPrank();

        uint256 requesterShare; // what the requester gets besides a returned tip (fees are 0 here)
        if (exit == 0 || exit == 4) {
            vm.warp(block.timestamp + REVIEW);
        } else if (exit == 1) {
            vm.warp(uint256(p.deadline) + 1);
            requesterShare = 1 ether;
        } else if (exit == 2) {
            vm.prank(requester);
            escrow.raiseDispute(id, "not what was asked"); // no deposit: the arbitration fee is 0
            vm.warp(block.timestamp + ARBITRATION_PERIOD);
            requesterShare = 0.5 ether;
        } else {
            vm.prank(verifier);
            escrow.verifyWork(id, false);
            vm.warp(block.timestamp + REVIEW);
            requesterShare = 1 ether;
        }

        bool earns = caller == keeper;
        vm.expectEmit(true, true, false, true, address(escrow));
        emit IWorkEscrowTypes.KeeperTipPaid(id, earns ? keeper : requester, tip);
        uint256[2] memory before = [requester.balance, caller.balance];
        vm.prank(caller);
        if (exit == 0) escrow.release(id);
        else if (exit == 1 || exit == 3) escrow.refundExpired(id);
        else if (exit == 2) escrow.settleStaleDispute(id);
        else {
            uint256[] memory ids = new uint256[](1);
            ids[0] = id;
            escrow.finalize(ids);
        }
        if (caller != requester) {
            assertEq(
                requester.balance - before[0],
                requesterShare + (earns ? 0 : tip),
                "requester: its share + the tip unless a keeper earned it"
            );
        } else {
            assertEq(
                requester.balance - before[0],
                requesterShare + tip,
                "requester as caller: its share + its tip back"
            );
        }
        if (caller != requester && caller != provider) {
            assertEq(caller.balance - before[1], earns ? tip : 0, "a caller gets the tip only when it holds no role");
        }
    }

    /*//////////////////////////////////////////////////////////////
                                APPROVALS
    //////////////////////////////////////////////////////////////*/

    /// @notice With 1–16 approvers and any threshold, approvals in any order (repeats and strangers included):
    /// `getJob(id).approvals` is always the number of distinct approvers who approved, a repeat or a stranger is
    /// refused, and the threshold-th distinct approval releases the job.
    // solhint-disable-next-line function-max-lines
    function testFuzz_approvals_countDistinctApproversAndReleaseAtTheThreshold(
        uint8 count,
        uint8 threshold,
        uint256 order
    ) public {
        uint256 n = bound(count, 1, 16);
        threshold = uint8(bound(threshold, 1, n));
        address[] memory approvers = new address[](n);
        for (uint256 i; i < n; ++i) approvers[i] = makeAddr(string.concat("approver", vm.toString(i)));
        IWorkEscrowTypes.JobParams memory p = _params(address(0), 1 ether);
        (p.approvers, p.threshold) = (approvers, threshold);
        vm.deal(requester, 1 ether);
        vm.prank(requester);
        uint256 id = escrow.createJob{value: 1 ether}(p);
        vm.startPrank(provider);
        escrow.acceptJob(id);
        escrow.submitWork(id, keccak256("result"));
        vm.stopPrank();

        bool[] memory approved = new bool[](n);
        uint256 distinct;
        for (uint256 step; step < 3 * n; ++step) {
            uint256 r = uint256(keccak256(abi.encode(order, step)));
            if (r % 8 == 0) {
                vm.prank(keeper); // not an approver
                vm.expectRevert(abi.encodeWithSelector(IWorkEscrowTypes.WorkEscrowUnauthorized.selector, id, keeper));
                escrow.approveWork(id);
                continue;
            }
            uint256 i = (r >> 3) % n;
            vm.prank(approvers[i]);
            if (approved[i]) {
                vm.expectRevert(
                    abi.encodeWithSelector(IWorkEscrowTypes.WorkEscrowAlreadyApproved.selector, id, approvers[i])
                );
                escrow.approveWork(id);
                continue;
            }
            escrow.approveWork(id);
            approved[i] = true;
            ++distinct;
            IWorkEscrowTypes.Job memory j = escrow.getJob(id);
            assertEq(j.approvals, distinct, "approvals != distinct approvers who approved");
            (bool isApprover, bool hasApproved) = escrow.approverState(id, approvers[i]);
            assertTrue(isApprover && hasApproved, "approverState after approving");
            if (distinct == threshold) {
                assertEq(
                    uint8(j.status),
                    uint8(IWorkEscrowTypes.Status.Released),
                    "the threshold-th approval releases"
                );
                return;
            }
            assertEq(
                uint8(j.status),
                uint8(IWorkEscrowTypes.Status.Submitted),
                "below the threshold nothing is released"
            );
        }
        assertLt(distinct, threshold, "stopped before the threshold");
        assertEq(escrow.getJob(id).approvals, distinct, "approvals != distinct approvers who approved");
    }

    /*//////////////////////////////////////////////////////////////
                                HELPERS
    //////////////////////////////////////////////////////////////*/

    /// @dev Calls the escrow as `caller` (it must succeed) and books the escrow's balance change as in or out.
    function _do(Flow memory f, address caller, uint256 value, bytes memory data) internal returns (bytes memory ret) {
        uint256 before = _balanceOf(f.token, address(escrow));
        bool ok;
        vm.prank(caller);
        (ok, ret) = address(escrow).call{value: value}(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(ret, 0x20), mload(ret))
            }
        }
        uint256 afterwards = _balanceOf(f.token, address(escrow));
        if (afterwards >= before) f.escrowIn += afterwards - before;
        else f.escrowOut += before - afterwards;
    }

    /// @dev Rates up to their caps: exactly at the caps in two modes of four, random below them otherwise.
    function _rates(uint256 seed) internal pure returns (uint16[4] memory r) {
        if (seed % 4 == 0) return [uint16(500), 500, 1_000, 1_000];
        if (seed % 4 == 1) return [uint16(1_000), 0, 1_000, 1_000];
        r[0] = uint16(bound(seed >> 8, 0, 1_000));
        r[1] = uint16(bound(seed >> 24, 0, r[0] > 500 ? 1_000 - r[0] : 500));
        r[2] = uint16(bound(seed >> 40, 0, 1_000));
        r[3] = uint16(bound(seed >> 56, 0, 1_000));
    }

    function _params(address t, uint256 amount) internal view returns (IWorkEscrowTypes.JobParams memory p) {
        p.provider = provider;
        p.token = t;
        p.amount = amount;
        p.deadline = uint64(block.timestamp + WORK_TIME);
        p.reviewPeriod = REVIEW;
        p.jobHash = keccak256("job");
        p.arbitrator = arbitrator;
    }

    function _options(uint256 bond, uint256 tip) internal pure returns (IWorkEscrowTypes.JobOptions memory o) {
        (o.providerBond, o.keeperTip) = (bond, tip);
    }

    function _balanceOf(address t, address account) internal view returns (uint256) {
        return t == address(0) ? account.balance : token.balanceOf(account);
    }

    /// @dev What arrives of a push of `amount` (the fee-on-transfer token burns 1%).
    function _arrives(address t, uint256 amount) internal view returns (uint256) {
        return t == address(0) ? amount : amount - (amount * token.feeBps()) / BPS;
    }
}
