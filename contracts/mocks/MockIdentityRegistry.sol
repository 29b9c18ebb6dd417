// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {ERC721URIStorage} from "@openzeppelin/contracts/token/ERC721/extensions/ERC721URIStorage.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";

import {IIdentityRegistry} from "../interfaces/erc8004/IIdentityRegistry.sol";

/// @notice A test ERC-8004 Identity Registry that behaves as the ERC and its reference deployment do
/// (erc-8004/erc-8004-contracts, IdentityRegistryUpgradeable, 2026 revision), without the proxy: an ERC-721
/// with URI storage named "AgentIdentity"/"AGENT", agent ids from 0, the reserved "agentWallet" metadata key
/// (set to the owner at registration, changed only with the new wallet's EIP-712/ERC-1271 signature, cleared on
/// every transfer), owner-or-operator permissions, the ERC's events, and the reference's revert reasons.
contract MockIdentityRegistry is ERC721URIStorage, EIP712, IIdentityRegistry {
    bytes32 private constant AGENT_WALLET_SET_TYPEHASH =
        keccak256("AgentWalletSet(uint256 agentId,address newWallet,address owner,uint256 deadline)");
    bytes32 private constant AGENT_WALLET_KEY_HASH = keccak256("agentWallet");
    string private constant AGENT_WALLET_KEY = "agentWallet";
    uint256 private constant MAX_WALLET_DEADLINE = 5 minutes; // how far ahead a wallet signature may expire

    uint256 private _nextAgentId; // the first agent is 0
    mapping(uint256 agentId => mapping(string key => bytes value)) private _metadata;

    constructor() ERC721("AgentIdentity", "AGENT") EIP712("ERC8004IdentityRegistry", "1") {}

    /*//////////////////////////////////////////////////////////////
                              REGISTRATION
    //////////////////////////////////////////////////////////////*/

    function register(string calldata agentURI, MetadataEntry[] calldata metadata) external returns (uint256 agentId) {
        agentId = _mintAgent(agentURI);
        for (uint256 i; i < metadata.length; ++i) {
            _setMetadataValue(agentId, metadata[i].metadataKey, metadata[i].metadataValue);
        }
    }

    function register(string calldata agentURI) external returns (uint256 agentId) {
        agentId = _mintAgent(agentURI);
    }

    function register() external returns (uint256 agentId) {
        agentId = _mintAgent("");
    }

    /*//////////////////////////////////////////////////////////////
                          OWNER OR OPERATOR
    //////////////////////////////////////////////////////////////*/

    function setMetadata(uint256 agentId, string calldata metadataKey, bytes calldata metadataValue) external {
        _requireOwnerOrOperator(agentId);
        _setMetadataValue(agentId, metadataKey, metadataValue);
    }

    function setAgentURI(uint256 agentId, string calldata newURI) external {
        _requireOwnerOrOperator(agentId);
        _setTokenURI(agentId, newURI);
        emit URIUpdated(agentId, newURI, msg.sender);
    }

    function setAgentWallet(uint256 agentId, address newWallet, uint256 deadline, bytes calldata signature) external {
        address agentOwner = _requireOwnerOrOperator(agentId);
        require(newWallet != address(0), "bad wallet");
        require(block.timestamp <= deadline, "expired");
        require(deadline <= block.timestamp + MAX_WALLET_DEADLINE, "deadline too far");
        bytes32 digest = _hashTypedDataV4(
            keccak256(abi.encode(AGENT_WALLET_SET_TYPEHASH, agentId, newWallet, agentOwner, deadline))
        );
        // An EOA (or EIP-7702 account) signs with ECDSA; a contract wallet answers ERC-1271.
        require(SignatureChecker.isValidSignatureNow(newWallet, digest, signature), "invalid wallet sig");
        _setWallet(agentId, abi.encodePacked(newWallet));
    }

    function unsetAgentWallet(uint256 agentId) external {
        _requireOwnerOrOperator(agentId);
        _setWallet(agentId, "");
    }

    /*//////////////////////////////////////////////////////////////
                                  VIEWS
    //////////////////////////////////////////////////////////////*/

    function getMetadata(uint256 agentId, string calldata metadataKey) external view returns (bytes memory) {
        return _metadata[agentId][metadataKey];
    }

    function getAgentWallet(uint256 agentId) external view returns (address) {
        return address(bytes20(_metadata[agentId][AGENT_WALLET_KEY]));
    }

    function supportsInterface(bytes4 interfaceId) public view override(ERC721URIStorage, IERC165) returns (bool) {
        return super.supportsInterface(interfaceId);
    }

    /*//////////////////////////////////////////////////////////////
                                INTERNAL
    //////////////////////////////////////////////////////////////*/

    function _mintAgent(string memory agentURI) private returns (uint256 agentId) {
        agentId = _nextAgentId++;
        _metadata[agentId][AGENT_WALLET_KEY] = abi.encodePacked(msg.sender);
        _safeMint(msg.sender, agentId);
        if (bytes(agentURI).length != 0) _setTokenURI(agentId, agentURI);
        emit Registered(agentId, agentURI, msg.sender);
        emit MetadataSet(agentId, AGENT_WALLET_KEY, AGENT_WALLET_KEY, abi.encodePacked(msg.sender));
    }

    function _setMetadataValue(uint256 agentId, string calldata key, bytes calldata value) private {
        require(keccak256(bytes(key)) != AGENT_WALLET_KEY_HASH, "reserved key");
        _metadata[agentId][key] = value;
        emit MetadataSet(agentId, key, key, value);
    }

    function _setWallet(uint256 agentId, bytes memory wallet) private {
        _metadata[agentId][AGENT_WALLET_KEY] = wallet;
        emit MetadataSet(agentId, AGENT_WALLET_KEY, AGENT_WALLET_KEY, wallet);
    }

    /// @dev The agent's owner, after checking that the caller is it or one of its ERC-721 operators.
    /// Reverts with ERC721NonexistentToken for an unknown agent.
    function _requireOwnerOrOperator(uint256 agentId) private view returns (address agentOwner) {
        agentOwner = _requireOwned(agentId);
        require(_isAuthorized(agentOwner, msg.sender, agentId), "Not authorized");
    }

    /// @dev A transfer (not a mint or a burn) clears the agent wallet: the new owner must verify its own.
    function _update(address to, uint256 agentId, address auth) internal override returns (address from) {
        address current = _ownerOf(agentId);
        if (current != address(0) && to != address(0)) _setWallet(agentId, "");
        from = super._update(to, agentId, auth);
    }
}
