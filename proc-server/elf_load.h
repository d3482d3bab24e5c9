/*
 * Loading a static ELF executable into a task under construction.
 */
#ifndef PROC_SERVER_ELF_LOAD_H
#define PROC_SERVER_ELF_LOAD_H

#include <stddef.h>
#include <stdint.h>

#include "kernel/elf.h"
#include "task.h"

/*
 * Checks `image` against `policy` (NULL: an ET_EXEC image below the
 * boot-info page) and maps its segments into `t`. Read-only segments share
 * the file's frames: `file_frames` (one proc-server slot per page of the
 * file) or, when it is NULL, those of the text cache entry `t->text` uses
 * (text_frames.h); with neither they are copied. Writable segments get
 * their own copy, but for the pages past their file bytes when the task
 * makes them on first touch (zero_pages.h): those only get their slots.
 * Returns 0 and fills `out`, -ENOEXEC for an image the validator refuses
 * (`*why` names the fault), or another -errno.
 */
int elf_load(task_t *t, const uint8_t *image, size_t size, const slot_range_t *file_frames,
             const elf_policy_t *policy, elf_image_t *out, const char **why);

#endif
