// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {SplitMath} from "../../contracts/libraries/SplitMath.sol";

/// @notice Fuzz tests of the money arithmetic: every wei of a job ends with someone, for all inputs.
contract SplitMathTest is Test {
    struct Rates {
        uint256 provider;
        uint256 arbitration;
        uint256 platform;
        uint256 community;
    }

    /// @dev Fuzzed rates bounded to what WorkEscrow allows: provider 0..10,000, arbitration <= 1,000,
    /// platform <= 1,000, community <= 500 and platform + community <= 1,000.
    function _boundRates(
        uint16 provider,
        uint16 arbitration,
        uint16 platform,
        uint16 community
    ) private pure returns (Rates memory r) {
        r.provider = bound(provider, 0, 10_000);
        r.arbitration = bound(arbitration, 0, 1_000);
        r.platform = bound(platform, 0, 1_000);
        r.community = bound(community, 0, r.platform > 500 ? 1_000 - r.platform : 500);
    }

    function _split(uint128 amount, Rates memory r) private pure returns (SplitMath.Split memory) {
        return SplitMath.split(amount, r.provider, r.arbitration, r.platform, r.community);
    }

    function _sum(SplitMath.Split memory s) private pure returns (uint256) {
        return s.provider + s.requester + s.platformFee + s.communityFee + s.arbitrationFee;
    }

    function testFuzz_split_conservesEveryWei(
        uint128 amount,
        uint16 providerBps,
        uint16 arbitrationBps,
        uint16 platformBps,
        uint16 communityBps
    ) public pure {
        SplitMath.Split memory s = _split(amount, _boundRates(providerBps, arbitrationBps, platformBps, communityBps));
        assertEq(_sum(s), amount, "provider + requester + fees != amount");
    }

    function testFuzz_split_respectsRates(
        uint128 amount,
        uint16 providerBps,
        uint16 arbitrationBps,
        uint16 platformBps,
        uint16 communityBps
    ) public pure {
        Rates memory r = _boundRates(providerBps, arbitrationBps, platformBps, communityBps);
        SplitMath.Split memory s = _split(amount, r);
        // the arbitration fee never exceeds its rate of the whole amount
        assertLe(s.arbitrationFee * 10_000, uint256(amount) * r.arbitration, "arbitration fee above its rate");
        uint256 rest = uint256(amount) - s.arbitrationFee;
        uint256 gross = s.provider + s.platformFee + s.communityFee;
        // the provider's gross share is exactly floor(rest * bps / 10_000); the requester gets the remainder
        assertEq(gross, (rest * r.provider) / 10_000, "provider gross share");
        assertEq(s.requester, rest - gross, "requester remainder");
        // fees come only from the provider's share and never exceed their rates of it
        assertLe(s.platformFee * 10_000, gross * r.platform, "platform fee above its rate");
        assertLe(s.communityFee * 10_000, gross * r.community, "community fee above its rate");
        // at 0 bps the provider side gets nothing, at 10_000 the requester gets nothing
        if (r.provider == 0) assertEq(gross, 0, "0 bps pays the provider");
        if (r.provider == 10_000) assertEq(s.requester, 0, "10_000 bps refunds the requester");
    }

    function testFuzz_split_providerShareMonotonicInBps(uint128 amount, uint16 a, uint16 b) public pure {
        a = uint16(bound(a, 0, 10_000));
        b = uint16(bound(b, a, 10_000));
        SplitMath.Split memory lo = SplitMath.split(amount, a, 200, 100, 50);
        SplitMath.Split memory hi = SplitMath.split(amount, b, 200, 100, 50);
        assertLe(lo.provider, hi.provider, "more bps never pays the provider less");
        assertGe(lo.requester, hi.requester, "more bps never refunds the requester more");
    }

    function test_split_release_takesOnlyFees() public pure {
        SplitMath.Split memory s = SplitMath.split(1 ether, 10_000, 0, 100, 50);
        assertEq(s.provider, 0.985 ether, "provider");
        assertEq(s.platformFee, 0.01 ether, "platform");
        assertEq(s.communityFee, 0.005 ether, "community");
        assertEq(s.requester, 0, "requester");
    }

    function test_split_roundsDownToTheRequester() public pure {
        // 3 wei at 50%: provider gross floor(1.5) = 1, requester gets the remainder 2
        SplitMath.Split memory s = SplitMath.split(3, 5_000, 0, 0, 0);
        assertEq(s.provider, 1, "provider");
        assertEq(s.requester, 2, "requester");
    }
}
