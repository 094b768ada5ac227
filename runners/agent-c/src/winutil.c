/* See winutil.h. WideCharToMultiByte(CP_UTF8) exists since NT 4, so XP and 2000 have it. */
#include "winutil.h"

#include <stdio.h>
#include <stdlib.h>

size_t wide_to_utf8(const wchar_t *w, char *out, size_t cap) {
    int n;
    if (cap == 0) return 0;
    n = WideCharToMultiByte(CP_UTF8, 0, w, -1, out, (int)cap, NULL, NULL);
    if (n <= 0) { out[0] = '\0'; return 0; }
    out[n - 1] = '\0';
    return (size_t)(n - 1);
}

wchar_t *utf8_to_wide(const char *s) {
    int n = MultiByteToWideChar(CP_UTF8, 0, s, -1, NULL, 0);
    wchar_t *w;
    if (n <= 0) return NULL;
    w = (wchar_t *)malloc((size_t)n * sizeof *w);
    if (w && MultiByteToWideChar(CP_UTF8, 0, s, -1, w, n) <= 0) { free(w); w = NULL; }
    return w;
}

void win_error_text(DWORD code, char *out, size_t cap) {
    wchar_t text[256];
    char utf8[512];
    DWORD n = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, code, 0, text,
                             sizeof text / sizeof text[0], NULL);
    while (n && (text[n - 1] == L'\r' || text[n - 1] == L'\n' || text[n - 1] == L' ')) text[--n] = 0;
    if (n == 0) { snprintf(out, cap, "error %lu", (unsigned long)code); return; }
    wide_to_utf8(text, utf8, sizeof utf8);
    snprintf(out, cap, "error %lu (%s)", (unsigned long)code, utf8);
}
