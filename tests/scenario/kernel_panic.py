"""A kernel panic (forced by `test_panic` on the kernel command line) prints
the vector, the error code, the registers and a backtrace with symbol names."""
import re

from qemu_session import ScenarioFailure, run


def scenario(qemu):
    try:
        qemu.expect(r"root task", 60)
    except ScenarioFailure as err:
        if str(err) != "kernel panic":
            raise
    else:
        raise ScenarioFailure("the kernel did not panic")
    log = qemu.log
    expected = [r"KERNEL PANIC: exception 14 \(page fault\) error code 0x2 in kernel mode",
                r"rip 0x[0-9a-f]{16} cs 8 rflags",
                r"r13 [0-9a-f]{16} r14 [0-9a-f]{16} r15 [0-9a-f]{16} cr2 0000000000000008",
                r"  0x[0-9a-f]{16} maybe_test_panic\+0x[0-9a-f]+|  0x[0-9a-f]{16} kernel_main\+0x",
                r"backtrace:\n  0x[0-9a-f]{16} \w+\+0x[0-9a-f]+"]
    for pattern in expected:
        if not re.search(pattern, log):
            raise ScenarioFailure(f"panic output lacks /{pattern}/")


run(scenario)
