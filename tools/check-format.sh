#!/bin/sh
# Fails if any C file of the project differs from what clang-format makes of
# it; with --fix, formats them instead.
set -eu
cd "$(dirname "$0")/.."
files=$(find microkernel libc proc-server vfs-server servers runc userland tests \
    -name '*.[ch]' -not -path '*/build/*' 2>/dev/null | sort)
if [ "${1:-}" = "--fix" ]; then
    clang-format -i $files
else
    clang-format --dry-run --Werror $files
fi
