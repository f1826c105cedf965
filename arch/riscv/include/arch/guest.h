/*
 * Inside arch/riscv's guest support: the world switch, exit handling, the
 * per-hart timer, guest memory access and the hooks the SBI services use.
 * Not part of the arch contract (include/tern/arch.h).
 */
#ifndef ARCH_RISCV_GUEST_H
#define ARCH_RISCV_GUEST_H

#include <arch/trap_decode.h>
#include <arch/vcpu.h>
#include <arch/vmid.h>
#include <tern/types.h>

struct vcpu;
struct vm;

/* hstatus */
#define HSTATUS_GVA (1UL << 6)
#define HSTATUS_SPV (1UL << 7)
#define HSTATUS_SPVP (1UL << 8)
#define HSTATUS_VTW (1UL << 21)
#define HSTATUS_VSXL_64 (2UL << 32)

/* hvip / hip / hie: the VS-level interrupts, and HS's own in sie/sip. */
#define HVIP_VSSIP (1UL << 2)
#define HVIP_VSTIP (1UL << 6)
#define HVIP_VSEIP (1UL << 10)
#define HVIP_VS_ALL (HVIP_VSSIP | HVIP_VSTIP | HVIP_VSEIP)
#define SIE_STIE (1UL << 5)
#define SIE_SEIE (1UL << 9)
#define SIP_STIP (1UL << 5)
#define SIP_SEIP (1UL << 9)

/* sstatus fields the guest frame carries */
#define SSTATUS_FS_INITIAL (1UL << 13)
#define SSTATUS_FS_CLEAN (2UL << 13)
#define SSTATUS_FS_DIRTY (3UL << 13)

/* henvcfg */
#define HENVCFG_STCE (1UL << 63)

/* hgatp */
#define HGATP_MODE_SV39X4 8UL
#define HGATP_MODE_SV48X4 9UL
#define HGATP_MODE_SHIFT 60

/* scause codes: EXC_* and IRQ_* of <arch/trap_decode.h>. */

/* guest_entry.S */
/* Run the guest until it exits: GUEST_EXIT_HANDLED when the fast path
 * (arch/fast_exit.h) already handled that exit, else 0 (regs hold it). */
unsigned int riscv_guest_enter(struct riscv_guest_regs *regs);
void riscv_fp_save(struct riscv_fp_state *fp);
void riscv_fp_load(const struct riscv_fp_state *fp);

/* exit.c */
enum vcpu_next riscv_handle_exit(struct vcpu *v);
unsigned long riscv_fast_exit(struct riscv_guest_regs *regs);
/* Deliver an exception to the guest as the hardware would have: vscause,
 * vsepc, vstval, vsstatus.SPP/SPIE/SIE, and resume at vstvec. */
void riscv_inject_exception(struct vcpu *v, uint64_t cause, uint64_t tval);

/* vcpu.c */
struct vcpu *riscv_loaded_vcpu(void);
/* Raise VS-level interrupt bits (hvip) of a vCPU from any hart. */
void riscv_vcpu_raise(struct vcpu *v, uint64_t hvip_bits);
void riscv_vcpu_lower(struct vcpu *v, uint64_t hvip_bits);
/* fence.c: ask target to carry out a fence on its hart before it runs
 * again; the request's number, for riscv_fence_wait. */
unsigned int riscv_vcpu_fence(struct vcpu *target, const struct riscv_fence_req *req);
/* fence.c: what others asked of v, merged, with the number of the last
 * request taken (false: nothing asked); then, once carried out, done. */
bool riscv_fences_take(struct vcpu *v, struct riscv_fence_req *req, unsigned int *seq);
void riscv_fences_done(struct vcpu *v, unsigned int seq);
/* vcpu.c: carry out on this hart what others asked of v (loaded here). */
void riscv_fences_apply(struct vcpu *v);
/* fence.c: return once every vCPU i of self's VM with seq[i] != 0 (seq has one
 * entry per vCPU) has carried out its request seq[i], or is out of the
 * guest (it does so before it next enters). Fences asked of self meanwhile
 * are done here, so two vCPUs fencing each other both go on. Bounded: a
 * target in the guest was kicked. */
void riscv_fence_wait(struct vcpu *self, const unsigned int *seq);
/* The guest timer (SBI set_timer / legacy SET_TIMER). */
void riscv_vcpu_set_timer(struct vcpu *v, uint64_t deadline);

/* guest_vm.c / vcpu.c: the VM's hgatp; make every hart drop the VM's
 * G-stage entries before it next runs a vCPU of it. */
uint64_t riscv_hgatp(const struct vm *vm);
void riscv_vmid_flush_all(struct vm *vm);

/* timer.c: tern's own S-mode timer, shared by the slice and SBI timers. */
void riscv_timer_init(void);
bool riscv_host_has_sstc(void);
void riscv_timer_program(uint64_t deadline); /* UINT64_MAX: none */
void riscv_timer_expired(void); /* the timer fired: clear it, whatever the cache says */
uint64_t riscv_slice_deadline(void);
void riscv_slice_clear(void);

/* plic.c: the host PLIC. */
void riscv_plic_handle(void);
void riscv_kick_hart(uint64_t hartid);

/* vplic.c */
int riscv_vplic_init(struct vm *vm, const char **why);
void riscv_vplic_reset(struct vm *vm);
bool riscv_vplic_pending(struct vcpu *v);
int riscv_vplic_dt_node(struct vm *vm, void *fdt);

/* A guest-page fault at gpa: when gpa is RAM, map its page (first touch)
 * and say so; false for anything else (a device, nothing). */
bool riscv_first_touch(struct vcpu *v, uint64_t gpa);
/* guest_mem.c: guest virtual memory as the guest's S- or U-mode sees it,
 * through HLV/HLVX; a fault gives -E_FAULT, never a trap in tern. Only on
 * the hart the vCPU is loaded on. */
int riscv_guest_read_va(struct vcpu *v, uint64_t va, uint64_t *val, bool supervisor);
int riscv_guest_fetch(struct vcpu *v, uint64_t pc, uint32_t *insn, unsigned int *len);
/* The trap handler's side: a fault during one of those accesses (gpa:
 * the guest physical address of a G-stage fault, else ~0). */
bool riscv_guest_access_fault(uint64_t gpa);

#endif
