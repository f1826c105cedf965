/*
 * Turning an exception syndrome into words for trap dumps. No inline
 * assembly, and its own headers are included by relative path, so the
 * tables are unit-tested on the host without arm64 include paths.
 */
#include "include/arch/esr.h"
#include "include/arch/trap.h"
#include <tern/compiler.h>
#include <tern/printk.h>

/* Every exception class the Arm ARM allocates (DDI 0487), by ESR_ELx.EC. */
static const char *const ec_names[ESR_EC_COUNT] = {
	[ESR_EC_UNKNOWN] = "Unknown reason",
	[ESR_EC_WFX] = "Trapped WFI/WFE/WFIT/WFET",
	[ESR_EC_CP15_32] = "Trapped AArch32 MCR/MRC (coproc 0b1111)",
	[ESR_EC_CP15_64] = "Trapped AArch32 MCRR/MRRC (coproc 0b1111)",
	[ESR_EC_CP14_32] = "Trapped AArch32 MCR/MRC (coproc 0b1110)",
	[ESR_EC_CP14_LS] = "Trapped AArch32 LDC/STC",
	[ESR_EC_FP_ASIMD] = "Trapped SME, SVE, Advanced SIMD or FP access",
	[ESR_EC_CP10_ID] = "Trapped AArch32 VMRS (ID group)",
	[ESR_EC_PAC] = "Trapped pointer authentication instruction",
	[ESR_EC_LS64] = "Trapped LD64B/ST64B/ST64BV/ST64BV0",
	[ESR_EC_CP14_64] = "Trapped AArch32 MRRC (coproc 0b1110)",
	[ESR_EC_BTI] = "Branch Target Exception",
	[ESR_EC_ILL] = "Illegal Execution state",
	[ESR_EC_SVC32] = "SVC32",
	[ESR_EC_HVC32] = "HVC32",
	[ESR_EC_SMC32] = "SMC32",
	[ESR_EC_SYS128] = "Trapped MSRR/MRRS/SYSP (128-bit)",
	[ESR_EC_SVC64] = "SVC64",
	[ESR_EC_HVC64] = "HVC64",
	[ESR_EC_SMC64] = "SMC64",
	[ESR_EC_SYS64] = "Trapped MSR/MRS/system instruction",
	[ESR_EC_SVE] = "Trapped SVE access",
	[ESR_EC_ERET] = "Trapped ERET/ERETAA/ERETAB",
	[ESR_EC_TSTART] = "Trapped TSTART",
	[ESR_EC_FPAC] = "Pointer authentication failure",
	[ESR_EC_SME] = "Trapped SME access",
	[ESR_EC_GPC] = "Granule Protection Check",
	[ESR_EC_IMP_DEF] = "IMPLEMENTATION DEFINED exception to EL3",
	[ESR_EC_IABT_LOW] = "Instruction Abort from lower EL",
	[ESR_EC_IABT_CUR] = "Instruction Abort from current EL",
	[ESR_EC_PC_ALIGN] = "PC alignment fault",
	[ESR_EC_DABT_LOW] = "Data Abort from lower EL",
	[ESR_EC_DABT_CUR] = "Data Abort from current EL",
	[ESR_EC_SP_ALIGN] = "SP alignment fault",
	[ESR_EC_MOPS] = "Memory Operation Exception",
	[ESR_EC_FP_EXC32] = "Trapped AArch32 floating-point exception",
	[ESR_EC_FP_EXC64] = "Trapped AArch64 floating-point exception",
	[ESR_EC_GCS] = "Guarded Control Stack exception",
	[ESR_EC_SERROR] = "SError interrupt",
	[ESR_EC_BREAKPT_LOW] = "Breakpoint from lower EL",
	[ESR_EC_BREAKPT_CUR] = "Breakpoint from current EL",
	[ESR_EC_SOFTSTP_LOW] = "Software Step from lower EL",
	[ESR_EC_SOFTSTP_CUR] = "Software Step from current EL",
	[ESR_EC_WATCHPT_LOW] = "Watchpoint from lower EL",
	[ESR_EC_WATCHPT_CUR] = "Watchpoint from current EL",
	[ESR_EC_BKPT32] = "AArch32 BKPT",
	[ESR_EC_VECTOR32] = "AArch32 Vector Catch",
	[ESR_EC_BRK64] = "BRK64",
};

const char *esr_ec_name(unsigned int ec)
{
	if (ec < ESR_EC_COUNT && ec_names[ec])
		return ec_names[ec];
	return "Unallocated exception class";
}

static const char *const vector_names[TRAP_VECTORS] = {
	"Synchronous from EL2t", "IRQ from EL2t", "FIQ from EL2t", "SError from EL2t",
	"Synchronous from EL2h", "IRQ from EL2h", "FIQ from EL2h", "SError from EL2h",
	"Synchronous from lower EL (AArch64)", "IRQ from lower EL (AArch64)",
	"FIQ from lower EL (AArch64)", "SError from lower EL (AArch64)",
	"Synchronous from lower EL (AArch32)", "IRQ from lower EL (AArch32)",
	"FIQ from lower EL (AArch32)", "SError from lower EL (AArch32)",
};

const char *trap_vector_name(unsigned int vector)
{
	if (vector < TRAP_VECTORS)
		return vector_names[vector];
	return "Unknown vector";
}

/* Fault status codes whose low two bits are the lookup level. */
static const char *const fsc_level_names[16] = {
	[0x0] = "address size fault",
	[0x1] = "translation fault",
	[0x2] = "access flag fault",
	[0x3] = "permission fault",
	[0x5] = "synchronous external abort on table walk",
	[0x7] = "parity/ECC error on table walk",
};

const char *esr_fsc_name(unsigned int fsc, unsigned int *level)
{
	const char *name = NULL;

	fsc &= 0x3f;
	if (level)
		*level = ~0u;
	if (fsc < 0x20 && fsc_level_names[fsc >> 2]) {
		if (level)
			*level = fsc & 3;
		return fsc_level_names[fsc >> 2];
	}
	switch (fsc) {
	case 0x10: name = "synchronous external abort"; break;
	case 0x11: name = "synchronous tag check fault"; break;
	case 0x18: name = "synchronous parity/ECC error"; break;
	case 0x21: name = "alignment fault"; break;
	case 0x23: name = "granule protection fault"; break;
	case 0x29: name = "address size fault, level -1"; break;
	case 0x2b: name = "translation fault, level -1"; break;
	case 0x30: name = "TLB conflict abort"; break;
	case 0x31: name = "unsupported atomic hardware update"; break;
	case 0x34: name = "IMPLEMENTATION DEFINED fault (lockdown)"; break;
	case 0x35: name = "IMPLEMENTATION DEFINED fault (exclusive/atomic)"; break;
	default: name = "reserved fault status code"; break;
	}
	return name;
}

static int describe_abort(char *buf, size_t size, uint64_t esr, bool data)
{
	uint32_t iss = ESR_ISS(esr);
	unsigned int level;
	const char *what = esr_fsc_name(iss & 0x3f, &level);
	char lvl[16] = "", access[32] = "";

	if (level != ~0u)
		tern_snprintf(lvl, sizeof(lvl), ", level %u", level);
	/* ISV: SAS (size) and SRT (register) describe the access; only
	 * single-register loads and stores have them. */
	if (data && (iss & (1u << 24))) {
		unsigned int srt = (iss >> 16) & 0x1f, bytes = 1u << ((iss >> 22) & 3);
		char reg[8];

		/* SF: 64-bit register; register 31 is the zero register here. */
		if (srt == 31)
			tern_snprintf(reg, sizeof(reg), "%s", (iss & (1u << 15)) ? "xzr" : "wzr");
		else
			tern_snprintf(reg, sizeof(reg), "%c%u", (iss & (1u << 15)) ? 'x' : 'w', srt);
		tern_snprintf(access, sizeof(access), " of %u byte%s via %s", bytes,
			      bytes == 1 ? "" : "s", reg);
	}
	/* FnV: FAR is not valid; S1PTW: the fault hit a stage-1 table walk
	 * (stage 2 only); ISV: SAS/SRT describe the access (emulation later). */
	if (!data)
		return tern_snprintf(buf, size, "IFSC 0x%02x (%s%s)%s%s", iss & 0x3f, what, lvl,
				     (iss & (1u << 10)) ? ", FAR not valid" : "",
				     (iss & (1u << 7)) ? ", on stage-1 walk" : "");
	return tern_snprintf(buf, size, "DFSC 0x%02x (%s%s), %s%s%s%s%s", iss & 0x3f, what, lvl,
			     (iss & (1u << 6)) ? "write" : "read", access,
			     (iss & (1u << 8)) ? ", cache maintenance" : "",
			     (iss & (1u << 10)) ? ", FAR not valid" : "",
			     (iss & (1u << 7)) ? ", on stage-1 walk" : "");
}

static int describe_sysreg(char *buf, size_t size, uint32_t iss)
{
	/* ISS: Op0[21:20] Op2[19:17] Op1[16:14] CRn[13:10] Rt[9:5] CRm[4:1] Dir[0]. */
	return tern_snprintf(buf, size, "%s S%u_%u_C%u_C%u_%u, x%u",
			     (iss & 1) ? "MRS" : "MSR", (iss >> 20) & 3, (iss >> 14) & 7,
			     (iss >> 10) & 0xf, (iss >> 1) & 0xf, (iss >> 17) & 7, (iss >> 5) & 0x1f);
}

int esr_describe_iss(char *buf, size_t size, uint64_t esr)
{
	static const char *const wfx[4] = { "WFI", "WFE", "WFIT", "WFET" };
	uint32_t iss = ESR_ISS(esr);

	switch (ESR_EC(esr)) {
	case ESR_EC_DABT_LOW:
	case ESR_EC_DABT_CUR:
		return describe_abort(buf, size, esr, true);
	case ESR_EC_IABT_LOW:
	case ESR_EC_IABT_CUR:
		return describe_abort(buf, size, esr, false);
	case ESR_EC_SYS64:
		return describe_sysreg(buf, size, iss);
	case ESR_EC_SVC32:
	case ESR_EC_HVC32:
	case ESR_EC_SVC64:
	case ESR_EC_HVC64:
	case ESR_EC_SMC64:
	case ESR_EC_BRK64:
		return tern_snprintf(buf, size, "imm16 0x%04x", iss & 0xffff);
	case ESR_EC_WFX:
		return tern_snprintf(buf, size, "%s", wfx[iss & 3]);
	default:
		return tern_snprintf(buf, size, "ISS 0x%07x", iss);
	}
}

int spsr_describe(char *buf, size_t size, uint64_t spsr)
{
	static const char *const a32_modes[16] = {
		[0x0] = "usr", [0x1] = "fiq", [0x2] = "irq", [0x3] = "svc", [0x6] = "mon",
		[0x7] = "abt", [0xa] = "hyp", [0xb] = "und", [0xf] = "sys",
	};
	unsigned int m = spsr & 0xf;
	unsigned int nzcv = (spsr >> 28) & 0xf;
	unsigned int daif = (spsr >> 6) & 0xf;
	char mode[16];

	if (spsr & (1u << 4))
		tern_snprintf(mode, sizeof(mode), "AArch32 %s",
			      a32_modes[m] ? a32_modes[m] : "(bad mode)");
	else
		tern_snprintf(mode, sizeof(mode), "EL%u%c", m >> 2, (m & 1) ? 'h' : 't');
	return tern_snprintf(buf, size, "%s, NZCV=%u%u%u%u, DAIF=%u%u%u%u%s", mode,
			     (nzcv >> 3) & 1, (nzcv >> 2) & 1, (nzcv >> 1) & 1, nzcv & 1,
			     (daif >> 3) & 1, (daif >> 2) & 1, (daif >> 1) & 1, daif & 1,
			     (spsr & (1u << 20)) ? ", IL" : "");
}

enum arm64_debug_trap arm64_debug_trap_kind(uint32_t iss, bool debug_loaded)
{
	unsigned int op1 = (iss >> 14) & 7;

	if (op1 == 1 || debug_loaded)
		return ARM64_DEBUG_UNDEF;
	return ARM64_DEBUG_LAZY_LOAD;
}
