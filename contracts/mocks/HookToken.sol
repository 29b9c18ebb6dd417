// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IERC777Recipient} from "@openzeppelin/contracts/interfaces/IERC777Recipient.sol";

/// @notice An ERC-20 with ERC-777's receive hook: once the balances have moved, a transfer to an account that
/// registered a recipient hook calls `tokensReceived` on it with all the gas left, and reverts when the hook
/// reverts (ERC-777: the recipient MAY revert to reject the tokens), so a hook that burns its gas makes the
/// transfer fail. ERC-777 looks the hook up in the ERC-1820 registry; here each account registers it with the
/// token itself (`setHook`), which changes nothing for the sender.
contract HookToken is ERC20 {
    mapping(address account => address implementer) public hookOf;

    constructor() ERC20("Hook", "HOOK") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice The caller's `tokensReceived` implementer (0 = none), as ERC-1820's setInterfaceImplementer.
    function setHook(address implementer) external {
        hookOf[msg.sender] = implementer;
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        address hook = hookOf[to];
        if (hook != address(0)) IERC777Recipient(hook).tokensReceived(msg.sender, from, to, value, "", "");
    }
}

/// @notice A contract party (provider or requester) that receives HookToken through its own `tokensReceived`
/// hook, and the native coin through `receive`: both accept, revert, burn all the gas they are given, or
/// (`NeedsGas`) accept only when they get at least `NEEDED_GAS`, reverting cheaply otherwise, as a smart
/// wallet that checks its gas does. Acts in the escrow through `call`.
contract HookReceiver is IERC777Recipient {
    enum Mode {
        Accept,
        Revert,
        BurnGas,
        NeedsGas
    }

    /// @notice Gas a `NeedsGas` receiver wants to see (below both push stipends, so a full stipend passes).
    uint256 public constant NEEDED_GAS = 40_000;

    Mode public mode;
    /// @notice Tokens this contract accepted through its hook.
    uint256 public received;

    error Refused();

    function setMode(Mode mode_) external {
        mode = mode_;
    }

    /// @notice Registers this contract as its own hook on `token`.
    function register(HookToken token) external {
        token.setHook(address(this));
    }

    /// @notice Acts as this party: forwards a call (with value) to `target`, bubbling up reverts.
    function call(address target, bytes calldata data) external payable returns (bytes memory) {
        (bool ok, bytes memory ret) = target.call{value: msg.value}(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(ret, 0x20), mload(ret))
            }
        }
        return ret;
    }

    function tokensReceived(address, address, address, uint256 amount, bytes calldata, bytes calldata) external {
        _receive(amount);
    }

    receive() external payable {
        _receive(msg.value);
    }

    function _receive(uint256 amount) private {
        Mode m = mode;
        if (m == Mode.Revert) revert Refused();
        if (m == Mode.BurnGas) {
            while (true) {}
        }
        if (m == Mode.NeedsGas && gasleft() < NEEDED_GAS) revert Refused();
        received += amount;
    }
}
