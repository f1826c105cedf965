#!/usr/bin/env python3
"""Write a directory tree as a newc cpio archive (the initramfs format), with
extra device nodes, reproducibly and without root.

    mkcpio.py DIR [--node PATH:c|b:MAJOR:MINOR:MODE ...] > archive.cpio

GNU cpio can only archive device nodes that exist on disk, and making those
(mknod) needs root; the kernel only needs the node's header in the archive, so
it is written here directly. Every entry is owned by 0:0, has the mtime
SOURCE_DATE_EPOCH (default 0), and entries come in sorted order with inode
numbers counted from 1: the same tree always gives the same bytes.

Directories, regular files and symlinks are archived; anything else in DIR is
an error (hard links are stored as separate copies). Standard library only.
"""

import argparse
import os
import stat
import sys

MAGIC = b"070701"  # newc: "new" ASCII format without checksums
TRAILER = "TRAILER!!!"


def header(ino, mode, nlink, mtime, size, rdev_major, rdev_minor, name):
    fields = [ino, mode, 0, 0, nlink, mtime, size, 0, 0, rdev_major, rdev_minor,
              len(name) + 1, 0]
    return MAGIC + b"".join(b"%08X" % f for f in fields)


def pad4(n):
    return b"\0" * (-n % 4)


class Writer:
    def __init__(self, out, mtime):
        self.out = out
        self.mtime = mtime
        self.ino = 0

    def entry(self, name, mode, data=b"", nlink=1, rdev=(0, 0), ino=None):
        if ino is None:
            self.ino += 1
            ino = self.ino
        encoded = name.encode() + b"\0"
        head = header(ino, mode, nlink, self.mtime, len(data), rdev[0], rdev[1],
                      name.encode())
        self.out.write(head + encoded + pad4(len(head) + len(encoded)))
        self.out.write(data + pad4(len(data)))

    def trailer(self):
        self.entry(TRAILER, 0, ino=0)


def parse_node(text):
    try:
        path, kind, major, minor, mode = text.split(":")
        kind_bits = {"c": stat.S_IFCHR, "b": stat.S_IFBLK}[kind]
        return path.strip("/"), kind_bits | int(mode, 8), (int(major), int(minor))
    except (ValueError, KeyError):
        raise argparse.ArgumentTypeError(
            f"bad --node {text!r}: expected PATH:c|b:MAJOR:MINOR:MODE, e.g. dev/console:c:5:1:600")


def walk(root):
    """Paths under root relative to it, parents before children, sorted."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        rel = os.path.relpath(dirpath, root)
        for name in dirnames + filenames:
            found.append(os.path.normpath(os.path.join(rel, name)))
    return sorted(found)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dir")
    ap.add_argument("--node", action="append", default=[], type=parse_node)
    args = ap.parse_args()
    if not os.path.isdir(args.dir):
        sys.exit(f"mkcpio.py: {args.dir} is not a directory")
    mtime = int(os.environ.get("SOURCE_DATE_EPOCH", "0"))

    nodes = {path: (mode, rdev) for path, mode, rdev in args.node}
    names = sorted(set(walk(args.dir)) | set(nodes))
    out = sys.stdout.buffer
    w = Writer(out, mtime)
    for name in names:
        if name in nodes:
            mode, rdev = nodes[name]
            w.entry(name, mode, rdev=rdev)
            continue
        path = os.path.join(args.dir, name)
        st = os.lstat(path)
        perm = stat.S_IMODE(st.st_mode)
        if stat.S_ISDIR(st.st_mode):
            w.entry(name, stat.S_IFDIR | perm, nlink=2)
        elif stat.S_ISLNK(st.st_mode):
            w.entry(name, stat.S_IFLNK | 0o777, data=os.readlink(path).encode())
        elif stat.S_ISREG(st.st_mode):
            with open(path, "rb") as f:
                w.entry(name, stat.S_IFREG | perm, data=f.read())
        else:
            sys.exit(f"mkcpio.py: {path}: not a directory, file or symlink; use --node")
    w.trailer()
    out.flush()


if __name__ == "__main__":
    main()
