/*
 * The boot-info page: what the kernel hands the root task.
 *
 * The root task starts with rdi = the page's address and rsp = the top of its
 * stack. Its CNode holds the capabilities below at fixed slots; the frames of
 * its image, stack and of every other boot module follow, as ranges.
 */
#ifndef CAPSULE_UAPI_BOOTINFO_H
#define CAPSULE_UAPI_BOOTINFO_H

#include <stdint.h>

#define BOOTINFO_MAGIC 0x31656c7573706143ull /* "Capsule1" */

enum {
    CAP_NULL = 0, /* slot 0 stays empty in every CSpace by convention */
    CAP_INIT_CNODE = 1,
    CAP_INIT_TCB = 2,
    CAP_INIT_VSPACE = 3,
    CAP_INIT_POOL = 4,
    CAP_INIT_DEBUG = 5,
    CAP_INIT_IPC_BUFFER = 6,
    CAP_INIT_BOOTINFO = 7,
    CAP_INIT_IRQ_CONTROL = 8,
    CAP_INIT_IO_PORT = 9, /* every I/O port, 0..0xffff */
    CAP_INIT_FIRST_FREE = 10,
};

#define BOOTINFO_VADDR 0x7fff00000000ull
#define BOOTINFO_IPC_BUFFER_VADDR 0x7fff00001000ull
#define BOOTINFO_STACK_TOP 0x7fff00100000ull
#define BOOTINFO_STACK_PAGES 16

#define BOOTINFO_MAX_MODULES 16
#define BOOTINFO_NAME_MAX 64
#define BOOTINFO_CMDLINE_MAX 256

typedef struct {
    uint64_t first; /* first slot */
    uint64_t count; /* number of slots */
} slot_range_t;

typedef struct {
    char name[BOOTINFO_NAME_MAX]; /* the module's GRUB command line */
    uint64_t size;                /* bytes */
    slot_range_t frames;          /* one 4 KiB frame per page, in order */
} bootinfo_module_t;

#define BOOTINFO_MAX_SEGMENTS 16

typedef struct {
    uint64_t vaddr; /* page aligned */
    uint64_t pages;
    uint64_t rights; /* MAP_* it is mapped with */
} bootinfo_segment_t;

typedef struct {
    uint64_t magic;
    uint64_t cnode_size_bits; /* the root CNode has 2^cnode_size_bits slots */
    uint64_t ipc_buffer_vaddr;
    uint64_t pool_budget;      /* its pool's ceiling in bytes (root task: the root pool) */
    uint64_t mem_total;        /* usable RAM the kernel found, bytes */
    slot_range_t image_frames; /* the segments' frames, segment after segment */
    uint64_t image_segment_count;
    bootinfo_segment_t image_segments[BOOTINFO_MAX_SEGMENTS];
    slot_range_t stack_frames;
    slot_range_t free_slots;
    uint64_t module_count;
    bootinfo_module_t modules[BOOTINFO_MAX_MODULES];
    char cmdline[BOOTINFO_CMDLINE_MAX]; /* the kernel command line */
} bootinfo_t;

_Static_assert(sizeof(bootinfo_t) <= 4096, "boot info fits in a page");

#endif
