#!/bin/sh
# Fails if any C file of the project differs from what clang-format makes of it.
set -eu
cd "$(dirname "$0")/.."
files=$(find microkernel libc proc-server vfs-server servers runc userland tests \
    -name '*.[ch]' -not -path '*/build/*' 2>/dev/null | sort)
clang-format --dry-run --Werror $files
