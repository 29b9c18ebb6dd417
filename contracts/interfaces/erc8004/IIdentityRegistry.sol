// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";

/// @title IIdentityRegistry — the ERC-8004 ("Trustless Agents") Identity Registry
/// @notice An ERC-721 (with the URIStorage extension) whose tokens are agent identities: `agentId` is the
/// tokenId, assigned incrementally from 0; `agentURI` is the tokenURI and points at the agent's registration
/// file. The owner of the token owns the agent; it may transfer it or delegate its management to ERC-721
/// operators (`approve` / `setApprovalForAll`). This interface is the ERC's text as of its 2026 revision.
/// @dev WorkEscrow reads only `ownerOf` (the `agentRequired` gate at `acceptJob`/`awardBid`); the
/// ERC8004ValidationAdapter reads nothing here (the Validation Registry checks agent permissions itself).
interface IIdentityRegistry is IERC721 {
    /// @notice An extra on-chain metadata entry passed to `register`.
    struct MetadataEntry {
        string metadataKey;
        bytes metadataValue;
    }

    /// @notice A new agent `agentId` was minted to `owner` (after the ERC-721 Transfer event).
    event Registered(uint256 indexed agentId, string agentURI, address indexed owner);
    /// @notice Metadata `metadataKey` of `agentId` was set (also emitted for the reserved key "agentWallet").
    event MetadataSet(
        uint256 indexed agentId,
        string indexed indexedMetadataKey,
        string metadataKey,
        bytes metadataValue
    );
    /// @notice The agent's URI (its tokenURI) was changed by `updatedBy` (the owner or an operator).
    event URIUpdated(uint256 indexed agentId, string newURI, address indexed updatedBy);

    /// @notice Mints a new agent to the caller with `agentURI` and extra metadata ("agentWallet" is reserved).
    function register(string calldata agentURI, MetadataEntry[] calldata metadata) external returns (uint256 agentId);

    /// @notice Mints a new agent to the caller with `agentURI`.
    function register(string calldata agentURI) external returns (uint256 agentId);

    /// @notice Mints a new agent to the caller; its URI can be set later with `setAgentURI`.
    function register() external returns (uint256 agentId);

    /// @notice The agent's metadata value under `metadataKey` (empty when unset).
    function getMetadata(uint256 agentId, string calldata metadataKey) external view returns (bytes memory);

    /// @notice Sets a metadata value; the owner or an operator of the agent only; "agentWallet" is reserved.
    function setMetadata(uint256 agentId, string calldata metadataKey, bytes calldata metadataValue) external;

    /// @notice Replaces the agent's URI; the owner or an operator of the agent only.
    function setAgentURI(uint256 agentId, string calldata newURI) external;

    /// @notice Where the agent receives payments: the owner at registration; cleared on every transfer.
    function getAgentWallet(uint256 agentId) external view returns (address);

    /// @notice Sets the agent's wallet to `newWallet`, which proves control with an EIP-712 signature (EOA)
    /// or ERC-1271 (contract) over `AgentWalletSet(agentId, newWallet, owner, deadline)`; the owner or an
    /// operator only; `deadline` is unix seconds, at most a few minutes ahead.
    function setAgentWallet(uint256 agentId, address newWallet, uint256 deadline, bytes calldata signature) external;

    /// @notice Clears the agent's wallet; the owner or an operator only.
    function unsetAgentWallet(uint256 agentId) external;
}
