/*
 * Expected exceptions: a test arms the handler, runs an instruction that
 * must trap, and checks what the handler recorded. Anything not armed for
 * is a failure of the whole test (lib/<arch>/arch.c ends it).
 */
#include "guest.h"

/* One record for the machine: tests provoke exceptions from one CPU at a
 * time, and the flag is read by the handler on that same CPU. */
static volatile bool armed;
static struct exception_record record;

void expect_exception(void)
{
	record = (struct exception_record){ 0 };
	armed = true;
	/* The compiler must not sink the store past the faulting instruction. */
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
}

struct exception_record exception_result(void)
{
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	armed = false;
	return record;
}

bool exception_expected(unsigned long cause, unsigned long syndrome, uintptr_t pc)
{
	if (!armed)
		return false;
	armed = false;
	record = (struct exception_record){
		.seen = true, .cause = cause, .syndrome = syndrome, .pc = pc
	};
	return true;
}
