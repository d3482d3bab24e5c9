#!/bin/sh
# gen_ksyms.sh NM KERNEL_ELF OUT_S: the function symbols of KERNEL_ELF, sorted by
# address, as the assembly of the strong ksyms_* table (see kernel/ksyms.c).
set -eu
nm_tool=$1 elf=$2 out=$3
"$nm_tool" -n --defined-only "$elf" | awk '
$2 ~ /^[Tt]$/ { addr[n] = $1; name[n] = $3; n++ }
END {
    print "    .section .note.GNU-stack, \"\", @progbits"
    print "    .section .ksyms, \"a\""
    print "    .balign 8"
    print "    .global ksyms_count, ksyms_table, ksyms_names"
    printf "ksyms_count: .quad %d\n", n
    print "ksyms_table:"
    off = 0
    for (i = 0; i < n; i++) {
        printf "    .quad 0x%s, %d\n", addr[i], off
        off += length(name[i]) + 1
    }
    print "ksyms_names:"
    for (i = 0; i < n; i++) printf "    .asciz \"%s\"\n", name[i]
}' > "$out"
