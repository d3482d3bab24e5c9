"""execve through proc-server: a forked child becomes a new image with its
arguments and environment, close-on-exec descriptors closed; a #! script
runs its interpreter; a missing file, a non-executable, a bad pointer and a
script of a script fail and leave the caller running
(tests/programs/proc_exec.c)."""
from qemu_session import ScenarioFailure, run


def scenario(qemu):
    m = qemu.expect(r"exec: (\d+) checks failed\n", 90)
    if m.group(1) != "0":
        raise ScenarioFailure(f"{m.group(1)} exec checks failed (FAIL lines above)")
    qemu.expect(r"proc-server: pid 1 \(init\) exited with status 42\n", 30)


run(scenario)
