#!/usr/bin/env python3
"""make bench: boot the benchmark images, collect their results, write bench.json.

usage: run-bench.py IMAGE JSON_OUT ACCEL [PROCESS_IMAGE [SYSTEM_IMAGE [COMPARE_IMAGE]]]
       run-bench.py --procbench IMAGE JSON_OUT ACCEL

The second form boots only a procbench image (make bench-idle: procbench_idle.img,
the idle-container series alone).

The benchmark root task (and PROCESS_IMAGE's init, userland/procbench)
prints one line per benchmark:
  bench: NAME median N min N max N unit UNIT iterations N [cycles N N N]
(the optional tail: median, minimum and maximum in TSC cycles of a result
given in nanoseconds), and procbench one line per ratio it takes batch by
batch:
  ratio: NAME median R min R max R batches N
SYSTEM_IMAGE is the real system (capsule.img): it is
booted to its shell prompt, which is timed from the host and, through
/proc/uptime, from the guest. COMPARE_IMAGE (benchcmp.img) runs
userland/bench, the program `make bench-linux` also runs on Linux (its
rows are named cmp_*). Names are fixed in docs/performance.md.
"""
import json
import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "scenario"))
from qemu_session import QemuSession, ScenarioFailure  # noqa: E402
import bench_table  # noqa: E402

LINE = re.compile(r"bench: (\w+) median (\d+) min (\d+) max (\d+) unit (\w+) iterations (\d+)"
                  r"(?: cycles (\d+) (\d+) (\d+))?")
# a ratio procbench takes batch by batch (between neighbours in time)
RATIO_LINE = re.compile(r"ratio: (\S+) median ([\d.]+) min ([\d.]+) max ([\d.]+) batches (\d+)")
PROMPT = r"root@capsule:~# "

# ratios of medians measured in one run of one program: (name, divided by)
RATIOS = (("linux_getpid", "native_null_call"), ("linux_getpid", "process_getpid"),
          ("fork_exec_wait_true", "fork_exit_wait"), ("sh_c_true", "fork_exec_wait_true"),
          ("open_read_close", "process_getpid"), ("spawn_exit_wait", "ipc_roundtrip"),
          ("spawn_exit_wait", "fork_exit_wait"), ("scope_create_destroy", "ipc_roundtrip"),
          ("context_create_5mounts", "ipc_roundtrip"), ("container_start", "process_start"),
          ("container_start_cli", "process_start"),
          ("container_start_tiny", "process_start_tiny"),
          ("container_start_100", "container_start_1"),
          ("container_start_1000", "container_start_1"),
          ("container_start_max", "container_start_1"),
          ("cmp_container_start", "cmp_spawn_wait"),
          ("cmp_container_start", "cmp_fork_exec_wait"))


batch_ratios = {}  # name -> spread, from every image collected


def collect(image, accel, done=r"kbench: done", timeout=600):
    with QemuSession(image, accel=accel) as qemu:
        finished = qemu.expect(rf"{done}|(?:proc)?bench: failed: .*", timeout)
        if "failed" in finished.group(0):
            raise ScenarioFailure(finished.group(0))
        results = {}
        for m in LINE.finditer(qemu.log):
            name, median, lo, hi, unit, iterations, *cycles = m.groups()
            results[name] = {"median": int(median), "min": int(lo), "max": int(hi),
                             "unit": unit, "iterations": int(iterations)}
            if cycles[0] is not None:
                results[name]["cycles"] = dict(zip(("median", "min", "max"), map(int, cycles)))
        for m in RATIO_LINE.finditer(qemu.log):
            name, median, lo, hi, batches = m.groups()
            batch_ratios[name] = {"median": float(median), "min": float(lo), "max": float(hi),
                                  "batches": int(batches)}
        tsc = re.search(r"TSC (\d+) MHz", qemu.log)
        return results, int(tsc.group(1)) if tsc else None


def ns(seconds):
    """Host seconds (time.monotonic) as integer nanoseconds."""
    return int(seconds * 1e9)


def single(value, **extra):
    """A result in ns measured once (a boot): median, minimum and maximum alike."""
    return {"median": value, "min": value, "max": value, "unit": "ns", "iterations": 1, **extra}


def boot_to_prompt(image, accel):
    """Boots the system to its shell prompt, asks the guest for its uptime, powers off.

    The guest figure is /proc/uptime (monotonic time, counted from the
    kernel's clock set-up early in kernel_main) read by a shell builtin, so
    no program starts between the prompt and the reading; host time from
    the prompt to the answer is kept beside it to show what it includes.
    """
    start = time.monotonic()
    with QemuSession(image, accel=accel) as qemu:
        qemu.expect(r"Capsule microkernel", 120)
        kernel = time.monotonic()
        qemu.expect(PROMPT, 300)
        prompt = time.monotonic()
        qemu.send('read -r up idle < /proc/uptime; echo "uptime=$up"\n')
        seconds, centis = qemu.expect(r"uptime=(\d+)\.(\d\d)\n", 60).groups()
        answer = time.monotonic()
        qemu.expect(PROMPT, 60)
        qemu.send("poweroff\n")
        qemu.wait_exit(60)
    guest = (int(seconds) * 100 + int(centis)) * 10_000_000
    return {"boot_to_prompt_guest": single(guest, prompt_to_reading_host_ns=ns(answer - prompt)),
            "boot_to_prompt_host": single(ns(prompt - start),
                                          qemu_start_to_kernel_host_ns=ns(kernel - start))}


def cycles_median(result):
    return result["cycles"]["median"] if "cycles" in result else result["median"]


def ratios(results):
    """The RATIOS whose two figures are both in results, in TSC cycles."""
    found = {}
    for name, base in RATIOS:
        if name in results and base in results and results[base]["unit"] in ("cycles", "ns"):
            found[f"{name}/{base}"] = round(
                cycles_median(results[name]) / cycles_median(results[base]), 2)
    return found


def main():
    only_procbench = sys.argv[1] == "--procbench"
    image, out, accel = sys.argv[1 + only_procbench:4 + only_procbench]
    process_results = {}
    try:
        if only_procbench:
            results, tsc_mhz = collect(image, accel, r"procbench: done", 1800)
            process_results = dict(results)
        else:
            results, tsc_mhz = collect(image, accel)
        if len(sys.argv) > 4 and not only_procbench:
            # procbench starts two series of 1,000 idle containers (the
            # second BusyBox's): about 15 minutes under TCG on a loaded host
            process_results, _ = collect(sys.argv[4], accel, r"procbench: done", 1800)
            results.update(process_results)
        if len(sys.argv) > 6:
            compare_results, _ = collect(sys.argv[6], accel, r"bench: done")
            process_results.update(compare_results)
            results.update(compare_results)
        if len(sys.argv) > 5:
            results.update(boot_to_prompt(sys.argv[5], accel))
    except ScenarioFailure as err:
        sys.exit(f"bench: {err}")
    same_run = ratios(results)
    with open(out, "w") as f:
        json.dump({"accel": accel, "tsc_mhz": tsc_mhz, "results": results, "ratios": same_run,
                   "batch_ratios": batch_ratios}, f, indent=2)
        f.write("\n")
    print(f"accelerator: {accel}" + (f", TSC {tsc_mhz} MHz" if tsc_mhz else ""))
    print(f"{'benchmark':<28}{'median':>14}{'min':>14}{'max':>14}  unit")
    for name, r in results.items():
        print(f"{name:<28}{r['median']:>14}{r['min']:>14}{r['max']:>14}  {r['unit']}")
    kernel_names = set(results) - set(process_results)
    cycle_names = {name for name, r in results.items() if r["unit"] == "cycles"}
    for base_name, names in (("null_syscall", kernel_names & cycle_names),
                             ("ipc_roundtrip", set(process_results) & cycle_names),
                             ("process_getpid", set(process_results) & cycle_names)):
        base = results.get(base_name, {}).get("median")
        for name in sorted(names, key=list(results).index) if base else []:
            print(f"{name} / {base_name} = {results[name]['median'] / base:.2f}")
    for name, value in same_run.items():
        print(f"{name} = {value:.2f} (medians in cycles, same run)")
    for name, r in batch_ratios.items():
        print(f"{name} = {r['median']:.2f} (median of {r['batches']} batches; "
              f"min {r['min']:.2f}, max {r['max']:.2f})")
    print("side by side with Linux (make bench-linux fills the Linux column):")
    print("\n".join(bench_table.format_table(results, {})))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
