/*
 * The SBI services in the firmware-call registry, BASE, and which
 * extensions a VM has: probe_extension must agree with what a call gets,
 * and a VM configured with sbi = v0.1 has the legacy calls only.
 */
#include "sbi_test.h"

/* Extensions of the SBI v3.0 specification (and ranges) tern does not
 * implement: every call NOT_SUPPORTED, the probe 0. */
static const uint64_t absent_eids[] = {
	0x09, 0x0a, 0x0f,                /* legacy range, no legacy function */
	0x11, 0x12,
	0x504D55,                        /* PMU */
	0x4E41434C,                      /* NACL */
	0x535441,                        /* STA */
	0x53555350,                      /* SUSP */
	0x43505043,                      /* CPPC */
	0x44425452,                      /* DBTR */
	0x4D505859,                      /* MPXY */
	0x08000000, 0x08ffffff,          /* experimental */
	0x09000000, 0x09ffffff,          /* vendor */
	0x0a000000, 0x0affffff,          /* firmware */
	0x7fffffff, 0xffffffff,
	0x100000010ull,                  /* BASE's ID with bit 32 set: another EID */
	0xffffffff00000010ull, ~0ull,
};

TEST(sbi_registry_has_every_extension_once)
{
	static const enum fw_service_id want[] = {
		FW_SVC_SBI_LEGACY, FW_SVC_SBI_BASE, FW_SVC_SBI_TIME, FW_SVC_SBI_IPI,
		FW_SVC_SBI_RFENCE, FW_SVC_SBI_HSM, FW_SVC_SBI_SRST, FW_SVC_SBI_DBCN,
		FW_SVC_SBI_SSE, FW_SVC_SBI_FWFT,
	};
	const char *why = NULL;

	CHECK_EQ(fw_check_services(__start_fw_services, __stop_fw_services, &why), 0);
	/* This binary links the SBI services only. */
	CHECK_EQ(__stop_fw_services - __start_fw_services, 10);
	for (unsigned int i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		unsigned int n = 0;

		for (const struct fw_service *s = __start_fw_services; s < __stop_fw_services; s++)
			if (s->sid == want[i]) {
				n++;
				CHECK_EQ(s->abi, FW_ABI_SBI);
			}
		CHECK_EQ(n, 1);
	}
}

/* The index finds each extension by each of its IDs (the legacy ones are a
 * range), and nothing for IDs beside them. */
TEST(sbi_registry_index_finds_every_extension)
{
	const char *why = NULL;

	vm_setup(1, false);
	CHECK_EQ(fw_registry_init(&why), 0);
	for (const struct fw_service *s = __start_fw_services; s < __stop_fw_services; s++) {
		for (uint64_t id = s->first; id <= s->last; id++)
			CHECK(fw_find(hart(0), FW_ABI_SBI, id) == s);
		CHECK(fw_find(hart(0), FW_ABI_SBI, s->last + 0x100) == NULL);
		CHECK(fw_find(hart(0), FW_ABI_SBI, s->first | (1ull << 40)) == NULL);
	}
	/* (0x00-0x0f are the legacy service's: it answers the absent ones.) */
	for (unsigned int i = 0; i < sizeof(absent_eids) / sizeof(absent_eids[0]); i++)
		if (absent_eids[i] >= 0x10)
			CHECK(fw_find(hart(0), FW_ABI_SBI, absent_eids[i]) == NULL);
}

TEST(sbi_base_versions)
{
	struct fw_call c;

	vm_setup(1, false);
	c = SBI(0, SBI_EXT_BASE, 0, 0);
	CHECK_EQ(ERR(c), SBI_SUCCESS);
	CHECK_EQ(VAL(c), 0x03000000); /* v3.0 */
	CHECK_EQ(c.next, VCPU_NEXT_RUN);
	c = SBI(0, SBI_EXT_BASE, 1, 0);
	CHECK_EQ(ERR(c), SBI_SUCCESS);
	CHECK_EQ(VAL(c), 0x7465726e); /* "tern" */
	c = SBI(0, SBI_EXT_BASE, 2, 0);
	CHECK_EQ(ERR(c), SBI_SUCCESS);
	CHECK_EQ(VAL(c), 1);
	CHECK(doubles_untouched());
	CHECK_EQ(dbl.necalls, 0);
}

TEST(sbi_base_machine_ids_come_from_firmware)
{
	struct fw_call c;

	vm_setup(2, false);
	dbl.fw_base[4] = (struct sbiret){ 0, 0x489 };
	dbl.fw_base[5] = (struct sbiret){ 0, (long)0x8000000000000007ull };
	dbl.fw_base[6] = (struct sbiret){ SBI_ERR_NOT_SUPPORTED, 0x1234 };
	c = SBI(1, SBI_EXT_BASE, 4, 0);
	CHECK_EQ(ERR(c), SBI_SUCCESS);
	CHECK_EQ(VAL(c), 0x489);
	c = SBI(1, SBI_EXT_BASE, 5, 0);
	CHECK_EQ(ERR(c), SBI_SUCCESS);
	CHECK_EQ(VAL(c), 0x8000000000000007ull);
	/* Firmware that cannot say: 0, still SUCCESS (0 is always legal). */
	c = SBI(1, SBI_EXT_BASE, 6, 0);
	CHECK_EQ(ERR(c), SBI_SUCCESS);
	CHECK_EQ(VAL(c), 0);
	CHECK_EQ(dbl.necalls, 3);
	for (unsigned int i = 0; i < dbl.necalls && i < 3; i++) {
		CHECK_EQ(dbl.ecalls[i].ext, SBI_EXT_BASE);
		CHECK_EQ(dbl.ecalls[i].fid, 4 + i);
	}
}

TEST(sbi_base_unknown_functions)
{
	static const uint64_t fids[] = { 7, 8, 0x7fffffff, 0xffffffff, 0x100000000ull, ~0ull };

	vm_setup(1, false);
	for (unsigned int i = 0; i < sizeof(fids) / sizeof(fids[0]); i++) {
		struct fw_call c = SBI(0, SBI_EXT_BASE, fids[i], SBI_EXT_BASE);

		CHECK_EQ(ERR(c), SBI_ERR_NOT_SUPPORTED);
		CHECK_EQ(VAL(c), 0);
	}
	CHECK(doubles_untouched());
	CHECK_EQ(dbl.necalls, 0);
}

/*
 * For each extension, one call that every VM having it answers with
 * something other than NOT_SUPPORTED (and that changes nothing lasting):
 * whether the call was dispatched, to compare with the probe.
 */
struct probe_case {
	uint64_t eid, fid;
	uint64_t a[6];
};

static const struct probe_case modern[] = {
	{ SBI_EXT_BASE, 0, { 0 } },                  /* get_spec_version */
	{ SBI_EXT_TIME, 0, { ~0ull } },              /* set_timer(never) */
	{ SBI_EXT_IPI, 0, { 0, 0 } },                /* send_ipi to no hart */
	{ SBI_EXT_RFENCE, 0, { 0, 0 } },             /* remote_fence_i of no hart */
	{ SBI_EXT_HSM, 2, { 0 } },                   /* hart_get_status(0) */
	{ SBI_EXT_SRST, 0, { 3, 0 } },               /* a reserved type: INVALID_PARAM */
	{ SBI_EXT_DBCN, 0, { 0, RAM_IPA, 0 } },      /* write of 0 bytes */
	{ SBI_EXT_SSE, 9, { 0 } },                   /* hart_mask: ALREADY_STOPPED */
	{ SBI_EXT_FWFT, 1, { 0 } },                  /* get(MISALIGNED_EXC_DELEG) */
};

static const struct probe_case legacy[] = {
	{ 0x00, 0, { ~0ull } }, /* set_timer */
	{ 0x01, 0, { 'x' } },   /* console_putchar */
	{ 0x02, 0, { 0 } },     /* console_getchar: -1, nothing typed */
	{ 0x03, 0, { 0 } },     /* clear_ipi */
	{ 0x04, 0, { 0x1000 } }, /* send_ipi, a mask of no hart */
	{ 0x05, 0, { 0x1000 } }, /* remote_fence_i */
	{ 0x06, 0, { 0x1000, 0, 0 } },
	{ 0x07, 0, { 0x1000, 0, 0, 1 } },
	{ 0x08, 0, { 0 } },     /* shutdown: the last one */
};

static struct fw_call probe_call(const struct probe_case *p)
{
	return sbi_call(0, p->eid, p->fid, p->a);
}

TEST(sbi_probe_agrees_with_dispatch)
{
	vm_setup(2, false);
	doubles_map_va(0x1000, 0);
	for (unsigned int i = 0; i < sizeof(modern) / sizeof(modern[0]); i++) {
		struct fw_call p = SBI(0, SBI_EXT_BASE, SBI_BASE_PROBE_EXTENSION, modern[i].eid);
		struct fw_call c = probe_call(&modern[i]);

		CHECK_EQ(ERR(p), SBI_SUCCESS);
		CHECK_EQ(VAL(p), 1);
		CHECK(ERR(c) != SBI_ERR_NOT_SUPPORTED);
		CHECK(fw_probe(hart(0), FW_ABI_SBI, modern[i].eid));
	}
	CHECK_EQ(dbl.ntimers, 1);
	CHECK_EQ(dbl.console_len, 0);
	for (unsigned int i = 0; i < sizeof(legacy) / sizeof(legacy[0]); i++) {
		struct fw_call p = SBI(0, SBI_EXT_BASE, SBI_BASE_PROBE_EXTENSION, legacy[i].eid);
		struct fw_call c = probe_call(&legacy[i]);

		CHECK_EQ(VAL(p), 1);
		CHECK(ERR(c) != SBI_ERR_NOT_SUPPORTED);
	}
	CHECK_EQ(dbl.console_len, 1);
	CHECK_EQ(dbl.nlowered, 1);
	CHECK_EQ(atomic_load(&vm.stop), VM_STOP_OFF);

	vm_setup(2, false);
	for (unsigned int i = 0; i < sizeof(absent_eids) / sizeof(absent_eids[0]); i++) {
		struct fw_call p = SBI(0, SBI_EXT_BASE, SBI_BASE_PROBE_EXTENSION, absent_eids[i]);

		CHECK_EQ(ERR(p), SBI_SUCCESS);
		CHECK_EQ(VAL(p), 0);
		CHECK(!fw_probe(hart(0), FW_ABI_SBI, absent_eids[i]));
	}
}

TEST(sbi_absent_extensions_are_not_supported)
{
	vm_setup(2, false);
	for (unsigned int i = 0; i < sizeof(absent_eids) / sizeof(absent_eids[0]); i++) {
		for (uint64_t fid = 0; fid < 12; fid++) {
			/* Arguments that would be valid for most functions. */
			struct fw_call c = SBI(0, absent_eids[i], fid, 0, RAM_IPA, 0, 0, 0, 0);

			CHECK_EQ(ERR(c), SBI_ERR_NOT_SUPPORTED);
			CHECK_EQ(VAL(c), 0);
			CHECK_EQ(c.next, VCPU_NEXT_RUN);
		}
	}
	CHECK(doubles_untouched());
}

TEST(sbi_v01_vm_has_only_the_legacy_calls)
{
	static const uint64_t modern_eids[] = {
		SBI_EXT_BASE, SBI_EXT_TIME, SBI_EXT_IPI, SBI_EXT_RFENCE, SBI_EXT_HSM,
		SBI_EXT_SRST, SBI_EXT_DBCN, SBI_EXT_SSE, SBI_EXT_FWFT,
	};

	vm_setup(2, true);
	for (unsigned int i = 0; i < sizeof(modern_eids) / sizeof(modern_eids[0]); i++) {
		CHECK(!fw_probe(hart(0), FW_ABI_SBI, modern_eids[i]));
		/* Every function, with the arguments that work on v2. */
		for (unsigned int j = 0; j < sizeof(modern) / sizeof(modern[0]); j++) {
			for (uint64_t fid = 0; fid < 12; fid++) {
				struct fw_call c = sbi_call(0, modern_eids[i], fid, modern[j].a);

				CHECK_EQ(ERR(c), SBI_ERR_NOT_SUPPORTED);
				CHECK_EQ(VAL(c), 0);
				CHECK_EQ(c.next, VCPU_NEXT_RUN);
			}
		}
	}
	/* HSM start of the other hart, SRST shutdown, SSE unmask: nothing. */
	CHECK_EQ(ERR(SBI(0, SBI_EXT_HSM, 0, 1, RAM_IPA, 0)), SBI_ERR_NOT_SUPPORTED);
	CHECK_EQ(ERR(SBI(0, SBI_EXT_SRST, 0, 0, 0)), SBI_ERR_NOT_SUPPORTED);
	CHECK_EQ(ERR(SBI(0, SBI_EXT_SSE, 8, 0)), SBI_ERR_NOT_SUPPORTED);
	CHECK(doubles_untouched());
	CHECK_EQ(atomic_load(&hart(1)->power), VCPU_OFF);
	CHECK(hart(0)->events.masked);
	CHECK_EQ(dbl.necalls, 0);

	/* The legacy calls are there, and what BASE would probe says so. */
	doubles_map_va(0x1000, 3);
	for (unsigned int i = 0; i < sizeof(legacy) / sizeof(legacy[0]); i++) {
		CHECK(fw_probe(hart(0), FW_ABI_SBI, legacy[i].eid));
		if (legacy[i].eid != 0x08)
			CHECK(ERR(probe_call(&legacy[i])) != SBI_ERR_NOT_SUPPORTED);
	}
	CHECK_EQ(dbl.ntimers, 1);
	CHECK_EQ(dbl.console_len, 1);
	CHECK_EQ(dbl.nraised, 2);  /* legacy send_ipi, mask 3 */
	CHECK_EQ(dbl.nfences, 6);  /* three fences of harts 0 and 1 */
	CHECK(!fw_probe(hart(0), FW_ABI_SBI, 0x09));
	CHECK_EQ(ERR(SBI(0, 0x09, 0, 0)), SBI_ERR_NOT_SUPPORTED);
	CHECK_EQ(ERR(SBI(1, 0x08, 0, 0)), SBI_SUCCESS);
	CHECK_EQ(atomic_load(&vm.stop), VM_STOP_OFF);
}
