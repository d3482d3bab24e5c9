"""Pseudo-terminal pairs across a restart of vfs-server (docs/restart.md), on
restart.img: every pair's ends were open in descriptions of the old
instance, so the new one has console-server free them
(CONSOLE_PAIRS_RESET). With all 16 pairs held before the crash, 16 can be
opened again after it."""
from qemu_session import ScenarioFailure, run
from shell import check, command, expect_in, wait_for_shell

# four pairs a process: ash opens /dev/ptmx on descriptors 3-6 (each line
# typed stays short: the line editor would wrap a long one)
HOLD = "H='exec 3<>$P 4<>$P 5<>$P 6<>$P && echo held >>$F; sleep 99'"


def hold_all_pairs(qemu, held_file):
    command(qemu, f"export P=/dev/ptmx F={held_file}; rm -f $F")
    command(qemu, HOLD)
    for _ in range(4):
        command(qemu, 'sh -c "$H" </dev/null >/dev/null 2>&1 &')
    command(qemu, "sleep 2")
    check(qemu, "cat $F", "held\nheld\nheld\nheld\n")
    # every pair is in use: a seventeenth cannot be had
    expect_in(qemu, "sh -c 'exec 3<>$P' 2>&1; echo rc=$?",
              r"No space left on device", r"^rc=[1-9]")


def scenario(qemu):
    wait_for_shell(qemu)
    hold_all_pairs(qemu, "/tmp/held")
    qemu.send("dbg crash vfs-server\n")
    qemu.expect(r"proc-server: vfs-server restarted \(restart 1\)", 30)
    qemu.expect(r"vfs-server: 16 pseudo-terminal pairs of the previous instance freed", 30)
    qemu.send("\n")  # the old shell's read was with console-server
    wait_for_shell(qemu)
    # the new instance's tree is the initrd's: /dev and /tmp anew
    command(qemu, "mount -t devtmpfs dev /dev && mount -t tmpfs tmp /tmp")
    hold_all_pairs(qemu, "/tmp/held2")
    qemu.send("poweroff\n")
    if qemu.wait_exit(60) != 1:
        raise ScenarioFailure("poweroff did not stop QEMU")


run(scenario)
