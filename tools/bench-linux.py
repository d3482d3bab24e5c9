#!/usr/bin/env python3
"""make bench-linux: the same bench binary on Capsule and on Linux, side by side.

usage: bench-linux.py BUILD_DIR ACCEL

1. Debian's linux-image-amd64 and busybox-static are installed if missing
   (apt-get when root; otherwise the exact apt-get line is printed and the
   run fails).
2. BUILD_DIR/bench-linux.cpio is written: an uncompressed initramfs with
   BusyBox, userland/bench (/bin/bench), the tiny program
   (/sbin/bench-idle), the bench bundle's rootfs for the container start,
   and /init, a BusyBox script that mounts /proc, prints /proc/uptime, runs
   /bin/bench and powers off.
3. The newest /boot/vmlinuz-* boots it in the QEMU configuration of `make
   bench` (QEMU's default CPU model, -m 512M, ACCEL), console on ttyS0.
4. The Capsule column is build/bench.json when it is fresh (same
   accelerator, holds the cmp_* and boot rows, newer than benchcmp.img and
   capsule.img); otherwise this script boots benchcmp.img and capsule.img
   itself (about a minute under TCG) and the scale rows, which only the
   full `make bench` measures, stay empty.
5. The table (Capsule, Linux, Capsule ÷ Linux) and the targets are printed;
   BUILD_DIR/bench-linux.json gets Linux's results in bench.json's format,
   with "capsule_over_linux" beside them.
"""
import glob
import importlib.util
import json
import os
import re
import subprocess
import sys
import time

TOOLS = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, TOOLS)
import bench_table  # noqa: E402

_spec = importlib.util.spec_from_file_location("run_bench", os.path.join(TOOLS, "run-bench.py"))
run_bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(run_bench)
QemuSession, ScenarioFailure = run_bench.QemuSession, run_bench.ScenarioFailure

PACKAGES = ("linux-image-amd64", "busybox-static")
APT_LINE = "apt-get install -y --no-install-recommends " + " ".join(PACKAGES)
BUSYBOX = "/bin/busybox"
BUNDLE = "/containers/bench"
INIT_LINE = r"linux-init uptime=(\d+)\.(\d\d)\n"
INIT_SCRIPT = """#!/bin/sh
# bench-linux's init: /proc for the uptime (read by a builtin: no program
# starts before the reading), then the benchmark, then power off.
/bin/busybox mount -t proc proc /proc
read -r up idle < /proc/uptime
echo "linux-init uptime=$up"
/bin/bench
echo "bench-linux: bench exited $?"
/bin/busybox poweroff -f
"""


def missing_packages():
    missing = []
    for package in PACKAGES:
        status = subprocess.run(["dpkg-query", "-W", "-f=${Status}", package],
                                capture_output=True, text=True).stdout
        if "install ok installed" not in status:
            missing.append(package)
    return missing


def ensure_packages():
    missing = missing_packages()
    if not missing:
        return
    if os.geteuid() != 0:
        sys.exit(f"bench-linux: {', '.join(missing)} missing; as root run:\n  {APT_LINE}")
    print(f"bench-linux: installing {', '.join(missing)}", flush=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    if subprocess.run(APT_LINE.split(), env=env).returncode != 0:
        # a fresh machine may not have the package lists yet
        subprocess.run(["apt-get", "update"], env=env, check=True)
        subprocess.run(APT_LINE.split(), env=env, check=True)


def version_key(path):
    return [int(n) if n.isdigit() else n for n in re.split(r"(\d+)", path)]


def newest_kernel():
    kernels = sorted(glob.glob("/boot/vmlinuz-*"), key=version_key)
    if not kernels:
        sys.exit("bench-linux: no /boot/vmlinuz-* after installing linux-image-amd64")
    return kernels[-1]


def build_initramfs(build):
    init = os.path.join(build, "bench-linux.init")
    with open(init, "w") as f:
        f.write(INIT_SCRIPT)
    out = os.path.join(build, "bench-linux.cpio")
    rootfs = f"{BUNDLE}/rootfs"
    entries = ["dir:/bin", "dir:/sbin", "dir:/usr", "dir:/etc", "dir:/dev", "dir:/proc",
               "dir:/tmp:1777", "char:/dev/console=5,1", "char:/dev/null=1,3",
               f"file:/bin/busybox={BUSYBOX}", "link:/bin/sh=busybox",
               f"file:/bin/bench={build}/userland/bench/bench",
               f"file:/sbin/bench-idle={build}/userland/procbench/bench-idle",
               f"file:/init={init}:755", "dir:/containers", f"dir:{BUNDLE}", f"dir:{rootfs}"]
    entries += [f"dir:{rootfs}/{d}" for d in ("bin", "sbin", "usr", "proc", "dev")]
    entries += [f"dir:{rootfs}/tmp:1777"]
    subprocess.run([sys.executable, os.path.join(TOOLS, "mkinitrd.py"), out, *entries], check=True)
    return out


def parse_results(log):
    """bench: lines as bench.json results (run-bench.py's format)."""
    results = {}
    for m in run_bench.LINE.finditer(log):
        name, median, lo, hi, unit, iterations, *cycles = m.groups()
        results[name] = {"median": int(median), "min": int(lo), "max": int(hi), "unit": unit,
                         "iterations": int(iterations)}
        if cycles[0] is not None:
            results[name]["cycles"] = dict(zip(("median", "min", "max"), map(int, cycles)))
    return results


def run_linux(kernel, initramfs, accel):
    """Boots Linux on the initramfs; its results and TSC MHz."""
    command = ["qemu-system-x86_64", "-m", "512M", "-kernel", kernel, "-initrd", initramfs,
               "-append", "console=ttyS0 panic=-1", "-serial", "stdio", "-display", "none",
               "-no-reboot", "-accel", accel]
    start = time.monotonic()
    with QemuSession(None, raw_command=command) as qemu:
        qemu.expect(r"Linux version", 120)
        kernel_line = time.monotonic()
        seconds, centis = qemu.expect(INIT_LINE, 300).groups()
        at_init = time.monotonic()
        finished = qemu.expect(r"bench: done|bench: failed: .*", 900)
        if "failed" in finished.group(0):
            raise ScenarioFailure(finished.group(0))
        qemu.expect(r"bench-linux: bench exited 0", 60)
        log = qemu.log
    results = parse_results(log)
    results["boot_to_prompt_guest"] = run_bench.single((int(seconds) * 100 + int(centis))
                                                       * 10_000_000)
    results["boot_to_prompt_host"] = run_bench.single(
        run_bench.ns(at_init - start), qemu_start_to_kernel_host_ns=run_bench.ns(kernel_line - start))
    tsc = re.search(r"tsc: Refined TSC clocksource calibration: (\d+)", log) or \
        re.search(r"tsc: Detected (\d+)", log)
    return results, int(tsc.group(1)) if tsc else None


def capsule_column(build, accel):
    """Capsule's results: bench.json if fresh, else this script's own run."""
    path = os.path.join(build, "bench.json")
    images = [os.path.join(build, n) for n in ("benchcmp.img", "capsule.img")]
    newest_image = max(os.path.getmtime(i) for i in images)
    if os.path.exists(path):
        with open(path) as f:
            data = json.load(f)
        if bench_table.is_fresh((data, os.path.getmtime(path)), newest_image, accel):
            print(f"bench-linux: Capsule column from {path} (fresh)")
            return data["results"]
    print("bench-linux: no fresh bench.json: booting benchcmp.img and capsule.img "
          "(the scale rows need a full `make bench`)", flush=True)
    results, _ = run_bench.collect(images[0], accel, r"bench: done")
    results.update(run_bench.boot_to_prompt(images[1], accel))
    return results


def host_cpu():
    with open("/proc/cpuinfo") as f:
        model = re.search(r"model name\s*:\s*(.*)", f.read())
    return model.group(1).strip() if model else "unknown"


def main():
    build, accel = sys.argv[1], sys.argv[2]
    ensure_packages()
    kernel = newest_kernel()
    initramfs = build_initramfs(build)
    print(f"bench-linux: {kernel}, accelerator {accel}", flush=True)
    try:
        capsule = capsule_column(build, accel)
        linux, tsc_mhz = run_linux(kernel, initramfs, accel)
    except ScenarioFailure as err:
        sys.exit(f"bench-linux: {err}")
    out = os.path.join(build, "bench-linux.json")
    with open(out, "w") as f:
        json.dump({"accel": accel, "tsc_mhz": tsc_mhz, "kernel": os.path.basename(kernel),
                   "results": linux, "ratios": run_bench.ratios(linux), "batch_ratios": {},
                   "capsule_over_linux": bench_table.over_linux(capsule, linux)}, f, indent=2)
        f.write("\n")
    print(f"accelerator: {accel}; host CPU: {host_cpu()}; {time.strftime('%Y-%m-%d', time.gmtime())}")
    print("\n".join(bench_table.format_table(capsule, linux)))
    print("\n".join(bench_table.format_targets(capsule, linux)))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
