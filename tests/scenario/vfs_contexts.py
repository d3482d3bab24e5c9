"""VFS root contexts by request (tests/programs/vfs_contexts.c): a context
whose / is /ctxroot of the host, with its own proc and tmpfs and a host
directory bound read-only; a program spawned into it, read from the
context's own /bin, sees only the context's files, `..` and an escaping
symlink stay inside, its /proc is locked and its tmpfs files never reach
the host; the spawn starts at the cwd prepared inside (a symlink or `..`
pointing outside stays inside); masked and read-only paths hold against
umount, remount and binds from inside; VFS_CTX_OPEN opens the context's
files and its own pseudo-terminals into the caller's table; closed handles
answer EBADF, forked children get no context capability, jailed processes
EPERM, malformed requests errors."""
from qemu_session import ScenarioFailure, run


def scenario(qemu):
    m = qemu.expect(r"contexts: (\d+) checks failed\n", 150)
    if m.group(1) != "0":
        raise ScenarioFailure(f"{m.group(1)} context checks failed (FAIL lines above)")
    qemu.expect(r"proc-server: pid 1 \(init\) exited with status 42\n", 30)


run(scenario)
