"""The side-by-side table of `make bench-linux`: pure functions over the
results of bench.json and bench-linux.json (tested by tests/tools/test_bench_table.py).

A result is bench.json's {"median", "min", "max", "unit", "iterations", ...};
the table shows medians in nanoseconds (each guest's clock_gettime), a
count or a size as it is, and takes Capsule / Linux of the TSC cycles where
both sides have them (compare()).
"""

# (name, what a row is): the rows both systems run, under the same names;
# the scale rows are procbench's on Capsule (the full `make bench` only) and
# bench's own on Linux
BOTH = (
    ("cmp_getpid", "getpid"),
    ("cmp_pipe_roundtrip", "pipe round trip"),
    ("cmp_open_close", "open + close"),
    ("cmp_stat", "stat"),
    ("cmp_read_4k", "read 4 KiB"),
    ("cmp_read_1m", "read 1 MiB"),
    ("cmp_mmap_touch_1m", "mmap + touch + munmap 1 MiB"),
    ("cmp_fork_exit_wait", "fork + exit + wait"),
    ("cmp_fork_exec_wait", "fork + exec + wait (tiny)"),
    ("cmp_spawn_wait", "spawn + wait (tiny)"),
    ("cmp_container_start", "container start (tiny)"),
    ("boot_to_prompt_guest", "boot to prompt, guest"),
    ("boot_to_prompt_host", "boot to prompt, host"),
)
SCALE = (
    ("container_start_1", "container start, 1st kept"),
    ("container_start_100", "container start, 100th kept"),
    ("container_start_1000", "container start, 1000th kept"),
    ("container_start_max", "container start, last kept"),
    ("container_idle_count", "idle containers that fit"),
    ("container_idle_total_bytes", "memory per idle container"),
)
# Capsule's own (procbench): Linux has nothing of the kind
CAPSULE_ONLY = (
    ("process_start_tiny", "procbench: spawn of the tiny program"),
    ("container_start_tiny", "procbench: container of it"),
    ("container_idle_bytes", "per idle container beyond its process"),
    ("busybox_idle_count", "idle BusyBox containers that fit"),
    ("busybox_idle_bytes", "memory per idle BusyBox container"),
)

# (text, numerator, its system, denominator, its system, at most)
TARGETS = (
    ("container start <= 0.5 x Linux's", "cmp_container_start", "capsule",
     "cmp_container_start", "linux", 0.5),
    ("container start <= 1.5 x Capsule's plain spawn", "cmp_container_start", "capsule",
     "cmp_spawn_wait", "capsule", 1.5),
    ("container start <= 1.5 x Capsule's fork + exec", "cmp_container_start", "capsule",
     "cmp_fork_exec_wait", "capsule", 1.5),
    ("getpid <= 2 x Linux's", "cmp_getpid", "capsule", "cmp_getpid", "linux", 2.0),
    ("pipe round trip <= 1 x Linux's", "cmp_pipe_roundtrip", "capsule", "cmp_pipe_roundtrip",
     "linux", 1.0),
    ("boot to prompt (guest) <= Linux's", "boot_to_prompt_guest", "capsule",
     "boot_to_prompt_guest", "linux", 1.0),
    ("boot to prompt (host) <= Linux's", "boot_to_prompt_host", "capsule",
     "boot_to_prompt_host", "linux", 1.0),
)


def figure(result):
    """The median of a result in ns, bytes or a count; None for cycles or none."""
    if result is None or result.get("unit") == "cycles":
        return None
    return result["median"]


def ratio(numerator, denominator):
    """numerator / denominator rounded to 2 places; None when either is missing or 0."""
    if numerator is None or not denominator:
        return None
    return round(numerator / denominator, 2)


def compare(a, b):
    """a / b of two results: of their median TSC cycles when both carry them
    (under TCG both guests read the host's TSC, one clock for both, while
    each guest's nanoseconds rest on its own calibration of it), else of
    their medians (ns, bytes, a count). None when either is missing."""
    if a is not None and b is not None and "cycles" in a and "cycles" in b:
        return ratio(a["cycles"]["median"], b["cycles"]["median"])
    return ratio(figure(a), figure(b))


def side_by_side(capsule, linux):
    """Rows (name, what, capsule median, linux median, capsule / linux) for the
    rows either has (a time in ns, a count or bytes as they are; the ratio
    as compare() takes it), in BOTH, SCALE then CAPSULE_ONLY order."""
    rows = []
    for name, what in BOTH + SCALE + CAPSULE_ONLY:
        c, l = figure(capsule.get(name)), figure(linux.get(name))
        if c is not None or l is not None:
            rows.append((name, what, c, l, compare(capsule.get(name), linux.get(name))))
    return rows


def over_linux(capsule, linux):
    """{name: capsule / linux} for every row both have (bench-linux.json's
    "capsule_over_linux")."""
    return {name: r for name, _, _, _, r in side_by_side(capsule, linux) if r is not None}


def targets(capsule, linux):
    """(text, ratio or None, at most, met or None) for each target."""
    systems = {"capsule": capsule, "linux": linux}
    out = []
    for text, num, num_sys, den, den_sys, limit in TARGETS:
        r = compare(systems[num_sys].get(num), systems[den_sys].get(den))
        out.append((text, r, limit, None if r is None else r <= limit))
    return out


def human(value, unit):
    """A figure for the table: ns as ns, µs, ms or s; anything else as it is."""
    if value is None:
        return "—"
    if unit != "ns":
        return f"{value:,}"
    for scale, suffix in ((1e9, "s"), (1e6, "ms"), (1e3, "µs")):
        if value >= scale:
            return f"{value / scale:.3g} {suffix}"
    return f"{value} ns"


def format_table(capsule, linux):
    """The side-by-side table as Markdown lines."""
    lines = ["| row | what | Capsule | Linux | Capsule ÷ Linux (cycles where both have them) |",
             "|---|---|---|---|---|"]
    for name, what, c, l, r in side_by_side(capsule, linux):
        unit = capsule.get(name, linux.get(name, {})).get("unit")
        lines.append(f"| `{name}` | {what} | {human(c, unit)} | {human(l, unit)} | "
                     f"{'—' if r is None else f'{r:.2f}'} |")
    return lines


def format_targets(capsule, linux):
    """One line per target: met, missed or not measured, with the ratio."""
    lines = []
    for text, r, limit, met in targets(capsule, linux):
        verdict = "not measured" if met is None else ("met" if met else "MISSED")
        lines.append(f"{text}: {verdict}" + ("" if r is None else f" ({r:.2f}, limit {limit})"))
    return lines


def is_fresh(bench_json, newer_than_mtime, accel):
    """Whether bench.json (already loaded, with its file's mtime) can give the
    Capsule column: the same accelerator, every row both run, written after
    the images it was measured from (newer_than_mtime: theirs, the latest)."""
    data, mtime = bench_json
    names = {name for name, _ in BOTH}
    return (data.get("accel") == accel and names <= set(data.get("results", {}))
            and mtime >= newer_than_mtime)
