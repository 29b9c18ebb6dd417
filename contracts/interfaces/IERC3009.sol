// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

/// @title IERC3009 — the part of ERC-3009 ("Transfer With Authorization", as USDC implements it) the escrow uses
/// @notice `receiveWithAuthorization` moves `value` from `from` to `to` under `from`'s EIP-712 signature, and
/// only when called by `to` (which protects against front-running the authorization). Each `nonce` is
/// usable once per `from`.
interface IERC3009 {
    /// @notice Whether `authorizer` has used (or cancelled) `nonce`.
    function authorizationState(address authorizer, bytes32 nonce) external view returns (bool);

    /// @notice Receives `value` from `from` into the caller (`to` must be msg.sender), valid strictly after
    /// `validAfter` and strictly before `validBefore` (unix seconds).
    function receiveWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external;
}
