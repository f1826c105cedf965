/*
 * Between the vGIC (arch/arm64/vgic*.c) and the timers (vtimer.c,
 * hyp_timer.c) only. The rest of tern uses <arch/vgic.h>.
 */
#ifndef ARCH_ARM64_VGIC_HW_H
#define ARCH_ARM64_VGIC_HW_H

#include <arch/vgic.h>
#include <arch/vgic_state.h>
#include <tern/types.h>

/* ---- The hardware virtual CPU interface, per version ---------------------- */

struct vgic_hw_ops {
	/* Read and decode list register i. */
	void (*read_lr)(unsigned int i, struct vgic_lr *lr);
	void (*write_lr)(unsigned int i, const struct vgic_lr *lr);
	void (*clear_lr)(unsigned int i);
	/* ICH_HCR_EL2 / GICH_HCR: the interface on, with the underflow
	 * maintenance interrupt when interrupts are queued; or all off. */
	void (*enable)(bool underflow);
	void (*disable)(void);
	/* VMCR and the active-priority registers, switched with the vCPU. */
	void (*save)(struct vgic_cpu *c);
	void (*restore)(const struct vgic_cpu *c);
	/* Every CPU at boot: an idle interface; returns its LR count. */
	unsigned int (*cpu_reset)(void);
};

extern const struct vgic_hw_ops vgic_v3_hw_ops, vgic_v2_hw_ops;

/* ---- Per-version VM set-up (vgic_v3.c, vgic_v2.c) --------------------------- */

int vgic_v3_vm_init(struct vm *vm, const char **why);
int vgic_v2_vm_init(struct vm *vm, const char **why);
/* v2: map GICV into the VM's stage 2 (once its tables exist). */
int vgic_v2_map_cpuif(struct vm *vm);
int vgic_v3_dt_node(struct vm *vm, void *fdt);
int vgic_v2_dt_node(struct vm *vm, void *fdt);

/* Turn the kick mask a model function returned into wake-ups (vgic.c). */
void vgic_notify(struct vm *vm, uint32_t kick);

/* ---- The vGIC and the timer ------------------------------------------------ */

/* Whether the HW-linked interrupt intid of v is still pending or active in
 * the vGIC; and withdrawing one the guest has not acknowledged, returning
 * true when it is gone (false: the guest has it active). */
bool vgic_hw_busy(struct vcpu *v, uint32_t intid);
bool vgic_retract_hw(struct vcpu *v, uint32_t intid);
/* vgic_sync: the guest deactivated its HW-linked timer interrupt. */
void vtimer_guest_done(struct vcpu *v);
/* vgic_sync, after every exit: look at the loaded vCPU's timer output. */
void vtimer_sync(struct vcpu *v);

/* The PPIs of the virtual CPU interface and the timers (arch/arm64/irq.c
 * registers them). */
bool vgic_maintenance_irq(uint32_t intid, void *ctx);
bool vtimer_ppi_irq(uint32_t intid, void *ctx);
bool hyp_timer_irq(uint32_t intid, void *ctx);
/* Every CPU (arch_irq_cpu_init): its EL2 and virtual timers quiet, the
 * counter offset 0; its virtual CPU interface idle, its LRs counted. */
void hyp_timer_cpu_init(void);
void vtimer_cpu_init(void);
void vgic_cpu_init(void);

#endif
