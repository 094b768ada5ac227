/* What the hello says about the machine: Windows version, esent.dll version and hash. */
#ifndef JETCONFORM_AGENT_SYSINFO_WIN_H
#define JETCONFORM_AGENT_SYSINFO_WIN_H

#include <windows.h>
#include "protocol.h"

/* Fill info (pointing at static storage). dll is the loaded esent.dll or NULL; load_error is
 * GetLastError() of the failed load; requested is the name it was loaded by. */
void sysinfo_collect(agent_info *info, HMODULE dll, DWORD load_error, const wchar_t *requested);

#endif
