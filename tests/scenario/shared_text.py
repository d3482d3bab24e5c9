"""Shared executable pages (docs/protocols/proc.md, Shared executable pages):
of N `sleep`s of a BusyBox copy started from the shell, only the first costs
the kernel BusyBox's 475 read-only pages: the others share its copy, and
each costs less than IDLE_SLEEP_MAX_FRAMES (free frames counted through
dbg's kernel listing); and a binary rewritten in
place — same inode, same size, same mtime — runs its new content, never the
pages cached for the old one."""
import re

from qemu_session import ScenarioFailure, run
from shell import check, command, wait_for_shell

SLEEPERS = 8
# BusyBox's read-only segments: 475 pages, shared by every process running it
TEXT_PAGES = 475
# what one more idle `sleep` may take in all (74 frames once the heap and
# .bss became on demand, docs/performance.md "Idle BusyBox containers");
# generous, to catch a regression such as an eagerly mapped malloc arena
# (256 frames)
IDLE_SLEEP_MAX_FRAMES = 160


def free_frames(qemu):
    out = command(qemu, "dbg --json kernel", 60)
    m = re.search(r'"frames":\{"free":(\d+)', out)
    if m is None:
        raise ScenarioFailure(f"no free-frame count in dbg's listing: {out!r}")
    return int(m.group(1))


def sleepers_share_text(qemu):
    """A copy of BusyBox nobody runs yet: the first process running it pays
    for its text, the next ones only for their own pages. Copied text would
    cost each the same."""
    check(qemu, "mkdir /tmp/copy && cp /bin/busybox /tmp/copy/busybox", "")
    f0 = free_frames(qemu)
    command(qemu, "/tmp/copy/busybox sleep 1000 &")
    f1 = free_frames(qemu)
    command(qemu, "for i in $(seq %d); do /tmp/copy/busybox sleep 1000 & done" % (SLEEPERS - 1), 60)
    check(qemu, "jobs | grep -c Running", f"{SLEEPERS}\n")
    f2 = free_frames(qemu)
    first, each = f0 - f1, (f1 - f2) / (SLEEPERS - 1)
    print(f"the first sleep took {first} frames, each of {SLEEPERS - 1} more {each:.0f}")
    if each > IDLE_SLEEP_MAX_FRAMES:
        raise ScenarioFailure(f"each next sleep took {each:.0f} frames, more than "
                              f"{IDLE_SLEEP_MAX_FRAMES}: a thousand idle BusyBox containers "
                              f"would not fit in 512 MiB any more")
    if first - each < 0.8 * TEXT_PAGES:
        raise ScenarioFailure(f"the first sleep took {first} frames and each next one {each:.0f}: "
                              f"the next ones do not share its {TEXT_PAGES} pages of text")
    command(qemu, "kill $(jobs -p); wait", 60)
    check(qemu, "jobs | wc -l", "0\n")
    # their own frames come back (thousands); the text stays cached, and
    # proc-server's heap keeps what it grew by reading the file
    f3 = free_frames(qemu)
    print(f"after they ended: {f0 - f3} frames still taken")
    if f0 - f3 > TEXT_PAGES + 256:
        raise ScenarioFailure(f"{f0 - f3} frames not given back after the sleeps ended")
    check(qemu, "rm -r /tmp/copy", "")


def rewritten_binary_runs_new_content(qemu):
    """Same inode, size and mtime, new bytes: the file's content version
    (VFS_EXEC_READ) is what tells them apart. Commands stay short: the
    terminal wraps long lines."""
    check(qemu, "mkdir /tmp/re && cd /tmp/re", "")
    check(qemu, "cp /bin/busybox busybox", "")
    check(qemu, "touch -r /bin/busybox busybox", "")
    check(qemu, "./busybox echo first", "first\n")
    stat_before = command(qemu, "stat -c '%i %s %Y' busybox")
    # dbg, padded with zeros to BusyBox's size, written over the same inode
    check(qemu, "cp /bin/dbg other", "")
    check(qemu, "truncate -s $(stat -c %s busybox) other", "")
    check(qemu, "cat other > busybox", "")
    check(qemu, "touch -r /bin/busybox busybox", "")
    stat_after = command(qemu, "stat -c '%i %s %Y' busybox")
    if stat_after != stat_before:
        raise ScenarioFailure(f"the rewrite changed inode, size or mtime: {stat_before!r} "
                              f"then {stat_after!r}")
    out = command(qemu, "./busybox --json kernel", 60)
    if not re.search(r'^\{"uptime_ms":\d+,"frames":', out, re.M):
        raise ScenarioFailure(f"the rewritten binary did not run as dbg: {out!r}")
    # and back again: BusyBox's bytes, same inode, run as BusyBox
    check(qemu, "cat /bin/busybox > busybox", "")
    check(qemu, "./busybox echo back", "back\n")
    check(qemu, "cd / && rm -r /tmp/re", "")


def scenario(qemu):
    wait_for_shell(qemu)
    sleepers_share_text(qemu)
    rewritten_binary_runs_new_content(qemu)
    check(qemu, "sh -c 'exit 3'; echo $?", "3\n")


run(scenario)
