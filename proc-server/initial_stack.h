/*
 * The Linux x86_64 initial process stack, built into a buffer that the loader
 * then maps at a user address, so that musl's and glibc's start code run
 * unchanged. Pure logic: no IPC, host-testable.
 *
 * Layout, from the top of the buffer down (as Linux's create_elf_tables):
 *   8 zero bytes
 *   the AT_EXECFN string, the envp strings, the argv strings (argv[0] lowest)
 *   "x86_64" (AT_PLATFORM), then the 16 AT_RANDOM bytes
 *   padding so that the final rsp is 16-byte aligned
 *   auxv pairs ending with AT_NULL
 *   envp[0..envc), NULL
 *   argv[0..argc), NULL
 *   argc                                    <- rsp, rsp % 16 == 0
 *
 * auxv: AT_PHDR, AT_PHENT (56), AT_PHNUM, AT_PAGESZ (4096), AT_BASE (0),
 * AT_FLAGS (0), AT_ENTRY, AT_UID, AT_EUID, AT_GID, AT_EGID (0), AT_SECURE (0),
 * AT_RANDOM, AT_HWCAP, AT_CLKTCK (100), AT_PLATFORM, AT_EXECFN, AT_NULL.
 */
#ifndef CAPSULE_PROC_INITIAL_STACK_H
#define CAPSULE_PROC_INITIAL_STACK_H

#include <stddef.h>
#include <stdint.h>

#include "exec_args.h"

#define INITIAL_STACK_RANDOM_SIZE 16u
#define INITIAL_STACK_AUXV_PAIRS 18u /* AT_NULL included */

/* What auxv says about the new image; see kernel/elf.h for where most comes from. */
typedef struct {
    uint64_t phdr;         /* AT_PHDR: elf_image_t.phdr */
    uint64_t phnum;        /* AT_PHNUM: elf_image_t.phnum */
    uint64_t entry;        /* AT_ENTRY: elf_image_t.entry */
    uint64_t hwcap;        /* AT_HWCAP: CPUID.1:EDX, as Linux reports it */
    const uint8_t *random; /* INITIAL_STACK_RANDOM_SIZE bytes copied for AT_RANDOM */
    const char *execfn;    /* AT_EXECFN: the path given to execve (the script for #!) */
} initial_stack_aux_t;

/*
 * Writes the stack image of `args` and `aux` into the top of `buf`
 * (`size` bytes that will be mapped at user address `vaddr`) and returns in
 * *rsp the user address the first instruction must find in rsp; the bytes
 * below it are left untouched. Returns 0, -E2BIG when the image does not fit,
 * or -EINVAL for a missing input or a buffer whose end wraps the address
 * space. The buffer needs no alignment; the result is aligned by vaddr.
 */
int initial_stack_build(void *buf, size_t size, uint64_t vaddr, const exec_args_t *args,
                        const initial_stack_aux_t *aux, uint64_t *rsp);

#endif
