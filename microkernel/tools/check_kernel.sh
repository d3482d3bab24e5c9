#!/bin/sh
# check_kernel.sh NM STAGE1 FINAL: the final kernel's functions sit where the
# first link put them (so the embedded symbol table is right), and GRUB sees
# a multiboot2 kernel.
set -eu
nm_tool=$1 stage1=$2 final=$3
"$nm_tool" -n --defined-only "$stage1" | awk '$2 ~ /^[Tt]$/' > "$final.syms1"
"$nm_tool" -n --defined-only "$final" | awk '$2 ~ /^[Tt]$/' > "$final.syms2"
if ! cmp -s "$final.syms1" "$final.syms2"; then
    echo "check_kernel: functions moved between the two links" >&2
    exit 1
fi
rm -f "$final.syms1" "$final.syms2"
if ! grub-file --is-x86-multiboot2 "$final"; then
    echo "check_kernel: $final is not a multiboot2 kernel" >&2
    exit 1
fi
