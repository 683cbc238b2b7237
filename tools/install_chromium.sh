#!/usr/bin/env bash
# Install Debian's Chromium, the browser tests/test_site.py drives headless, and the
# Korean font the glossary needs (fonts-noto-cjk; tests/test_glossary.py), when missing. Uses apt-get (as root, or through sudo).
set -euo pipefail
if [ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep -q "Noto Sans CJK"; then
    exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    sudo=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq chromium fonts-dejavu-core fonts-noto-cjk
/usr/bin/chromium --version
