"""runc's command line on the system image:
--help and a verb's --help, `runc spec` writing a config.json that is JSON
(and refusing to overwrite one), a bundle refused with the key named (a
namespace Capsule lacks, a mount type it lacks, malformed JSON with line and
column), a bad signal name, and a valid bundle whose rootfs lacks its
program: refused, with nothing left behind."""
import re

from qemu_session import ScenarioFailure, run
from shell import check, wait_for_shell


def scenario(qemu):
    wait_for_shell(qemu)
    check(qemu, "runc --help | head -1", "usage: runc COMMAND [OPTION...] [ARG...]\n")
    check(qemu, "runc --help | grep -c '^  [a-z]'", "10\n")
    check(qemu, "runc kill --help | head -1", "usage: runc kill [-a] ID [SIGNAL]\n")
    check(qemu, "runc; echo $?", re.compile(r"usage: runc (?s:.*)\n1\n"))
    check(qemu, "cd /tmp && runc spec && echo $?", "0\n")
    check(qemu, "head -c 1 config.json; tail -1 config.json", "{}\n")
    check(qemu, "grep -c '\"ociVersion\": \"1.0.2\"' config.json", "1\n")
    check(qemu, "runc spec; echo $?",
          "runc: spec: ./config.json: File exists (remove it first)\n1\n")
    # a bundle whose config asks for a network namespace
    check(qemu, "mkdir -p b/rootfs", "")
    check(qemu, "sed 's/\"pid\"/\"network\"/' config.json >b/config.json", "")
    check(qemu, "runc run -b b box; echo $?",
          'runc: config.json: linux.namespaces[0].type "network": '
          "Capsule cannot provide this namespace\n1\n")
    check(qemu, "sed 's/\"tmpfs\",/\"nfs\",/' config.json >b/config.json", "")
    check(qemu, "runc create --bundle=/tmp/b box; echo $?",
          'runc: config.json: mounts[2].type "nfs" is not supported\n1\n')
    check(qemu, "printf '{\\n  \"a\": 1,\\n}' > b/config.json", "")
    check(qemu, "runc create -b b box; echo $?",
          "runc: config.json: line 3, column 1: expected a string key\n1\n")
    # a valid bundle whose rootfs has no sh: PATH is searched inside it, never
    # on the host, and nothing of the half-made container remains
    check(qemu, "cp config.json b/ && runc run -b b box; echo $?",
          'runc: create: process.args[0] "sh": No such file or directory\n1\n')
    check(qemu, "runc state box; echo $?", 'runc: state: container "box" does not exist\n1\n')
    check(qemu, "runc run -b b 'a/b'; echo $?",
          'runc: run: container ID "a/b" is not [A-Za-z0-9_.+-]{1,1024}\n1\n')
    check(qemu, "runc kill box SIGFOO; echo $?", 'runc: kill: "SIGFOO" is not a signal\n1\n')
    qemu.send("poweroff\n")
    status = qemu.wait_exit(60)
    if status != 1:  # isa-debug-exit: (0 << 1) | 1
        raise ScenarioFailure(f"poweroff: QEMU exited with status {status}, not 1")


run(scenario)
