/*
 * What the SDEI test guest's files share (sdei.c runs the checks of
 * sdei_calls.c, sdei_delivery.c and its own): the calls, their codes and
 * PSTATE bits, the handler's records (sdei_lib.c), the sentinel call and
 * the DT lookups.
 */
#ifndef TESTS_GUESTS_SDEI_GUEST_H
#define TESTS_GUESTS_SDEI_GUEST_H

#include <guest.h>
#include <libfdt.h>
#include <string.h>
#include <tern/printk.h>

#include "sdei_asm.h"

/* --- SDEI calls ----------------------------------------------------------- */

#define SDEI_FID(n) (0xc4000000u | (n)) /* SMC64 */
#define SDEI_FID32(n) (0x84000000u | (n)) /* SMC32 */
enum {
	FN_VERSION = 0x20, FN_EVENT_REGISTER, FN_EVENT_ENABLE, FN_EVENT_DISABLE,
	FN_EVENT_CONTEXT, FN_EVENT_COMPLETE, FN_EVENT_COMPLETE_AND_RESUME, FN_EVENT_UNREGISTER,
	FN_EVENT_STATUS, FN_EVENT_GET_INFO, FN_EVENT_ROUTING_SET, FN_PE_MASK, FN_PE_UNMASK,
	FN_INTERRUPT_BIND, FN_INTERRUPT_RELEASE, FN_EVENT_SIGNAL, FN_FEATURES,
	FN_PRIVATE_RESET, FN_SHARED_RESET,
};

#define SMCCC_ARCH_FEATURES 0x80000001u

#define SUCCESS 0L
#define NOT_SUPPORTED (-1L)
#define INVALID_PARAMETERS (-2L)
#define DENIED (-3L)
#define PENDING (-5L)
#define OUT_OF_RESOURCE (-10L)

#define SDEI_VERSION_1_1 0x0001000100000000UL

#define EV_SOFTWARE 0UL
#define EV_ASYNC_PF 0x40400000UL
#define EV_UNKNOWN 5UL

/* EVENT_STATUS bits. */
#define ST_REGISTERED 1L
#define ST_ENABLED 2L
#define ST_RUNNING 4L

/* PSTATE as SPSR shows it. */
#define PSR_EL1H 0x5UL
#define PSR_F (1UL << 6)
#define PSR_I (1UL << 7)
#define PSR_A (1UL << 8)
#define PSR_D (1UL << 9)
#define PSR_DAIF (PSR_D | PSR_A | PSR_I | PSR_F)
#define PSR_N (1UL << 31)
#define PSR_Z (1UL << 30)
#define PSR_C (1UL << 29)
#define PSR_V (1UL << 28)
/* The PSTATE fields the guest sets and reads back: NZCV, DAIF, M[4:0]. */
#define PSR_CHECKED (0xf0000000UL | PSR_DAIF | 0x1fUL)
#define CURRENTEL_EL1 (1UL << 2)

/* SDEI's conduit is the DT's "method"; tern says hvc (checked). */
static inline long hvc6(uint32_t fid, unsigned long a1, unsigned long a2, unsigned long a3,
			       unsigned long a4, unsigned long a5)
{
	register unsigned long x0 __asm__("x0") = fid;
	register unsigned long x1 __asm__("x1") = a1;
	register unsigned long x2 __asm__("x2") = a2;
	register unsigned long x3 __asm__("x3") = a3;
	register unsigned long x4 __asm__("x4") = a4;
	register unsigned long x5 __asm__("x5") = a5;

	__asm__ volatile("hvc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5)
			 :
			 : "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15",
			   "x16", "x17", "memory");
	return (long)x0;
}

static inline long smc1(uint32_t fid)
{
	register unsigned long x0 __asm__("x0") = fid;

	__asm__ volatile("smc #0"
			 : "+r"(x0)
			 :
			 : "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11",
			   "x12", "x13", "x14", "x15", "x16", "x17", "memory");
	return (long)x0;
}

static inline long sdei(unsigned int fn, unsigned long a1, unsigned long a2)
{
	return hvc6(SDEI_FID(fn), a1, a2, 0, 0, 0);
}

static inline long sdei0(unsigned int fn)
{
	return sdei(fn, 0, 0);
}

static inline long ev_register(unsigned long ev, uintptr_t entry, unsigned long arg,
			       unsigned long flags, unsigned long aff)
{
	return hvc6(SDEI_FID(FN_EVENT_REGISTER), ev, entry, arg, flags, aff);
}

static inline long ev_status(unsigned long ev)
{
	return sdei(FN_EVENT_STATUS, ev, 0);
}

static inline long ev_signal(unsigned long ev, unsigned long mpidr)
{
	return sdei(FN_EVENT_SIGNAL, ev, mpidr);
}

/* --- The handler ---------------------------------------------------------- */

/* What sdei_entry saved (entry.S, HF_*). */
struct handler_frame {
	uint64_t x[31];
	uint64_t sp, daif, curel, spsel, nzcv;
};
_Static_assert(sizeof(struct handler_frame) == HF_SIZE, "HF_SIZE");
_Static_assert(offsetof(struct handler_frame, sp) == HF_SP, "HF_SP");
_Static_assert(offsetof(struct handler_frame, nzcv) == HF_NZCV, "HF_NZCV");

/* What the handler does besides recording, in order, on its first run. */
enum hop {
	HOP_END,
	HOP_STATUS,         /* EVENT_STATUS(own event) */
	HOP_STATUS_APF,     /* EVENT_STATUS(async-PF event) */
	HOP_ENABLE,
	HOP_DISABLE,
	HOP_REGISTER,       /* own event again */
	HOP_UNREGISTER,
	HOP_SIGNAL_SELF,    /* EVENT_SIGNAL(0, this CPU) */
	HOP_PRIVATE_RESET,
	HOP_SIGNAL_SELF_X19, /* the same, with x19-x28 changed around the HVC */
};
#define MAX_HOPS 10
#define MAX_REC 4

/* One run of the handler. */
struct hrec {
	struct handler_frame f; /* registers and PSTATE on entry */
	uint64_t mpidr;
	uint64_t ctx[18];       /* EVENT_CONTEXT(0..17) */
	long ctx18, ctx_huge;   /* EVENT_CONTEXT(18), (~0) */
	long status;            /* EVENT_STATUS(own event) on entry */
	long op[MAX_HOPS];      /* results of the hops */
	unsigned int depth;     /* handlers running on this CPU, this one included */
};

/* A handler's instructions and records; its address is the argument the
 * event is registered with, so x1 on entry names it. */
struct hctl {
	enum hop ops[MAX_HOPS];
	bool resume; /* end with COMPLETE_AND_RESUME(sdei_resume_target) */
	unsigned int count; /* runs so far */
	struct hrec rec[MAX_REC];
};

/* What sdei_resume_target saw (entry.S, RR_*). */
struct resume_record {
	uint64_t count, elr, spsr, daif, curel, spsel, sp;
	uint64_t x[18];
};
_Static_assert(offsetof(struct resume_record, x) == RR_X, "RR_X");

void sdei_entry(void);
void sdei_resume_target(void);
extern struct resume_record resume_record;

struct completion {
	uint64_t fid, arg;
};
struct completion sdei_handler(struct handler_frame *f);
noreturn void sdei_completion_refused(long ret);

extern struct hctl ctl0, ctl1; /* CPU 0's handler, the second CPU's */
extern unsigned int depth[MAX_CPUS]; /* handlers running, per CPU */
extern unsigned int stray_entries; /* entered with an argument that is no hctl */
unsigned int handled(const struct hctl *h);
void hctl_reset(struct hctl *h, bool resume, const enum hop *ops, unsigned int nops);
/* Nothing registered, the PE masked: where each group starts from. */
void sdei_clean(void);
long register_ctl(unsigned long ev, struct hctl *h);

/* "<what> = <got> (expected <NAME>)": a call's return code; check_val the
 * same for a value (STATUS bits, GET_INFO, PE_MASK). */
void __printf(3, 4) check_ret(long got, long want, const char *fmt, ...);
void __printf(3, 4) check_val(long got, long want, const char *fmt, ...);

/* --- The sentinel call ---------------------------------------------------- */

struct sentinel_call {
	uint64_t in[31], out[31];
	uint64_t daif_in, nzcv_in, daif_out, nzcv_out;
	uint64_t sp_in, sp_out, pc;
};
_Static_assert(offsetof(struct sentinel_call, out) == SC_OUT, "SC_OUT");
_Static_assert(offsetof(struct sentinel_call, pc) == SC_PC, "SC_PC");
void sentinel_call(struct sentinel_call *s);
/* The interrupted context is made distinctive: D unmasked (nothing at EL1
 * raises debug exceptions here), A, I, F masked; N and C set. */
#define SC_DAIF (PSR_A | PSR_I | PSR_F)
#define SC_NZCV (PSR_N | PSR_C)
uint64_t sentinel(unsigned int n);
void sentinel_setup(struct sentinel_call *s, uint32_t fid, uint64_t a1, uint64_t a2);
void report_regs(const char *what, const uint64_t *got, const uint64_t *want, int from, int to);

bool ram_range(uint64_t *base, uint64_t *size);
/* An MPIDR no CPU has. */
unsigned long absent_mpidr(void);
int second_cpu(void);

/* The checks, by file. */
void check_dt(int node);
void check_version_features(void);
void check_unallocated(void);
void check_get_info(void);
void check_unknown_events(void);
void check_binding_routing(void);
void check_state_machine(void);
void check_register_args(void);
void check_async_pf(void);
void check_smc32(void);
void check_mask(void);
void check_delivery(void);
void check_pending(void);
void check_in_handler(void);
void check_private_reset(void);
void check_other_cpu(void);

#endif
