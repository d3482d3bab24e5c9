/* The user half of every address space. */
#ifndef CAPSULE_UAPI_VM_H
#define CAPSULE_UAPI_VM_H

#define PAGE_SIZE 4096ull

/* VSpace_Map accepts page-aligned addresses in [USER_MAP_MIN, USER_MAP_LIMIT). */
#define USER_MAP_MIN 0x10000ull
/* The page below the last user page is reserved for the kernel info page. */
#define USER_INFO_PAGE 0x7fffffffe000ull
#define USER_MAP_LIMIT USER_INFO_PAGE
/* RIP, FS and GS base must be below this (the last user page is never used). */
#define USER_LIMIT 0x7ffffffff000ull

#endif
