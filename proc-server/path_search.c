#include "path_search.h"

#include <stdio.h>
#include <string.h>

const char *path_search_dirs(const exec_args_t *args)
{
    for (size_t i = 0; i < args->envc; i++) {
        const char *env = exec_args_env(args, i);
        if (strncmp(env, "PATH=", 5) == 0) {
            return env + 5;
        }
    }
    return PATH_SEARCH_DEFAULT;
}

bool path_search_next(const char **dirs, const char *name, char *out, size_t size)
{
    while (**dirs != '\0') {
        const char *dir = *dirs;
        size_t len = strcspn(dir, ":");
        *dirs += len + (dir[len] == ':');
        int n = len == 0 ? snprintf(out, size, "%s", name)
                         : snprintf(out, size, "%.*s/%s", (int)len, dir, name);
        if (n > 0 && (size_t)n < size) {
            return true;
        }
    }
    return false;
}
