#!/usr/bin/env bash
# Installs axe-core (the accessibility rules engine the browser tests inject into
# chromium) from the npm registry, at the version tests/a11y/package-lock.json pins. Once.
set -euo pipefail
cd "$(dirname "$0")/../tests/a11y"
if ! command -v npm >/dev/null; then
  echo "npm is missing: the accessibility tests need Node.js and npm to install axe-core" >&2
  exit 1
fi
want=$(node -p "require('./package-lock.json').packages['node_modules/axe-core'].version")
have=$(node -p "require('./node_modules/axe-core/package.json').version" 2>/dev/null || true)
if [ "$want" = "$have" ]; then exit 0; fi
echo "installing axe-core $want for the accessibility tests"
npm ci --no-audit --no-fund --silent
