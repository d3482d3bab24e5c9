/*
 * Start-up of a musl-linked server: install the personality on the server's
 * own thread, then hand musl the Linux start-up block (argv, an empty
 * environment, auxv) it expects. musl's first system call, arch_prctl in
 * __init_tls, already lands in the runtime.
 */
#include <elf.h>
#include <stddef.h>
#include <stdnoreturn.h>

#include "capsule/server.h"
#include "runtime.h"

#define RUNTIME_STACK_BYTES 16384
#define MAX_ARGS 16
#define AUXV_WORDS 28

int main(int argc, char **argv, char **envp);
int __libc_start_main(int (*main)(int, char **, char **), int argc, char **argv, void (*init)(void),
                      void (*fini)(void), void (*ldso)(void));
void runtime_syscall_entry(void);

extern const char __start_capsule_runtime[], __stop_capsule_runtime[];
extern const Elf64_Ehdr __ehdr_start;
extern char _end[];

static const bootinfo_t *bootinfo;
static runtime_thread_t main_thread;
static uint8_t runtime_stack[RUNTIME_STACK_BYTES] __attribute__((aligned(16)));
static char cmdline[BOOTINFO_CMDLINE_MAX];
static uint8_t random_bytes[16];
/* argv, NULL, envp's NULL, auxv: musl finds each after the previous one. */
static char *start_block[MAX_ARGS + 2 + AUXV_WORDS];

const bootinfo_t *server_bootinfo(void)
{
    return bootinfo;
}

static int split_words(char **argv)
{
    __builtin_memcpy(cmdline, bootinfo->cmdline, sizeof(cmdline));
    cmdline[sizeof(cmdline) - 1] = '\0';
    int argc = 0;
    for (char *p = cmdline; *p != '\0' && argc < MAX_ARGS;) {
        while (*p == ' ') {
            *p++ = '\0';
        }
        if (*p != '\0') {
            argv[argc++] = p;
        }
        while (*p != '\0' && *p != ' ') {
            p++;
        }
    }
    argv[argc] = NULL;
    return argc;
}

static uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

static uint64_t cpuid_edx(void)
{
    uint32_t a = 1, b, c = 0, d;
    __asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
    return d;
}

/* Seeds musl's stack-protector canary. The TSC is a weak source; a
 * server's canary only has to differ from run to run. */
static void fill_random(void)
{
    uint64_t x = rdtsc() ^ 0x9e3779b97f4a7c15ull;
    for (unsigned i = 0; i < sizeof(random_bytes); i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        random_bytes[i] = (uint8_t)x;
    }
}

static void put_auxv(char **auxv)
{
    const uint64_t pairs[][2] = {
        {AT_PHDR, (uint64_t)&__ehdr_start + __ehdr_start.e_phoff},
        {AT_PHENT, __ehdr_start.e_phentsize},
        {AT_PHNUM, __ehdr_start.e_phnum},
        {AT_PAGESZ, 4096},
        {AT_ENTRY, __ehdr_start.e_entry},
        {AT_UID, 0},
        {AT_EUID, 0},
        {AT_GID, 0},
        {AT_EGID, 0},
        {AT_SECURE, 0},
        {AT_HWCAP, cpuid_edx()},
        {AT_RANDOM, (uint64_t)random_bytes},
    };
    _Static_assert(2 * (sizeof(pairs) / sizeof(pairs[0])) + 2 <= AUXV_WORDS, "auxv fits");
    unsigned n = 0;
    for (unsigned i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
        auxv[n++] = (char *)pairs[i][0];
        auxv[n++] = (char *)pairs[i][1];
    }
    auxv[n++] = (char *)AT_NULL;
    auxv[n] = NULL;
}

static void install_personality(void)
{
    main_thread.runtime_stack = (uint64_t)(runtime_stack + sizeof(runtime_stack));
    kerr_t err = tcb_set_gs_base(CAP_INIT_TCB, (uint64_t)&main_thread);
    if (err == KERR_OK) {
        err = tcb_set_personality(CAP_INIT_TCB, (uint64_t)runtime_syscall_entry, 0,
                                  (uint64_t)__start_capsule_runtime,
                                  (uint64_t)__stop_capsule_runtime);
    }
    if (err != KERR_OK) {
        static const char msg[] = "server runtime: cannot install the personality\n";
        debug_write(CAP_INIT_DEBUG, msg, sizeof(msg) - 1);
        for (;;) {
            tcb_suspend(CAP_INIT_TCB);
        }
    }
}

noreturn void server_start(const bootinfo_t *bi)
{
    bootinfo = bi;
    ipc_buffer = (ipc_buffer_t *)bi->ipc_buffer_vaddr;
    slots_init(bi);
    memory_set_break((uint64_t)_end);
    memory_set_image(bi);
    install_personality();
    fill_random();
    char **argv = start_block;
    int argc = split_words(argv);
    argv[argc + 1] = NULL; /* the empty environment */
    put_auxv(&argv[argc + 2]);
    __libc_start_main(main, argc, argv, NULL, NULL, NULL);
    __builtin_unreachable();
}
