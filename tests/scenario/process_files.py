"""Files through vfs-server: init (an unmodified musl program read from the
initrd) prints through stdio to the console and checks files, directories,
getdents, dup2 and a descriptor shared with a forked child
(tests/programs/proc_files.c)."""
from qemu_session import ScenarioFailure, run


def scenario(qemu):
    qemu.expect(r"vfs-server: initrd: \d+ entries\n", 60)
    qemu.expect(r"files: hello from /sbin/init\n", 60)
    m = qemu.expect(r"files: (\d+) checks failed\n", 60)
    if m.group(1) != "0":
        raise ScenarioFailure(f"{m.group(1)} file checks failed (FAIL lines above)")
    qemu.expect(r"proc-server: pid 1 \(init\) exited with status 42\n", 30)


run(scenario)
