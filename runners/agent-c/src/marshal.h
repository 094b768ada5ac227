/* From a parsed call to the argument slots of a C call and back (the ffi runner's
 * marshal/mod.rs): every argument per its catalogue ParamType (spec 1), every output pointer
 * pre-filled with a canary so an output the engine left alone reads "unwritten", and the
 * outputs read back by C name (marshal_observe.c). */
#ifndef JETCONFORM_AGENT_MARSHAL_H
#define JETCONFORM_AGENT_MARSHAL_H

#include "abi.h"
#include "call_args.h"
#include "marshal_buffers.h"
#include "call_obs.h"

#define FRAME_MAX_PARAMS 12
/* The widest export: JetExternalRestore2 (10 slots), JetOpenFileSectionInstance on x86
 * (8 parameters, ibRead in two slots). */
#define FRAME_MAX_WORDS 12

typedef enum { SL_NONE, SL_HANDLE, SL_IN_OUT, SL_U32, SL_I32, SL_BUFFER, SL_LOG_INFO } slot_kind;

typedef struct slot {
    slot_kind kind;
    jet_api_ptr handle;       /* SL_HANDLE, SL_IN_OUT: the pointed-at value */
    jet_api_ptr before;       /* SL_IN_OUT: the value passed in */
    uint32_t u32;             /* SL_U32 */
    int32_t i32;              /* SL_I32 */
    out_buffer buf;           /* SL_BUFFER */
    cat_sub buf_kind;
    const char *save_to;      /* SL_BUFFER: sandbox file the delivered bytes are appended to */
    size_t save_len;
    union { jet_loginfo_a a; jet_loginfo_w w; } li, li_before; /* SL_LOG_INFO */
} slot;

typedef struct frame {
    const cat_function *f;
    int wide;                     /* W form: strings and structures in UTF-16 */
    slot slots[FRAME_MAX_PARAMS];
    uintptr_t words[FRAME_MAX_WORDS];
    size_t nwords;
    int has_callback;             /* a JET_PFNSTATUS was passed (directly or in JET_RSTINFO) */
    const call_t *nested;         /* the call its first invocation makes, or NULL */
} frame;

/* Marshals `c` (its argument count already checked) into `fr`, allocating in `a`. 0 with a
 * reason in why when an argument does not fit its parameter (answered not_modelled). */
int frame_build(frame *fr, arena *a, const call_t *c, const char *root, char *why, size_t whylen);
/* Frees the buffers (the rest is in the arena). */
void frame_free(frame *fr);

struct recorded;
/* The observation of the call that returned `code`: every non-NULL output by C name. */
void frame_observe(const frame *fr, int32_t code, const struct recorded *rec, arena *a,
                   const char *root, obs *o);

#endif
