#!/usr/bin/env bash
# Install Debian's Chromium, the browser tests/test_site.py drives headless,
# when it is missing. Uses apt-get (as root, or through sudo).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
    exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    sudo=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq chromium fonts-dejavu-core
/usr/bin/chromium --version
