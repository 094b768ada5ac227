/* Harness verbs: the ffi runner's verbs.rs. Listed in the hello by agent_verbs; carried
 * out by the library's JetconformVerbA when it has one, else on the real files
 * (call_files.c) and through the engine's table calls (call_traffic.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include "call.h"
#include "call_files.h"
#include "call_folders.h"
#include "call_traffic.h"
#include "marshal_text.h"
#include "verbs.h"

/* `JET_ERR JetconformVerbA(const char* verb, JET_API_PTR handle, const char* path1,
 * const char* path2, unsigned long n1, unsigned long n2)` (runners/ffi/src/exports.rs). */
typedef jet_err(JET_API *verb_fn)(const char *, jet_api_ptr, const char *, const char *, uint32_t, uint32_t);
/* `JET_ERR JetconformFault(JET_INSTANCE instance, const char* name)`: arms a fault hook of the
 * model behind the library (runners/ffi/src/exports.rs); only a model has one. */
typedef jet_err(JET_API *fault_fn)(jet_api_ptr, const char *);

static unsigned traffic_runs;

int agent_fault_hooks(void)
{
    agent_ctx probe;
    memset(&probe, 0, sizeof probe);
    probe.dll = call_bound_dll();
    return call_symbol(&probe, "JetconformFault") != NULL;
}

/* The verbs listed in the hello. lock_file needs Windows share modes, which the agent
 * always has; log_traffic needs the extension or the engine's table calls; fault needs a
 * model's JetconformFault (as in the ffi runner). */
const char *const *agent_verbs(size_t *count)
{
    static const char *names[14] = {"corrupt_page", "corrupt_log", "delete_file", "write_file",
                                    "copy_file",    "make_dir",    "lock_file",   "unlock_file",
                                    "delete_dir",   "rename_dir",  "list_dir",    "dir_exists"};
    size_t n = 12;
    agent_ctx probe;
    memset(&probe, 0, sizeof probe);
    probe.dll = call_bound_dll();
    if (call_symbol(&probe, "JetconformVerbA") || traffic_available(&probe))
        names[n++] = "log_traffic";
    if (agent_fault_hooks())
        names[n++] = "fault";
    *count = n;
    return names;
}

/* `fault`: arms a hook through the library's JetconformFault (the ffi runner's verbs.rs). */
static void fault_run(agent_ctx *ctx, const call_t *c, obs *o)
{
    void *sym = call_symbol(ctx, "JetconformFault");
    const arg_t *inst = c->nargs == 2 ? &c->args[0] : NULL, *name = c->nargs == 2 ? &c->args[1] : NULL;
    arena a = {0};
    const char *root, *text;
    size_t len = 0;
    fault_fn fn;
    jet_err code;

    if (!sym) {
        obs_not_modelled(o, "fault hooks exist only in a model");
        return;
    }
    if (!inst || inst->kind != A_HANDLE || name->kind != A_STR || !name->present) {
        obs_not_modelled(o, "fault takes an instance and a hook name");
        return;
    }
    root = text_root_utf8(&a, ctx->sandbox);
    text = root ? text_utf8(&a, root, &name->text, &len) : NULL;
    if (!text) {
        obs_not_modelled(o, "out of memory");
    } else if (strlen(text) != len) {
        obs_returned(o, -1003); /* JET_errInvalidParameter: a NUL inside the name */
    } else {
        memcpy(&fn, &sym, sizeof fn);
        /* JET_instanceNil stays all ones at either width */
        code = fn((jet_api_ptr)inst->u, text);
        if (code == -1001)
            obs_not_modelled(o, "the library does not know this fault hook");
        else
            obs_returned(o, code);
    }
    ar_free(&a);
}

void verbs_reset(void)
{
    files_release();
    traffic_runs = 0;
}

void verbs_run(agent_ctx *ctx, const call_t *c, obs *o)
{
    const cat_function *f = c->f;
    const char *paths[2] = {NULL, NULL};
    size_t lens[2] = {0, 0}, npaths = 0, nnum = 0, i;
    uint32_t num[2] = {0, 0};
    uint64_t handle = 0;
    char why[300];
    const char *root;
    wchar_t *p0 = NULL, *p1 = NULL, *native_root = NULL;
    void *ext;
    jet_err code;
    arena a = {0};

    if (strcmp(f->name, "fault") == 0) {
        fault_run(ctx, c, o);
        return;
    }
    root = text_root_utf8(&a, ctx->sandbox);
    for (i = 0; i < f->nparams && i < c->nargs; i++) {
        const cat_param *p = &f->params[i];
        const arg_t *arg = &c->args[i];
        if (p->type == PT_STR && p->sub == SUB_PATH && arg->kind == A_STR && arg->present) {
            if (!text_path_is_inside(&arg->text)) {
                snprintf(why, sizeof why, "argument %s of %s is not a path inside the sandbox", p->name, f->name);
                obs_not_modelled(o, why);
                ar_free(&a);
                return;
            }
            if (npaths < 2 && root) {
                paths[npaths] = text_utf8(&a, root, &arg->text, &lens[npaths]);
                npaths++;
            }
        } else if ((p->type == PT_SESID || p->type == PT_INSTANCE) && arg->kind == A_HANDLE) {
            handle = arg->u;
        } else if ((p->type == PT_ULONG || p->type == PT_DBID) && arg->kind == A_U32) {
            if (nnum < 2)
                num[nnum++] = (uint32_t)arg->u;
        } else if ((p->type == PT_OUT_NAMES || p->type == PT_OUT_ULONG) && arg->kind == A_OUT) {
            /* list_dir's entries, dir_exists' exists: written by the verb below */
        } else {
            snprintf(why, sizeof why, "argument %s of %s has an unexpected form", p->name, f->name);
            obs_not_modelled(o, why);
            ar_free(&a);
            return;
        }
    }
    if (!root || (npaths > 0 && !paths[0]) || (npaths > 1 && !paths[1])) {
        obs_not_modelled(o, "out of memory");
        ar_free(&a);
        return;
    }
    if (npaths > 0)
        p0 = files_native(&a, paths[0], lens[0]);
    if (npaths > 1)
        p1 = files_native(&a, paths[1], lens[1]);
    native_root = files_native(&a, root, strlen(root));
    if ((npaths > 0 && !p0) || (npaths > 1 && !p1) || !native_root) {
        obs_not_modelled(o, "out of memory");
        ar_free(&a);
        return;
    }
    /* Folders: reading one changes nothing the engine holds, so list_dir and dir_exists are
     * answered here whatever the library (its extension answers codes, not outputs); the
     * others are checked against the sandbox before the library sees them. */
    if (p0 && strcmp(f->name, "list_dir") == 0) {
        folders_list(&a, native_root, p0, paths[0], o);
        ar_free(&a);
        return;
    }
    if (p0 && strcmp(f->name, "dir_exists") == 0) {
        folders_exists(native_root, p0, o);
        ar_free(&a);
        return;
    }
    if (p0 && (strcmp(f->name, "make_dir") == 0 || strcmp(f->name, "delete_dir") == 0 ||
               strcmp(f->name, "rename_dir") == 0)) {
        int allow_root = strcmp(f->name, "make_dir") == 0;
        if (!folders_inside(native_root, p0, allow_root, why, sizeof why) ||
            (p1 && !folders_inside(native_root, p1, 0, why, sizeof why))) {
            char note[320];
            snprintf(note, sizeof note, "refused: %s", why);
            obs_returned(o, E_INVALID_PARAMETER);
            obs_note(o, note);
            ar_free(&a);
            return;
        }
    }
    ext = call_symbol(ctx, "JetconformVerbA");
    if (ext) {
        verb_fn verb;
        memcpy(&verb, &ext, sizeof verb);
        obs_returned(o, verb(f->name, (jet_api_ptr)handle, paths[0], paths[1], num[0], num[1]));
        ar_free(&a);
        return;
    }
    if (strcmp(f->name, "log_traffic") == 0) {
        if (!traffic_available(ctx)) {
            obs_not_modelled(o, "log_traffic needs JetCreateTable, JetSetColumn, JetUpdate and the "
                                "transaction calls, which this library does not export");
            ar_free(&a);
            return;
        }
        {
            char table[48];
            snprintf(table, sizeof table, "jetconform_traffic_%u", ++traffic_runs);
            code = traffic_run(ctx, handle, num[0], num[1], table);
        }
    } else if (!p0) {
        snprintf(why, sizeof why, "verb %s needs a path", f->name);
        obs_not_modelled(o, why);
        ar_free(&a);
        return;
    } else if (strcmp(f->name, "write_file") == 0) {
        code = files_write(p0, num[0]);
    } else if (strcmp(f->name, "copy_file") == 0) {
        DWORD e;
        if (!p1)
            code = E_INVALID_PARAMETER;
        else if ((e = files_make_parent(p1)) != 0)
            code = files_code(e);
        else
            code = CopyFileW(p0, p1, FALSE) ? E_SUCCESS : files_code(GetLastError());
    } else if (strcmp(f->name, "delete_file") == 0) {
        code = DeleteFileW(p0) ? E_SUCCESS : files_code(GetLastError());
    } else if (strcmp(f->name, "make_dir") == 0) {
        DWORD e = files_make_dirs(p0);
        code = e ? files_code(e) : E_SUCCESS;
    } else if (strcmp(f->name, "delete_dir") == 0) {
        folders_delete(native_root, p0, o);
        ar_free(&a);
        return;
    } else if (strcmp(f->name, "rename_dir") == 0) {
        if (p1)
            folders_rename(native_root, p0, p1, o);
        else
            obs_returned(o, E_INVALID_PARAMETER);
        ar_free(&a);
        return;
    } else if (strcmp(f->name, "corrupt_page") == 0) {
        code = files_corrupt_page(p0, num[0]);
    } else if (strcmp(f->name, "corrupt_log") == 0) {
        code = files_flip(p0, num[0]);
    } else if (strcmp(f->name, "lock_file") == 0) {
        code = files_lock(p0);
    } else if (strcmp(f->name, "unlock_file") == 0) {
        files_unlock(p0);
        code = E_SUCCESS;
    } else {
        snprintf(why, sizeof why, "verb %s needs the engine's own calls; this library has no harness extension",
                 f->name);
        obs_not_modelled(o, why);
        ar_free(&a);
        return;
    }
    obs_returned(o, code);
    ar_free(&a);
}
