#!/bin/sh
# Install Debian's chromium where /usr/bin/chromium is missing (make chromium, make test, the browser test).
# Needs root and apt-get; prints why and exits 3 when the install is impossible here.
set -e
if [ -x /usr/bin/chromium ]; then
    exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "chromium: /usr/bin/chromium is missing and cannot be installed here (needs root and apt-get)" >&2
    exit 3
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q chromium
