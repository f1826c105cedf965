/*
 * The error codes of the firmware interfaces tern speaks, each defined
 * once: as a guest's firmware (SMCCC, PSCI and SDEI on arm64, SBI on
 * RISC-V) and as a caller of the firmware below it (PSCI, SBI). Each
 * space is its specification's, so the same number means different
 * things in two spaces (PSCI_DENIED is -3, SBI_ERR_DENIED -4).
 */
#ifndef TERN_FW_ERRORS_H
#define TERN_FW_ERRORS_H

/* SMCCC (DEN0028), shared by every SMCCC service's generic answers. */
#define SMCCC_RET_SUCCESS 0
#define SMCCC_RET_NOT_SUPPORTED (-1)
#define SMCCC_RET_NOT_REQUIRED (-2)
#define SMCCC_RET_INVALID_PARAMETER (-3)

/* PSCI (DEN0022). */
#define PSCI_SUCCESS 0
#define PSCI_NOT_SUPPORTED (-1)
#define PSCI_INVALID_PARAMETERS (-2)
#define PSCI_DENIED (-3)
#define PSCI_ALREADY_ON (-4)
#define PSCI_ON_PENDING (-5)
#define PSCI_INTERNAL_FAILURE (-6)
#define PSCI_NOT_PRESENT (-7)
#define PSCI_DISABLED (-8)
#define PSCI_INVALID_ADDRESS (-9)

/* SDEI (DEN0054), the codes tern returns. */
#define SDEI_SUCCESS 0
#define SDEI_NOT_SUPPORTED (-1)
#define SDEI_INVALID_PARAMETERS (-2)
#define SDEI_DENIED (-3)
#define SDEI_PENDING (-5)
#define SDEI_OUT_OF_RESOURCE (-10)

/* SBI (v3.0, "Binary Encoding", table 1). */
#define SBI_SUCCESS 0
#define SBI_ERR_FAILED (-1)
#define SBI_ERR_NOT_SUPPORTED (-2)
#define SBI_ERR_INVALID_PARAM (-3)
#define SBI_ERR_DENIED (-4)
#define SBI_ERR_INVALID_ADDRESS (-5)
#define SBI_ERR_ALREADY_AVAILABLE (-6)
#define SBI_ERR_ALREADY_STARTED (-7)
#define SBI_ERR_ALREADY_STOPPED (-8)
#define SBI_ERR_NO_SHMEM (-9)
#define SBI_ERR_INVALID_STATE (-10)
#define SBI_ERR_BAD_RANGE (-11)
#define SBI_ERR_TIMEOUT (-12)
#define SBI_ERR_IO (-13)
#define SBI_ERR_DENIED_LOCKED (-14)

#endif
