/*
 * The host arch's guest image rules: arm64's or RISC-V's, switchable, so
 * one unit-test binary checks the loader against both. Defined writable
 * here, in a file that does not see <tern/arch.h>'s const declarations;
 * core reads them through those.
 */
#include <string.h>
#include <arch/host.h>

char arch_image_magic[4] = { 'A', 'R', 'M', 0x64 };
uint64_t arch_image_default_offset = 0x80000;
uint16_t arch_elf_machine = 183;

void host_image_rules(bool riscv)
{
	memcpy(arch_image_magic, riscv ? "RSC\x05" : "ARM\x64", 4);
	arch_image_default_offset = riscv ? 0x200000 : 0x80000;
	arch_elf_machine = riscv ? 243 : 183;
}
