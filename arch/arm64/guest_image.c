/*
 * How arm64 guest kernels are recognised and placed, as QEMU's -kernel
 * does it on the virt board (hw/arm/boot.c), so an image that boots there
 * boots under tern at the same address.
 */
#include <tern/arch.h>

/* The arm64 Linux Image header's magic, at offset 56. */
const char arch_image_magic[4] = { 'A', 'R', 'M', 0x64 };

/* QEMU loads a raw arm64 binary (no Image header, or a header whose
 * image_size is 0) at RAM base + 0x80000, the old fixed text_offset. */
const uint64_t arch_image_default_offset = 0x80000;

const uint16_t arch_elf_machine = 183; /* EM_AARCH64 */
