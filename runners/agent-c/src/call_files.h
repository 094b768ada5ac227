/* The verbs' operations on real files (call_files.c). Paths are \\?\-prefixed wide
 * strings from files_native; every function answers a JET_ERR. */
#ifndef JETCONFORM_AGENT_CALL_FILES_H
#define JETCONFORM_AGENT_CALL_FILES_H

#include <stddef.h>
#include <stdint.h>
#include <wchar.h>
#include <windows.h>
#include "abi.h"
#include "call_arena.h"

/* JET_ERRs a verb answers (runners/ffi/src/verbs.rs io_code). */
#define E_SUCCESS 0
#define E_INVALID_PARAMETER (-1003)
#define E_DISK_IO (-1022)
#define E_FILE_ACCESS_DENIED (-1032)
#define E_FILE_NOT_FOUND (-1811)

jet_err files_code(DWORD win32_error);
/* A UTF-8 absolute path as a \\?\ wide path, in the arena. */
wchar_t *files_native(arena *a, const char *utf8, size_t len);
DWORD files_make_dirs(wchar_t *dir);   /* create_dir_all: 0 or the Win32 error */
DWORD files_make_parent(wchar_t *path);
jet_err files_write(wchar_t *p, uint32_t size);
jet_err files_flip(const wchar_t *p, unsigned long long offset);
jet_err files_corrupt_page(const wchar_t *p, uint32_t pgno);
jet_err files_lock(wchar_t *p);
void files_unlock(const wchar_t *p);
void files_release(void); /* closes every file lock_file holds */
/* Appends `n` bytes to sandbox file `rel` (a Buffer's save_to); 0 with a note on failure. */
int files_append(arena *a, const char *root, const char *rel, size_t rel_len,
                 const unsigned char *bytes, size_t n, char *note, size_t notelen);

#endif
