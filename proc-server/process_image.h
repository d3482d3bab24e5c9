/*
 * A process's address space: the POSIX runtime, the program, and the Linux
 * initial stack, in a task under construction. The program's first
 * instruction finds exactly what Linux would give it.
 */
#ifndef PROC_SERVER_PROCESS_IMAGE_H
#define PROC_SERVER_PROCESS_IMAGE_H

#include "exec_args.h"
#include "protocol/vfs.h"
#include "task.h"

/* A file to run: its bytes and, so that its read-only segments are shared,
 * its frames when it is a boot module or which file it is (vfs-server's
 * identity, for the text cache: text_frames.h). */
typedef struct {
    const uint8_t *data;
    size_t size;
    const slot_range_t *frames;          /* NULL: not a boot module */
    const vfs_exec_identity_t *identity; /* NULL: copy every page */
} program_file_t;

/* Finds and checks the POSIX runtime module; 0 or -errno. */
int process_image_init(void);

/*
 * Loads the runtime and `file` into `t`, builds the initial stack for
 * `args`, installs the personality and fills `regs` with the first
 * registers. Returns 0, -ENOEXEC (with *why naming the fault), -E2BIG or
 * another -errno.
 */
int process_image_build(task_t *t, const program_file_t *file, const exec_args_t *args,
                        user_regs_t *regs, const char **why);

/* Sets the personality of the task's thread to the runtime's entries. */
int process_image_install_runtime_entry(task_t *t);

/* Where a forked child starts. */
uint64_t process_image_fork_entry(void);

/* Where a thread whose fault goes to a signal handler resumes. */
uint64_t process_image_fault_entry(void);

/* Whether `rip` lies in the runtime's code. */
bool process_image_in_runtime(uint64_t rip);

/* Whether `rip` is in the runtime's code that touches program memory; if
 * so, a fault there resumes at *fixup. */
bool process_image_user_access(uint64_t rip, uint64_t *fixup);

#endif
