"""A process writing to unmapped memory is killed by SIGSEGV, reported by
proc-server with the faulting address; proc-server keeps serving."""
from qemu_session import run


def scenario(qemu):
    qemu.expect(r"proc-server: pid 1 \(init\): fault 1 at rip 0x[0-9a-f]+, address 0x10000000: "
                r"killed by Segmentation fault", 60)
    qemu.expect(r"proc-server: pid 1 \(init\) killed by signal 11", 10)


run(scenario)
