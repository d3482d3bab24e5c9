"""process.terminal from the console of the system image: a foreground
`runc run` gives PID 1 a pseudo-terminal of the container's own devfs
(each container's devfs numbers its own pairs) as its controlling terminal
(/dev/tty, job control), relays it both ways, raw when runc's stdin is the
console, exits with PID 1's status and leaves the host console's settings
as they were; `create` and `run -d` refuse it (there is no
--console-socket). `runc exec -t` into a running container gets a pty of
that container's devfs in the same way, from a terminal or a pipe; into a
stopped or unknown one it fails, saying why."""
import re
import time

from qemu_session import ScenarioFailure, run
from shell import PROMPT, check, command, wait_for_shell

# the piped line echoed by the pty, then what the container's interactive ash
# prints before running it:
# no "can't access tty; job control turned off", the pty is its terminal
# The pty echoes the piped input when it arrives, before or after ash's
# banner or between the banner and the prompt: those orders race, so what
# comes before ash's last prompt is not checked beyond the banner itself.
BANNER = r"(?s).*BusyBox [^\n]* built-in shell \(ash\)\n.*/ # "
JOB = re.compile(r"(\[1\] \d+\n)?")
REFUSED = ("runc: {}: process.terminal needs a foreground runc run "
           "(there is no --console-socket)\n1\n")


def terminal(qemu):
    check(qemu, "stty -a >before; echo ok", "ok\n")
    # /dev/tty is the controlling terminal: the pty
    check(qemu, "echo 'tty >/dev/tty; exit 3' | runc run -b t t1; echo $?",
          re.compile(BANNER + r"tty >/dev/tty; exit 3\n/dev/pts/0\n3\n"))
    # job control: fg brings a background job to the foreground
    check(qemu, "echo 'sleep 1& fg; exit 4' | runc run -b t t4; echo $?",
          re.compile(BANNER + r"sleep 1& fg; exit 4\n(\[1\] \d+\n)?sleep 1\n4\n"))
    # a second container beside the first: pair 0 of its own devfs again
    check(qemu, "echo 'sleep 4;exit' | runc run -b t t2 >/dev/null &", JOB)
    check(qemu, "echo 'ls /dev/pts;exit' | runc run -b u t3",
          re.compile(BANNER + r"ls /dev/pts;exit\n0\n"))
    check(qemu, "wait; ls /dev/pts | wc -l", re.compile(r"(\[1\]\+ .*\n)?0\n(\[1\]\+ .*\n)?"))
    typed(qemu)
    check(qemu, "stty -a | cmp - before && echo same", "same\n")
    check(qemu, "runc list -q", "")


def typed(qemu):
    """runc's stdin the console: raw while relaying, so a ^C typed reaches
    the container's foreground job through its pty, not runc; the pty has
    the console's window size."""
    qemu.send("runc run -b t t5; echo $?\n")
    qemu.expect(r"\n/ # ", 30)
    qemu.send("stty size\n")  # the console's window size, copied
    qemu.expect(r"stty size\n24 80\n/ # ", 15)
    qemu.send("sleep 30\n")
    qemu.expect(r"sleep 30\n", 30)
    time.sleep(2)  # ash has made sleep the pty's foreground group
    qemu.send("\x03")
    qemu.expect(r"\^C\n/ # ", 15)  # well before sleep's 30 s
    qemu.send("exit 5\n")
    qemu.expect(r"exit 5\n+5\n" + PROMPT, 30)


def exec_tty(qemu):
    """runc exec -t: a pair of the running container's own devfs, made by
    vfs-server inside it, the exec'd process's controlling terminal."""
    check(qemu, "runc run -d -b e x1; echo $?", "0\n")
    # runc's stdin the console (raw meanwhile): /dev/tty is the pty
    check(qemu, "runc exec -t x1 sh -c 'tty >/dev/tty; exit 6'; echo $?", "/dev/pts/0\n6\n")
    check(qemu, "stty -a | cmp - before && echo same", "same\n")
    # an interactive shell typed at the console, ^C reaching its foreground job
    qemu.send("runc exec -t x1 sh; echo $?\n")
    qemu.expect(r"\n/ # ", 30)
    qemu.send("tty\n")
    qemu.expect(r"tty\n/dev/pts/0\n/ # ", 15)
    qemu.send("sleep 30\n")
    qemu.expect(r"sleep 30\n", 15)
    time.sleep(2)
    qemu.send("\x03")
    qemu.expect(r"\^C\n/ # ", 15)
    qemu.send("exit 9\n")
    qemu.expect(r"exit 9\n+9\n" + PROMPT, 30)
    # piped, as run relays it: an interactive shell; ps inside shows it
    # (short: a command line past the console's 80 columns is wrapped)
    check(qemu, "echo 'tty;ps -o pid,args;exit 7'|runc exec -t x1 sh;echo $?",
          re.compile(r"(?s).*\n/dev/pts/0\nPID +COMMAND\n +1 sleep 1000\n +\d+ sh\n"
                     r" +\d+ (\{ps\} sh|ps -o pid,args)\n7\n"))
    # job control, and runc's window size copied to the pty
    check(qemu, "echo 'sleep 1& fg; exit 4'|runc exec -t x1 sh;echo $?",
          re.compile(BANNER + r"sleep 1& fg; exit 4\n(\[1\] \d+\n)?sleep 1\n4\n"))
    check(qemu, "runc exec -t x1 stty size", "24 80\n")
    # the pair went with its master: nothing left in the container's devfs
    check(qemu, "runc exec x1 ls /dev/pts; runc ps x1 | wc -l", "2\n")
    # beside a PID 1 that has pair 0 of that devfs: pair 1
    check(qemu, "echo 'sleep 6;exit' | runc run -b t t9 >/dev/null &", JOB)
    check(qemu, "sleep 2; runc exec -t t9 tty", "/dev/pts/1\n")
    check(qemu, "wait", re.compile(r"(\[1\]\+ .*\n)?"))
    # a container without a devfs has no pair to give: said, nothing made
    check(qemu, "cp -r e n && sed -i '/devfs/d' n/config.json", "")
    check(qemu, "runc run -d -b n n1; runc exec -t n1 tty; echo $?",
          "runc: exec: -t: the container has no /dev/ptmx of a devfs\n1\n")
    check(qemu, "runc ps n1 | wc -l; runc delete -f n1", "2\n")
    check(qemu, "runc exec -t nope tty; echo $?",
          'runc: exec: container "nope" does not exist\n1\n')
    check(qemu, "runc kill x1 KILL; runc exec -t x1 tty; echo $?",
          'runc: exec: container "x1" is stopped, not running\n1\n')
    check(qemu, "runc delete x1; runc list -q", "")


def refused(qemu):
    check(qemu, "runc create -b t c1; echo $?", REFUSED.format("create"))
    check(qemu, "runc run -d -b t c2; echo $?", REFUSED.format("run"))
    check(qemu, "runc list -q", "")


def scenario(qemu):
    wait_for_shell(qemu)
    command(qemu, "cd /tmp && cp -r /containers/busybox t")
    check(qemu, "sed -i 's/l\": false/l\": true/' t/config.json", "")
    check(qemu, "cp -r t u; grep -c 'l\": true' u/config.json", "1\n")
    check(qemu, "cp -r /containers/busybox e && C=e/config.json", "")
    check(qemu, "sed -i 's/\\[\"sh\"\\]/[\"sleep\",\"1000\"]/' $C", "")
    terminal(qemu)
    exec_tty(qemu)
    refused(qemu)
    qemu.send("poweroff\n")
    if qemu.wait_exit(60) != 1:
        raise ScenarioFailure("poweroff did not stop QEMU")


run(scenario)
