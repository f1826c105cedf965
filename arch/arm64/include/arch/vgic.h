/*
 * arm64's virtual interrupts and timers, as the rest of arch/arm64 uses
 * them: the virtual GIC each VM sees (same version as the host's), the
 * guest's virtual timer and tern's own EL2 timer, on top of the physical
 * GIC (<arch/gic.h>, drivers/irqchip/). Implemented in arch/arm64/vgic*.c,
 * vtimer.c, hyp_timer.c; used by the world switch and exit handlers
 * (vcpu.c, exit.c). arch/arm64/irq.c registers their interrupts.
 *
 * Interrupt numbers are GIC INTIDs throughout (SGI 0-15, PPI 16-31, SPI 32+).
 */
#ifndef ARCH_ARM64_VGIC_H
#define ARCH_ARM64_VGIC_H

#include <arch/gic.h>
#include <tern/types.h>

struct pcpu;
struct platform;
struct vcpu;
struct vm;

/* ---- tern's EL2 timer (CNTHP) ------------------------------------------------ */

/* Program this CPU's EL2 timer for the earlier of a slice end and an idle
 * deadline (absolute counter values, UINT64_MAX: none). When it fires, the
 * running vCPU (if any) exits with VCPU_NEXT_PREEMPT. */
void hyp_timer_set(uint64_t slice_deadline, uint64_t idle_deadline);

/* ---- The virtual GIC ---------------------------------------------------------- */

/* Per-VM distributor state lives in struct arch_vm, per-vCPU interface and
 * redistributor state in struct arch_vcpu (both in <arch/vcpu.h>). The
 * fields are the vGIC's own: only vgic*.c reads or writes them. */
struct vgic_dist;
struct vgic_cpu;

/* Create the VM's distributor (and redistributors / GICV mapping) at the
 * host GIC's addresses, as MMIO devices on the VM's bus. */
int vgic_vm_init(struct vm *vm, const char **why);
void vgic_vcpu_init(struct vcpu *v);
/* A vCPU's PE reset (PSCI CPU_ON, a reset of the vCPU): its virtual CPU
 * interface (priority mask, active priorities) back to reset values. The
 * redistributor keeps its state, as on hardware. */
void vgic_vcpu_reset(struct vcpu *v);
/* The whole VM resets (SYSTEM_RESET), with no vCPU running: distributor,
 * redistributors, CPU interfaces and timers to reset values. */
void vgic_vm_reset(struct vm *vm);

/* Set the level of a virtual interrupt line: an SPI (v == NULL, routed as
 * the guest programmed it) or a PPI/SGI of vCPU v. Wakes/kicks the target. */
void vgic_set_level(struct vm *vm, struct vcpu *v, uint32_t intid, bool level);
/* An edge: make the interrupt pending once (SGIs, edge SPIs). */
void vgic_raise(struct vm *vm, struct vcpu *v, uint32_t intid);
/* Inject a PPI of v linked to the same physical interrupt (HW bit): the
 * guest's deactivation deactivates the physical one (the vtimer, seed 003). */
void vgic_inject_hw(struct vcpu *v, uint32_t intid, uint32_t phys_intid);

/* Around each guest entry, on the vCPU's physical CPU with IRQs masked:
 * flush puts pending interrupts in list registers (with underflow and EOI
 * maintenance as needed), sync reads their state back after the exit. */
void vgic_flush(struct vcpu *v);
void vgic_sync(struct vcpu *v);
/* When a vCPU is switched in or out of a physical CPU: ICH_* / GICH state. */
void vgic_load(struct vcpu *v);
void vgic_put(struct vcpu *v);
/* An enabled pending interrupt the vCPU could take (wakes a WFI). */
bool vgic_irq_pending(struct vcpu *v);

/* A trapped guest write of ICC_SGI1R_EL1 (GICv3 SGIs between vCPUs). */
void vgic_v3_write_sgi1r(struct vcpu *v, uint64_t value);

/* The guest device-tree node of the interrupt controller (libfdt sequential
 * write API, inside the root node), with phandle vgic_dt_phandle. */
int vgic_dt_node(struct vm *vm, void *fdt);
#define VGIC_DT_PHANDLE 1

/* ---- The guest's virtual timer ------------------------------------------------ */

struct vtimer;
void vtimer_vcpu_init(struct vcpu *v);
/* Switch the guest's CNTV_CTL/CVAL and CNTVOFF in and out with the vCPU. */
void vtimer_load(struct vcpu *v);
void vtimer_put(struct vcpu *v);
/* The counter value at which the vCPU's timer fires, UINT64_MAX if it is
 * off or masked (for a blocked vCPU's wake-up). */
uint64_t vtimer_deadline(struct vcpu *v);
/* The physical CNTV PPI fired while v ran: track the timer output level and
 * inject on a rising edge (seed 003), returning whether the physical
 * interrupt was handed to the guest. */
bool vtimer_irq(struct vcpu *v);
/* Timer-related guest device-tree node ("arm,armv8-timer"). */
int vtimer_dt_node(struct vm *vm, void *fdt);

#endif
