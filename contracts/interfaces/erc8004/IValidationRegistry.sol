// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

/// @title IValidationRegistry — the ERC-8004 ("Trustless Agents") Validation Registry
/// @notice Agents ask independent validators (stake-secured re-execution, zkML verifiers, TEE oracles, trusted
/// judges) to check their work, and validators record a score on-chain. This interface is the ERC's text as
/// of its 2026 revision (string `tag`, `responseHash` returned by `getValidationStatus`).
///
/// Life of a request, as the ERC and its reference implementation define it:
/// - `validationRequest` by the owner or an ERC-721 operator of `agentId` in the Identity Registry opens the
///   request `requestHash` for `validatorAddress`; a request hash can be opened only once, and opening it
///   stores `(validatorAddress, agentId, response 0, responseHash 0, tag "", lastUpdate = now)`.
/// - `validationResponse`, only by that validator, any number of times: each call overwrites the response
///   (0..100), the response hash and the tag, and sets `lastUpdate` to now ("progressive validation").
/// - `getValidationStatus` reverts for a request hash that was never opened, and does NOT say whether a
///   response was ever given: a request alone reads as a response of 0 with no hash and no tag.
/// @dev Incentives and slashing are out of the ERC's scope.
interface IValidationRegistry {
    /// @notice A request was opened; `requestURI` points at everything the validator needs (inputs, outputs).
    event ValidationRequest(
        address indexed validatorAddress,
        uint256 indexed agentId,
        string requestURI,
        bytes32 indexed requestHash
    );

    /// @notice The request's validator recorded (or replaced) its response.
    event ValidationResponse(
        address indexed validatorAddress,
        uint256 indexed agentId,
        bytes32 indexed requestHash,
        uint8 response,
        string responseURI,
        bytes32 responseHash,
        string tag
    );

    /// @notice Opens request `requestHash` (a commitment to the request's data) for `validatorAddress`.
    /// MUST be called by the owner or an operator of `agentId`; reverts for a hash already opened or a zero validator.
    function validationRequest(
        address validatorAddress,
        uint256 agentId,
        string calldata requestURI,
        bytes32 requestHash
    ) external;

    /// @notice The request's validator records its response: `response` 0..100 (0 failed, 100 passed, or a
    /// spectrum); `responseURI` (evidence), `responseHash` (its commitment) and `tag` are optional. May be
    /// called again to update the response.
    function validationResponse(
        bytes32 requestHash,
        uint8 response,
        string calldata responseURI,
        bytes32 responseHash,
        string calldata tag
    ) external;

    /// @notice The stored state of a request; reverts for a request hash that was never opened.
    /// @return validatorAddress the validator named by the request
    /// @return agentId the agent that requested
    /// @return response the latest response, 0..100 (0 also when there is no response yet)
    /// @return responseHash the latest response's hash (0 when none was given)
    /// @return tag the latest response's tag ("" when none was given)
    /// @return lastUpdate unix seconds of the latest response, or of the request while there is none
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
        );

    /// @notice Count and average of the responses given to `agentId`'s requests, optionally filtered by
    /// validators (empty = all) and `tag` ("" = all). Requests without a response are not counted.
    function getSummary(
        uint256 agentId,
        address[] calldata validatorAddresses,
        string calldata tag
    ) external view returns (uint64 count, uint8 averageResponse);

    /// @notice Every request hash opened by `agentId`, oldest first.
    function getAgentValidations(uint256 agentId) external view returns (bytes32[] memory requestHashes);

    /// @notice Every request hash addressed to `validatorAddress`, oldest first.
    function getValidatorRequests(address validatorAddress) external view returns (bytes32[] memory requestHashes);

    /// @notice The Identity Registry whose agents may request validation here.
    function getIdentityRegistry() external view returns (address);
}
