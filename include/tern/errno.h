/*
 * tern's internal error codes: negative return values inside tern. They are
 * never shown to a guest; each firmware interface translates them into its
 * own spec's codes at one boundary.
 */
#ifndef TERN_ERRNO_H
#define TERN_ERRNO_H

#define E_OK 0
#define E_NOMEM 1     /* out of memory */
#define E_INVAL 2     /* bad argument */
#define E_EXIST 3     /* already present (e.g. a mapping) */
#define E_NOENT 4     /* not found */
#define E_RANGE 5     /* out of range */
#define E_NOTSUP 6    /* not supported */
#define E_BUSY 7      /* resource busy */
#define E_FAULT 8     /* bad guest address */
#define E_IO 9        /* device or firmware error */

const char *tern_strerror(int err); /* takes a positive or negative code */

#endif
