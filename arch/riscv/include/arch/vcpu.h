/*
 * The RISC-V parts of struct vcpu and struct vm (<tern/vm.h> embeds them).
 * core/ includes this header, so it holds data only: no inline assembly.
 *
 * A vCPU's state lives in two places:
 *   - its general registers, sepc, sstatus and hstatus (struct
 *     riscv_guest_regs) are saved and restored by the world switch
 *     (guest_entry.S) on every exit;
 *   - its VS-level CSRs, hvip and timer compare are in hardware while it
 *     is loaded on a hart (arch_vcpu_load to arch_vcpu_put) and in csr[] otherwise;
 *   - its FP registers are saved only when the guest dirtied them
 *     (sstatus.FS == Dirty at exit) and reloaded only when another
 *     vCPU's state has been in the hart's FP registers since.
 */
#ifndef ARCH_RISCV_VCPU_H
#define ARCH_RISCV_VCPU_H

#include <arch/vplic_model.h>
#include <tern/mmio.h>
#include <tern/pgtable.h>
#include <tern/event.h>
#include <tern/spinlock.h>
#include <tern/types.h>

/*
 * The guest frame. guest_entry.S reads and writes it at offsets generated
 * from this definition (asm-offsets.c). x[] is indexed by register number
 * (x[0] unused), so the MMIO decoder and SBI handlers use rd/a0 directly.
 * The trap CSRs of the last exit are captured here before any C runs.
 */
struct riscv_guest_regs {
	uint64_t x[32];
	uint64_t sepc;    /* where the guest resumes */
	uint64_t sstatus; /* SPP (guest privilege), SPIE, FS of the guest */
	uint64_t hstatus; /* SPV, SPVP, VTW... while the guest runs */
	uint64_t scause;  /* of the last exit */
	uint64_t stval;
	uint64_t htval;
	uint64_t htinst;
	/* tern's own state across the guest run: its sp and the CSRs the
	 * switch replaces (stvec, sscratch, sstatus, hstatus). */
	uint64_t host_sp;
	uint64_t host_stvec;
	uint64_t host_sscratch;
	uint64_t host_sstatus;
	uint64_t host_hstatus;
	uint64_t host_callee[14]; /* ra, gp, tp, s0-s11 */
};

/* VS-level CSRs switched with the vCPU, as one list for the enum, the save
 * and the restore (vcpu.c). */
#define RISCV_GUEST_CSRS(X) \
	X(vsstatus) X(vsie) X(vstvec) X(vsscratch) X(vsepc) X(vscause) X(vstval) \
	X(vsatp) X(hvip)

#define RISCV_CSR_ENUM(name) GCSR_##name,
enum riscv_guest_csr { RISCV_GUEST_CSRS(RISCV_CSR_ENUM) GCSR_COUNT };
#undef RISCV_CSR_ENUM

struct riscv_fp_state {
	uint64_t f[32];
	uint64_t fcsr;
};

/* A remote fence another vCPU asked for (SBI RFENCE or legacy
 * REMOTE_SFENCE_VMA*), carried out by this vCPU's own hart before the
 * vCPU next runs: the guest TLB entries live in that hart only. */
struct riscv_fence_req {
	bool fence_i;
	bool vma_all;      /* flush every VS-stage translation of the VM */
	bool vma_pending;  /* a ranged request below is pending */
	bool vma_has_asid;
	uint64_t vma_start, vma_size, vma_asid;
};

/* SBI SSE (arch/riscv/vsbi/sse.c, sse_deliver.c): the attributes of each
 * event that the event core does not keep, and the guest's interrupted
 * context as the spec's INTERRUPTED_* attributes hold it. tern runs one
 * handler at a time; `active` is the event whose handler runs (valid while
 * events.running >= 0). Under events.lock. */
struct riscv_sse_event {
	uint32_t priority;
	uint64_t config;        /* bit 0: one-shot */
	uint64_t sepc;          /* INTERRUPTED_SEPC: the guest's vsepc */
	uint64_t flags;         /* INTERRUPTED_FLAGS: the six bits of SBI 3.0 (SPP, SPIE of vsstatus at entry) */
	uint64_t a6, a7;        /* INTERRUPTED_A6 / A7 */
};

struct riscv_sse {
	struct riscv_sse_event ev[EV_COUNT];
	unsigned int active;
};

struct arch_vcpu {
	struct riscv_guest_regs regs;
	uint64_t csr[GCSR_COUNT];
	uint64_t vstimecmp;     /* Sstc: the guest's compare (loaded while running) */
	uint64_t sbi_timer;     /* without Sstc: the SBI set_timer deadline, or UINT64_MAX */
	struct riscv_fp_state fp;
	bool fp_used;           /* fp holds state worth restoring */
	bool reset_done;        /* the exit's results must not land in a0/a1: a reset or an SSE completion */
	bool regs_reset;        /* every register was reset during the current exit (fast path) */
	bool entry_work;        /* its SBI timer moved: the next entry must look */
	unsigned int fast_next; /* enum vcpu_next of an exit the fast path handled */
	/* Interrupts other harts raise for this vCPU (hvip bits), merged into
	 * csr[GCSR_hvip] or the hardware hvip by the vCPU's own hart. */
	_Atomic uint64_t hvip_set, hvip_clear;
	spinlock_t fence_lock;
	struct riscv_fence_req fence;
	_Atomic unsigned int fence_any; /* fence has a request: checked without the lock */
	unsigned int fence_seq;         /* requests made so far, under fence_lock */
	_Atomic unsigned int fence_done; /* fence_seq as of the last fences carried out */
	/* HSM suspend: a non-retentive suspend resumes here on wake-up. */
	bool suspend_nonret;
	uint64_t resume_addr, resume_opaque;
	bool hsm_suspended;
	struct riscv_sse sse;
	uint32_t fwft_locked;   /* SBI FWFT features locked until the hart's reset */
};

/* The guest's interrupt controller: one PLIC, one S-mode context per vCPU. */
struct riscv_vplic {
	spinlock_t lock;
	struct vplic_model model;
	struct mmio_device dev; /* on the VM's MMIO bus: base and size are the DT's */
	uint32_t phandle;
};

struct arch_vm {
	unsigned int vmid;
	bool sv48x4;            /* G-stage Sv48x4 (else Sv39x4) */
	bool sstc;              /* the guest programs vstimecmp itself */
	struct riscv_vplic plic;
	char isa[128];          /* the guest's riscv,isa */
};

#endif
