/* Small Windows helpers shared by main, sysinfo, sandbox and the listener. */
#ifndef JETCONFORM_AGENT_WINUTIL_H
#define JETCONFORM_AGENT_WINUTIL_H

#include <windows.h>
#include <stddef.h>

/* UTF-16 -> UTF-8 into out (always NUL-terminated); returns the bytes written. */
size_t wide_to_utf8(const wchar_t *w, char *out, size_t cap);
/* UTF-8 -> UTF-16, malloc'd; NULL on failure. */
wchar_t *utf8_to_wide(const char *s);
/* Win32 error text: "error 5 (Access is denied.)" */
void win_error_text(DWORD code, char *out, size_t cap);

#endif
