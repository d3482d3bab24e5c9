/* procfs: keeping the ramfs tree of a proc instance up to date. */
#include "procfs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "proc_table.h"
#include "proc_view.h"
#include "procfs_text.h"
#include "ramfs.h"
#include "resolve.h"
#include "uapi/kinfo.h"
#include "uapi/vm.h"

#define TEXT_MAX 8192 /* the longest generated file (mounts is cut here) */

static const client_t *reader;

void procfs_set_reader(const client_t *c)
{
    reader = c;
}

/* How the reader sees processes: read again at each refresh, as its
 * record is what says its scope. */
static proc_view_t reader_view(proc_record_t *self)
{
    if (reader == NULL) {
        return proc_view_of(NULL);
    }
    return proc_table_lookup(reader->pid, self) ? proc_view_of(self) : proc_view_none();
}

/* Whether regular file v holds exactly text. */
static bool same_text(vnode_t *v, const char *text, size_t len)
{
    char buf[512];
    struct stat st;
    vnode_stat(v, &st);
    if ((uint64_t)st.st_size != len) {
        return false;
    }
    for (size_t off = 0; off < len; off += sizeof(buf)) {
        size_t n = len - off < sizeof(buf) ? len - off : sizeof(buf);
        if (ramfs_read(v, off, buf, n) != (ssize_t)n || memcmp(buf, text + off, n) != 0) {
            return false;
        }
    }
    return true;
}

/*
 * Makes name in dir a file holding text. An entry is replaced only when it
 * must be: a listing under way would see a new entry again. A file someone
 * holds (open) keeps the text it was opened with: it gets a successor.
 */
static void put_file(vnode_t *dir, const char *name, const char *text, size_t len)
{
    vnode_t *v;
    if (ramfs_lookup(dir, name, strlen(name), &v) == 0 && S_ISREG(v->mode)) {
        if (same_text(v, text, len)) {
            return;
        }
        if (v->refs == 0 && ramfs_truncate(v, 0) == 0) {
            if (len > 0) {
                ramfs_write(v, 0, text, len);
            }
            return;
        }
    }
    ramfs_unlink(dir, name, strlen(name));
    if (ramfs_mknod(dir, name, strlen(name), S_IFREG | 0444, 0, 0, 0, &v) == 0 && len > 0) {
        ramfs_write(v, 0, text, len);
    }
}

/* Makes name in dir a symlink to target, replacing it only if it differs. */
static void put_link(vnode_t *dir, const char *name, const char *target)
{
    vnode_t *v;
    size_t tlen = strlen(target);
    if (ramfs_lookup(dir, name, strlen(name), &v) == 0 && vnode_is_symlink(v) &&
        v->u.link.len == tlen && memcmp(v->u.link.target, target, tlen) == 0) {
        return;
    }
    ramfs_unlink(dir, name, strlen(name));
    ramfs_symlink(dir, name, strlen(name), target, tlen, 0, 0, &v);
}

static vnode_t *put_dir(vnode_t *dir, const char *name)
{
    vnode_t *v;
    if (ramfs_lookup(dir, name, strlen(name), &v) == 0) {
        return v;
    }
    return ramfs_mknod(dir, name, strlen(name), S_IFDIR | 0555, 0, 0, 0, &v) == 0 ? v : NULL;
}

/* The names of dir's entries, for removing what is stale. */
typedef struct {
    char (*names)[VFS_NAME_MAX + 1];
    size_t count, cap;
} name_list_t;

static bool collect(void *arg, const char *name, size_t len, uint64_t ino, unsigned char type,
                    uint64_t next_pos)
{
    (void)ino, (void)type, (void)next_pos;
    name_list_t *l = arg;
    if ((len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.')) {
        return true;
    }
    if (l->count == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 32;
        void *names = realloc(l->names, cap * sizeof(*l->names));
        if (names == NULL) {
            return false;
        }
        l->names = names, l->cap = cap;
    }
    memcpy(l->names[l->count], name, len);
    l->names[l->count++][len] = '\0';
    return true;
}

static name_list_t list_names(vnode_t *dir)
{
    name_list_t l = {0};
    uint64_t pos = 0;
    ramfs_readdir(dir, &pos, collect, &l);
    return l;
}

/* Removes name from dir, and everything below it if it is a directory. */
static void remove_tree(vnode_t *dir, const char *name)
{
    vnode_t *v;
    if (ramfs_lookup(dir, name, strlen(name), &v) != 0) {
        return;
    }
    if (!vnode_is_dir(v)) {
        ramfs_unlink(dir, name, strlen(name));
        return;
    }
    name_list_t l = list_names(v);
    for (size_t i = 0; i < l.count; i++) {
        remove_tree(v, l.names[i]);
    }
    free(l.names);
    ramfs_rmdir(dir, name, strlen(name));
}

/* A decimal PID, or 0 for any other name. */
static int parse_pid(const char *name, size_t len)
{
    if (len == 0 || len > 6 || name[0] == '0') {
        return 0;
    }
    int pid = 0;
    for (size_t i = 0; i < len; i++) {
        if (name[i] < '0' || name[i] > '9') {
            return 0;
        }
        pid = pid * 10 + (name[i] - '0');
    }
    return pid < PROC_TABLE_SLOTS ? pid : 0;
}

/* The PID a directory of the tree is about: /proc/<pid> or /proc/<pid>/fd. */
static int pid_of_dir(const vnode_t *dir)
{
    const vnode_t *root = dir->fs->root;
    const vnode_t *up = dir->u.dir.parent;
    if (up != NULL && up != root && up->u.dir.parent == root) {
        dir = up; /* fd/ */
    }
    const char *name;
    size_t len;
    if (dir->u.dir.parent != root || ramfs_name_of(root, dir, &name, &len) != 0) {
        return 0;
    }
    return parse_pid(name, len);
}

/* The process the reader calls nr: its record in the reader's numbers
 * (*r) and its global PID; 0 when the reader sees none by that number. */
static int live_record(int nr, proc_record_t *r)
{
    proc_record_t self, found;
    proc_view_t v = reader_view(&self);
    if (!proc_view_find(&v, nr, proc_table_lookup, proc_table_next, &found)) {
        return 0;
    }
    proc_view_translate(&v, &found, proc_table_lookup, r);
    return found.pid;
}

/* /proc/<pid>/fd: one symlink per open descriptor with a known name. */
static void refresh_fds(vnode_t *dir, int nr)
{
    proc_record_t r;
    int pid = live_record(nr, &r);
    const client_t *c = pid != 0 ? client_find(pid) : NULL;
    name_list_t l = list_names(dir);
    for (size_t i = 0; i < l.count; i++) {
        const char *name = l.names[i];
        int fd = (int)strtol(name, NULL, 10);
        const file_t *f = c != NULL && fd >= 0 && fd < FD_MAX ? c->fds.files[fd] : NULL;
        if (f == NULL || f->name == NULL) {
            ramfs_unlink(dir, name, strlen(name)); /* closed since */
        }
    }
    free(l.names);
    for (int fd = 0; c != NULL && fd < FD_MAX; fd++) {
        const file_t *f = c->fds.files[fd];
        if (f != NULL && f->name != NULL) {
            char name[16];
            snprintf(name, sizeof(name), "%d", fd);
            put_link(dir, name, f->name);
        }
    }
}

static void refresh_link(vnode_t *dir, const char *name, const char *target)
{
    if (target != NULL && target[0] != '\0') {
        put_link(dir, name, target);
    } else {
        ramfs_unlink(dir, name, strlen(name));
    }
}

static void refresh_cwd(vnode_t *dir, const client_t *c)
{
    char path[VFS_PATH_MAX];
    bool known = c != NULL && resolve_getcwd(&c->root, &c->cwd, path, sizeof(path)) >= 0;
    refresh_link(dir, "cwd", known ? path : NULL);
}

static void refresh_text(vnode_t *dir, const char *name, const proc_record_t *r, const client_t *c)
{
    char text[1024];
    size_t n;
    if (strcmp(name, "stat") == 0) {
        n = procfs_stat(r, text, sizeof(text));
    } else if (strcmp(name, "status") == 0) {
        n = procfs_status(r, c != NULL ? c->umask : 022, text, sizeof(text));
    } else if (strcmp(name, "cmdline") == 0) {
        n = procfs_cmdline(r, text, sizeof(text));
    } else {
        n = procfs_comm(r, text, sizeof(text));
    }
    put_file(dir, name, text, n < sizeof(text) ? n : sizeof(text) - 1);
}

static const char *const pid_files[] = {"stat", "status", "cmdline", "comm"};

/* /proc/<pid>/root: where its root lies as the reader sees it from its own
 * root; absent when that is not below the reader's root (another context),
 * so following it never leads outside the reader's context. */
static void refresh_pid_root(vnode_t *dir, const client_t *c)
{
    char path[VFS_PATH_MAX];
    bool known = c != NULL && reader != NULL &&
                 resolve_getcwd(&reader->root, &c->root, path, sizeof(path)) >= 0;
    refresh_link(dir, "root", known ? path : NULL);
}

/* /proc/<pid>/mounts: its context's table as seen from its own root. */
static void refresh_pid_mounts(vnode_t *dir, const client_t *c)
{
    char *text = c != NULL ? malloc(TEXT_MAX) : NULL;
    if (text == NULL) {
        put_file(dir, "mounts", "", 0);
        return;
    }
    size_t n = rootctx_render_mounts(c->ctx, &c->root, text, TEXT_MAX);
    put_file(dir, "mounts", text, n < TEXT_MAX ? n : TEXT_MAX - 1);
    free(text);
}

/* One entry (or, name NULL, every entry) of /proc/<pid>. */
static void refresh_pid_dir(vnode_t *dir, int nr, const char *name)
{
    proc_record_t r;
    int pid = live_record(nr, &r);
    if (pid == 0) {
        return; /* its directory goes at the next listing or lookup of /proc */
    }
    const client_t *c = client_find(pid);
    for (size_t i = 0; i < sizeof(pid_files) / sizeof(pid_files[0]); i++) {
        if (name == NULL || strcmp(name, pid_files[i]) == 0) {
            refresh_text(dir, pid_files[i], &r, c);
        }
    }
    if (name == NULL || strcmp(name, "exe") == 0) {
        refresh_link(dir, "exe", c != NULL ? c->exe : NULL);
    }
    if (name == NULL || strcmp(name, "cwd") == 0) {
        refresh_cwd(dir, c);
    }
    if (name == NULL || strcmp(name, "root") == 0) {
        refresh_pid_root(dir, c);
    }
    if (name == NULL || strcmp(name, "mounts") == 0) {
        refresh_pid_mounts(dir, c);
    }
    if (name == NULL || strcmp(name, "fd") == 0) {
        put_dir(dir, "fd");
    }
}

/* /proc/<pid> exists exactly while the reader sees a process by that number. */
static void refresh_pid(vnode_t *root, int nr, const char *name)
{
    proc_record_t r;
    if (live_record(nr, &r) == 0) {
        remove_tree(root, name);
        return;
    }
    vnode_t *dir = put_dir(root, name);
    if (dir != NULL) {
        refresh_pid_dir(dir, nr, NULL);
    }
}

static void refresh_mounts(vnode_t *root)
{
    if (reader == NULL) {
        put_file(root, "mounts", "", 0);
        return;
    }
    char *text = malloc(TEXT_MAX);
    if (text != NULL) {
        size_t n = rootctx_render_mounts(reader->ctx, &reader->root, text, TEXT_MAX);
        put_file(root, "mounts", text, n < TEXT_MAX ? n : TEXT_MAX - 1);
        free(text);
    }
}

/* The kernel's tick counts, from the info page mapped in every VSpace. */
static procfs_cpu_t cpu_ticks(void)
{
    const volatile kinfo_t *k = (const volatile kinfo_t *)USER_INFO_PAGE;
    uint64_t ticks = k->ticks, idle = k->idle_ticks;
    return (procfs_cpu_t){
        .busy_ticks = ticks >= idle ? ticks - idle : 0, .idle_ticks = idle, .tick_hz = k->tick_hz};
}

static void refresh_uptime(vnode_t *root)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    char text[64];
    procfs_cpu_t cpu = cpu_ticks();
    size_t n = procfs_uptime((uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec, &cpu, text,
                             sizeof(text));
    put_file(root, "uptime", text, n);
}

/* The reader's view of the table, counted; boot time from the clocks. */
static procfs_counts_t count_processes(void)
{
    procfs_counts_t c = {0};
    proc_record_t self, r;
    proc_view_t v = reader_view(&self);
    uint64_t last_start = 0;
    for (int pid = 0; proc_table_next(pid, &r); pid = r.pid) {
        int nr = proc_view_nr(&v, &r);
        if (nr == 0) {
            continue;
        }
        c.total++;
        c.in_r += r.state == 'R';
        if (c.last_nr == 0 || r.start_ns >= last_start) {
            c.last_nr = nr, last_start = r.start_ns;
        }
    }
    struct timespec real, mono;
    clock_gettime(CLOCK_REALTIME, &real);
    clock_gettime(CLOCK_MONOTONIC, &mono);
    c.boot_s = (uint64_t)(real.tv_sec - mono.tv_sec - (real.tv_nsec < mono.tv_nsec));
    c.cpu = cpu_ticks();
    return c;
}

static void refresh_counted(vnode_t *root, const char *name)
{
    procfs_counts_t c = count_processes();
    char text[256];
    bool load = strcmp(name, "loadavg") == 0;
    size_t n =
        load ? procfs_loadavg(&c, text, sizeof(text)) : procfs_global_stat(&c, text, sizeof(text));
    put_file(root, name, text, n < sizeof(text) ? n : sizeof(text) - 1);
}

/* /proc/meminfo exists when the table's header says how much RAM there is. */
static void refresh_meminfo(vnode_t *root)
{
    uint64_t total = proc_table_mem_total();
    if (total == 0) {
        ramfs_unlink(root, "meminfo", 7);
        return;
    }
    char text[64];
    size_t n = procfs_meminfo(total, text, sizeof(text));
    put_file(root, "meminfo", text, n < sizeof(text) ? n : sizeof(text) - 1);
}

static void refresh_self(vnode_t *root)
{
    proc_record_t self;
    int nr = 0;
    if (reader != NULL && proc_table_lookup(reader->pid, &self)) {
        proc_view_t v = proc_view_of(&self);
        nr = proc_view_nr(&v, &self); /* its own scope's number for itself */
    }
    if (nr != 0) {
        char target[16];
        snprintf(target, sizeof(target), "%d", nr);
        put_link(root, "self", target);
    } else {
        ramfs_unlink(root, "self", 4);
    }
}

/* A listing of /proc: every visible process and the fixed names. */
static void refresh_root_all(vnode_t *root)
{
    name_list_t l = list_names(root);
    for (size_t i = 0; i < l.count; i++) {
        int pid = parse_pid(l.names[i], strlen(l.names[i]));
        if (pid != 0) {
            refresh_pid(root, pid, l.names[i]); /* drops the dead */
        }
    }
    free(l.names);
    proc_record_t self, r;
    proc_view_t v = reader_view(&self);
    for (int pid = 0; proc_table_next(pid, &r); pid = r.pid) {
        int nr = proc_view_nr(&v, &r);
        if (nr != 0) {
            char name[16];
            snprintf(name, sizeof(name), "%d", nr);
            put_dir(root, name); /* its entries come at their lookup or listing */
        }
    }
    refresh_self(root);
    refresh_mounts(root);
    refresh_uptime(root);
    refresh_counted(root, "loadavg");
    refresh_counted(root, "stat");
    refresh_meminfo(root);
}

/* Lookups alone never list /proc, so the directories of processes gone
 * since are dropped here too: ash runs each applet as /proc/self/exe, and
 * every command would otherwise leave its /proc/<pid> (some 28 KiB of
 * rendered files) until someone lists /proc. */
static void drop_dead(vnode_t *root)
{
    name_list_t l = list_names(root);
    for (size_t i = 0; i < l.count; i++) {
        proc_record_t r;
        int nr = parse_pid(l.names[i], strlen(l.names[i]));
        if (nr != 0 && live_record(nr, &r) == 0) {
            remove_tree(root, l.names[i]);
        }
    }
    free(l.names);
}

static void refresh_root(vnode_t *root, const char *name, size_t len)
{
    drop_dead(root);
    char n[VFS_NAME_MAX + 1];
    memcpy(n, name, len);
    n[len] = '\0';
    int pid = parse_pid(name, len);
    if (pid != 0) {
        refresh_pid(root, pid, n);
    } else if (strcmp(n, "self") == 0) {
        refresh_self(root);
    } else if (strcmp(n, "mounts") == 0) {
        refresh_mounts(root);
    } else if (strcmp(n, "uptime") == 0) {
        refresh_uptime(root);
    } else if (strcmp(n, "loadavg") == 0 || strcmp(n, "stat") == 0) {
        refresh_counted(root, n);
    } else if (strcmp(n, "meminfo") == 0) {
        refresh_meminfo(root);
    }
}

static void procfs_refresh(vnode_t *dir, const char *name, size_t len)
{
    if (dir == dir->fs->root) {
        if (name == NULL) {
            refresh_root_all(dir);
        } else {
            refresh_root(dir, name, len);
        }
        return;
    }
    int pid = pid_of_dir(dir);
    if (pid == 0) {
        return;
    }
    if (dir->u.dir.parent == dir->fs->root) {
        char n[VFS_NAME_MAX + 1];
        if (name != NULL) {
            memcpy(n, name, len);
            n[len] = '\0';
        }
        refresh_pid_dir(dir, pid, name != NULL ? n : NULL);
    } else {
        refresh_fds(dir, pid);
    }
}

int procfs_new(vfs_fs_t **out)
{
    ramfs_opts_t opts = {.type = "proc", .root_mode = 0555};
    int err = ramfs_new(&opts, out);
    if (err == 0) {
        (*out)->refresh = procfs_refresh;
    }
    return err;
}
