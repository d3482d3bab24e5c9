#!/usr/bin/env python3
"""Writes an initrd: a cpio "newc" archive built from a list of entries, so
that device nodes and owners need no privileges on the build machine.

usage: mkinitrd.py OUTPUT ENTRY...
  dir:/PATH[:MODE]            a directory (default mode 0755)
  file:/PATH=HOSTFILE[:MODE]  a regular file with HOSTFILE's bytes (default 0755)
  char:/PATH=MAJOR,MINOR      a character device (mode 0666)
  link:/PATH=TARGET           a symbolic link
  applets:/PATH=HOSTBINARY    for every applet HOSTBINARY --list-full names, a
                              link to /PATH (a multi-call binary such as BusyBox),
                              with the directories it needs; paths listed before
                              (say /sbin/init) and linuxrc are left alone
Parent directories must be listed before what they hold.
"""
import os
import stat
import subprocess
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


def applet_links(spec, taken):
    """The link entries (as specs) for a multi-call binary's applets."""
    path, _, host = spec.partition(":")[2].partition("=")
    listing = subprocess.run([host, "--list-full"], check=True, capture_output=True, text=True)
    specs = []
    for applet in listing.stdout.split():
        name = "/" + applet
        if name in taken or applet == "linuxrc":
            continue
        parent = os.path.dirname(name)
        while parent != "/" and parent not in taken:
            specs.append(f"dir:{parent}")
            taken.add(parent)
            parent = os.path.dirname(parent)
        specs.append(f"link:{name}={path}")
        taken.add(name)
    # a directory must come before what it holds: shallow paths first
    return sorted(specs, key=lambda s: (s.startswith("link:"), s.count("/")))


def main():
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    specs, taken = [], set()
    for spec in sys.argv[2:]:
        if spec.startswith("applets:"):
            specs += applet_links(spec, taken)
        else:
            specs.append(spec)
            taken.add(spec.partition(":")[2].partition("=")[0].partition(":")[0])
    out = bytearray()
    for ino, spec in enumerate(specs, start=1):
        out += parse(spec, ino)
    out += entry(0, 0, "TRAILER!!!")
    tmp = sys.argv[1] + ".tmp"
    with open(tmp, "wb") as f:
        f.write(out)
    os.replace(tmp, sys.argv[1])


main()
