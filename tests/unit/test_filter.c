/* SPDX-License-Identifier: GPL-2.0-or-later
 * test_filter.c -- display filters and the paper's notation. */
#include "unit.h"

static void set_addr(uint8_t *dst, const char *text)
{
    memset(dst, 0, 16);
    inet_pton(strchr(text, ':') ? AF_INET6 : AF_INET, text, dst);
}

int main(void)
{
    expose_item it;
    char buf[EXPOSE_ITEM_TEXT_MAX];
    memset(&it, 0, sizeof it);
    it.ip_version = 4;
    it.proto = EXPOSE_TCP;
    set_addr(it.client, "10.0.0.5");
    set_addr(it.server, "10.0.0.9");
    it.client_port = EXPOSE_ANY_PORT;
    it.server_port = 135;
    CHECK(!strcmp(expose_item_text(&it, buf, sizeof buf), "10.0.0.5.* : 10.0.0.9.135"), "%s", buf);
    char *f = expose_item_filter(&it);
    CHECK(f && !strcmp(f, "(tcp && !icmp && ((ip.src==10.0.0.5 && ip.dst==10.0.0.9 && tcp.dstport==135)"
                          " || (ip.dst==10.0.0.5 && ip.src==10.0.0.9 && tcp.srcport==135)))"), "%s", f);
    free(f);

    it.generic = 1;
    it.proto = EXPOSE_UDP;
    it.server_port = 53;
    CHECK(!strcmp(expose_item_text(&it, buf, sizeof buf), "*.* : 10.0.0.9.53"), "%s", buf);
    f = expose_item_filter(&it);
    CHECK(f && !strcmp(f, "(udp && !icmp && ((ip.dst==10.0.0.9 && udp.dstport==53) || "
                          "(ip.src==10.0.0.9 && udp.srcport==53)))"), "%s", f);
    free(f);

    memset(&it, 0, sizeof it);
    it.ip_version = 6;
    it.proto = EXPOSE_UDP;
    set_addr(it.client, "2001:db8:0:0:0:0:0:10");
    set_addr(it.server, "2001:db8::53");
    it.client_port = 514;
    it.server_port = 514;
    CHECK(!strcmp(expose_item_text(&it, buf, sizeof buf), "2001:db8::10.514 : 2001:db8::53.514"), "%s", buf);
    f = expose_item_filter(&it);
    CHECK(f && strstr(f, "ipv6.src==2001:db8::10 && ipv6.dst==2001:db8::53 && udp.srcport==514 && udp.dstport==514")
            && strstr(f, "!icmpv6"), "%s", f);
    free(f);

    it.proto = EXPOSE_ICMPV6;
    it.client_port = it.server_port = EXPOSE_ANY_PORT;
    f = expose_item_filter(&it);
    CHECK(f && !strncmp(f, "(icmpv6 && ((", 13) && !strstr(f, "port"), "%s", f);
    free(f);

    f = expose_host_filter(4, it.server);
    free(f);
    uint8_t a[16];
    set_addr(a, "192.168.1.201");
    f = expose_host_filter(4, a);
    CHECK(f && !strcmp(f, "ip.addr==192.168.1.201"), "%s", f);
    free(f);
    UNIT_DONE();
}
