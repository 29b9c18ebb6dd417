// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {WorkEscrow} from "../../contracts/WorkEscrow.sol";
import {WorkEscrowExtension} from "../../contracts/WorkEscrowExtension.sol";
import {IWorkEscrow} from "../../contracts/interfaces/IWorkEscrow.sol";
import {IWorkEscrowExtension} from "../../contracts/interfaces/IWorkEscrowExtension.sol";
import {IWorkEscrowTypes} from "../../contracts/interfaces/IWorkEscrowTypes.sol";

/// @notice A party that cannot receive the native coin: every native push to it must become a credit.
contract RevertingActor {
    receive() external payable {
        revert("no native coin");
    }
}

/// @notice A contract account that accepts the native coin but implements no ERC-1271: a bid "signed" by it
/// can never be valid.
contract NoErc1271Actor {
    receive() external payable {}
}

/// @notice Deploys a v2 suite the way `deployWorkEscrowSuite` does: the extension, then the core that
/// delegates to it (no forwarder, no identity registry). Called at the core's address with {IWorkEscrow}.
abstract contract EscrowFixture is Test {
    function _deployEscrow(
        address admin,
        address treasury,
        address community,
        uint16[3] memory feeBps, // platform, community, arbitration
        IWorkEscrowTypes.ArbitratorConfig[] memory arbitrators
    ) internal returns (IWorkEscrow) {
        WorkEscrowExtension extension = new WorkEscrowExtension(address(0), address(0));
        WorkEscrow core = new WorkEscrow(
            IWorkEscrowTypes.InitialConfig({
                admin: admin,
                treasury: treasury,
                communityFund: community,
                platformFeeBps: feeBps[0],
                communityFeeBps: feeBps[1],
                arbitrationFeeBps: feeBps[2],
                arbitrators: arbitrators,
                minAmounts: new IWorkEscrowTypes.TokenMinimum[](0)
            }),
            IWorkEscrowExtension(address(extension))
        );
        return IWorkEscrow(address(core));
    }
}
