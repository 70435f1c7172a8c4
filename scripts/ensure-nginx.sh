#!/usr/bin/env bash
# Installs Debian's nginx for tests/ops/test_nginx_front.py, once. The test runs its own
# nginx from a temporary prefix; the system's service is left as Debian's package sets it.
set -euo pipefail
if [ -x /usr/sbin/nginx ]; then exit 0; fi
if [ "$(id -u)" != "0" ]; then SUDO=sudo; else SUDO=; fi
echo "installing Debian's nginx for the deployment test"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nginx >/dev/null
