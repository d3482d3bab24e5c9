"""linux.namespaces[].path: a second container joining the first's uts, pid
and mount namespaces, each alone and all together, as a Kubernetes pod's
containers join its pause container; what each shares, checked from inside
(hostname, ps, files in the first's tmpfs); what runc's verbs do to a
joining container and what the end of the first does to it; every refused
path with its message and nothing left behind; and 50 joining containers
run and deleted leaving every object count where it was."""
import re

from qemu_session import ScenarioFailure, run
from shell import check, command, wait_for_shell

STATUS = "runc state {} | grep -o 'status\":\"[a-z]*'"
# the kernel's objects but frames, the VFS contexts, the scopes
KERNEL = "k() { dbg kernel|grep objects:|sed 's/frame [0-9]*, //'; }"
COUNTS = "k; dbg vfs contexts | wc -l; dbg proc scopes | wc -l"
# The console wraps lines past 80 columns: each command stays within 61.
# f DIR TYPE PATH: the namespace of type TYPE of bundle DIR joins PATH; j
# DIR TYPE NAME: joins a1's, /proc/$P/ns/NAME.
JOIN = ["Q='\"'", 'p() { echo "$Q$1$Q, ${Q}path$Q: $Q$2$Q}"; }',
        'f() { sed -i "s|$Q$2$Q}|$(p $2 $3)|" $1/config.json; }',
        "j() { f $1 $2 /proc/$P/ns/$3; }",
        "r0() { cp $B/config.json $C && sed -i '/\"hostname\"/d' $C; }"]
NO_HOSTNAME = "sed -i '/\"hostname\"/d' {}/config.json"
NO_LIMIT = "sed -i 's/\"limit\": 64/\"limit\": 0/' {}/config.json"
NO_MOUNTS = "sed -i '/\"mounts\": \\[/,/^  \\],$/d' {}/config.json"
# what each join refuses, taken out of bundle {}
FIX = {"uts": NO_HOSTNAME, "pid": NO_LIMIT, "mount": NO_MOUNTS}


def status(qemu, cid, want):
    check(qemu, STATUS.format(cid), f'status":"{want}\n')


def bundle(qemu, name, args, joins):
    """A copy of the busybox bundle running args, joining a1's namespaces
    of joins (uts, pid, mount), without the keys each join refuses."""
    check(qemu, f"mkdir {name} && cp -r $B/* {name}/", "")
    check(qemu, f"sed -i 's/\\[\"sh\"\\]/{args}/' {name}/config.json", "")
    for kind in joins:
        check(qemu, f"j {name} {kind} {'mnt' if kind == 'mount' else kind}", "")
        check(qemu, FIX[kind].format(name), "")


def first(qemu):
    """a1, the container the others join; $P is its PID as runc sees it."""
    check(qemu, "mkdir a && cp -r $B/* a/", "")
    check(qemu, "sed -i 's/\\[\"sh\"\\]/[\"sleep\",\"1000\"]/' a/config.json", "")
    check(qemu, "runc run -d -b a a1; echo $?", "0\n")
    command(qemu, "P=$(runc state a1 | sed 's/.*\"pid\":\\([0-9]*\\).*/\\1/')")
    check(qemu, "kill -0 $P && echo $P", re.compile(r"\d+\n"))


def uts(qemu):
    bundle(qemu, "u", '["sleep","2000"]', ["uts"])
    check(qemu, "runc run -d -b u u1; runc exec u1 hostname", "busybox\n")
    check(qemu, "runc exec a1 hostname pod; runc exec u1 hostname", "pod\n")
    check(qemu, "runc exec u1 hostname back; runc exec a1 hostname; hostname", "back\ncapsule\n")
    # its own pid and mount namespaces
    check(qemu, "runc exec u1 ps -o pid,args | grep sleep | sort -n", "    1 sleep 2000\n")
    check(qemu, "runc delete -f u1; runc exec a1 hostname", "back\n")


def pid(qemu):
    bundle(qemu, "p", '["sleep","2000"]', ["pid"])
    check(qemu, "runc run -d -b p p1; echo $?", "0\n")
    # one scope: each sees both, the first's PID 1 is a1's sleep
    check(qemu, "runc exec p1 ps -o pid,args | grep sleep | sort -n",
          re.compile(r"    1 sleep 1000\n +(\d+) sleep 2000\n"))
    check(qemu, "runc exec a1 ps -o args | grep sleep | sort", "sleep 1000\nsleep 2000\n")
    check(qemu, "runc exec p1 sh -c 'echo $$ $PPID'", re.compile(r"\d+ 0\n"))
    # runc's verbs on p1 act on its own processes only
    check(qemu, "runc ps p1 | wc -l; runc ps a1 | wc -l", "2\n3\n")
    check(qemu, "runc state p1 | grep -o 'pid\":[0-9]*' | grep -c ':0$'", "0\n")
    # its files are its own (a new mount namespace)
    check(qemu, "runc exec a1 touch /tmp/a; runc exec p1 ls /tmp", "")
    # a plain kill reaches its first process: it is no PID 1
    check(qemu, "runc kill p1; sleep 1", "")
    status(qemu, "p1", "stopped")
    status(qemu, "a1", "running")
    check(qemu, "runc exec a1 ps -o args | grep -c 'sleep 2000'", "0\n")
    check(qemu, "runc delete p1; echo $?", "0\n")
    # p2 runs beside a1 until a1 goes (first_ends)
    check(qemu, "runc run -d -b p p2; runc exec a1 true; echo $?", "0\n")
    # what runc exec starts in it, and what that forks, are its too
    check(qemu, "runc exec p2 sh -c 'sleep 300 & echo ok'", "ok\n")
    check(qemu, "runc ps p2 | wc -l", "3\n")
    # kill -a: those die (the orphan a zombie of a1's PID 1, which never
    # reaps, as Linux's namespace init keeps it), a1's own live on
    check(qemu, "runc kill -a p2 KILL; sleep 1", "")
    status(qemu, "p2", "stopped")
    check(qemu, "runc exec a1 ps -o args | grep -c 'sleep 1000'", "1\n")
    check(qemu, "runc delete p2; runc run -d -b p p2; echo $?", "0\n")
    check(qemu, "runc list -q", "a1\np2\n")


def restart_first(qemu, limit):
    check(qemu, f"sed -i 's/\"limit\": [0-9]*/\"limit\": {limit}/' a/config.json", "")
    check(qemu, "runc delete -f a1; runc run -d -b a a1; echo $?", "0\n")
    command(qemu, "P=$(runc state a1 | sed 's/.*\"pid\":\\([0-9]*\\).*/\\1/')")


def first_ends(qemu):
    """Deleting the first ends the joiner, as a PID 1's death does; with
    the first limited to 3 processes, a1, p3 and one exec fill it."""
    restart_first(qemu, 3)
    status(qemu, "p2", "stopped")
    check(qemu, "runc delete p2; echo $?", "0\n")
    bundle(qemu, "p3", '["sleep","2000"]', ["pid"])
    check(qemu, "runc run -d -b p3 p3; runc exec p3 sh -c 'sleep 1 & echo x'",
          "sh: can't fork: Resource temporarily unavailable\n")
    check(qemu, "runc delete -f p3", "")
    restart_first(qemu, 64)


def mount(qemu):
    bundle(qemu, "m", '["sleep","2000"]', ["mount"])
    check(qemu, "runc run -d -b m m1; echo $?", "0\n")
    check(qemu, "runc exec a1 sh -c 'echo hi >/tmp/f'; runc exec m1 cat /tmp/f", "hi\n")
    check(qemu, "runc exec m1 sh -c 'echo back >/tmp/g'", "")
    check(qemu, "runc exec a1 cat /tmp/g", "back\n")
    check(qemu, "test -e /tmp/f || echo not on the host", "not on the host\n")
    # its own pid namespace: a1's /proc shows each reader its own scope
    check(qemu, "runc exec m1 ps -o pid,args | grep sleep | sort -n", "    1 sleep 2000\n")
    check(qemu, "runc exec m1 hostname", "busybox\n")
    check(qemu, "runc delete -f m1", "")


def together(qemu):
    bundle(qemu, "t", '["sleep","2000"]', ["uts", "pid", "mount"])
    check(qemu, "runc run -d -b t t1; runc exec a1 hostname both", "")
    check(qemu, "runc exec t1 hostname; runc exec t1 cat /tmp/g", "both\nback\n")
    check(qemu, "runc exec t1 ps -o args | grep sleep | sort", "sleep 1000\nsleep 2000\n")
    check(qemu, "runc delete -f t1; runc exec a1 ps -o args | grep -c sleep", "1\n")


def refused(qemu):
    check(qemu, "mkdir r && cp -r $B/* r/ && C=r/config.json", "")
    before = command(qemu, "dbg proc scopes | wc -l; dbg vfs contexts | wc -l")
    p = command(qemu, "echo $P").strip()
    s = command(qemu, "echo $$").strip()
    no_container = ("is in no container (a process of runc's own scope cannot be joined: it "
                    "would hand the container runc's)")
    cases = [
        ("/proc/99999/ns/uts", "uts",
         'linux.namespaces[2].path "/proc/99999/ns/uts": no such process'),
        (f"/proc/{p}/ns/mnt", "uts",
         f'linux.namespaces[2].path "/proc/{p}/ns/mnt" names a mnt namespace, not a uts one'),
        ("/proc/self/ns/uts", "uts",
         'linux.namespaces[2].path "/proc/self/ns/uts" is not /proc/PID/ns/uts'),
        ("/proc/1/ns/uts", "uts", f'linux.namespaces[2].path "/proc/1/ns/uts": {no_container}'),
        (f"/proc/{s}/ns/pid", "pid",
         f'linux.namespaces[0].path "/proc/{s}/ns/pid": {no_container}'),
        (f"/proc/{s}/ns/mnt", "mount",
         f'linux.namespaces[1].path "/proc/{s}/ns/mnt": {no_container}'),
    ]
    for path, kind, message in cases:
        check(qemu, f"r0; f r {kind} {path}", "")
        if kind != "uts":
            check(qemu, FIX[kind].format("r"), "")
        check(qemu, "runc create -b r r1; echo $?", f"runc: config.json: {message}\n1\n")
    # a joined mount namespace leaves no room for mounts of its own
    check(qemu, "r0; j r mount mnt", "")
    check(qemu, "runc create -b r r1; echo $?",
          "runc: config.json: mounts needs a new mount namespace: linux.namespaces[1].path "
          "joins one\n1\n")
    check(qemu, "runc list -q", "a1\n")
    after = command(qemu, "dbg proc scopes | wc -l; dbg vfs contexts | wc -l")
    if after != before:
        raise ScenarioFailure(f"refused joins left something: {after!r}, before {before!r}")


def no_leak(qemu):
    """50 containers joining a1's three namespaces, run and deleted: every
    count back where it was (20 first bring the servers' heaps to what a
    container needs)."""
    bundle(qemu, "l", '["true"]', ["uts", "pid", "mount"])
    check(qemu, KERNEL, "")
    check(qemu, "for i in $(seq 20); do runc run -b l w$i </dev/null; done", "")
    before = command(qemu, COUNTS)
    loop = "for i in $(seq 50); do runc run -b l l$i </dev/null; done"
    if command(qemu, loop, timeout=600) != "":
        raise ScenarioFailure("50 joining containers: runc said something")
    after = command(qemu, COUNTS)
    if after != before:
        raise ScenarioFailure(f"after 50 joining containers: {after!r}, before: {before!r}")
    check(qemu, "runc list -q", "a1\n")


def scenario(qemu):
    wait_for_shell(qemu)
    command(qemu, "cd /tmp && B=/containers/busybox")
    for line in JOIN:
        command(qemu, line)
    first(qemu)
    uts(qemu)
    pid(qemu)
    first_ends(qemu)
    mount(qemu)
    together(qemu)
    refused(qemu)
    no_leak(qemu)
    check(qemu, "runc delete -f a1; runc list -q", "")
    qemu.send("poweroff\n")
    if qemu.wait_exit(60) != 1:
        raise ScenarioFailure("poweroff did not stop QEMU")


run(scenario)
