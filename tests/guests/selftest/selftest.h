/* The selftest's firmware checks, one file per architecture. */
#ifndef SELFTEST_H
#define SELFTEST_H

/* PSCI (arm64) or SBI (riscv) behaviour, including a second CPU. */
void check_firmware(void);

#endif
