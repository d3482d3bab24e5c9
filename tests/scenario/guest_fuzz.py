"""The in-guest fuzzer (tests/programs/sysfuzz.c): random Linux system calls
and random native IPC from a jailed container, a fixed seed and bounded
rounds; then the health check: the kernel and the servers still answer,
the host shell works, a new container starts, and every count of the
kernel's and the servers' objects is back where it was before the fuzzer
ran. SYSFUZZ_SEED and SYSFUZZ_ROUNDS (environment) give a longer or
another run: the seed is printed, so a failure replays with it."""
import os
import re

from qemu_session import ScenarioFailure, run
from shell import check, command, expect_in, wait_for_shell

SEED = os.environ.get("SYSFUZZ_SEED", "0x5eed")
ROUNDS = int(os.environ.get("SYSFUZZ_ROUNDS", "5000"))
# milliseconds before a batch that blocks is killed (sysfuzz -t)
BATCH_MS = int(os.environ.get("SYSFUZZ_BATCH_MS", "2000"))
# the kernel's objects but frames (whose count moves with the servers'
# heaps and the listing pipeline itself), the VFS contexts, the scopes
KERNEL = "k() { dbg kernel|grep objects:|sed 's/frame [0-9]*, //'; }"
# (each line short enough for the line editor not to wrap it)
PROCS = "p() { dbg proc scopes | wc -l; dbg proc list | wc -l; }"
COUNTS = "k; dbg vfs contexts | wc -l; p"
SUMMARY = re.compile(r"sysfuzz: (\d+) rounds, (\d+) children: .*\n")


def fuzz(qemu):
    # in two lines: a longer seed or round count must not wrap the line editor
    check(qemu, f"S={SEED} N={ROUNDS} T={BATCH_MS}", "")
    check(qemu, 'echo "sysfuzz -s $S -n $N -t $T; echo fuzz=\\$?" >f.sh', "")
    # a round costs about 1-2 ms under TCG; a hung batch up to 2 s more
    out = command(qemu, "runc run -b $J fz <f.sh", timeout=120 + ROUNDS // 50)
    print(out, end="")
    if f"sysfuzz: seed {int(SEED, 0):#x}," not in out or "fuzz=0\n" not in out:
        raise ScenarioFailure(f"the fuzzer did not finish: {out!r}")
    last = SUMMARY.findall(out)[-1]
    if int(last[0]) != ROUNDS:
        raise ScenarioFailure(f"{last[0]} rounds run, {ROUNDS} asked")


def healthy(qemu, before):
    check(qemu, "echo still here", "still here\n")
    expect_in(qemu, "dbg kernel", r"^uptime", r"objects:")
    expect_in(qemu, "dbg console", r"session")
    check(qemu, "cat /etc/hostname", "capsule\n")
    check(qemu, "echo 'hostname; exit 3' | runc run -b $B after; echo $?", "busybox\n3\n")
    after = command(qemu, COUNTS)
    if after != before:
        raise ScenarioFailure(f"after the fuzzer: {after!r}, before: {before!r}")


def scenario(qemu):
    wait_for_shell(qemu)
    command(qemu, "cd /tmp && B=/containers/busybox J=/containers/jailed")
    check(qemu, KERNEL, "")
    check(qemu, PROCS, "")
    # one container run first, so that lazily made server state is there,
    # sysfuzz's shared text pages included (proc-server keeps them cached)
    check(qemu, "echo 'sysfuzz -n 0 >/dev/null' >w.sh", "")
    check(qemu, "runc run -b $J w0 <w.sh; echo $?", "0\n")
    before = command(qemu, COUNTS)
    fuzz(qemu)
    healthy(qemu, before)
    qemu.send("poweroff\n")
    if qemu.wait_exit(60) != 1:
        raise ScenarioFailure("poweroff did not stop QEMU")


run(scenario)
