// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IIdentityRegistry} from "../interfaces/erc8004/IIdentityRegistry.sol";
import {IValidationRegistry} from "../interfaces/erc8004/IValidationRegistry.sol";

/// @notice A test ERC-8004 Validation Registry that behaves as the ERC and its reference deployment do
/// (erc-8004/erc-8004-contracts, ValidationRegistryUpgradeable, 2026 revision), without the proxy: a request
/// hash is opened once, by the agent's owner or an ERC-721 operator, for a non-zero validator, and stores
/// `(validator, agentId, 0, 0, "", now)`; only that validator responds (0..100), as often as it likes, each
/// response overwriting the last; `getValidationStatus` reverts for an unknown hash and hides whether a response
/// exists; `getSummary` counts only answered requests. Revert reasons are the reference's.
contract MockValidationRegistry is IValidationRegistry {
    struct Validation {
        address validatorAddress;
        uint256 agentId;
        uint8 response;
        bytes32 responseHash;
        string tag;
        uint256 lastUpdate;
        bool hasResponse;
    }

    uint8 private constant MAX_RESPONSE = 100;

    IIdentityRegistry private immutable _identity;
    mapping(bytes32 requestHash => Validation) private _validations;
    mapping(uint256 agentId => bytes32[]) private _agentRequests;
    mapping(address validator => bytes32[]) private _validatorRequests;

    constructor(IIdentityRegistry identity) {
        require(address(identity) != address(0), "bad identity");
        _identity = identity;
    }

    function validationRequest(
        address validatorAddress,
        uint256 agentId,
        string calldata requestURI,
        bytes32 requestHash
    ) external {
        require(validatorAddress != address(0), "bad validator");
        Validation storage v = _validations[requestHash];
        require(v.validatorAddress == address(0), "exists");
        address agentOwner = _identity.ownerOf(agentId); // reverts for an unknown agent
        require(
            msg.sender == agentOwner ||
                _identity.isApprovedForAll(agentOwner, msg.sender) ||
                _identity.getApproved(agentId) == msg.sender,
            "Not authorized"
        );

        v.validatorAddress = validatorAddress;
        v.agentId = agentId;
        v.lastUpdate = block.timestamp;
        _agentRequests[agentId].push(requestHash);
        _validatorRequests[validatorAddress].push(requestHash);
        emit ValidationRequest(validatorAddress, agentId, requestURI, requestHash);
    }

    function validationResponse(
        bytes32 requestHash,
        uint8 response,
        string calldata responseURI,
        bytes32 responseHash,
        string calldata tag
    ) external {
        Validation storage v = _validations[requestHash];
        require(v.validatorAddress != address(0), "unknown");
        require(msg.sender == v.validatorAddress, "not validator");
        require(response <= MAX_RESPONSE, "resp>100");

        v.response = response;
        v.responseHash = responseHash;
        v.tag = tag;
        v.lastUpdate = block.timestamp;
        v.hasResponse = true;
        emit ValidationResponse(msg.sender, v.agentId, requestHash, response, responseURI, responseHash, tag);
    }

    function getValidationStatus(
        bytes32 requestHash
    )
        external
        view
        returns (
            address validatorAddress,
            uint256 agentId,
            uint8 response,
            bytes32 responseHash,
            string memory tag,
            uint256 lastUpdate
        )
    {
        Validation storage v = _validations[requestHash];
        require(v.validatorAddress != address(0), "unknown");
        return (v.validatorAddress, v.agentId, v.response, v.responseHash, v.tag, v.lastUpdate);
    }

    function getSummary(
        uint256 agentId,
        address[] calldata validatorAddresses,
        string calldata tag
    ) external view returns (uint64 count, uint8 averageResponse) {
        bytes32[] storage hashes = _agentRequests[agentId];
        bool anyTag = bytes(tag).length == 0;
        bytes32 tagHash = keccak256(bytes(tag));
        uint256 total;
        for (uint256 i; i < hashes.length; ++i) {
            Validation storage v = _validations[hashes[i]];
            if (!v.hasResponse) continue;
            if (!anyTag && keccak256(bytes(v.tag)) != tagHash) continue;
            if (!_listed(validatorAddresses, v.validatorAddress)) continue;
            total += v.response;
            ++count;
        }
        if (count != 0) averageResponse = uint8(total / count); // an average of values ≤ 100
    }

    function getAgentValidations(uint256 agentId) external view returns (bytes32[] memory) {
        return _agentRequests[agentId];
    }

    function getValidatorRequests(address validatorAddress) external view returns (bytes32[] memory) {
        return _validatorRequests[validatorAddress];
    }

    function getIdentityRegistry() external view returns (address) {
        return address(_identity);
    }

    /// @dev An empty filter lists everyone.
    function _listed(address[] calldata list, address account) private pure returns (bool) {
        if (list.length == 0) return true;
        for (uint256 i; i < list.length; ++i) if (list[i] == account) return true;
        return false;
    }
}
