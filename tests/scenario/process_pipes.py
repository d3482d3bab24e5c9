"""Pipes and poll through vfs-server: init (tests/programs/proc_pipes.c)
forks writers and readers, sees end of file, EPIPE and SIGPIPE deaths in
wait4, moves 1 MiB, polls and selects with timeouts, and runs BusyBox's echo
with a pipe as its stdout; it exits with 42 when every check holds."""
from qemu_session import ScenarioFailure, run


def scenario(qemu):
    qemu.expect(r"pipes: hello from /sbin/init\n", 60)
    m = qemu.expect(r"pipes: (\d+) checks failed\n", 120)
    if m.group(1) != "0":
        raise ScenarioFailure(f"{m.group(1)} pipe checks failed (FAIL lines above)")
    qemu.expect(r"proc-server: pid 1 \(init\) exited with status 42\n", 30)


run(scenario)
