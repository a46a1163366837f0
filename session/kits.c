/* kits.c - the kits the picker lists (see kits.h). */
#include "session/kits.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void gv_kits_name(const char *dir, char *out, int n)
{
    if (!dir || !*dir) {
        snprintf(out, (size_t)n, "built-in");
        return;
    }
    size_t len = strlen(dir);
    while (len > 1 && dir[len - 1] == '/')
        len--;
    size_t start = len;
    while (start > 0 && dir[start - 1] != '/')
        start--;
    snprintf(out, (size_t)n, "%.*s", (int)(len - start), dir + start);
}

static int listed(const gv_kit_choice *out, int n, const char *dir)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(out[i].dir, dir))
            return 1;
    return 0;
}

static int add(gv_kit_choice *out, int n, int max, const char *dir, const char *where)
{
    if (n >= max || listed(out, n, dir) || strlen(dir) >= sizeof out[n].dir)
        return n;
    snprintf(out[n].dir, sizeof out[n].dir, "%s", dir);
    gv_kits_name(dir, out[n].name, sizeof out[n].name);
    snprintf(out[n].where, sizeof out[n].where, "%s", where);
    return n + 1;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const gv_kit_choice *)a)->name, ((const gv_kit_choice *)b)->name);
}

/* The Hydrogen kits in root (folders holding drumkit.xml), sorted. */
static int scan(gv_kit_choice *out, int n, int max, const char *root, const char *where)
{
    DIR *d = root ? opendir(root) : NULL;
    if (!d)
        return n;
    int first = n;
    struct dirent *de;
    while ((de = readdir(d)) != NULL && n < max) {
        if (de->d_name[0] == '.')
            continue;
        char dir[1024], xml[1100];
        struct stat st;
        if (snprintf(dir, sizeof dir, "%s/%s", root, de->d_name) >= (int)sizeof dir)
            continue;
        snprintf(xml, sizeof xml, "%s/drumkit.xml", dir);
        if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode) && stat(xml, &st) == 0 && S_ISREG(st.st_mode))
            n = add(out, n, max, dir, where);
    }
    closedir(d);
    qsort(out + first, (size_t)(n - first), sizeof *out, by_name);
    return n;
}

int gv_kits_find(gv_kit_choice *out, int max, const char *kit_arg, const char *home, const char *system_dir)
{
    int n = add(out, 0, max, "", "built-in");
    if (kit_arg && *kit_arg)
        n = add(out, n, max, kit_arg, "--kit");
    n = scan(out, n, max, system_dir, "hydrogen");
    if (home && *home) {
        char user[1024];
        if (snprintf(user, sizeof user, "%s/%s", home, GV_KITS_USER_DIR) < (int)sizeof user)
            n = scan(out, n, max, user, "~/.hydrogen");
    }
    return n;
}
