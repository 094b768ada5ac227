/* The function catalogue as the call side needs it: for every export and harness verb its
 * parameters in C order with their catalogue types (docs/protocol.md, Arguments). The data
 * is catalogue.inc, generated from the Rust catalogue so the agent and the ffi runner can
 * never disagree on a signature. */
#ifndef JETCONFORM_AGENT_CATALOGUE_H
#define JETCONFORM_AGENT_CATALOGUE_H

#include <stddef.h>

/* ParamType of runners/interface/src/functions.rs. */
typedef enum {
    PT_INSTANCE, PT_INSTANCE_OUT, PT_INSTANCE_IN_OUT, PT_SESID, PT_SESID_OUT, PT_DBID,
    PT_DBID_OUT, PT_FILE_HANDLE, PT_FILE_HANDLE_OUT, PT_GRBIT, PT_ULONG, PT_LONG, PT_U64,
    PT_PARAM_ID, PT_API_PTR, PT_STR, PT_OUT_ULONG, PT_OUT_LONG, PT_OUT_BUFFER, PT_LOG_INFO,
    PT_RST_MAP, PT_SET_SYS_PARAMS, PT_RST_INFO, PT_CALLBACK, PT_OUT_API_PTR, PT_TABLEID,
    PT_TABLEID_OUT, PT_COLUMNDEF,
    PT_OUT_NAMES /* the names a harness verb lists (list_dir); never an export's parameter */
} cat_type;

/* StrKind of a PT_STR, BufferKind of a PT_OUT_BUFFER. */
typedef enum {
    SUB_NONE, SUB_PATH, SUB_TEXT, SUB_PARAM_VALUE, SUB_BYTES, SUB_SZZ,
    SUB_DATA,  /* a PT_STR that is a value's bytes (no NUL counted, never UTF-16) */
    SUB_COLUMN /* a PT_OUT_BUFFER holding a column value */
} cat_sub;

/* Charset: undecorated names are the ANSI entry points (spec 1.1). */
typedef enum { CS_NEUTRAL, CS_UNDECORATED, CS_A, CS_W } cat_charset;

typedef struct cat_param {
    const char *name; /* the C parameter name, also the output's key */
    cat_type type;
    cat_sub sub;
    int sizes;        /* index of the buffer/list this parameter sizes or counts, or -1 */
} cat_param;

typedef struct cat_function {
    const char *name;
    const char *op;   /* Op in snake_case ("init", "get_log_info2", "verb") */
    cat_charset charset;
    int is_verb;
    size_t nparams;
    const cat_param *params;
} cat_function;

const cat_function *cat_find(const char *name);
/* The value index of the parameter that sizes parameter `i` (cbMax for szz), or -1. */
int cat_size_of(const cat_function *f, size_t i);
/* The parameter named `name`, or -1. */
int cat_param_index(const cat_function *f, const char *name);
size_t cat_count(void);
const cat_function *cat_at(size_t i);

#endif
