/* Reporting a fatal exception as the protocol's `crashed` error before the process dies. */
#ifndef JETCONFORM_AGENT_CRASH_WIN_H
#define JETCONFORM_AGENT_CRASH_WIN_H

void crash_install(void);

#endif
