// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IWorkEscrowCore} from "../interfaces/IWorkEscrowCore.sol";

/// @notice A verifier that gives its verdict from its constructor and then leaves no code behind: the end state
/// of a verifier contract that self-destructs in the transaction that created it (EIP-6780), without the
/// deprecated opcode. Deployed with CREATE2 by {VanishingVerifierFactory}, so a job can name its address first.
contract VanishingVerifier {
    constructor(IWorkEscrowCore escrow, uint256 jobId, bool approved) {
        escrow.verifyWork(jobId, approved);
        assembly ("memory-safe") {
            return(0, 0) // empty runtime code: the address is codeless from now on
        }
    }
}

/// @notice Predicts and deploys {VanishingVerifier}s.
contract VanishingVerifierFactory {
    /// @notice The address the verifier for these arguments will have.
    function addressOf(
        bytes32 salt,
        IWorkEscrowCore escrow,
        uint256 jobId,
        bool approved
    ) external view returns (address) {
        bytes32 codeHash = keccak256(_initCode(escrow, jobId, approved));
        return address(uint160(uint256(keccak256(abi.encodePacked(bytes1(0xff), address(this), salt, codeHash)))));
    }

    /// @notice Deploys the verifier, which gives its verdict and vanishes in this transaction.
    function verdictAndVanish(
        bytes32 salt,
        IWorkEscrowCore escrow,
        uint256 jobId,
        bool approved
    ) external returns (address verifier) {
        bytes memory code = _initCode(escrow, jobId, approved);
        assembly ("memory-safe") {
            verifier := create2(0, add(code, 0x20), mload(code), salt)
            if iszero(verifier) {
                returndatacopy(0, 0, returndatasize())
                revert(0, returndatasize())
            }
        }
    }

    function _initCode(IWorkEscrowCore escrow, uint256 jobId, bool approved) private pure returns (bytes memory) {
        return abi.encodePacked(type(VanishingVerifier).creationCode, abi.encode(escrow, jobId, approved));
    }
}
