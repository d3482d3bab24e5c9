"""What a container sees, checked from inside (runc exec) and from the host:
its own root, processes, PID numbers, hostname and mounts; a cwd and a
`..` that stay inside; exactly descriptors 0, 1 and 2 at start; locked
runtime mounts; masked and read-only paths; its memory limit; a tmpfs's
size= and mode=; dbg only when
the bundle asks for it; and the escape classes of real runc CVEs: a symlink
in the rootfs pointing outside, a /proc that is a symlink, a mount
destination spelled //proc/../proc. chroot and pivot_root stay inside."""
import re

from qemu_session import ScenarioFailure, run
from shell import check, command, wait_for_shell


def bundle(qemu, name, args='["sleep","1000"]'):
    check(qemu, f"mkdir {name} && cp -r $B/* {name}/ && C={name}/config.json", "")
    check(qemu, f"sed -i 's/\\[\"sh\"\\]/{args}/' $C", "")


def inside(qemu):
    bundle(qemu, "s")
    check(qemu, "exec 7</etc/passwd; runc run -d -b s e1; exec 7<&-", "")
    check(qemu, "runc exec e1 ls /", "bin   dev   etc   proc  root  sbin  tmp   usr\n")
    check(qemu, "runc exec e1 ps -o pid,args | grep -v ps",
          "PID   COMMAND\n    1 sleep 1000\n")
    check(qemu, "runc exec e1 ls /proc/1/fd", "0  1  2\n")  # runc's fd 7 stayed out
    check(qemu, "runc exec e1 hostname", "busybox\n")
    check(qemu, "runc exec e1 pwd; runc exec --cwd /tmp e1 pwd", "/\n/tmp\n")
    check(qemu, "runc exec e1 sh -c 'cd /../..; pwd; ls /root'", "/\n")
    check(qemu, "runc exec e1 mount | cut -d' ' -f3 | tr '\\n' ' '",
          "/ /bin /sbin /usr /proc /dev /tmp ")
    check(qemu, "runc exec e1 umount /proc; echo $?",
          "umount: can't unmount /proc: Operation not permitted\n1\n")
    # the container's own tmpfs mount is its own, and invisible outside
    check(qemu, "runc exec e1 mount -t tmpfs t /root; echo $?", "0\n")
    check(qemu, "mount | grep -c /root", "0\n")
    check(qemu, "runc exec e1 dbg proc list; echo $?",
          "dbg: no debug capability (jailed, or not of the host's root scope)\n1\n")
    check(qemu, "dbg containers | grep -c ' e1 '", "1\n")
    check(qemu, "runc delete -f e1; runc exec e1 true; echo $?",
          'runc: exec: container "e1" does not exist\n1\n')


def protected_paths(qemu):
    bundle(qemu, "p")
    check(qemu, "sed -i 's|\"res|\"maskedPaths\":[\"/etc/group\"],&|' $C", "")
    check(qemu, "sed -i 's|\"res|\"readonlyPaths\":[\"/root\"],&|' $C", "")
    check(qemu, "runc run -d -b p p1; runc exec p1 cat /etc/group | wc -c", "0\n")
    check(qemu, "runc exec p1 touch /root/x 2>&1; wc -c </etc/group",
          re.compile(r"touch: /root/x: Read-only file system\n\d+\n"))
    check(qemu, "runc delete -f p1", "")


def memory(qemu):
    bundle(qemu, "m", '["sh"]')
    check(qemu, "sed -i 's/64}/&,\"memory\":{\"limit\":8388608}/' $C", "")
    check(qemu, "echo 'dd if=/dev/zero of=/dev/null bs=7M count=1' >m.sh", "")
    check(qemu, "runc run -b m m1 <m.sh; echo $?", "dd: out of memory\n1\n")
    check(qemu, "sh m.sh 2>&1 | grep -c 'out of'", "0\n")  # the host has room
    # files it makes vfs-server hold count too: in its tmpfs, and in the
    # directories of the host's file system its rootfs is
    check(qemu, "D='dd if=/dev/zero bs=64k count=256'", "")
    check(qemu, "echo \"$D of=/tmp/f 2>/dev/null; echo \\$?\" >m2.sh", "")
    check(qemu, "echo \"rm /tmp/f; $D of=/root/f 2>&1\" >>m2.sh", "")
    check(qemu, "echo 'rm /root/f; ls /root' >>m2.sh", "")
    check(qemu, "runc run -b m m2 <m2.sh; echo $?",
          re.compile(r"1\ndd: error writing '/root/f': No space left on device\n"
                     r"\d+\+0 records in\n\d+\+0 records out\n0\n"))
    check(qemu, "$D of=big 2>/dev/null; echo $?; rm big", "0\n")


def tmpfs_options(qemu):
    # size= is the tmpfs's own quota (inside the container's), mode= its
    # root's (command lines short: the console wraps past 80 columns)
    bundle(qemu, "z")
    check(qemu, "sed -i 's/\"mode=1777\"/\"size=64k\",&/' $C", "")
    check(qemu, "runc run -d -b z z1; E='runc exec z1'", "")
    check(qemu, "$E stat -c %a /tmp", "1777\n")
    check(qemu, "$E dd if=/dev/zero of=/tmp/f bs=1k count=100",
          re.compile(r"dd: error writing '/tmp/f': No space left on device\n"
                     r"\d+\+0 records in\n\d+\+0 records out\n"))
    check(qemu, "$E sh -c '[ $(stat -c %s /tmp/f) -le 65536 ] && echo ok'", "ok\n")
    check(qemu, "$E rm /tmp/f; $E dd if=/dev/zero of=/tmp/f bs=1k count=32",
          "32+0 records in\n32+0 records out\n")
    check(qemu, "runc delete -f z1 && sed -i 's/mode=1777/mode=0710/' $C", "")
    check(qemu, "runc run -d -b z z2; runc exec z2 stat -c %a /tmp", "710\n")
    check(qemu, "runc delete -f z2", "")
    # mount(2)'s data: the same two options, any other refused (EINVAL)
    check(qemu, "mkdir g && mount -t tmpfs -o size=8k,mode=700 t g", "")
    check(qemu, "stat -c %a g", "700\n")
    check(qemu, "dd if=/dev/zero of=g/f bs=1k count=16 2>&1 | head -1",
          "dd: error writing 'g/f': No space left on device\n")
    check(qemu, "umount g; mount -t tmpfs -o uid=0 t g 2>&1 || echo refused",
          re.compile(r"mount: .*Invalid argument\nrefused\n"))


def debug_annotation(qemu):
    bundle(qemu, "d")
    check(qemu, "A='\"annotations\":{\"org.capsule.debug\":\"true\"},'", "")
    check(qemu, "sed -i \"1s|{|{$A|\" $C && runc run -d -b d d1", "")
    check(qemu, "runc exec d1 dbg proc list >/dev/null; echo $?", "0\n")
    check(qemu, "runc delete -f d1", "")


def capabilities(qemu):
    # only CAP_KILL: no mount, umount or sethostname inside
    bundle(qemu, "r")
    check(qemu, "K='\"capabilities\":{\"effective\":[\"CAP_KILL\"]},'", "")
    check(qemu, "sed -i \"s|\\\"cwd|$K&|\" $C && runc run -d -b r r1", "")
    check(qemu, "runc exec r1 hostname x", "hostname: sethostname: Operation not permitted\n")
    check(qemu, "runc exec r1 mount -t tmpfs t /root; echo $?",
          "mount: permission denied (are you root?)\n1\n")  # BusyBox's words for EPERM
    check(qemu, "runc exec r1 kill -0 1; echo $?", "0\n")
    check(qemu, "runc exec r1 chroot / true; echo $?",
          re.compile(r"chroot: can't change root .*: Operation not permitted\n1\n"))
    check(qemu, "runc delete -f r1", "")
    # no CAP_KILL: signals only to its own process group
    check(qemu, "sed -i 's/CAP_KILL/CAP_CHOWN/' $C && runc run -d -b r r2", "")
    check(qemu, "runc exec r2 kill -0 1; echo $?",
          "kill: can't kill pid 1: Operation not permitted\n1\n")
    check(qemu, "runc delete -f r2", "")


PIVOT_SCRIPT = [
    "mkdir /root/n && mount -t tmpfs t /root/n",
    "mkdir /root/n/old /root/n/bin",
    "mount --bind /bin /root/n/bin && cd /root/n",
    "pivot_root . old && ls -1 / && pwd -P",
    "umount -l /old; ls /old",  # /usr is not in the new root
]


def root_changes(qemu):
    # chroot narrows one process's root; `..` never climbs out of it
    check(qemu, "mkdir -p cr/bin cr/up && cp /bin/busybox cr/bin/", "")
    check(qemu, "chroot cr /bin/busybox ls -1 /", "bin\nup\n")
    check(qemu, "chroot cr /bin/busybox ls -1 /../..", "bin\nup\n")
    check(qemu, "chroot cr/up /bin/ls; echo $?",
          re.compile(r"chroot: can't execute '/bin/ls'.*\n127\n"))
    # pivot_root inside a container moves every process of it
    bundle(qemu, "v")
    command(qemu, "P=v/rootfs/root/pv.sh")
    for line in PIVOT_SCRIPT:
        check(qemu, f"echo \"{line}\" >>$P", "")
    check(qemu, "runc run -d -b v v1; runc exec v1 sh /root/pv.sh",
          "bin\nold\n/\n"  # its root mount is locked and so are those below
          "umount: can't unmount /old: Operation not permitted\n"
          "bin   dev   etc   proc  root  sbin  tmp   usr\n")
    check(qemu, "runc exec v1 ls -1 /; runc exec v1 ls -1 /old/proc/1/root/",
          "bin\nold\nbin\nold\n")
    check(qemu, "runc exec v1 busybox pivot_root / /; echo $?",
          re.compile(r"pivot_root: .*Device or resource busy\n1\n"))
    check(qemu, "runc delete -f v1; ls -1 /tmp/cr", "bin\nup\n")


def escapes(qemu):
    # a symlink in the rootfs pointing outside resolves inside the container
    bundle(qemu, "x")
    check(qemu, "ln -s ../../../../.. x/rootfs/up", "")
    check(qemu, "sed -i 's|\"cwd\": \"/\"|\"cwd\": \"/up\"|' $C", "")
    check(qemu, "runc run -d -b x x1; runc exec x1 pwd", "/\n")  # /up is its own /
    check(qemu, "runc exec x1 ls /up/ | grep -c containers", "0\n")
    check(qemu, "runc delete -f x1", "")
    # a /proc that is a symlink is refused, never followed
    check(qemu, "rmdir x/rootfs/proc && ln -s /tmp x/rootfs/proc", "")
    check(qemu, "runc create -b x x2; echo $?",
          "runc: create: mounts[3] (/proc): Not a directory\n1\n")
    check(qemu, "rm x/rootfs/proc && mkdir x/rootfs/proc", "")
    # a destination spelled //proc/../proc is resolved inside: plain /proc
    check(qemu, "sed -i 's|\"/proc\",|\"//proc/../proc\",|' $C", "")
    check(qemu, "runc run -d -b x x3; runc exec x3 ls /proc/1/fd", "0  1  2\n")
    check(qemu, "runc delete -f x3; runc list -q", "")


def scenario(qemu):
    wait_for_shell(qemu)
    command(qemu, "cd /tmp && B=/containers/busybox")
    inside(qemu)
    protected_paths(qemu)
    memory(qemu)
    tmpfs_options(qemu)
    debug_annotation(qemu)
    capabilities(qemu)
    root_changes(qemu)
    escapes(qemu)
    qemu.send("poweroff\n")
    if qemu.wait_exit(60) != 1:
        raise ScenarioFailure("poweroff did not stop QEMU")


run(scenario)
