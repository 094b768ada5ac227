/* A call as typed values: the C form of runners/interface/src/call.rs (`Call`, `Arg`, `Text`,
 * ...), parsed strictly from the request's JSON before anything is marshalled. A call
 * jetconform's own reader would refuse (an unknown function, a value of the wrong JSON type,
 * a number out of range) is refused here too, nested calls of callbacks included, so a
 * malformed request is a protocol error and never a half-made engine call. */
#ifndef JETCONFORM_AGENT_ARGS_H
#define JETCONFORM_AGENT_ARGS_H

#include <stdint.h>
#include "call_arena.h"
#include "call_catalogue.h"
#include "json.h"

typedef enum { TX_PLAIN, TX_PATH, TX_RAW } text_kind;

/* TEXT (docs/protocol.md): `s` is UTF-8 and may hold NULs (`len` tells). */
typedef struct text_t {
    text_kind kind;
    const char *s;
    size_t len;
    int has_pad;
    uint32_t pad_to;
    int trailing_separator;
} text_t;

typedef struct rstmap_t { const text_t *db, *new_db; } rstmap_t; /* NULL: a NULL pointer */
typedef struct sysparam_t { uint32_t paramid; uint64_t lparam; const text_t *sz; } sysparam_t;
typedef struct call_t call_t;
typedef struct callback_t { const call_t *nested; /* NULL: none */ } callback_t;

typedef enum {
    A_HANDLE, A_U32, A_I32, A_U64, A_STR, A_OUT, A_IN_OUT, A_BUFFER, A_LOG_INFO, A_RST_MAP,
    A_SET_SYS_PARAMS, A_RST_INFO, A_CALLBACK
} arg_kind;

typedef struct arg_t {
    arg_kind kind;
    int present;      /* 0 for the JSON null of an optional (a NULL pointer), 1 otherwise */
    uint64_t u;       /* handle, u32, u64, in_out value */
    int32_t i;        /* i32 */
    int flag;         /* out: a valid pointer or NULL */
    text_t text;      /* str */
    struct { uint32_t size, offset; const char *save_to; size_t save_len; } buf;
    struct { uint32_t cb, lo, hi; const char *name; size_t name_len; } li;
    size_t n;         /* entries of rst_map, set_sys_params, rst_info.rgrstmap */
    const rstmap_t *map;
    const sysparam_t *params;
    uint32_t cb_struct;           /* rst_info */
    const callback_t *callback;   /* callback, rst_info.pfnStatus; NULL: none */
} arg_t;

struct call_t {
    const cat_function *f;
    size_t nargs;
    const arg_t *args;
};

/* Parses {"function":..., "args":[...]}; NULL with a message in err when malformed. */
const call_t *args_parse_call(arena *a, const jv *call, char *err, size_t errlen);

#endif
