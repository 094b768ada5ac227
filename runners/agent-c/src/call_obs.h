/* An observation being assembled (runners/interface/src/observation.rs): the result, the
 * outputs by C name, `undefined` and `notes`; written as the ffi runner's serde writes it,
 * fields in declaration order and outputs in key order (a BTreeMap). */
#ifndef JETCONFORM_AGENT_OBS_H
#define JETCONFORM_AGENT_OBS_H

#include <stdint.h>
#include "json.h"

#define OBS_MAX_OUTPUTS 16
#define OBS_MAX_NOTES 4

typedef enum { OBS_RETURNED, OBS_NOT_EXPORTED, OBS_NOT_MODELLED } obs_result;

typedef struct obs_output { char key[64]; jw value; } obs_output;

typedef struct obs {
    obs_result result;
    int32_t code;
    char why[512];
    obs_output outputs[OBS_MAX_OUTPUTS];
    size_t noutputs;
    char undefined[160];
    char notes[OBS_MAX_NOTES][320];
    size_t nnotes;
} obs;

void obs_init(obs *o);
void obs_free(obs *o);
void obs_returned(obs *o, int32_t code);
void obs_not_exported(obs *o);
void obs_not_modelled(obs *o, const char *why);
/* A writer for the value of output `key` (replacing an earlier one of that key); NULL when
 * there are too many outputs. */
jw *obs_output_value(obs *o, const char *key);
void obs_note(obs *o, const char *note);
void obs_write(const obs *o, jw *w);

#endif
