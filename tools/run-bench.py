#!/usr/bin/env python3
"""make bench: boot the benchmark image, collect its results, write bench.json.

usage: run-bench.py IMAGE JSON_OUT ACCEL [PROCESS_IMAGE]

The benchmark root task (and PROCESS_IMAGE's init, userland/procbench)
prints one line per benchmark:
  bench: NAME median N min N max N unit UNIT iterations N
Names are fixed in docs/performance.md.
"""
import json
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "scenario"))
from qemu_session import QemuSession, ScenarioFailure  # noqa: E402

LINE = re.compile(r"bench: (\w+) median (\d+) min (\d+) max (\d+) unit (\w+) iterations (\d+)")


def collect(image, accel, done=r"kbench: done"):
    with QemuSession(image, accel=accel) as qemu:
        qemu.expect(done, 600)
        results = {}
        for m in LINE.finditer(qemu.log):
            name, median, lo, hi, unit, iterations = m.groups()
            results[name] = {"median": int(median), "min": int(lo), "max": int(hi),
                             "unit": unit, "iterations": int(iterations)}
        tsc = re.search(r"TSC (\d+) MHz", qemu.log)
        return results, int(tsc.group(1)) if tsc else None


def main():
    image, out, accel = sys.argv[1], sys.argv[2], sys.argv[3]
    process_results = {}
    try:
        results, tsc_mhz = collect(image, accel)
        if len(sys.argv) > 4:
            process_results, _ = collect(sys.argv[4], accel, r"procbench: done")
            results.update(process_results)
    except ScenarioFailure as err:
        sys.exit(f"bench: {err}")
    with open(out, "w") as f:
        json.dump({"accel": accel, "results": results}, f, indent=2)
        f.write("\n")
    print(f"accelerator: {accel}" + (f", TSC {tsc_mhz} MHz" if tsc_mhz else ""))
    print(f"{'benchmark':<16}{'median':>10}{'min':>10}{'max':>10}  unit")
    for name, r in results.items():
        print(f"{name:<16}{r['median']:>10}{r['min']:>10}{r['max']:>10}  {r['unit']}")
    kernel_names = set(results) - set(process_results)
    for base_name, names in (("null_syscall", kernel_names),
                             ("ipc_roundtrip", set(results) - kernel_names),
                             ("process_getpid", set(results) - kernel_names)):
        base = results.get(base_name, {}).get("median")
        for name in sorted(names, key=list(results).index) if base else []:
            print(f"{name} / {base_name} = {results[name]['median'] / base:.2f}")
    print(f"wrote {out}")


main()
