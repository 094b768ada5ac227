/* Names for what the agent reports about Windows, kept portable so the Linux tests cover
 * them: version ids from the kernel version, and exception codes. */
#ifndef JETCONFORM_AGENT_SYSNAMES_H
#define JETCONFORM_AGENT_SYSNAMES_H

#include <stddef.h>

/* The protocol's version id for a kernel version, NULL if outside 5.0 .. 10.0 (win2000 .. win11). */
const char *version_id_for(unsigned long major, unsigned long minor, unsigned long build);
/* "STATUS_ACCESS_VIOLATION" for 0xC0000005; NULL if unknown. */
const char *exception_name(unsigned long code);
/* True when an exit status is an exception code (NTSTATUS severity error or warning). */
int exit_is_exception(unsigned long code);
/* "exception 0xC0000005 (STATUS_ACCESS_VIOLATION)" or "exited with status 3". */
void describe_exit(unsigned long code, char *out, size_t cap);
/* Constant-time comparison (no early exit on the first difference): 1 if equal. */
int token_equal(const char *a, size_t an, const char *b, size_t bn);
/* 1 if line (without its newline) is {"type":"auth","token":TOKEN} with the right token. */
int auth_line_ok(const char *line, size_t n, const char *token);

#endif
