// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// @notice A minimal ERC-1271 contract wallet (tests only): a signature is valid when it is the owner's ECDSA
/// signature of the digest itself (magic value 0x1626ba7e, else 0xffffffff; never reverts on a bad signature).
/// The owner acts through `execute`; the wallet receives native coin.
contract ERC1271WalletMock is IERC1271 {
    address public immutable owner;
    /// @notice When set, the wallet answers every signature check with 0xffffffff (a revoked key).
    bool public revoked;

    error NotOwner(address caller);

    constructor(address owner_) {
        owner = owner_;
    }

    /// @inheritdoc IERC1271
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        (address recovered, ECDSA.RecoverError err, ) = ECDSA.tryRecover(hash, signature);
        if (!revoked && err == ECDSA.RecoverError.NoError && recovered == owner)
            return IERC1271.isValidSignature.selector;
        return 0xffffffff;
    }

    function setRevoked(bool revoked_) external {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        revoked = revoked_;
    }

    /// @notice The owner makes the wallet call `target` (with `value`), bubbling up a revert.
    function execute(address target, uint256 value, bytes calldata data) external payable returns (bytes memory) {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        (bool ok, bytes memory ret) = target.call{value: value}(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(ret, 0x20), mload(ret))
            }
        }
        return ret;
    }

    receive() external payable {}
}
