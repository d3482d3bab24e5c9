#!/bin/sh
# Installs the Debian packages the build and the tests need. As root it runs
# apt-get; otherwise it prints the exact command and stops.
set -eu
packages="cmake gcc make python3 qemu-system-x86 grub-pc-bin grub-common xorriso mtools \
musl-tools libcmocka-dev clang libclang-rt-14-dev clang-format busybox-static"
missing=""
for p in $packages; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
    echo "Capsule needs these Debian packages; run:" >&2
    echo "  sudo apt-get install -y$missing" >&2
    exit 1
fi
echo "installing:$missing"
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y --no-install-recommends $missing; then
    apt-get update
    apt-get install -y --no-install-recommends $missing
fi
