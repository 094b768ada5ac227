/* agent_io over the process's standard handles. */
#ifndef JETCONFORM_AGENT_IO_WIN_H
#define JETCONFORM_AGENT_IO_WIN_H

#include "protocol.h"

void io_win_std(agent_io *io);
int io_win_write_stdout(const char *buf, size_t n);

#endif
