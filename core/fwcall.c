/*
 * The firmware-call registry (see include/tern/fwcall.h). The services are
 * a linker-collected table; a call finds its service through an index
 * built from it once: SMCCC services by owner (function ID bits 29:24,
 * a handful of services each), SBI services by extension ID in a small
 * open-addressed hash. Every call of every guest goes through here.
 */
#include <string.h>
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

#define SMCCC_OWNER(key) (((key) >> 24) & 0x3f)
#define SMCCC_OWNERS 64
#define PER_OWNER 3     /* services one SMCCC owner may hold */
#define SBI_SLOTS 64    /* 2^6 (sbi_hash), well above the IDs indexed */
#define SBI_RANGE_MAX 16 /* an SBI service covers at most this many IDs */

struct sbi_slot {
	uint64_t ext;
	const struct fw_service *s;
};

static struct {
	const struct fw_service *smccc[SMCCC_OWNERS][PER_OWNER];
	struct sbi_slot sbi[SBI_SLOTS];
	bool ready;
} idx;

/* Fibonacci hashing: the top bits of the ID times 2^64 / phi. The
 * extension IDs are short ASCII strings; these spread them well. */
static unsigned int sbi_hash(uint64_t ext)
{
	return (unsigned int)((ext * 0x9e3779b97f4a7c15ull) >> 58);
}

static int index_add(const struct fw_service *s, const char **why)
{
	if (s->abi == FW_ABI_SMCCC) {
		const struct fw_service **o = idx.smccc[SMCCC_OWNER(s->first)];
		unsigned int i = 0;

		if (SMCCC_OWNER(s->first) != SMCCC_OWNER(s->last))
			goto bad; /* a service belongs to one owner */
		while (i < PER_OWNER && o[i])
			i++;
		if (i == PER_OWNER)
			goto bad;
		o[i] = s;
		return 0;
	}
	if (s->last - s->first >= SBI_RANGE_MAX)
		goto bad;
	for (uint64_t ext = s->first; ext <= s->last; ext++) {
		unsigned int h = sbi_hash(ext), n = 0;

		while (idx.sbi[h].s && n++ < SBI_SLOTS)
			h = (h + 1) & (SBI_SLOTS - 1);
		if (idx.sbi[h].s)
			goto bad;
		idx.sbi[h] = (struct sbi_slot){ ext, s };
	}
	return 0;
bad:
	*why = s->name;
	return -E_RANGE;
}

int fw_index_build(const struct fw_service *start, const struct fw_service *end, const char **why)
{
	int err = fw_check_services(start, end, why);

	memset(&idx, 0, sizeof(idx));
	for (const struct fw_service *s = start; !err && s < end; s++)
		err = index_add(s, why);
	idx.ready = err == 0;
	return err;
}

int fw_registry_init(const char **why)
{
	return fw_index_build(__start_fw_services, __stop_fw_services, why);
}

static const struct fw_service *smccc_lookup(uint64_t key)
{
	const struct fw_service *const *o = idx.smccc[SMCCC_OWNER(key)];

	for (unsigned int i = 0; i < PER_OWNER && o[i]; i++)
		if (key >= o[i]->first && key <= o[i]->last)
			return o[i];
	return NULL;
}

static const struct fw_service *sbi_lookup(uint64_t ext)
{
	for (unsigned int h = sbi_hash(ext), n = 0; n < SBI_SLOTS; h = (h + 1) & (SBI_SLOTS - 1), n++) {
		if (!idx.sbi[h].s)
			return NULL;
		if (idx.sbi[h].ext == ext)
			return idx.sbi[h].s;
	}
	return NULL;
}

static const struct fw_service *lookup(struct vcpu *v, enum fw_abi abi, uint64_t id)
{
	const struct fw_service *s;

	s = abi == FW_ABI_SMCCC ? smccc_lookup(service_key(abi, id)) : sbi_lookup(id);
	return s && vm_has_service(v, s->sid) ? s : NULL;
}

/* tern_main builds the index at boot (and stops on a bad table); this is
 * for code that runs without tern_main, the unit tests. Out of line, so
 * the lookup on every call needs no stack frame. */
static __attribute__((noinline, cold)) const struct fw_service *
lookup_unindexed(struct vcpu *v, enum fw_abi abi, uint64_t id)
{
	const char *why;

	return fw_registry_init(&why) ? NULL : lookup(v, abi, id);
}

const struct fw_service *fw_find(struct vcpu *v, enum fw_abi abi, uint64_t id)
{
	if (unlikely(!idx.ready))
		return lookup_unindexed(v, abi, id);
	return lookup(v, abi, id);
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
