/* Sandboxes for the Linux build of the loop (tests only): mkdtemp, then a recursive remove.
 * ctx->sandbox holds the path widened byte by byte (the tests use ASCII paths). */
#define _XOPEN_SOURCE 700
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sandbox.h"

int sandbox_create(agent_ctx *ctx, char *utf8, size_t cap, char *err, size_t errlen) {
    char tmpl[] = "/tmp/jc-test-XXXXXX";
    size_t i;
    if (!mkdtemp(tmpl)) { snprintf(err, errlen, "mkdtemp: %s", strerror(errno)); return -1; }
    snprintf(utf8, cap, "%s", tmpl);
    for (i = 0; tmpl[i] && i + 1 < sizeof ctx->sandbox / sizeof ctx->sandbox[0]; i++)
        ctx->sandbox[i] = (wchar_t)(unsigned char)tmpl[i];
    ctx->sandbox[i] = 0;
    return 0;
}

static int remove_tree(const char *path) {
    struct stat st;
    DIR *d;
    struct dirent *e;
    int rc = 0;
    if (lstat(path, &st) != 0) return -1;
    if (!S_ISDIR(st.st_mode)) return unlink(path);
    d = opendir(path);
    if (!d) return -1;
    while ((e = readdir(d)) != NULL) {
        char child[4096];
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        snprintf(child, sizeof child, "%s/%s", path, e->d_name);
        if (remove_tree(child) != 0) rc = -1;
    }
    closedir(d);
    if (rmdir(path) != 0) rc = -1;
    return rc;
}

int sandbox_remove(agent_ctx *ctx, char *err, size_t errlen) {
    char path[1100];
    size_t i;
    for (i = 0; ctx->sandbox[i] && i + 1 < sizeof path; i++) path[i] = (char)ctx->sandbox[i];
    path[i] = '\0';
    if (remove_tree(path) != 0) { snprintf(err, errlen, "%s: %s", path, strerror(errno)); return -1; }
    ctx->sandbox[0] = 0;
    return 0;
}
