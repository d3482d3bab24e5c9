#!/usr/bin/env python3
"""attach-serial.py SOCKET: connect the terminal to a QEMU serial port that
listens on a unix socket (make run's COM2, the debug console). The terminal
is put in raw mode while attached; Ctrl-] detaches."""
import os
import select
import socket
import sys
import termios
import tty

DETACH = b"\x1d"  # Ctrl-]


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: attach-serial.py SOCKET")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect(sys.argv[1])
    except OSError as err:
        sys.exit(f"attach-serial: {sys.argv[1]}: {err.strerror} (is make run going?)")
    print("attached to the debug console; Ctrl-] detaches; press Enter for a prompt\r")
    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd) if os.isatty(fd) else None
    try:
        if saved is not None:
            tty.setraw(fd)
        while True:
            ready, _, _ = select.select([fd, sock], [], [])
            if sock in ready:
                data = sock.recv(4096)
                if not data:
                    break
                os.write(sys.stdout.fileno(), data)
            if fd in ready:
                data = os.read(fd, 1024)
                if not data or DETACH in data:
                    break
                sock.sendall(data)
    finally:
        if saved is not None:
            termios.tcsetattr(fd, termios.TCSADRAIN, saved)
        print("\r\ndetached")


if __name__ == "__main__":
    main()
