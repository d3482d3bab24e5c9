"""Containers from the console of the system image: every runc verb and
state transition (and the invalid ones, which change nothing), records that
outlive the runc that made them, the foreground run's exit status (128+N for
a death by signal N) and its delete, --keep, two containers side by side,
hostname isolation, nesting (runc inside a container, its records visible
only there), `kill -9 -1` inside sparing the host, the pids limit, a jailed
container whose runc is refused, a runc killed half-way through create
leaving nothing behind, and (first, from a fresh system) 50 containers run
and deleted leaving every count of the kernel's and the servers' objects,
and the machine's free frames, where they were."""
import re

from qemu_session import ScenarioFailure, run
from shell import check, command, wait_for_shell

# a job's status, and ash's note on the job that ended, if it gives one
JOB_137 = re.compile(r"137\n(\[1\]\+ .*\n)?")
STATUS = "runc state {} | grep -o 'status\":\"[a-z]*'"


def status(qemu, cid, want):
    check(qemu, STATUS.format(cid), f'status":"{want}\n')


def lifecycle(qemu):
    check(qemu, "runc create -b s c1; echo $?", "0\n")
    status(qemu, "c1", "created")
    check(qemu, "runc ps c1", re.compile(r"PID\n\d+\n"))
    check(qemu, "runc create -b s c1; echo $?",
          'runc: create: container "c1" already exists\n1\n')
    check(qemu, "runc start c1; echo $?", "0\n")
    status(qemu, "c1", "running")
    check(qemu, "runc start c1; echo $?",
          'runc: start: container "c1" is running, not created\n1\n')
    check(qemu, "runc delete c1; echo $?",
          'runc: delete: container "c1" is running: only a stopped container can be '
          "deleted (-f kills it first)\n1\n")
    # a PID 1 without a TERM handler ignores a plain kill (init's rule)
    check(qemu, "runc kill c1; echo $?", "0\n")
    status(qemu, "c1", "running")
    check(qemu, "runc run -d -b s c2; echo $?", "0\n")
    check(qemu, "runc list -q", "c1\nc2\n")
    check(qemu, "runc list | cut -c1-22", re.compile(
        r"ID  PID     STATUS    \nc1  \d+ +running   \nc2  \d+ +running   \n"))
    check(qemu, "runc list -f json | grep -o 'id\":\"c[12]' | wc -l", "2\n")
    check(qemu, "runc kill c1 KILL; echo $?", "0\n")
    status(qemu, "c1", "stopped")
    check(qemu, "runc state c1 | grep -o 'pid\":[0-9]*'", 'pid":0\n')
    check(qemu, "runc kill c1; echo $?", 'runc: kill: container "c1" is not running\n1\n')
    check(qemu, "runc start c1; echo $?",
          'runc: start: container "c1" is stopped, not created\n1\n')
    check(qemu, "runc delete c1; echo $?", "0\n")
    check(qemu, "runc state c1; echo $?", 'runc: state: container "c1" does not exist\n1\n')
    check(qemu, "runc delete -f c2; echo $?", "0\n")
    check(qemu, "runc list -q", "")
    check(qemu, "runc start nope; echo $?", 'runc: start: container "nope" does not exist\n1\n')


def foreground(qemu):
    check(qemu, "echo 'hostname; exit 7' | runc run -b $B f1; echo $?", "busybox\n7\n")
    check(qemu, "runc list -q", "")  # deleted when it stopped
    check(qemu, "echo 'exit 3' | runc run --keep -b $B f2; echo $?", "3\n")
    status(qemu, "f2", "stopped")
    check(qemu, "runc delete f2; echo $?", "0\n")
    # runc passes SIGTERM on to a PID 1 that handles it
    check(qemu, "echo 'trap \"exit 5\" TERM; sleep 100 & wait' >t.sh", "")
    check(qemu, "runc run -b $B f4 <t.sh &", re.compile(r"(\[1\] \d+\n)?"))
    check(qemu, "sleep 2; kill -TERM $!; wait $!; echo $?", re.compile(r"5\n(\[1\]\+ .*\n)?"))
    check(qemu, "runc run -b s f3 &", re.compile(r"(\[1\] \d+\n)?"))
    check(qemu, "sleep 2; runc kill f3 KILL; wait $!; echo $?", JOB_137)
    check(qemu, "runc list -q", "")


def isolation(qemu):
    check(qemu, "echo 'hostname x; hostname' | runc run -b $B h1", "x\n")
    check(qemu, "hostname", "capsule\n")
    check(qemu, "echo 'runc list; echo $?' | runc run -b $J j1",
          "runc: list: not permitted (runc is jailed)\n1\n")


def nesting(qemu):
    # a bundle inside the rootfs of another: the outer container runs runc
    check(qemu, "mkdir -p n/rootfs/nb && cp -r $B/* n/rootfs/nb/", "")
    check(qemu, "echo 'runc create -b /nb in2 </dev/null' >n.sh", "")
    check(qemu, "echo 'runc list -q; echo hostname >/tmp/i.sh' >>n.sh", "")
    check(qemu, "echo 'runc run -b /nb in1 </tmp/i.sh; echo $?' >>n.sh", "")
    check(qemu, "runc run -b n outer <n.sh", "in2\nbusybox\n0\n")
    check(qemu, "runc list -q", "")  # outer's own containers died with it


def kill_everyone(qemu):
    # kill -9 -1 inside reaches the container's processes, not the host's
    check(qemu, "sleep 100 &", re.compile(r"(\[1\] \d+\n)?"))
    check(qemu, "echo 'sleep 50 & kill -9 -1; wait $!; echo $?' >k.sh", "")
    check(qemu, "runc run -b $B k1 <k.sh", "137\n")
    check(qemu, "kill -0 $! && echo alive", "alive\n")
    check(qemu, "kill $!; wait $! 2>/dev/null; echo done",
          re.compile(r"(\[1\]\+ .*\n)?done\n(\[1\]\+ .*\n)?"))


def pids_limit(qemu):
    check(qemu, "sed -i 's/\"limit\": 64/\"limit\": 4/' p/config.json", "")
    # PID 1 and three sleeps fit; the next fork fails with EAGAIN
    check(qemu, "echo 'sleep 5 & sleep 5 & sleep 5 & echo 3' >p.sh", "")
    check(qemu, "echo 'sleep 5 & echo 4' >>p.sh", "")
    check(qemu, "runc run -b p p1 <p.sh 2>&1",
          "3\nsh: can't fork: Resource temporarily unavailable\n")
    check(qemu, "echo 'sleep 5 & echo 1' | runc run -b p p2", "1\n")


def killed_creating(qemu):
    # RUNC_TEST_PAUSE stops runc just before create commits (docs/runc.md)
    check(qemu, "RUNC_TEST_PAUSE=1 runc create -b s k1 &", re.compile(r"(\[1\] \d+\n)?"))
    check(qemu, "sleep 2; runc list -q", re.compile(r"(\[1\]\+ +Stopped.*\n)?"))
    check(qemu, "kill -9 $!; wait $!; echo $?", JOB_137)
    check(qemu, "runc list -q; runc state k1 2>&1 | cut -c1-20", "runc: state: contain\n")
    check(qemu, "runc create -b s k1; echo $?", "0\n")
    check(qemu, "runc delete -f k1; echo $?", "0\n")


# the kernel's objects but frames (counted apart below), the VFS contexts,
# the scopes
KERNEL = "k() { dbg kernel|grep objects:|sed 's/frame [0-9]*, //'; }"
COUNTS = "k; dbg vfs contexts | wc -l; dbg proc scopes | wc -l"
FREE = re.compile(r"frames: +(\d+) free")
# Frames 50 containers may keep: heaps' high-water marks move a little
# (4-5 frames measured), and the /proc/<pid> directory of the last command
# run (about 7 frames) stays until the next lookup in /proc drops it. A
# leak of a frame a container fails. Before the runtime used freed address space again,
# proc-server alone kept a frame for about every two programs it loaded, some
# 30 here; before procfs dropped dead processes' directories at lookups,
# vfs-server kept some 7 frames per BusyBox command run from a shell.
FRAMES_SLACK = 16


def free_frames(qemu):
    """The machine's free frames, read by dbg alone: in a pipeline the count
    moves with whether the next program has loaded its image yet."""
    listing = command(qemu, "dbg kernel", timeout=60)
    found = FREE.search(listing)
    if found is None:
        raise ScenarioFailure(f"no free frames in dbg kernel: {listing!r}")
    return int(found.group(1)), listing


def no_leak(qemu):
    """50 containers created, run and deleted: every count back where it was,
    the machine's free frames included (but FRAMES_SLACK). 20 containers
    first bring the servers' heaps to what a container needs (their
    high-water marks)."""
    check(qemu, KERNEL, "")
    check(qemu, "for i in $(seq 20); do runc run -b $B w$i </dev/null; done", "")
    before = command(qemu, COUNTS)
    frames_before, pools_before = free_frames(qemu)
    loop = "for i in $(seq 50); do runc run -b $B l$i </dev/null; done"
    if command(qemu, loop, timeout=600) != "":
        raise ScenarioFailure("50 containers: runc said something")
    after = command(qemu, COUNTS)
    if after != before:
        raise ScenarioFailure(f"after 50 containers: {after!r}, before: {before!r}")
    frames_after, pools_after = free_frames(qemu)
    print(f"free frames: {frames_before} before 50 containers, {frames_after} after")
    if frames_before - frames_after > FRAMES_SLACK:
        raise ScenarioFailure(f"after 50 containers {frames_after} free frames, before "
                              f"{frames_before}; the pools before:\n{pools_before}\nafter:\n"
                              f"{pools_after}")
    check(qemu, "runc list -q", "")


def scenario(qemu):
    wait_for_shell(qemu)
    command(qemu, "cd /tmp && B=/containers/busybox J=/containers/jailed")
    for bundle in ("s", "p", "n"):
        check(qemu, f"mkdir {bundle} && cp -r $B/* {bundle}/", "")
    check(qemu, "sed -i 's/\\[\"sh\"\\]/[\"sleep\",\"1000\"]/' s/config.json", "")
    # first, from a fresh system: after the sections below vfs-server's use
    # still grows by about half a frame a container (docs/performance.md)
    no_leak(qemu)
    lifecycle(qemu)
    foreground(qemu)
    isolation(qemu)
    nesting(qemu)
    kill_everyone(qemu)
    pids_limit(qemu)
    killed_creating(qemu)
    qemu.send("poweroff\n")
    if qemu.wait_exit(60) != 1:
        raise ScenarioFailure("poweroff did not stop QEMU")


run(scenario)
