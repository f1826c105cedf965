/*
 * Layouts shared by sdei.c and entry.S: the frame the handler entry saves,
 * the record the COMPLETE_AND_RESUME target fills, and the sentinel call's
 * block. Offsets are in bytes; every structure is arrays of uint64_t.
 */
#ifndef SDEI_ASM_H
#define SDEI_ASM_H

/* struct handler_frame: what sdei_entry saw on entry, for sdei_handler(). */
#define HF_X 0            /* x0..x30 */
#define HF_SP (31 * 8)    /* SP at entry (the interrupted SP_EL1) */
#define HF_DAIF (32 * 8)
#define HF_CUREL (33 * 8)
#define HF_SPSEL (34 * 8)
#define HF_NZCV (35 * 8)
#define HF_SIZE (36 * 8)  /* a multiple of 16 */

/* struct resume_record: what sdei_resume_target saw (one per entry). */
#define RR_COUNT 0
#define RR_ELR (1 * 8)
#define RR_SPSR (2 * 8)
#define RR_DAIF (3 * 8)
#define RR_CUREL (4 * 8)
#define RR_SPSEL (5 * 8)
#define RR_SP (6 * 8)
#define RR_X (7 * 8)      /* x0..x17 */

/* struct sentinel_call: registers in and out of one HVC. */
#define SC_IN 0               /* x0..x30 loaded before the HVC */
#define SC_OUT (31 * 8)       /* x0..x30 right after it */
#define SC_DAIF_IN (62 * 8)   /* PSTATE.DAIF and NZCV around the call */
#define SC_NZCV_IN (63 * 8)
#define SC_DAIF_OUT (64 * 8)
#define SC_NZCV_OUT (65 * 8)
#define SC_SP_IN (66 * 8)     /* SP at the HVC */
#define SC_SP_OUT (67 * 8)
#define SC_PC (68 * 8)        /* the address right after the HVC */

#endif
