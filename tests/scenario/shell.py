"""Driving BusyBox's interactive ash on capsule.img's console: wait for the
login shell, type a command line, and compare what it printed before the
next prompt."""
import re

from qemu_session import ScenarioFailure

# ash's prompt (PS1 of /etc/profile), then BusyBox's cursor-position query,
# which the harness, not being a terminal, never answers
PROMPT = r"root@capsule:[^\n]*# (?:\x1b\[6n)?"
ESCAPES = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def wait_for_shell(qemu):
    qemu.expect(r"built-in shell \(ash\)", 90)
    qemu.expect(PROMPT, 30)


def command(qemu, line, timeout=30):
    """Types line; returns what it printed before the next prompt."""
    qemu.send(line + "\n")
    m = qemu.expect(re.escape(line) + r"\n(?s:(.*?))" + PROMPT, timeout)
    return ESCAPES.sub("", m.group(1))


def expect_in(qemu, line, *patterns, timeout=60):
    """Types line; each regex of patterns must match a line of its output
    (re.MULTILINE), which is returned."""
    out = command(qemu, line, timeout)
    for p in patterns:
        if not re.search(p, out, re.MULTILINE):
            raise ScenarioFailure(f"{line!r}: no {p!r} in {out!r}")
    return out


def check(qemu, line, want):
    """want: the exact output, or a compiled regex the whole output matches."""
    got = command(qemu, line)
    ok = want.fullmatch(got) if isinstance(want, re.Pattern) else got == want
    if not ok:
        raise ScenarioFailure(f"{line!r}: expected {want!r}, got {got!r}")
