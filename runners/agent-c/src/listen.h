/* `--listen ADDR:PORT`: the protocol over TCP, one child agent process per connection. */
#ifndef JETCONFORM_AGENT_LISTEN_H
#define JETCONFORM_AGENT_LISTEN_H

#include <wchar.h>

/* Serve until killed; returns an exit status when it cannot listen (2). dll is NULL or the
 * absolute path handed to each child as --dll. */
int listen_serve(const char *addr_port, const char *token, const wchar_t *dll);

#endif
