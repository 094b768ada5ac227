/* The folder verbs on real files (the interface crate's sandbox.rs, which the ffi runner and
 * the mock use): delete_dir, rename_dir, list_dir, dir_exists, and the sandbox check
 * make_dir shares. Paths are \\?\-prefixed wide strings from files_native; `root` is the
 * sandbox in the same form. A path that leaves the sandbox (a `.` or `..` component, another
 * prefix, a junction or symbolic link below the sandbox: FILE_ATTRIBUTE_REPARSE_POINT) is
 * refused with -1003 and a note, and nothing is touched. */
#ifndef JETCONFORM_AGENT_CALL_FOLDERS_H
#define JETCONFORM_AGENT_CALL_FOLDERS_H

#include <wchar.h>
#include "call_arena.h"
#include "call_obs.h"

/* 1 when `p` is inside `root` with no link on the way (and, unless allow_root, not `root`
 * itself); else 0 with the reason in `why`. */
int folders_inside(const wchar_t *root, const wchar_t *p, int allow_root, char *why, size_t whylen);
void folders_delete(const wchar_t *root, const wchar_t *p, obs *o);
void folders_rename(const wchar_t *root, const wchar_t *from, const wchar_t *to, obs *o);
/* `utf8` is the path as the harness knows it (the listed entries are `utf8\name`). */
void folders_list(arena *a, const wchar_t *root, const wchar_t *p, const char *utf8, obs *o);
void folders_exists(const wchar_t *root, const wchar_t *p, obs *o);

#endif
