#!/usr/bin/env python3
"""Writes an initrd: a cpio "newc" archive built from a list of entries, so
that device nodes and owners need no privileges on the build machine.

usage: mkinitrd.py OUTPUT ENTRY...
  dir:/PATH[:MODE]            a directory (default mode 0755)
  file:/PATH=HOSTFILE[:MODE]  a regular file with HOSTFILE's bytes (default 0755)
  char:/PATH=MAJOR,MINOR      a character device (mode 0666)
  link:/PATH=TARGET           a symbolic link
Parent directories must be listed before what they hold.
"""
import os
import stat
import sys


def header(ino, mode, nlink, size, name, rdev):
    # ino mode uid gid nlink mtime filesize devmajor devminor rdevmajor rdevminor namesize check
    fields = [ino, mode, 0, 0, nlink, 0, size, 0, 0, rdev[0], rdev[1], len(name) + 1, 0]
    return ("070701" + "".join(f"{f:08x}" for f in fields)).encode()


def pad(n):
    return b"\0" * ((4 - n % 4) % 4)


def entry(ino, mode, name, data=b"", rdev=(0, 0), nlink=1):
    out = header(ino, mode, nlink, len(data), name, rdev) + name.encode() + b"\0"
    out += pad(len(out))
    return out + data + pad(len(data))


def parse(spec, ino):
    kind, _, rest = spec.partition(":")
    path, _, value = rest.partition("=")
    name = path.lstrip("/")
    if kind == "dir":
        path, _, mode = rest.partition(":")
        return entry(ino, stat.S_IFDIR | int(mode or "755", 8), path.lstrip("/"), nlink=2)
    if kind == "file":
        host, _, mode = value.partition(":")
        with open(host, "rb") as f:
            return entry(ino, stat.S_IFREG | int(mode or "755", 8), name, f.read())
    if kind == "char":
        major, minor = (int(x) for x in value.split(","))
        return entry(ino, stat.S_IFCHR | 0o666, name, rdev=(major, minor))
    if kind == "link":
        return entry(ino, stat.S_IFLNK | 0o777, name, value.encode())
    raise SystemExit(f"mkinitrd: {spec!r}: unknown entry kind {kind!r}")


def main():
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    out = bytearray()
    for ino, spec in enumerate(sys.argv[2:], start=1):
        out += parse(spec, ino)
    out += entry(0, 0, "TRAILER!!!")
    tmp = sys.argv[1] + ".tmp"
    with open(tmp, "wb") as f:
        f.write(out)
    os.replace(tmp, sys.argv[1])


main()
