"""Scopes, hostname contexts, jail and spawn by request
(tests/programs/proc_scopes.c): a child spawned into a new scope with
limit 32 and a new hostname context is PID 1 there with PPID 0, sees its
own hostname while the host keeps its own, cannot see or signal anything
outside, and can fork exactly up to the limit; its parent sees it under its
own number and waits for it; restricted capabilities refuse what they lack;
a jailed process cannot create either, after fork and exec too; malformed
requests are answered with errors."""
from qemu_session import ScenarioFailure, run


def scenario(qemu):
    m = qemu.expect(r"scopes: scope init made (\d+) children\n", 150)
    if m.group(1) != "31":
        raise ScenarioFailure(f"the scope's PID 1 made {m.group(1)} children, not 31")
    m = qemu.expect(r"scopes: (\d+) checks failed\n", 120)
    if m.group(1) != "0":
        raise ScenarioFailure(f"{m.group(1)} scope checks failed (FAIL lines above)")
    qemu.expect(r"proc-server: pid 1 \(init\) exited with status 42\n", 30)


run(scenario)
