/* agent_io over the process's standard handles. */
#ifndef JETCONFORM_AGENT_IO_WIN_H
#define JETCONFORM_AGENT_IO_WIN_H

#include <windows.h>
#include "protocol.h"

/* Set io up on stdin/stdout; from then on the process's own stdout goes to stderr. */
void io_win_std(agent_io *io);
/* The handle protocol lines go to (the crash filter writes its line there too). */
HANDLE io_win_protocol_out(void);

#endif
