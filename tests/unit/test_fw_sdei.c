/* SDEI (core/fw/sdei.c) through the firmware registry, against a fake VM:
 * every function's answers and errors, and the event core behind them. */
#include <string.h>
#include <tern/errno.h>
#include <tern/event.h>
#include <tern/fwcall.h>
#include <tern/vm.h>
#include "test.h"

static struct vm vm;

static void setup(unsigned int nr)
{
	memset(&vm, 0, sizeof(vm));
	vm.nr_vcpus = nr;
	vm.ram_ipa = 0x40000000;
	vm.ram_size = 16 << 20;
	vm.services = (1u << FW_SVC_COUNT) - 1;
	for (unsigned int i = 0; i < nr; i++) {
		vm.vcpus[i].id = i;
		vm.vcpus[i].vm = &vm;
		vm.vcpus[i].hwid = i;
		vm.vcpus[i].events.lock = (spinlock_t)SPINLOCK_INIT;
		ev_vcpu_init(&vm.vcpus[i].events);
		atomic_store(&vm.vcpus[i].power, VCPU_ON);
	}
}

static int64_t sdei(unsigned int vcpu, uint32_t fn, uint64_t a1, uint64_t a2, uint64_t a3,
		    uint64_t a4)
{
	struct fw_call c = { .id = 0xc4000000u | fn, .arg = (const uint64_t[6]){ a1, a2, a3, a4 } };

	fw_dispatch(&vm.vcpus[vcpu], FW_ABI_SMCCC, &c);
	return (int64_t)c.ret[0];
}

enum {
	VERSION = 0x20, REGISTER, ENABLE, DISABLE, CONTEXT, COMPLETE, COMPLETE_AND_RESUME,
	UNREGISTER, STATUS, GET_INFO, ROUTING_SET, PE_MASK, PE_UNMASK, INTERRUPT_BIND,
	INTERRUPT_RELEASE, SIGNAL, FEATURES, PRIVATE_RESET, SHARED_RESET,
};
#define ENTRY 0x40001000
#define ASYNC_PF 0x40400000

TEST(sdei_version_features_and_unknown_functions)
{
	setup(1);
	CHECK_EQ(sdei(0, VERSION, 0, 0, 0, 0), (int64_t)((1ULL << 48) | (1ULL << 32)));
	CHECK_EQ(sdei(0, FEATURES, 0, 0, 0, 0), 0);
	CHECK_EQ(sdei(0, FEATURES, 1, 0, 0, 0), 0);
	CHECK_EQ(sdei(0, FEATURES, 2, 0, 0, 0), -2);
	/* Undefined IDs of the range: NOT_SUPPORTED whatever the arguments. */
	CHECK_EQ(sdei(0, 0x33, 5, 0, 0, 0), -1);
	CHECK_EQ(sdei(0, 0x3f, 0, 0, 0, 0), -1);
	/* Every event function: an unknown event is INVALID_PARAMETERS. */
	for (uint32_t fn = REGISTER; fn <= GET_INFO; fn++)
		if (fn != CONTEXT && fn != COMPLETE && fn != COMPLETE_AND_RESUME)
			CHECK_EQ(sdei(0, fn, 5, ENTRY, 0, 0), -2);
	CHECK_EQ(sdei(0, SIGNAL, 5, 0, 0, 0), -2);
}

TEST(sdei_register_checks_its_arguments)
{
	setup(1);
	CHECK_EQ(sdei(0, REGISTER, 0, ENTRY, 7, 2), -2);          /* reserved flags */
	CHECK_EQ(sdei(0, REGISTER, 0, ENTRY + 2, 7, 0), -2);      /* unaligned */
	CHECK_EQ(sdei(0, REGISTER, 0, 0x10000000, 7, 0), -2);     /* not RAM */
	CHECK_EQ(sdei(0, REGISTER, 0, 0x40000000 + (16 << 20), 7, 0), -2);
	CHECK_EQ(sdei(0, STATUS, 0, 0, 0, 0), 0);
	CHECK_EQ(sdei(0, REGISTER, 0, ENTRY, 7, 1), 0);           /* RM bit: ignored */
	CHECK_EQ(sdei(0, REGISTER, 0, ENTRY, 7, 0), -3);
	CHECK_EQ(vm.vcpus[0].events.ev[EV_SOFTWARE].entry, ENTRY);
	CHECK_EQ(vm.vcpus[0].events.ev[EV_SOFTWARE].arg, 7);
}

TEST(sdei_state_machine_answers)
{
	setup(1);
	CHECK_EQ(sdei(0, ENABLE, 0, 0, 0, 0), -3);
	CHECK_EQ(sdei(0, DISABLE, 0, 0, 0, 0), -3);
	CHECK_EQ(sdei(0, UNREGISTER, 0, 0, 0, 0), -3);
	CHECK_EQ(sdei(0, CONTEXT, 0, 0, 0, 0), -3);
	CHECK_EQ(sdei(0, COMPLETE, 0, 0, 0, 0), -3);
	CHECK_EQ(sdei(0, REGISTER, ASYNC_PF, ENTRY, 0, 0), 0);
	CHECK_EQ(sdei(0, STATUS, ASYNC_PF, 0, 0, 0), 1);
	CHECK_EQ(sdei(0, ENABLE, ASYNC_PF, 0, 0, 0), 0);
	CHECK_EQ(sdei(0, ENABLE, ASYNC_PF, 0, 0, 0), 0);
	CHECK_EQ(sdei(0, STATUS, ASYNC_PF, 0, 0, 0), 3);
	CHECK_EQ(sdei(0, DISABLE, ASYNC_PF, 0, 0, 0), 0);
	CHECK_EQ(sdei(0, DISABLE, ASYNC_PF, 0, 0, 0), 0);
	CHECK_EQ(sdei(0, UNREGISTER, ASYNC_PF, 0, 0, 0), 0);
	CHECK_EQ(sdei(0, STATUS, ASYNC_PF, 0, 0, 0), 0);
	/* The async-PF event cannot be signalled. */
	CHECK_EQ(sdei(0, SIGNAL, ASYNC_PF, 0, 0, 0), -2);
}

TEST(sdei_info_routing_binding_and_resets)
{
	setup(1);
	CHECK_EQ(sdei(0, GET_INFO, 0, 0, 0, 0), 0);        /* private */
	CHECK_EQ(sdei(0, GET_INFO, 0, 1, 0, 0), 1);        /* signalable */
	CHECK_EQ(sdei(0, GET_INFO, ASYNC_PF, 1, 0, 0), 0);
	CHECK_EQ(sdei(0, GET_INFO, 0, 2, 0, 0), 0);        /* normal priority */
	CHECK_EQ(sdei(0, GET_INFO, 0, 3, 0, 0), -2);       /* routing: shared only */
	CHECK_EQ(sdei(0, GET_INFO, 0, 4, 0, 0), -2);
	CHECK_EQ(sdei(0, GET_INFO, 0, 5, 0, 0), -2);
	CHECK_EQ(sdei(0, ROUTING_SET, 0, 0, 0, 0), -2);
	CHECK_EQ(sdei(0, INTERRUPT_BIND, 40, 0, 0, 0), -10);
	CHECK_EQ(sdei(0, INTERRUPT_RELEASE, 0, 0, 0, 0), -3);
	CHECK_EQ(sdei(0, INTERRUPT_RELEASE, 5, 0, 0, 0), -2);
	CHECK_EQ(sdei(0, REGISTER, 0, ENTRY, 0, 0), 0);
	CHECK_EQ(sdei(0, SHARED_RESET, 0, 0, 0, 0), 0);
	CHECK_EQ(sdei(0, STATUS, 0, 0, 0, 0), 1);          /* private: untouched */
	CHECK_EQ(sdei(0, PRIVATE_RESET, 0, 0, 0, 0), 0);
	CHECK_EQ(sdei(0, STATUS, 0, 0, 0, 0), 0);
}

TEST(sdei_mask_signal_and_deliver)
{
	struct ev_vcpu *c;

	setup(2);
	c = &vm.vcpus[0].events;
	/* A vCPU starts masked. */
	CHECK_EQ(sdei(0, PE_MASK, 0, 0, 0, 0), 0);
	CHECK_EQ(sdei(0, PE_UNMASK, 0, 0, 0, 0), 0);
	CHECK_EQ(sdei(0, PE_MASK, 0, 0, 0, 0), 1);
	/* Not registered on the target: DENIED; no such MPIDR: -2. */
	CHECK_EQ(sdei(1, SIGNAL, 0, 0, 0, 0), -3);
	CHECK_EQ(sdei(1, SIGNAL, 0, 0xff, 0, 0), -2);
	CHECK_EQ(sdei(1, SIGNAL, 0, 1ULL << 31, 0, 0), -2);
	CHECK_EQ(sdei(0, REGISTER, 0, ENTRY, 9, 0), 0);
	CHECK_EQ(sdei(0, ENABLE, 0, 0, 0, 0), 0);
	/* Signalled while masked: counted, not due. */
	CHECK_EQ(sdei(1, SIGNAL, 0, 0, 0, 0), 0);
	CHECK_EQ(sdei(1, SIGNAL, 0, 0, 0, 0), 0);
	CHECK_EQ(c->ev[EV_SOFTWARE].pending, 2);
	CHECK_EQ(ev_next(c), -1);
	CHECK(!ev_maybe_due(c));
	CHECK_EQ(sdei(0, PE_UNMASK, 0, 0, 0, 0), 0);
	CHECK(ev_maybe_due(c));
	CHECK_EQ(ev_next(c), EV_SOFTWARE);
	/* Delivered (as the arch does it): running until COMPLETE. */
	ev_begin(c, EV_SOFTWARE);
	CHECK_EQ(sdei(0, STATUS, 0, 0, 0, 0), 7);
	CHECK_EQ(ev_next(c), -1);                         /* no nesting */
	CHECK_EQ(sdei(0, CONTEXT, 18, 0, 0, 0), -2);
	CHECK_EQ(sdei(0, UNREGISTER, 0, 0, 0, 0), -5);     /* PENDING */
	CHECK_EQ(sdei(0, ENABLE, 0, 0, 0, 0), -3);
	CHECK_EQ(sdei(0, COMPLETE, 0, 0, 0, 0), 0);
	CHECK_EQ(sdei(0, STATUS, 0, 0, 0, 0), 0);
	CHECK_EQ(c->ev[EV_SOFTWARE].pending, 0);
	CHECK_EQ(sdei(0, COMPLETE, 0, 0, 0, 0), -3);
	/* A vCPU that is off: DENIED. */
	atomic_store(&vm.vcpus[1].power, VCPU_OFF);
	CHECK_EQ(sdei(0, SIGNAL, 0, 1, 0, 0), -3);
}

TEST(sdei_smc32_forms_see_32_bit_arguments)
{
	struct fw_call c = { .id = 0x84000028u, .arg = (const uint64_t[6]){ 0xffffffff00000000ULL } };

	setup(1);
	CHECK_EQ(sdei(0, REGISTER, 0, ENTRY, 0, 0), 0);
	fw_dispatch(&vm.vcpus[0], FW_ABI_SMCCC, &c);
	CHECK_EQ((int64_t)c.ret[0], 1);
	/* The SMC64 form sees all 64 bits: that is no event. */
	CHECK_EQ(sdei(0, STATUS, 0xffffffff00000000ULL, 0, 0, 0), -2);
}
