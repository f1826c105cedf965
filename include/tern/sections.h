/*
 * Symbols every linker/<arch>.ld defines. Each region starts on a page
 * boundary so tern's own mappings can be W^X: text RX, rodata R, data+bss RW.
 */
#ifndef TERN_SECTIONS_H
#define TERN_SECTIONS_H

extern char __image_start[];  /* first byte, the image header */
extern char __text_start[], __text_end[];
extern char __rodata_start[], __rodata_end[]; /* includes .rela.dyn and tables */
extern char __data_start[], __data_end[];
extern char __bss_start[], __bss_end[];
extern char __image_end[];    /* end of bss, page aligned */

#endif
