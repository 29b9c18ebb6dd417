// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {console} from "forge-std/Test.sol";
import {StdInvariant} from "forge-std/StdInvariant.sol";
import {IWorkEscrow} from "../../contracts/interfaces/IWorkEscrow.sol";
import {IWorkEscrowTypes} from "../../contracts/interfaces/IWorkEscrowTypes.sol";
import {FeeOnTransferToken} from "../../contracts/mocks/MockTokens.sol";
import {EscrowFixture} from "./EscrowFixture.sol";
import {EscrowHandler} from "./EscrowHandler.sol";
import {EscrowModel} from "./EscrowModel.sol";

/// @notice Deployment, the handler's weighted actions and every property, shared by the campaign and the long run.
abstract contract EscrowPropertiesBase is EscrowFixture {
    IWorkEscrow internal escrow;
    FeeOnTransferToken internal token;
    EscrowHandler internal handler;
    bytes4[] internal _weighted;

    function _deploy() internal {
        address admin = makeAddr("admin");
        address[3] memory arbitrators = [makeAddr("arbitrator0"), makeAddr("arbitrator1"), makeAddr("arbitrator2")];
        uint32[3] memory periods = [uint32(0), 1 days, 3 days]; // 0 = the default 7 days
        IWorkEscrowTypes.ArbitratorConfig[] memory registry = new IWorkEscrowTypes.ArbitratorConfig[](3);
        for (uint256 i; i < 3; ++i) registry[i] = IWorkEscrowTypes.ArbitratorConfig(arbitrators[i], periods[i]);
        address[2] memory recipients = [makeAddr("treasury"), makeAddr("community")];
        uint16[3] memory fees = [uint16(300), 200, 500];
        escrow = _deployEscrow(admin, recipients[0], recipients[1], fees, registry);
        token = new FeeOnTransferToken(100); // 1% of every transfer burnt
        handler = new EscrowHandler(escrow, token, admin, arbitrators, periods, recipients, fees);

        // Weights: creation and the steps that move a job forward come up more often.
        _add(EscrowHandler.createJob.selector, 6);
        _add(EscrowHandler.acceptJob.selector, 6);
        _add(EscrowHandler.submitWork.selector, 6);
        _add(EscrowHandler.approveWork.selector, 3);
        _add(EscrowHandler.verifyWork.selector, 3);
        _add(EscrowHandler.raiseDispute.selector, 3);
        _add(EscrowHandler.resolveDispute.selector, 3);
        _add(EscrowHandler.warp.selector, 2);
        _add(EscrowHandler.release.selector, 2);
        _add(EscrowHandler.releasePartial.selector, 2);
        _add(EscrowHandler.refundPartial.selector, 2);
        _add(EscrowHandler.refundExpired.selector, 2);
        _add(EscrowHandler.finalize.selector, 2);
        _add(EscrowHandler.proposeSettlement.selector, 2);
        _add(EscrowHandler.acceptSettlement.selector, 2);
        _add(EscrowHandler.settleStaleDispute.selector, 2);
        _add(EscrowHandler.withdraw.selector, 2);
        _add(EscrowHandler.awardBid.selector, 2);
        _add(EscrowHandler.cancelJob.selector, 1);
        _add(EscrowHandler.submitEvidence.selector, 1);
        _add(EscrowHandler.setFees.selector, 1);
        _add(EscrowHandler.setFeeRecipients.selector, 1);
        _add(EscrowHandler.setArbitrator.selector, 1);
        _add(EscrowHandler.togglePause.selector, 1);
    }

    /*//////////////////////////////////////////////////////////////
                                 CHECKS
    //////////////////////////////////////////////////////////////*/

    /// @notice The properties checked after every call: what the handler saw around the call, solvency and no
    /// dust (reading every live job), and every credit against its events. Cheap enough for every call. A
    /// failure names every property that does not hold (with the first case of each), not only the first.
    function checkAll() public view {
        _fail(_failures(false));
    }

    /// @notice `checkAll` plus a scan of every job ever created (at the end of each run and along the long run).
    function checkEverything() public view {
        _fail(_failures(true));
    }

    function _failures(bool everyJob) internal view returns (string memory failures) {
        if (handler.violationTotal() != 0) failures = _handlerViolations();
        uint256[2] memory owed;
        (owed, failures) = _liveJobs(failures);
        failures = _creditsAndSolvency(owed, failures);
        if (everyJob) failures = _everyJob(failures);
    }

    /// @notice What the handler checks around each call (see its NatSpec), one message per property.
    function _handlerViolations() internal view returns (string memory f) {
        f = _violation(f, "outcome", "a call the rules allow reverted, or one they forbid succeeded");
        f = _violation(f, "payout", "a settlement paid an account other than the spec's amount (EscrowModel)");
        f = _violation(f, "consent", "a provider was paid without a submission or the requester's release/agreement");
        f = _violation(
            f,
            "transition",
            "a status change the state machine does not allow (terminal states are terminal)"
        );
        f = _violation(f, "credit", "a credit went down without its holder withdrawing it");
        f = _violation(f, "inflow", "what a job holds differs from what arrived (amount + tip, bond, deposit)");
        f = _violation(f, "conservation", "a withdrawal or a batch moved another amount than it accounts for");
        f = _violation(f, "events", "Credited/settlement fees/Withdrawn do not add up to the credits");
        f = _violation(f, "approvals", "getJob().approvals differs from the number of distinct approvers who approved");
        f = _violation(f, "snapshot", "a job did not snapshot the fee rates or its arbitrator's period");
        f = _violation(f, "ids", "job ids are not 1, 2, 3, ...");
    }

    /// @notice Per live job: still where the last call on it left it, and it holds (remaining amount + bond +
    /// tip + deposit) exactly what came in minus what went out, as measured around every call on it.
    /// Returns what live jobs hold, per token.
    function _liveJobs(string memory f) internal view returns (uint256[2] memory owed, string memory) {
        uint256[] memory ids = handler.liveJobs();
        bool[2] memory seen;
        for (uint256 k; k < ids.length; ++k) {
            uint256 id = ids[k];
            IWorkEscrowTypes.Job memory j = escrow.getJob(id);
            if (j.status != handler.lastStatus(id) && !seen[0]) {
                seen[0] = true;
                f = _also(
                    f,
                    "terminal states are terminal / one call, one job",
                    _job(id, ": status changed without a call on it")
                );
            }
            uint256 held = EscrowModel.held(j);
            owed[j.token == address(0) ? 0 : 1] += held;
            uint256 inflow = handler.ghostIn(id);
            uint256 outflow = handler.ghostOut(id);
            if ((outflow > inflow || inflow - outflow != held) && !seen[1]) {
                seen[1] = true;
                f = _also(
                    f,
                    "per-job conservation",
                    _job(
                        id,
                        string.concat(
                            ": holds ",
                            vm.toString(held),
                            " (amount + bond + tip + deposit), came in - paid out is ",
                            _signed(inflow, outflow)
                        )
                    )
                );
            }
        }
        return (owed, f);
    }

    /// @notice Every job: its status is where the last call on it left it (nothing else changes a job, and
    /// terminal states never change); per-job conservation: an ended job paid out (pushes + credits, fees
    /// included) exactly what came in (amount + bond + tip + deposit), partial payments included; submissions
    /// and approvals match what the handler did; ids are 1..n.
    function _everyJob(string memory f) internal view returns (string memory) {
        uint256 n = handler.jobs();
        if (escrow.jobCount() != n) f = _also(f, "ids", "jobCount() != the jobs the handler created");
        bool[4] memory seen;
        for (uint256 id = 1; id <= n; ++id) {
            IWorkEscrowTypes.Job memory j = escrow.getJob(id);
            if (j.status != handler.lastStatus(id) && !seen[0]) {
                seen[0] = true;
                f = _also(
                    f,
                    "terminal states are terminal / one call, one job",
                    _job(id, ": status changed without a call on it")
                );
            }
            uint256 inflow = handler.ghostIn(id);
            uint256 outflow = handler.ghostOut(id);
            if (!_live(j.status) && inflow != outflow && !seen[1]) {
                seen[1] = true;
                f = _also(
                    f,
                    "per-job conservation",
                    _job(
                        id,
                        string.concat(
                            " ended: paid out (pushes + credits + fees) - came in (amount + bond + tip + deposit) = ",
                            _signed(outflow, inflow)
                        )
                    )
                );
            }
            if (handler.submitted(id) != (j.resultHash != bytes32(0)) && !seen[2]) {
                seen[2] = true;
                f = _also(f, "submissions", _job(id, ": a result hash without a submission, or the reverse"));
            }
            if (j.approvals != handler.approvals(id) && !seen[3]) {
                seen[3] = true;
                f = _also(f, "approvals", _job(id, ": getJob().approvals != distinct approvers who approved"));
            }
        }
        return f;
    }

    /// @notice Every credit equals what `Credited`, the settlement events' fees (to the recipients of the
    /// epoch in force) and `Withdrawn` say (the spec's indexer promise); solvency and no dust: the balance of each token is exactly what live
    /// jobs hold plus every credit (nobody donates here, so >= becomes ==).
    function _creditsAndSolvency(uint256[2] memory owed, string memory f) internal view returns (string memory) {
        uint256 accounts = handler.accountCount();
        bool seen;
        for (uint256 i; i < accounts; ++i) {
            address a = handler.accounts(i);
            for (uint256 k; k < 2; ++k) {
                address t = k == 0 ? address(0) : address(token);
                uint256 credit = escrow.withdrawable(t, a);
                owed[k] += credit;
                if (credit != handler.loggedCredit(t, a) && !seen) {
                    seen = true;
                    f = _also(
                        f,
                        "every credit is evented",
                        string.concat(
                            _name(t),
                            " credit of ",
                            vm.toString(a),
                            " is ",
                            vm.toString(credit),
                            ", its events say ",
                            vm.toString(handler.loggedCredit(t, a))
                        )
                    );
                }
            }
        }
        uint256[2] memory balances = [address(escrow).balance, token.balanceOf(address(escrow))];
        for (uint256 k; k < 2; ++k) {
            if (balances[k] != owed[k]) {
                f = _also(
                    f,
                    "solvency and no dust",
                    string.concat(
                        _name(k == 0 ? address(0) : address(token)),
                        " balance - (live jobs' amount + bond + tip + deposit + credits) = ",
                        _signed(balances[k], owed[k])
                    )
                );
            }
        }
        return f;
    }

    /// @notice Liveness and no dust: once every window has passed, a stranger can end every live job, every
    /// account can withdraw everything, and the escrow is left holding exactly nothing of either token.
    function _drainAndCheck() internal {
        checkEverything();
        handler.endEverything();
        handler.withdrawEverything();
        checkEverything();
        uint256 n = handler.jobs();
        for (uint256 id = 1; id <= n; ++id) {
            assertFalse(_live(escrow.getJob(id).status), _job(id, ": could not be ended (liveness)"));
        }
        assertEq(
            address(escrow).balance,
            0,
            "no dust: native coin left after every job ended and every credit was withdrawn"
        );
        assertEq(
            token.balanceOf(address(escrow)),
            0,
            "no dust: token left after every job ended and every credit was withdrawn"
        );
    }

    /*//////////////////////////////////////////////////////////////
                                HELPERS
    //////////////////////////////////////////////////////////////*/

    function _add(bytes4 selector, uint256 weight) internal {
        for (uint256 i; i < weight; ++i) _weighted.push(selector);
    }

    function _violation(
        string memory f,
        bytes32 category,
        string memory property
    ) internal view returns (string memory) {
        uint256 count = handler.violations(category);
        if (count == 0) return f;
        return _also(f, property, string.concat(vm.toString(count), "x, first: ", handler.firstViolation(category)));
    }

    function _also(
        string memory f,
        string memory property,
        string memory detail
    ) internal pure returns (string memory) {
        return string.concat(f, bytes(f).length == 0 ? "" : " | ", "[", property, "] ", detail);
    }

    function _fail(string memory failures) internal pure {
        if (bytes(failures).length != 0) assertTrue(false, failures);
    }

    function _signed(uint256 a, uint256 b) internal pure returns (string memory) {
        return a >= b ? vm.toString(a - b) : string.concat("-", vm.toString(b - a));
    }

    function _text(bytes32 b) internal pure returns (string memory s) {
        uint256 len;
        while (len < 32 && b[len] != 0) ++len;
        s = new string(len);
        for (uint256 i; i < len; ++i) bytes(s)[i] = b[i];
    }

    function _live(IWorkEscrowTypes.Status s) internal pure returns (bool) {
        return s != IWorkEscrowTypes.Status.None && uint8(s) <= uint8(IWorkEscrowTypes.Status.Disputed);
    }

    function _job(uint256 id, string memory what) internal pure returns (string memory) {
        return string.concat("job ", vm.toString(id), what);
    }

    function _name(address t) internal view returns (string memory) {
        return
            t == address(0)
                ? "native"
                : t == address(token)
                    ? "token"
                    : vm.toString(t);
    }
}

/// @notice Properties of WorkEscrow v2 after any sequence of calls by {EscrowHandler} (SECURITY.md lists them;
/// docs/invariants.md says which purpose-made bug each one catches). One campaign checks every property after
/// every call (the runner gives each `invariant_` function a campaign of its own, so one function keeps the suite
/// fast); `afterInvariant` then ends every job and drains every credit.
/// The handler never reverts (every escrow call is a low-level call whose outcome it checks), so a revert of the
/// handler itself is a bug of the test:
/// forge-config: default.invariant.fail-on-revert = true
contract WorkEscrowInvariantTest is EscrowPropertiesBase {
    function setUp() public {
        _deploy();
        targetContract(address(handler));
        targetSelector(StdInvariant.FuzzSelector({addr: address(handler), selectors: _weighted}));
    }

    /// @notice Every property, after every call.
    function invariant_escrowProperties() public view {
        checkAll();
    }

    /// @notice At the end of every run: liveness and no dust.
    function afterInvariant() public {
        _drainAndCheck();
    }
}

/// @notice One long fixed sequence of the campaign's weighted actions (deterministic pseudo-random arguments),
/// which must reach every kind of settlement; the properties are checked along the way and at the end.
/// The sequence runs in `setUp`, which never fails (failures are recorded), so that a failing test replays only
/// its cheap assertions: the runner re-executes a failing test with full tracing to build its stack trace.
contract WorkEscrowLongRunTest is EscrowPropertiesBase {
    uint256 internal constant STEPS = 1_000;
    uint256 internal constant CHECK_EVERY = 10;

    uint256 internal _failedStep;
    bytes internal _failure; // revert data of the first handler revert or failed check

    function setUp() public {
        _deploy();
        for (uint256 i; i < STEPS && _failure.length == 0; ++i) {
            uint256 r = uint256(keccak256(abi.encode("step", i)));
            bytes memory args = abi.encode(
                uint256(keccak256(abi.encode(r, 0))),
                uint256(keccak256(abi.encode(r, 1))),
                uint256(keccak256(abi.encode(r, 2))),
                uint256(keccak256(abi.encode(r, 3)))
            );
            (bool ok, bytes memory reason) = address(handler).call(bytes.concat(_weighted[r % _weighted.length], args));
            if (!ok)
                (_failedStep, _failure) = (
                    i,
                    bytes.concat(bytes4(0), "the handler reverted: ", bytes(vm.toString(reason)))
                );
            else if (i % CHECK_EVERY == 0) _check(i);
        }
        if (_failure.length == 0) _check(STEPS);
    }

    /// @dev A revert reason as text: Error(string) decoded, anything else as hex.
    function _reason(bytes memory data) internal pure returns (string memory) {
        if (data.length >= 4 && bytes4(data) == bytes4(0)) {
            bytes memory text = new bytes(data.length - 4);
            for (uint256 i; i < text.length; ++i) text[i] = data[i + 4];
            return string(text);
        }
        if (data.length >= 68 && (bytes4(data) == 0x08c379a0 || bytes4(data) == 0xeeaa9e6f)) {
            // Error(string), or CheatcodeError(string) from a failed assertion
            bytes memory payload = new bytes(data.length - 4);
            for (uint256 i; i < payload.length; ++i) payload[i] = data[i + 4];
            return abi.decode(payload, (string));
        }
        return vm.toString(data);
    }

    function _check(uint256 step) internal {
        try this.checkEverything() {} catch (bytes memory reason) {
            (_failedStep, _failure) = (step, reason);
        }
    }

    /// @notice The long run kept every property, reached every kind of call the handler knows, and ends drained.
    /// Prints the number of successful calls per kind with `-vv`.
    // solhint-disable-next-line function-max-lines
    function test_longRun_reachesEverySettlementKindAndKeepsEveryProperty() public {
        if (_failure.length != 0) {
            assertTrue(
                false,
                string.concat("long run failed at step ", vm.toString(_failedStep), ": ", _reason(_failure))
            );
        }
        bytes32[] memory reached = handler.kinds();
        string memory summary = "long run, successful calls per kind:";
        for (uint256 i; i < reached.length; ++i) {
            summary = string.concat(summary, " ", _text(reached[i]), "=", vm.toString(handler.calls(reached[i])));
        }
        console.log(summary);
        bytes32[49] memory required = [
            bytes32("create.native"),
            "create.token",
            "cancel",
            "accept",
            "accept.bonded",
            "awardBid",
            "invalidateNonce",
            "submit",
            "approve",
            "approve.release",
            "verify.approve",
            "verify.reject",
            "release.requester",
            "release.accepted",
            "release.permissionless",
            "releasePartial",
            "releasePartial.full",
            "refundPartial",
            "refundPartial.full",
            "refundExpired",
            "refundExpired.rejected",
            "finalize",
            "finalize.nothingDue",
            "finalize.release",
            "finalize.refund",
            "finalize.stale",
            "dispute.native",
            "dispute.token",
            "dispute.rejected",
            "dispute.rejected.late",
            "evidence",
            "propose",
            "agreed.accepted",
            "agreed.submitted",
            "agreed.disputed",
            "ruling",
            "ruling.forfeit",
            "stale",
            "withdraw",
            "withdrawTo",
            "pushCredited",
            "tipToKeeper",
            "tipNotForRoleHolder",
            "setFees",
            "setFeeRecipients",
            "setArbitrator",
            "pause",
            "unpause",
            "rejected"
        ];
        for (uint256 i; i < required.length; ++i) {
            assertGt(handler.calls(required[i]), 0, string.concat("never reached: ", _text(required[i])));
        }
        _drainAndCheck();
    }
}
