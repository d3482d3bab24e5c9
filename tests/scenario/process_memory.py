"""Scope memory pools (tests/programs/proc_memory.c): a program allocating
until failure in an 8 MiB container gets ENOMEM from mmap, malloc, brk, fork
and execve and goes on running, while the host still allocates 12 MiB; a parent
forking inside a container runs out with ENOMEM; a sub-scope without a pool
draws on its parent's; the request's rules hold. Then idle containers: the
kernel pool each one holds is printed for the record."""
from qemu_session import ScenarioFailure, run


def scenario(qemu):
    m = qemu.expect(r"memory: hog allocated (\d+) KiB, then errno (\d+)\n", 120)
    if m.group(2) != "12":  # ENOMEM
        raise ScenarioFailure(f"the container's allocation failed with errno {m.group(2)}")
    if not 4096 < int(m.group(1)) < 8192:
        raise ScenarioFailure(f"an 8 MiB container let its program have {m.group(1)} KiB")
    qemu.expect(r"memory: fork in the full container: -1, errno 12\n", 30)
    qemu.expect(r"memory: hog still running after ENOMEM\n", 30)
    qemu.expect(r"memory: host allocated 12 MiB after the container ran out: ok\n", 60)
    qemu.expect(r"memory: forker made \d+ children before errno 12\n", 60)
    # 6 MiB of stack on demand, a read into untouched stack, a fork at the
    # bottom; then recursion past RLIMIT_STACK (8 MiB) is killed by SIGSEGV
    qemu.expect(r"memory: deep stack: status 0; overflow: status 1011\n", 300)
    qemu.expect(r"memory: bss on demand checked\n", 60)
    # the heap on demand; its page past the container's memory: SIGKILL
    qemu.expect(r"memory: heap: status 0; heap out of memory: status 1009\n", 120)
    for what in ("test-program", "BusyBox"):
        m = qemu.expect(r"memory: (\d+) idle " + what +
                        r" containers hold (\d+) KiB of kernel pool: (\d+) bytes each\n", 600)
        print(f"idle {what} containers: {m.group(1)}, {m.group(3)} bytes of kernel pool each")
    m = qemu.expect(r"memory: (\d+) checks failed\n", 120)
    if m.group(1) != "0":
        raise ScenarioFailure(f"{m.group(1)} memory checks failed (FAIL lines above)")
    qemu.expect(r"proc-server: pid 1 \(init\) exited with status 42\n", 30)


run(scenario)
