/*
 * The firmware-call registry (see include/tern/fwcall.h). Services are
 * found by a linear scan of a table of a dozen entries: cheaper than any
 * index at this size, and the null-hypercall benchmark keeps it honest.
 */
#include <tern/compiler.h>
#include <tern/errno.h>
#include <tern/fwcall.h>
#include <tern/vm.h>

/* SMCCC IDs are 32 bits; bit 30 only selects the SMC32/SMC64 convention. */
static uint64_t service_key(enum fw_abi abi, uint64_t id)
{
	return abi == FW_ABI_SMCCC ? (id & 0xffffffffu) & ~(uint64_t)SMCCC_CONV_64 : id;
}

int fw_check_services(const struct fw_service *start, const struct fw_service *end,
		      const char **why)
{
	for (const struct fw_service *a = start; a < end; a++) {
		if (a->first > a->last || !a->call) {
			*why = a->name;
			return -E_INVAL;
		}
		for (const struct fw_service *b = a + 1; b < end; b++) {
			if (a->abi == b->abi && a->first <= b->last && b->first <= a->last) {
				*why = b->name;
				return -E_EXIST;
			}
		}
	}
	return 0;
}

bool vm_has_service(const struct vcpu *v, enum fw_service_id sid)
{
	return (v->vm->services & (1u << sid)) != 0;
}

const struct fw_service *fw_find(struct vcpu *v, enum fw_abi abi, uint64_t id)
{
	uint64_t key = service_key(abi, id);

	for (const struct fw_service *s = __start_fw_services; s < __stop_fw_services; s++)
		if (s->abi == abi && key >= s->first && key <= s->last)
			return vm_has_service(v, s->sid) ? s : NULL;
	return NULL;
}

bool fw_probe(struct vcpu *v, enum fw_abi abi, uint64_t id)
{
	const struct fw_service *s = fw_find(v, abi, id);

	return s && (!s->probe || s->probe(v, id));
}

void fw_dispatch(struct vcpu *v, enum fw_abi abi, struct fw_call *c)
{
	const struct fw_service *s = fw_find(v, abi, c->id);

	c->next = VCPU_NEXT_RUN;
	if (s) {
		s->call(v, c);
		return;
	}
	if (abi == FW_ABI_SMCCC) {
		c->ret[0] = (uint64_t)(int64_t)SMCCC_RET_NOT_SUPPORTED;
	} else {
		c->ret[0] = (uint64_t)(int64_t)SBI_ERR_NOT_SUPPORTED;
		c->ret[1] = 0;
	}
}
