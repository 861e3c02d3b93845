/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * format.c -- addresses and items in the paper's notation.
 */
#include "expose.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

const char *expose_addr_text(int ip_version, const uint8_t *addr, char *buf, size_t len)
{
    if (!inet_ntop(ip_version == 6 ? AF_INET6 : AF_INET, addr, buf, (socklen_t)len))
        snprintf(buf, len, "?");
    return buf;
}

static void port_text(int32_t port, char *buf, size_t len)
{
    if (port == EXPOSE_ANY_PORT)
        snprintf(buf, len, "*");
    else
        snprintf(buf, len, "%d", (int)port);
}

/* "10.0.0.5.* : 10.0.0.53.53"; generics read "*.* : 10.0.0.53.53". */
const char *expose_item_text(const expose_item *it, char *buf, size_t len)
{
    char c[64], s[64], cp[8], sp[8];
    expose_addr_text(it->ip_version, it->server, s, sizeof s);
    port_text(it->client_port, cp, sizeof cp);
    port_text(it->server_port, sp, sizeof sp);
    if (it->generic)
        snprintf(buf, len, "*.* : %s.%s", s, sp);
    else
        snprintf(buf, len, "%s.%s : %s.%s", expose_addr_text(it->ip_version, it->client, c, sizeof c),
                 cp, s, sp);
    return buf;
}
