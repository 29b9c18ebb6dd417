// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice Plain ERC-20 with a chosen number of decimals and an open mint (tests only).
contract MockERC20 is ERC20 {
    uint8 private immutable _decimals;

    constructor(string memory name_, string memory symbol_, uint8 decimals_) ERC20(name_, symbol_) {
        _decimals = decimals_;
    }

    function decimals() public view override returns (uint8) {
        return _decimals;
    }

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Takes balance away without a transfer (a negative rebase or an issuer's seizure).
    function burn(address from, uint256 amount) external {
        _burn(from, amount);
    }
}

/// @notice Burns `feeBps` of every transfer: the receiver gets less than was sent.
contract FeeOnTransferToken is MockERC20 {
    uint256 public immutable feeBps;

    constructor(uint256 feeBps_) MockERC20("Fee On Transfer", "FOT", 18) {
        feeBps = feeBps_;
    }

    function _update(address from, address to, uint256 value) internal override {
        if (from != address(0) && to != address(0)) {
            uint256 fee = (value * feeBps) / 10_000;
            super._update(from, address(0), fee);
            value -= fee;
        }
        super._update(from, to, value);
    }
}

/// @notice Can refuse transfers to or from blocklisted accounts (as USDC/USDT do).
contract BlocklistToken is MockERC20 {
    mapping(address => bool) public blocked;

    error Blocked(address account);

    constructor() MockERC20("Blocklist", "BLK", 6) {}

    function setBlocked(address account, bool value) external {
        blocked[account] = value;
    }

    function _update(address from, address to, uint256 value) internal override {
        if (blocked[from]) revert Blocked(from);
        if (blocked[to]) revert Blocked(to);
        super._update(from, to, value);
    }
}

/// @notice Reverts on zero-amount transfers (as some tokens, e.g. LEND, did).
contract RevertOnZeroToken is MockERC20 {
    error ZeroTransfer();

    constructor() MockERC20("Revert On Zero", "ROZ", 18) {}

    function _update(address from, address to, uint256 value) internal override {
        if (value == 0 && from != address(0) && to != address(0)) revert ZeroTransfer();
        super._update(from, to, value);
    }
}

/// @notice Returns `false` instead of reverting when a transfer fails; can be switched to fail on purpose.
contract FalseReturnToken is MockERC20 {
    bool public failTransfers;

    constructor() MockERC20("False Return", "FRT", 18) {}

    function setFailTransfers(bool value) external {
        failTransfers = value;
    }

    function transfer(address to, uint256 value) public override returns (bool) {
        if (failTransfers || balanceOf(msg.sender) < value) return false;
        _transfer(msg.sender, to, value);
        return true;
    }

    function transferFrom(address from, address to, uint256 value) public override returns (bool) {
        if (failTransfers || balanceOf(from) < value || allowance(from, msg.sender) < value) return false;
        _spendAllowance(from, msg.sender, value);
        _transfer(from, to, value);
        return true;
    }
}

/// @notice USDT-style token: `transfer`, `transferFrom` and `approve` return nothing.
contract NoReturnToken {
    string public constant name = "No Return";
    string public constant symbol = "NRT";
    uint8 public constant decimals = 6;
    uint256 public totalSupply;
    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;

    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);

    function mint(address to, uint256 amount) external {
        totalSupply += amount;
        balanceOf[to] += amount;
        emit Transfer(address(0), to, amount);
    }

    function approve(address spender, uint256 value) external {
        allowance[msg.sender][spender] = value;
        emit Approval(msg.sender, spender, value);
    }

    function transfer(address to, uint256 value) external {
        _move(msg.sender, to, value);
    }

    function transferFrom(address from, address to, uint256 value) external {
        require(allowance[from][msg.sender] >= value, "allowance");
        allowance[from][msg.sender] -= value;
        _move(from, to, value);
    }

    function _move(address from, address to, uint256 value) private {
        require(balanceOf[from] >= value, "balance");
        balanceOf[from] -= value;
        balanceOf[to] += value;
        emit Transfer(from, to, value);
    }
}
