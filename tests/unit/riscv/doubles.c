/*
 * Recording stand-ins for what arch/riscv/vsbi/ and core/vcpu.c call
 * outside the files this binary builds (riscv.mk lists those): each notes
 * what it was asked in `dbl` and does no more than the real one's contract
 * (its header comment) needs for the calls to go on. The fake VM and the
 * ecall helper the tests share are here too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <arch/guest.h>
#include <tern/arch.h>
#include <tern/console.h>
#include <tern/errno.h>
#include <tern/vuart.h>
#include "sbi_test.h"

struct vm vm;
uint8_t vm_ram[RAM_SIZE];
struct doubles dbl;

#define RECORD(arr, n, ...)                                                      \
	do {                                                                     \
		if ((n) >= sizeof(arr) / sizeof((arr)[0])) {                     \
			fprintf(stderr, "%s: more calls than recorded\n", __func__); \
			abort();                                                 \
		}                                                                \
		(arr)[(n)++] = (__typeof__((arr)[0])){ __VA_ARGS__ };            \
	} while (0)

static void check_vcpu(const struct vcpu *v, const char *fn)
{
	if (v < vm.vcpus || v >= vm.vcpus + vm.nr_vcpus || v->vm != &vm) {
		fprintf(stderr, "%s: not a vCPU of the test VM\n", fn);
		abort();
	}
}

/* ---- arch/riscv/vcpu.c -------------------------------------------------------- */

void riscv_vcpu_raise(struct vcpu *v, uint64_t bits)
{
	check_vcpu(v, __func__);
	RECORD(dbl.raised, dbl.nraised, v, bits);
}

void riscv_vcpu_lower(struct vcpu *v, uint64_t bits)
{
	check_vcpu(v, __func__);
	RECORD(dbl.lowered, dbl.nlowered, v, bits);
}

unsigned int riscv_vcpu_fence(struct vcpu *target, const struct riscv_fence_req *req)
{
	check_vcpu(target, __func__);
	/* Never 0: that means "no request" to riscv_fence_wait. */
	RECORD(dbl.fences, dbl.nfences, target, *req, ++dbl.next_seq);
	return dbl.next_seq;
}

void riscv_fence_wait(struct vcpu *self, const unsigned int *seq)
{
	struct rec_wait w = { .self = self };

	check_vcpu(self, __func__);
	memcpy(w.seq, seq, sizeof(seq[0]) * vm.nr_vcpus);
	if (dbl.nwaits >= sizeof(dbl.waits) / sizeof(dbl.waits[0])) {
		fprintf(stderr, "%s: more calls than recorded\n", __func__);
		abort();
	}
	dbl.waits[dbl.nwaits++] = w;
}

void riscv_vcpu_set_timer(struct vcpu *v, uint64_t deadline)
{
	check_vcpu(v, __func__);
	RECORD(dbl.timers, dbl.ntimers, v, deadline);
}

/*
 * Recorded, with the state the vCPU was in. Then what the real reset
 * (arch/riscv/vcpu.c, vcpu_reset of a started hart) does to the state the
 * vsbi files read: HSM suspend state gone, SSE attributes and FWFT locks
 * back to their reset values. The registers it sets are not modelled.
 */
void arch_vcpu_reset(struct vcpu *v, uint64_t entry, uint64_t arg)
{
	struct arch_vcpu *a = &v->arch;

	check_vcpu(v, __func__);
	RECORD(dbl.resets, dbl.nresets, v, entry, arg, atomic_load(&v->power));
	a->hsm_suspended = false;
	a->suspend_nonret = false;
	memset(&a->sse, 0, sizeof(a->sse));
	a->fwft_locked = 0;
}

/* ---- arch/riscv/sse_deliver.c, guest_mem.c ------------------------------------ */

void arch_event_return(struct vcpu *v, bool resume, uint64_t resume_addr)
{
	check_vcpu(v, __func__);
	RECORD(dbl.event_returns, dbl.nevent_returns, v, resume, resume_addr);
}

int riscv_guest_read_va(struct vcpu *v, uint64_t va, uint64_t *val, bool supervisor)
{
	check_vcpu(v, __func__);
	RECORD(dbl.va_reads, dbl.nva_reads, va, supervisor);
	for (unsigned int i = 0; i < dbl.nva_map; i++) {
		if (dbl.va_map[i].va == va) {
			*val = dbl.va_map[i].val;
			return 0;
		}
	}
	return -E_FAULT;
}

void doubles_map_va(uint64_t va, uint64_t val)
{
	RECORD(dbl.va_map, dbl.nva_map, va, val);
}

/* ---- arch/riscv/sbi.c: tern's own firmware ------------------------------------ */

struct sbiret sbi_ecall(unsigned long ext, unsigned long fid, unsigned long arg0,
			unsigned long arg1, unsigned long arg2)
{
	RECORD(dbl.ecalls, dbl.necalls, ext, fid);
	if (ext == SBI_EXT_BASE && fid < sizeof(dbl.fw_base) / sizeof(dbl.fw_base[0]))
		return dbl.fw_base[fid];
	return (struct sbiret){ SBI_ERR_NOT_SUPPORTED, 0 };
}

/* ---- the rest of the arch contract (include/tern/arch.h) ---------------------- */

struct pcpu *arch_this_cpu(void)
{
	return &pcpus[0];
}

void arch_kick_cpu(struct pcpu *target)
{
	RECORD(dbl.kicked, dbl.nkicked, target);
}

/* Only a contended spinlock waits: on one thread, a lock never released. */
void arch_cpu_relax(void)
{
	fprintf(stderr, "arch_cpu_relax: waiting for a lock nobody can release\n");
	abort();
}

void arch_cpu_wake_all(void)
{
	dbl.wake_all++;
}

/* ---- core/console.c, core/printk.c, the VM's UART ----------------------------- */

void console_lock(void)
{
	dbl.console_depth++;
}

void console_unlock(void)
{
	if (--dbl.console_depth < 0) {
		fprintf(stderr, "console_unlock without console_lock\n");
		abort();
	}
}

void console_write(const char *s, size_t len)
{
	if (dbl.console_depth <= 0)
		dbl.console_unlocked_write = true;
	if (dbl.console_len + len > sizeof(dbl.console)) {
		fprintf(stderr, "console_write: more output than recorded\n");
		abort();
	}
	memcpy(dbl.console + dbl.console_len, s, len);
	dbl.console_len += len;
	dbl.console_writes++;
	if (len > dbl.console_max_write)
		dbl.console_max_write = len;
}

size_t vuart_take_input(struct vm *v, uint8_t *buf, size_t len)
{
	size_t n = dbl.input_len - dbl.input_pos;

	if (v != &vm) {
		fprintf(stderr, "vuart_take_input: not the test VM\n");
		abort();
	}
	RECORD(dbl.input_asked, dbl.ninput_calls, len);
	if (n > len)
		n = len;
	memcpy(buf, dbl.input + dbl.input_pos, n);
	dbl.input_pos += n;
	return n;
}

void doubles_type(const char *s, size_t len)
{
	if (dbl.input_len + len > sizeof(dbl.input))
		abort();
	memcpy(dbl.input + dbl.input_len, s, len);
	dbl.input_len += len;
}

bool doubles_untouched(void)
{
	bool quiet = !dbl.nraised && !dbl.nlowered && !dbl.nfences && !dbl.nwaits &&
		     !dbl.ntimers && !dbl.nresets && !dbl.nevent_returns && !dbl.nkicked &&
		     !dbl.console_len && !dbl.ninput_calls && !dbl.nva_reads &&
		     atomic_load(&vm.stop) == VM_RUNNING;

	for (unsigned int i = 0; i < vm.nr_vcpus; i++)
		quiet = quiet && !atomic_load(&vm.vcpus[i].kick) && !atomic_load(&vm.vcpus[i].wake);
	return quiet;
}

/* ---- the fake VM ---------------------------------------------------------------- */

void vm_setup(unsigned int nr, bool v01)
{
	memset(&vm, 0, sizeof(vm));
	memset(vm_ram, 0, sizeof(vm_ram));
	memset(&dbl, 0, sizeof(dbl));
	vm.name = "sbi-test";
	vm.ram_ipa = RAM_IPA;
	vm.ram_pa = (uintptr_t)vm_ram;
	vm.ram_size = RAM_SIZE;
	vm.cfg.sbi = v01 ? SBI_LEVEL_V01 : SBI_LEVEL_V2;
	vm.services = v01 ? FW_SERVICES_SBI_V01 : FW_SERVICES_ALL; /* as core/vm.c */
	vm.nr_vcpus = nr;
	for (unsigned int i = 0; i < nr; i++) {
		struct vcpu *v = &vm.vcpus[i];

		v->id = i;
		v->hwid = i;
		v->vm = &vm;
		v->home = &pcpus[i % NR_CPUS];
		v->events.lock = (spinlock_t)SPINLOCK_INIT;
		v->arch.fence_lock = (spinlock_t)SPINLOCK_INIT;
		vcpu_events_reset(v);
		atomic_store(&v->power, VCPU_OFF);
	}
	atomic_store(&vm.vcpus[0].power, VCPU_ON);
	vm.vcpus[0].running_on = &pcpus[0];
	dbl.wake_all = 0;
}

struct fw_call sbi_call(unsigned int hart, uint64_t eid, uint64_t fid, const uint64_t *args)
{
	struct fw_call c = { .id = eid, .fn = fid, .arg = args };

	fw_dispatch(&vm.vcpus[hart], FW_ABI_SBI, &c);
	return c;
}
