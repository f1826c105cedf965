/*
 * The SBI tern implements for its guests (arch/riscv/vsbi/, one file per
 * extension, each a service of the firmware-call registry). Extension and
 * function IDs are the SBI v3.0 specification's.
 */
#ifndef ARCH_RISCV_VSBI_H
#define ARCH_RISCV_VSBI_H

#include <arch/sbi.h>
#include <arch/vcpu.h>
#include <tern/fwcall.h>
#include <tern/types.h>

struct vcpu;

/* Extension IDs: SBI_EXT_* of <arch/sbi.h>. */

/* BASE: v3.0 (tern implements SSE and FWFT, both new in 3.0), and an
 * implementation ID of tern's own ("tern" in ASCII: not among the IDs the
 * specification has handed out). */
#define VSBI_SPEC_VERSION ((3UL << 24) | 0)
#define VSBI_IMPL_ID 0x7465726eUL
#define VSBI_IMPL_VERSION 0x00000001UL /* tern 0.1 */

/* For each vCPU a hart mask names (SBI v0.2+: hart_mask_base -1 means
 * every hart), call fn. If any named hart is not a vCPU of the VM nothing
 * is called and the result is SBI_ERR_INVALID_PARAM; else SBI_SUCCESS. */
long vsbi_for_each_hart(struct vcpu *v, unsigned long mask, unsigned long base,
			void (*fn)(struct vcpu *self, struct vcpu *target, void *arg), void *arg);

/* The actions behind IPI / RFENCE, shared with the legacy calls. */
void vsbi_send_ipi(struct vcpu *self, struct vcpu *target, void *arg);
/* A remote fence: the harts of mask/base (as vsbi_for_each_hart) carry out
 * req, and the call returns once they have (SBI RFENCE and the legacy
 * remote fences promise that the remote harts have fenced). */
long vsbi_remote_fence(struct vcpu *v, unsigned long mask, unsigned long base,
		       const struct riscv_fence_req *req);
/* A ranged remote SFENCE.VMA request (size 0 with start 0, or -1: all). */
void vsbi_fence_vma_req(struct riscv_fence_req *req, unsigned long start, unsigned long size,
			bool has_asid, unsigned long asid);

/* Console bytes: to tern's console (as the guest's own output), and from
 * what was typed for the VM. */
void vsbi_console_write(struct vcpu *v, const char *buf, size_t len);
long vsbi_console_getchar(struct vcpu *v);

/* SSE (vsbi/sse.c, sse_deliver.c). The event IDs tern offers: the spec's
 * software-injected local event, and tern's async page-fault notice in the
 * platform-specific local range 0xffff4000-0xffff7fff. */
#define VSBI_SSE_EVENT_SOFTWARE 0xffff0000u
#define VSBI_SSE_EVENT_ASYNC_PF 0xffff4000u
extern const uint32_t vsbi_sse_event_ids[EV_COUNT];
/* Before an entry of the loaded vCPU v: enter the handler of the event due,
 * if any (vcpu_event_due says whether one is, to wake a blocked vCPU). */
void riscv_sse_deliver(struct vcpu *v);
/* The event with the highest SSE priority among those due (ev_next() >= 0
 * said one is); events.lock held. */
unsigned int riscv_sse_pick(const struct vcpu *v);

#endif
