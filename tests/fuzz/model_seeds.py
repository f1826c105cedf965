#!/usr/bin/env python3
"""Seeds for the decoder and model fuzzers (first argument: which), in the
record layouts their harnesses read (tests/fuzz/fuzz_*.c): a few inputs a
real guest produces, so short runs start from deep states instead of
finding their way there. Made fresh by tests/fuzz/fuzz.mk; nothing binary
is kept in git. All little endian."""
import os
import struct
import sys

which, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)


def write(name, data):
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)


def arm64_decode():
    # (ESR, data word, address word, buffer size): a str w1 and an ldrsh x3
    # from a lower EL, an HVC, an MSR trap, an instruction abort.
    recs = [(0x93c08007, 0x12345678, 0x90000004, 40),
            (0x9343800f | (1 << 21), 0x8001, 0x1000, 80),
            (0x5a000042, 0x600003c9, 0, 16),
            (0x62340401, 0x3c5, 0, 8),
            (0x82000006, 0x1d3, 0, 0)]
    write("aborts", b"".join(struct.pack("<QQQB", *r) for r in recs))


def riscv_decode():
    # (insn, htinst, raw, buffer size): lw a0,0(a1); sd a2,8(a3); c.lw;
    # c.sdsp; lbu; an htinst of a compressed load.
    recs = [(0x0005a503, 0x00002503, 0x80000000, 20),
            (0x00c6b423, 0x00c03023, 0xffffffff, 40),
            (0x4188, 0x2501, 0x8000, 5),
            (0xe432, 0x00c03021, 0x1, 64),
            (0x0005c503, 21, 0x8000000000000000, 30),
            (0x2188, 0x8000000000000009, 0x80, 1)]
    write("loads", b"".join(struct.pack("<IQQB", *r) for r in recs))


def vgic():
    # Header: version bit 0 (1: v3), vCPUs; LRs; SPIs. Ops as fuzz_vgic.c's
    # step(): op (low nibble: which, high: flags), cpu, other, the fields.
    def aimed(cpu, redist, pick, at, size_log2, write, val, frame=0):
        return struct.pack("<BBBBHHBQ", 2 if redist else 1, cpu, frame, size_log2, pick, at,
                           write, val)

    def enter(cpu):
        return struct.pack("<BBB", 6, cpu, 0)

    def leave(cpu, steps):
        return struct.pack("<BBB", 8, cpu, 0) + bytes(steps)

    def line(cpu, intid, up):
        return struct.pack("<BBBH", 3 | (0x40 if up else 0), cpu, 0, intid)

    # v3, 4 vCPUs, 4 LRs, 64 SPIs: what Linux's gic-v3 does at boot, then an
    # SPI raised, delivered, acknowledged and deactivated.
    v3 = struct.pack("<BBH", 1 | (3 << 1), 3, 64)
    v3 += aimed(0, False, 0, 0, 2, 1, 0x13)              # GICD_CTLR: ARE, G1
    v3 += aimed(0, False, 4, 4, 2, 1, 0xffffffff)        # GICD_ISENABLER1
    v3 += aimed(0, False, 10, 32, 2, 1, 0xa0a0a0a0)      # GICD_IPRIORITYR8
    v3 += aimed(0, True, 2, 0, 2, 1, 0)                  # GICR_WAKER
    v3 += aimed(1, True, 0x8001, 0, 2, 1, 0xffff, 1)     # vCPU 1's GICR ISENABLER0
    # (exit takes a byte per list register in use: one here)
    v3 += line(1, 33, True) + enter(0) + leave(0, [1])   # acknowledged
    v3 += line(1, 33, False) + enter(0) + leave(0, [3])  # deactivated
    v3 += struct.pack("<BBBQ", 10, 0, 0, 0x0000000001000002)  # SGI 1 to vCPU 1
    v3 += enter(1) + leave(1, [1])
    write("v3-boot", v3)
    # v2, 2 vCPUs: enable, target an SPI, SGIs through GICD_SGIR.
    v2 = struct.pack("<BBH", 0 | (1 << 1), 3, 64)
    v2 += aimed(0, False, 0, 0, 2, 1, 0x3)               # GICD_CTLR
    v2 += aimed(0, False, 4, 4, 2, 1, 0xffffffff)        # GICD_ISENABLER1
    v2 += aimed(0, False, 11, 32, 2, 1, 0x02020202)      # GICD_ITARGETSR8
    v2 += aimed(0, False, 13, 0, 2, 1, 0x00020003)       # GICD_SGIR: SGI 3 to CPU 1
    v2 += enter(1) + leave(1, [1, 1])
    write("v2-boot", v2)


def vplic():
    # QEMU virt: 96 sources, 2 contexts. Ops as fuzz_vplic.c reads them.
    def aimed(kind, ctx, idx, write, val):
        return struct.pack("<BBHBI", 1 | (0x80 if write else 0), ctx, idx, kind, val)

    s = struct.pack("<HB", 94, 1)
    s += aimed(0, 0, 10, True, 1)       # priority of source 10
    s += aimed(2, 0, 0, True, 1 << 10)  # context 0 enables it
    s += aimed(3, 0, 0, True, 0)        # threshold 0
    s += struct.pack("<BBH", 3 | 0x80, 0, 10)  # line 10 up
    s += aimed(4, 0, 0, False, 0)       # claim
    s += aimed(4, 0, 0, True, 10)       # complete
    write("uart", s)


def sbi_harts():
    # 4 vCPUs with hart IDs 0-3; (mask, base, start, size, asid) records.
    recs = [(0xf, 0, 0, 0, 0), (1, 3, 0x1000, 0x2000, 1), (0, 2**64 - 1, 0x80000000, 2**64 - 1, 5),
            (0x3, 2, 0x10fff, 2, 0)]
    write("masks", b"\x03" + b"".join(struct.pack("<QQQQH", *r) for r in recs))


{"fuzz_arm64_decode": arm64_decode, "fuzz_riscv_decode": riscv_decode, "fuzz_vgic": vgic,
 "fuzz_vplic": vplic, "fuzz_sbi_harts": sbi_harts}[which]()
