#include "process_image.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "boot_modules.h"
#include "capsule/server.h"
#include "elf_load.h"
#include "heap.h"
#include "initial_stack.h"
#include "protocol/posix_heap.h"
#include "protocol/posix_runtime.h"
#include "text_frames.h"
#include "stack.h"
#include "uapi/vm.h"

#define STACK_IMAGE_MAX (128u << 10) /* arguments, environment, auxiliary vector */
#define PIE_BASE 0x555555554000ull   /* where Linux puts static-PIE images, too */

static const boot_module_t *runtime_module;
static posix_runtime_header_t runtime_header;

int process_image_init(void)
{
    runtime_module = boot_module_find("posix-runtime");
    if (runtime_module == NULL) {
        return -ENOENT;
    }
    elf_image_t elf;
    const elf_policy_t policy = {USER_MAP_MIN, BOOTINFO_VADDR, 0, 0};
    if (elf_check(runtime_module->data, runtime_module->size, &policy, &elf) != NULL) {
        return -ENOEXEC;
    }
    /* the header lies in the first segment, after the ELF headers */
    const elf_segment_t *first = &elf.segments[0];
    uint64_t at = POSIX_RUNTIME_HEADER - first->vaddr;
    if (first->vaddr != POSIX_RUNTIME_BASE || first->filesz < at + sizeof(runtime_header)) {
        return -ENOEXEC;
    }
    memcpy(&runtime_header, runtime_module->data + first->offset + at, sizeof(runtime_header));
    return runtime_header.magic == POSIX_RUNTIME_MAGIC ? 0 : -ENOEXEC;
}

bool process_image_user_access(uint64_t rip, uint64_t *fixup)
{
    *fixup = runtime_header.user_access_fixup;
    return rip >= runtime_header.user_access_lo && rip < runtime_header.user_access_hi;
}

static uint64_t cpuid_edx(void)
{
    uint32_t a = 1, b, c = 0, d;
    __asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
    return d;
}

/* AT_RANDOM seeds the program's stack canary and its hash seeds. The TSC
 * mixed through xorshift is what proc-server has until an entropy source
 * exists. */
static void random_bytes(uint8_t *out, size_t n)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    uint64_t x = ((uint64_t)hi << 32 | lo) ^ 0x9e3779b97f4a7c15ull;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        out[i] = (uint8_t)(x >> 24);
    }
}

static int build_stack(task_t *t, const exec_args_t *args, const elf_image_t *elf, uint64_t *rsp)
{
    uint8_t random[INITIAL_STACK_RANDOM_SIZE];
    random_bytes(random, sizeof(random));
    initial_stack_aux_t aux = {elf->phdr, elf->phnum, elf->entry, cpuid_edx(), random, args->path};
    uint8_t *image = malloc(STACK_IMAGE_MAX);
    if (image == NULL) {
        return -ENOMEM;
    }
    uint64_t image_base = STACK_TOP - STACK_IMAGE_MAX;
    int err = initial_stack_build(image, STACK_IMAGE_MAX, image_base, args, &aux, rsp);
    if (err == 0) {
        /* the image from rsp rounded down to its page, to the top */
        uint64_t from = *rsp & ~(PAGE_SIZE - 1);
        err = stack_create(t, image + (from - image_base), STACK_TOP - from);
    }
    free(image);
    return err;
}

int process_image_install_runtime_entry(task_t *t)
{
    return errno_from_kerr(tcb_set_personality(t->tcb, runtime_header.syscall_entry,
                                               runtime_header.upcall_entry, runtime_header.text_lo,
                                               runtime_header.text_hi));
}

uint64_t process_image_fork_entry(void)
{
    return runtime_header.fork_child;
}

uint64_t process_image_fault_entry(void)
{
    return runtime_header.fault_entry;
}

bool process_image_in_runtime(uint64_t rip)
{
    return rip >= runtime_header.text_lo && rip < runtime_header.text_hi;
}

static int install_runtime(task_t *t)
{
    elf_image_t elf;
    const char *why;
    const elf_policy_t policy = {USER_MAP_MIN, BOOTINFO_VADDR, 0, 0};
    int err = elf_load(t, runtime_module->data, runtime_module->size, &runtime_module->frames,
                       &policy, &elf, &why);
    if (err != 0) {
        return err;
    }
    return process_image_install_runtime_entry(t);
}

int process_image_build(task_t *t, const program_file_t *file, const exec_args_t *args,
                        user_regs_t *regs, const char **why)
{
    *why = NULL;
    /* the kernel command line, for the runtime's options (posix.log_enosys) */
    const bootinfo_t *kernel_info = server_bootinfo();
    memcpy(t->info->cmdline, kernel_info->cmdline, sizeof(t->info->cmdline));
    t->zero_on_demand = true; /* proc-server serves the process's faults */
    int err = install_runtime(t);
    if (err != 0) {
        return err;
    }
    if (file->frames == NULL && file->identity != NULL) {
        t->text = text_use_create(file->identity); /* NULL: the pages are copied */
    }
    elf_image_t elf;
    const elf_policy_t policy = {USER_MAP_MIN, POSIX_RUNTIME_BASE, PIE_BASE, ELF_ACCEPT_DYN};
    err = elf_load(t, file->data, file->size, file->frames, &policy, &elf, why);
    uint64_t rsp = 0;
    if (err == 0) {
        heap_init(t, posix_heap_start(t->info));
        err = build_stack(t, args, &elf, &rsp);
    }
    if (err == 0) {
        /* Linux's entry state: rdx = 0 (glibc's rtld_fini), the rest zero too */
        memset(regs, 0, sizeof(*regs));
        regs->rip = elf.entry;
        regs->rsp = rsp;
        regs->rflags = RFLAGS_IF;
        regs->gs_base = runtime_header.main_thread; /* the runtime's; the program's FS is 0 */
    }
    return err;
}
