// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title SplitMath — how a job's amount is divided, with no dust
/// @notice Order of deductions: the arbitration fee comes off the whole amount (only when an arbitrator
/// rules); the provider's share is `providerBps` of the rest; platform and community fees come off the
/// provider's share only; the requester gets the exact remainder of the rest. Every division rounds
/// down and every remainder is computed by subtraction, so
/// `provider + requester + platformFee + communityFee + arbitrationFee == amount` for every input.
/// @dev Amounts are at most type(uint128).max (the escrow stores them as uint128) and rates at most
/// 10,000, so `amount * bps` cannot overflow uint256 and plain arithmetic is exact.
library SplitMath {
    /// @notice Basis points in a whole.
    uint256 internal constant BPS = 10_000;

    /// @notice The five parts of a job's amount.
    struct Split {
        uint256 provider; // net to the provider
        uint256 requester; // back to the requester
        uint256 platformFee; // to the treasury
        uint256 communityFee; // to the community fund
        uint256 arbitrationFee; // to the arbitrator
    }

    /// @notice Splits `amount`. All rates are basis points; the caller guarantees each is <= BPS and
    /// `platformBps + communityBps <= BPS`.
    function split(
        uint256 amount,
        uint256 providerBps,
        uint256 arbitrationBps,
        uint256 platformBps,
        uint256 communityBps
    ) internal pure returns (Split memory s) {
        s.arbitrationFee = (amount * arbitrationBps) / BPS;
        uint256 rest = amount - s.arbitrationFee;
        uint256 providerGross = (rest * providerBps) / BPS;
        s.requester = rest - providerGross;
        s.platformFee = (providerGross * platformBps) / BPS;
        s.communityFee = (providerGross * communityBps) / BPS;
        s.provider = providerGross - s.platformFee - s.communityFee;
    }
}
