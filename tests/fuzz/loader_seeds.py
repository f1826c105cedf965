#!/usr/bin/env python3
"""Seed inputs for fuzz_guest_load: an arm64 Image, an ELF64, a raw binary
(first byte 0: the rest is the kernel) and a small DTB (first byte 1: the
rest is the VM's dtb). Made fresh by tests/fuzz/fuzz.mk; nothing binary is
kept in git."""
import os
import struct
import subprocess
import sys

out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def write(name, data):
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)


# arm64 Image: text_offset 0x80000, image_size 2 MiB, little endian.
image = bytearray(512)
struct.pack_into("<QQQ", image, 8, 0x80000, 2 << 20, 0xA)
image[56:60] = b"ARM\x64"
write("image", b"\0" + image)

# ELF64, EM_AARCH64: a text segment linked high, loaded low, and a bss.
phoff, ph = 64, 56
elf = bytearray(0x400)
elf[0:16] = b"\x7fELF\x02\x01\x01" + bytes(9)
struct.pack_into("<HHIQQQIHHHHHH", elf, 16, 2, 183, 1, 0xFFFF000000080040, phoff, 0, 0,
                 64, ph, 2, 0, 0, 0)
struct.pack_into("<IIQQQQQQ", elf, phoff, 1, 5, 0x200, 0xFFFF000000080000, 0x40080000,
                 0x100, 0x100, 0x1000)
struct.pack_into("<IIQQQQQQ", elf, phoff + ph, 1, 6, 0x300, 0x40100000, 0x40100000,
                 0x100, 0x8000, 0x1000)
write("elf", b"\0" + elf)

write("raw", b"\0" + b"raw binary guest" * 8)

dts = b"""/dts-v1/;
/ {
	#address-cells = <2>;
	#size-cells = <2>;
	compatible = "acme,board";
	memory@40000000 { device_type = "memory"; reg = <0 0x40000000 0 0x4000000>; };
	chosen { bootargs = "old"; linux,initrd-start = <0 0x1000>; linux,initrd-end = <0 0x2000>; };
};
"""
dtb = subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb"], input=dts, check=True,
                     stdout=subprocess.PIPE).stdout
write("dtb", b"\1" + dtb)
