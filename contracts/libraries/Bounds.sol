// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

/// @title Bounds — the protocol's public constants, with the reason for each
/// @notice `WorkEscrow` checks against these; its extension publishes each one under the same name
/// (`MAX_APPROVERS()`, …), so they are read at the escrow's address like any constant.
library Bounds {
    /// @notice At most 16 approvers: approvals are a 16-bit bitmap in the job's money slot, so one
    /// approval costs the same with 1 or 16 approvers; 16 covers any realistic review committee.
    uint256 internal constant MAX_APPROVERS = 16;
    /// @notice 1 hour minimum review window: long enough for a human or a bot to look, and far above any
    /// block-timestamp skew on L1 or L2.
    uint32 internal constant MIN_REVIEW = 1 hours;
    /// @notice 30 days maximum review window: bounds how long a provider waits for silent acceptance
    /// (also fits the uint24 storage field).
    uint32 internal constant MAX_REVIEW = 30 days;
    /// @notice 365 days maximum between creation and deadline: bounds how long money can sit in an
    /// untouched job before the permissionless refund.
    uint64 internal constant MAX_DURATION = 365 days;
    /// @notice 10 minutes minimum between creation and deadline: a deadline that leaves no time to work is
    /// a mistake (or a trap for a provider's bond), not a job.
    uint64 internal constant MIN_WORK_TIME = 10 minutes;
    /// @notice 7 days for an arbitrator registered without a period to rule, counted from `disputedAt`.
    uint32 internal constant DEFAULT_ARBITRATION_PERIOD = 7 days;
    /// @notice 1 day minimum arbitration period: a hot-wallet arbitrator still needs a day to read evidence.
    uint32 internal constant MIN_ARBITRATION_PERIOD = 1 days;
    /// @notice 90 days maximum arbitration period: a court with appeals needs weeks, but the money of a
    /// disputed job must not be locked for longer than a season (also fits the uint24 storage field).
    uint32 internal constant MAX_ARBITRATION_PERIOD = 90 days;
    /// @notice Platform fee cap, basis points (10%). Also caps platform + community.
    uint16 internal constant MAX_PLATFORM_FEE_BPS = 1_000;
    /// @notice Community fee cap, basis points (5%).
    uint16 internal constant MAX_COMMUNITY_FEE_BPS = 500;
    /// @notice Arbitration fee cap, basis points (10%).
    uint16 internal constant MAX_ARBITRATION_FEE_BPS = 1_000;
    /// @notice Verifier fee cap, basis points (10%): verification is a check, not the work.
    uint16 internal constant MAX_VERIFIER_FEE_BPS = 1_000;
    /// @notice Gas forwarded to a native-coin payout push. Enough for a smart wallet's `receive`, small
    /// enough that a gas-burning receiver cannot make a settlement run out of gas: it is credited instead.
    uint256 internal constant PUSH_GAS_LIMIT = 50_000;
    /// @notice Gas forwarded to an ERC-20 payout push (`transfer`). Real proxied stablecoins need about
    /// 35,000–45,000 for a transfer to a new holder (USDC: proxy + blocklist + balances; USDT: blocklist +
    /// fee switch + balances); 100,000 leaves twice that, and a token hook that burns gas is cut off and
    /// the payout credited instead.
    uint256 internal constant ERC20_PUSH_GAS_LIMIT = 100_000;
}
