// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @notice A contract party (requester, provider, approver, arbitrator) whose behaviour on receiving the
/// native coin can be made hostile: revert, burn all gas, answer with a huge return-data bomb, or call
/// back into the escrow (reentrancy). Tests drive it through `call`.
contract HostileReceiver {
    enum Mode {
        Accept,
        Revert,
        BurnGas,
        ReturnBomb,
        Reenter
    }

    Mode public mode;
    address public reenterTarget;
    bytes public reenterData;
    /// @notice Whether the last reentry attempt succeeded (it never should).
    bool public reentered;
    /// @notice Revert data of the last failed reentry attempt.
    bytes public reenterError;

    error Refused();

    function setMode(Mode mode_) external {
        mode = mode_;
    }

    function setReenter(address target, bytes calldata data) external {
        mode = Mode.Reenter;
        reenterTarget = target;
        reenterData = data;
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

    receive() external payable {
        _hostile();
    }

    /// @notice ERC-20 tokens do not call receivers; this hook exists for tokens with callbacks (ERC-777 style).
    function tokensReceived() external {
        _hostile();
    }

    function _hostile() private {
        Mode m = mode;
        if (m == Mode.Revert) revert Refused();
        if (m == Mode.BurnGas) {
            while (true) {}
        }
        if (m == Mode.ReturnBomb) {
            assembly ("memory-safe") {
                revert(0, 1000000)
            }
        }
        if (m == Mode.Reenter) {
            (bool ok, bytes memory ret) = reenterTarget.call(reenterData);
            reentered = ok;
            reenterError = ret;
        }
    }
}

/// @notice ERC-20 whose transfer calls back the recipient (ERC-777-like hook), to test token reentrancy.
contract CallbackToken {
    string public constant name = "Callback";
    string public constant symbol = "CBK";
    uint8 public constant decimals = 18;
    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;

    event Transfer(address indexed from, address indexed to, uint256 value);

    function mint(address to, uint256 amount) external {
        balanceOf[to] += amount;
    }

    function approve(address spender, uint256 value) external returns (bool) {
        allowance[msg.sender][spender] = value;
        return true;
    }

    function transfer(address to, uint256 value) external returns (bool) {
        _move(msg.sender, to, value);
        return true;
    }

    function transferFrom(address from, address to, uint256 value) external returns (bool) {
        allowance[from][msg.sender] -= value;
        _move(from, to, value);
        return true;
    }

    function _move(address from, address to, uint256 value) private {
        balanceOf[from] -= value;
        balanceOf[to] += value;
        emit Transfer(from, to, value);
        if (to.code.length > 0) {
            // Ignore failures: the hook is the receiver's business.
            (bool ok, ) = to.call(abi.encodeWithSignature("tokensReceived()"));
            ok;
        }
    }
}
