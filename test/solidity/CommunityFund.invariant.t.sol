// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {CommunityFund} from "../../contracts/CommunityFund.sol";
import {ICommunityFund} from "../../contracts/interfaces/ICommunityFund.sol";
import {MockERC20} from "../../contracts/mocks/MockTokens.sol";
import {FundHandler} from "./FundHandler.sol";

/// @notice Properties of the community fund after any sequence of calls (SECURITY.md lists them).
/// The fund's state space is small (two tokens, two-entry rounds), so it runs a fixed 256 × 64 in
/// every profile; the escrow's suite takes the deep budget.
/// forge-config: default.invariant.runs = 256
/// forge-config: default.invariant.depth = 64
contract CommunityFundInvariantTest is Test {
    CommunityFund internal fund;
    MockERC20 internal token;
    FundHandler internal handler;

    function setUp() public {
        address admin = makeAddr("admin");
        token = new MockERC20("Mock", "MCK", 18);
        ICommunityFund.TokenThreshold[] memory thresholds = new ICommunityFund.TokenThreshold[](2);
        thresholds[0] = ICommunityFund.TokenThreshold(address(0), 1);
        thresholds[1] = ICommunityFund.TokenThreshold(address(token), 1);
        fund = new CommunityFund(
            ICommunityFund.FundConfig({
                admin: admin,
                guardian: makeAddr("guardian"),
                minInterval: 1 days,
                challengeDelay: 2 days, // longer than the interval: two rounds of a token can be in their delay
                claimPeriod: 7 days,
                thresholds: thresholds
            })
        );
        handler = new FundHandler(fund, token, admin);
        targetContract(address(handler));
    }

    function _tokens() internal view returns (address[2] memory) {
        return [address(0), address(token)];
    }

    /// @notice claimed + unclaimed in live rounds + undistributed == everything the fund recognised.
    function invariant_accountingAddsUp() public view {
        address[2] memory tokens = _tokens();
        for (uint256 i; i < 2; ++i) {
            ICommunityFund.TokenState memory s = fund.tokenState(tokens[i]);
            assertEq(
                uint256(s.totalClaimed) + s.reserved + s.pool,
                s.totalReceived,
                "claimed + reserved + pool != received"
            );
            assertLe(s.totalReceived, handler.donated(tokens[i]), "recognised more than was sent");
            assertEq(s.totalClaimed, handler.paidOut(tokens[i]), "claims paid out a different amount than recorded");
        }
    }

    /// @notice No silent truncation: a sync books exactly what it reports and never reverts for size,
    /// even after donations beyond what the uint128 books hold.
    function invariant_syncBooksWhatItReports() public view {
        assertFalse(handler.syncReverted(), "a sync reverted");
        assertFalse(handler.syncMisreported(), "a sync booked a different amount than it reported");
    }

    /// @notice Solvency: the balance covers the pool and every live round; nothing else is owed.
    function invariant_solvent() public view {
        address[2] memory tokens = _tokens();
        for (uint256 i; i < 2; ++i) {
            ICommunityFund.TokenState memory s = fund.tokenState(tokens[i]);
            uint256 balance = tokens[i] == address(0) ? address(fund).balance : token.balanceOf(address(fund));
            assertGe(balance, uint256(s.pool) + s.reserved, "balance below pool + reserved");
            assertEq(balance, handler.donated(tokens[i]) - handler.paidOut(tokens[i]), "money appeared or vanished");
        }
    }

    /// @notice Reserved is exactly the unclaimed part of live rounds; no round pays more than its total.
    function invariant_roundsAddUp() public view {
        uint256[2] memory reserved;
        uint256 n = fund.roundCount();
        for (uint256 id = 1; id <= n; ++id) {
            ICommunityFund.Round memory r = fund.getRound(id);
            assertLe(r.claimed, r.total, "round overpaid");
            if (r.status == ICommunityFund.RoundStatus.Live)
                reserved[r.token == address(0) ? 0 : 1] += r.total - r.claimed;
        }
        address[2] memory tokens = _tokens();
        for (uint256 i; i < 2; ++i)
            assertEq(reserved[i], fund.tokenState(tokens[i]).reserved, "reserved != live rounds");
    }

    /// @notice The veto cannot be removed in time to use it: the guardian in force when a round was
    /// posted can cancel it throughout its challenge delay, and no change applies before its delay.
    function invariant_vetoSurvivesSettingChanges() public view {
        assertFalse(handler.vetoRefused(), "a round's posting guardian could not cancel it in its delay");
        assertFalse(handler.appliedEarly(), "a guardian or schedule change applied before the challenge delay");
    }
}
