/*
 * RISC-V control and status registers: the bits tern uses, and accessors.
 * Included from assembly too, so the constants stay plain integers there.
 * The accessors are inline assembly: host-compiled files must not include
 * this header.
 */
#ifndef ARCH_RISCV_CSR_H
#define ARCH_RISCV_CSR_H

#ifdef __ASSEMBLY__
#define _UL(x) x
#else
#define _UL(x) x##UL
#endif

/* sstatus */
#define SSTATUS_SIE _UL(0x2)
#define SSTATUS_SPIE _UL(0x20)
#define SSTATUS_SPP _UL(0x100)
#define SSTATUS_FS _UL(0x6000)
#define SSTATUS_VS _UL(0x600)
#define SSTATUS_SUM _UL(0x40000)

/* sie / sip: supervisor software interrupt (an SBI IPI) */
#define SIE_SSIE _UL(0x2)
#define SIP_SSIP _UL(0x2)

/* scause: the top bit says interrupt; the rest is the cause code. */
#define SCAUSE_INTERRUPT (_UL(1) << 63)
#define SCAUSE_ILLEGAL_INSN 2

/* satp */
#define SATP_MODE_SHIFT 60
#define SATP_MODE_BARE 0
#define SATP_MODE_SV39 8
#define SATP_MODE_SV48 9
#define SATP_PPN_MASK ((_UL(1) << 44) - 1)

/* hcounteren: counters VS/VU-mode may read without trapping. */
#define HCOUNTEREN_CY _UL(0x1)
#define HCOUNTEREN_TM _UL(0x2)
#define HCOUNTEREN_IR _UL(0x4)

#ifndef __ASSEMBLY__
#include <tern/types.h>

#define csr_read(csr)                                                  \
	__extension__({                                                \
		unsigned long __v;                                     \
		__asm__ volatile("csrr %0, " #csr : "=r"(__v) : : "memory"); \
		__v;                                                   \
	})

#define csr_write(csr, val)                                                  \
	do {                                                                 \
		unsigned long __v = (unsigned long)(val);                    \
		__asm__ volatile("csrw " #csr ", %0" : : "rK"(__v) : "memory"); \
	} while (0)

#define csr_set(csr, bits)                                                   \
	do {                                                                 \
		unsigned long __v = (unsigned long)(bits);                   \
		__asm__ volatile("csrs " #csr ", %0" : : "rK"(__v) : "memory"); \
	} while (0)

#define csr_clear(csr, bits)                                                 \
	do {                                                                 \
		unsigned long __v = (unsigned long)(bits);                   \
		__asm__ volatile("csrc " #csr ", %0" : : "rK"(__v) : "memory"); \
	} while (0)

/* Order earlier page-table stores before later implicit walks, and drop
 * every cached translation of this hart. */
static inline void local_flush_tlb_all(void)
{
	__asm__ volatile("sfence.vma" : : : "memory");
}

/*
 * Guest TLB maintenance (H extension), spelled with .insn so that the
 * assembler needs no H support. HFENCE.GVMA acts on G-stage entries,
 * HFENCE.VVMA on VS-stage ones of the VMID in hgatp; a source register x0
 * means "every address" / "every VMID or ASID", which a register holding
 * 0 does not, hence one function per form. All act on this hart only.
 */
static inline void hfence_gvma_vmid(unsigned long vmid)
{
	__asm__ volatile(".insn r 0x73, 0, 0x31, x0, x0, %0" : : "r"(vmid) : "memory");
}

/* Every G-stage entry of every VMID (and what was built on them). */
static inline void hfence_gvma_all(void)
{
	__asm__ volatile(".insn r 0x73, 0, 0x31, x0, x0, x0" : : : "memory");
}

/* gpa_shr2: the guest physical address shifted right by 2. */
static inline void hfence_gvma_gpa(unsigned long gpa_shr2, unsigned long vmid)
{
	__asm__ volatile(".insn r 0x73, 0, 0x31, x0, %0, %1" : : "r"(gpa_shr2), "r"(vmid) : "memory");
}

static inline void hfence_vvma_all(void)
{
	__asm__ volatile(".insn r 0x73, 0, 0x11, x0, x0, x0" : : : "memory");
}

static inline void hfence_vvma_asid(unsigned long asid)
{
	__asm__ volatile(".insn r 0x73, 0, 0x11, x0, x0, %0" : : "r"(asid) : "memory");
}

static inline void hfence_vvma_va(unsigned long va)
{
	__asm__ volatile(".insn r 0x73, 0, 0x11, x0, %0, x0" : : "r"(va) : "memory");
}

static inline void hfence_vvma_va_asid(unsigned long va, unsigned long asid)
{
	__asm__ volatile(".insn r 0x73, 0, 0x11, x0, %0, %1" : : "r"(va), "r"(asid) : "memory");
}

#endif /* !__ASSEMBLY__ */
#endif
