#!/usr/bin/env bash
# `npm test`: the static checks, then every Hardhat test (mocha + Solidity fuzz/invariant).
# Each static check prints one line `check <name>: ok|FAILED` (.ci/run counts them); a failed check
# does not stop the tests, so one run shows everything that is wrong.
set -uo pipefail
cd "$(dirname "$0")/.."
status=0

check() {
  local name=$1
  shift
  local log
  log=$(mktemp)
  if "$@" >"$log" 2>&1; then
    echo "check $name: ok"
  else
    grep -v 'Unknown user config "nodedir"' "$log"
    echo "check $name: FAILED"
    status=1
  fi
  rm -f "$log"
}

# Builds contracts and typechain-types, which the type-check reads.
check build hardhat build
check solhint npm run -s lint:sol
check prettier npm run -s format:check
check typescript tsc --noEmit
# The package as a dapp imports it: build dist/ (SDK + typechain, with declarations), type-check
# examples/dapp against it with a bundler's resolution, and import both entry points at runtime.
check package bash -c 'tsc -p tsconfig.build.json && tsc -p examples/dapp &&
  cd examples/dapp && node --input-type=module -e "
    const sdk = await import(\"work-escrow\"); const tc = await import(\"work-escrow/typechain\");
    if (typeof sdk.EscrowClient !== \"function\" || typeof tc.WorkEscrow__factory !== \"function\") process.exit(1);"'

hardhat test "$@" || status=1
exit $status
