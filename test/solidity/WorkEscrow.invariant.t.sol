// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {WorkEscrow} from "../../contracts/WorkEscrow.sol";
import {WorkEscrowExtension} from "../../contracts/WorkEscrowExtension.sol";
import {IWorkEscrowExtension} from "../../contracts/interfaces/IWorkEscrowExtension.sol";
import {IWorkEscrow} from "../../contracts/interfaces/IWorkEscrow.sol";
import {IWorkEscrowTypes} from "../../contracts/interfaces/IWorkEscrowTypes.sol";
import {FeeOnTransferToken} from "../../contracts/mocks/MockTokens.sol";
import {EscrowHandler} from "./EscrowHandler.sol";

/// @notice Properties that must hold after any sequence of calls (see SECURITY.md for the table).
contract WorkEscrowInvariantTest is Test {
    IWorkEscrow internal escrow;
    FeeOnTransferToken internal token;
    EscrowHandler internal handler;

    function setUp() public {
        address admin = makeAddr("admin");
        address[2] memory arbitrators = [makeAddr("arbitrator0"), makeAddr("arbitrator1")];
        token = new FeeOnTransferToken(100);
        IWorkEscrowTypes.ArbitratorConfig[] memory registered = new IWorkEscrowTypes.ArbitratorConfig[](2);
        registered[0] = IWorkEscrowTypes.ArbitratorConfig(arbitrators[0], 0);
        registered[1] = IWorkEscrowTypes.ArbitratorConfig(arbitrators[1], 1 days);
        WorkEscrowExtension extension = new WorkEscrowExtension(address(0), address(0));
        WorkEscrow core = new WorkEscrow(
            IWorkEscrowTypes.InitialConfig({
                admin: admin,
                treasury: makeAddr("treasury"),
                communityFund: makeAddr("community"),
                platformFeeBps: 100,
                communityFeeBps: 50,
                arbitrationFeeBps: 200,
                arbitrators: registered,
                minAmounts: new IWorkEscrowTypes.TokenMinimum[](0)
            }),
            IWorkEscrowExtension(address(extension))
        );
        escrow = IWorkEscrow(address(core));
        handler = new EscrowHandler(escrow, token, arbitrators);
        targetContract(address(handler));
    }

    function _owed(address t) internal view returns (uint256 owed) {
        uint256 n = handler.jobsCreated();
        for (uint256 id = 1; id <= n; ++id) {
            IWorkEscrowTypes.Job memory job = escrow.getJob(id);
            if (job.token == t && uint8(job.status) <= uint8(IWorkEscrowTypes.Status.Disputed)) owed += job.amount;
        }
        uint256 accounts = handler.accountCount();
        for (uint256 i; i < accounts; ++i) owed += escrow.withdrawable(t, handler.accounts(i));
    }

    /// @notice Solvency, and no dust: the balance of each token is exactly open jobs plus credits
    /// (nobody donates here, so ≥ tightens to ==).
    function invariant_solvency() public view {
        assertEq(address(escrow).balance, _owed(address(0)), "native balance != open jobs + credits");
        assertEq(token.balanceOf(address(escrow)), _owed(address(token)), "token balance != open jobs + credits");
    }

    /// @notice Each settlement moved exactly its job's amount; each withdrawal exactly the credit.
    function invariant_conservation() public view {
        assertEq(handler.conservationViolations(), 0, "a settlement or withdrawal moved the wrong amount");
    }

    /// @notice No unauthorised decrease of a credit: only its holder's withdrawal lowers it, whatever the
    /// admin does to fee recipients and rates.
    function invariant_creditsOnlyDecreaseByWithdrawal() public view {
        assertEq(handler.creditDecreases(), 0, "a credit went down without its holder withdrawing");
    }

    /// @notice Terminal states are absorbing: a job that settled never changes status again.
    function invariant_terminalStatesNeverChange() public view {
        uint256 n = handler.jobsCreated();
        for (uint256 id = 1; id <= n; ++id) {
            IWorkEscrowTypes.Status recorded = handler.terminalStatus(id);
            if (recorded != IWorkEscrowTypes.Status.None)
                assertEq(uint8(escrow.getJob(id).status), uint8(recorded), "terminal state left");
        }
    }

    /// @notice Ids are 1..n with no gaps; every created job exists.
    function invariant_idsAreDense() public view {
        uint256 n = escrow.jobCount();
        assertEq(n, handler.jobsCreated(), "job count");
        if (n > 0) assertTrue(escrow.getJob(n).status != IWorkEscrowTypes.Status.None, "last job missing");
        assertEq(uint8(escrow.getJob(n + 1).status), uint8(IWorkEscrowTypes.Status.None), "job beyond the count");
    }

    /// @notice Liveness: once every deadline and window has passed, one permissionless call by a stranger
    /// ends every job that is still open, and everything owed can then be withdrawn.
    function invariant_permissionlessLiveness() public {
        uint256 snapshot = vm.snapshotState();
        vm.warp(block.timestamp + 365 days + 30 days + 7 days + 1);
        address stranger = makeAddr("stranger");
        uint256 n = handler.jobsCreated();
        for (uint256 id = 1; id <= n; ++id) {
            IWorkEscrowTypes.Status s = escrow.getJob(id).status;
            vm.prank(stranger);
            if (s == IWorkEscrowTypes.Status.Open || s == IWorkEscrowTypes.Status.Accepted) escrow.refundExpired(id);
            else if (s == IWorkEscrowTypes.Status.Submitted) escrow.release(id);
            else if (s == IWorkEscrowTypes.Status.Disputed) escrow.settleStaleDispute(id);
            assertGe(uint8(escrow.getJob(id).status), uint8(IWorkEscrowTypes.Status.Released), "job not terminal");
        }
        // with no job left open, the contract holds exactly the credits
        assertEq(address(escrow).balance, _owed(address(0)), "native after liveness");
        assertEq(token.balanceOf(address(escrow)), _owed(address(token)), "token after liveness");
        vm.revertToState(snapshot);
    }
}
