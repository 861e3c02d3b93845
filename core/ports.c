/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ports.c -- which ports are well-known.
 *
 * eXpose folds every port that is not well-known into "*" so that a client's
 * many connections to one service form one flow (§2.3.1).  Well-known means:
 * below 1024, or a registered service in the table below, or learned from the
 * trace itself: a port on which one endpoint talks with many distinct peers
 * is acting as a server (this is how P2P ports are found).
 */
#include "engine.h"

#include <stdlib.h>
#include <string.h>

typedef struct service { uint16_t port; const char *name; } service;

/* Common services; the names label ports in reports and profiles.  Ports at
 * 1024 and above are only well-known when listed here or learned. */
static const service services[] = {
    { 7, "echo" }, { 20, "ftp-data" }, { 21, "ftp" }, { 22, "ssh" }, { 23, "telnet" },
    { 25, "smtp" }, { 43, "whois" }, { 53, "dns" }, { 67, "dhcp" }, { 68, "dhcp-client" },
    { 69, "tftp" }, { 79, "finger" }, { 80, "http" }, { 88, "kerberos" }, { 110, "pop3" },
    { 111, "sunrpc" }, { 113, "ident" }, { 119, "nntp" }, { 123, "ntp" },
    { 135, "epmap" }, { 137, "netbios-ns" }, { 138, "netbios-dgm" }, { 139, "netbios-ssn" },
    { 143, "imap" }, { 161, "snmp" }, { 162, "snmp-trap" }, { 179, "bgp" }, { 389, "ldap" },
    { 427, "svrloc" }, { 443, "https" }, { 445, "microsoft-ds" }, { 464, "kpasswd" },
    { 465, "smtps" }, { 500, "isakmp" }, { 514, "syslog" }, { 515, "printer" },
    { 520, "rip" }, { 546, "dhcpv6-client" }, { 547, "dhcpv6-server" }, { 548, "afp" },
    { 554, "rtsp" }, { 587, "submission" }, { 631, "ipp" }, { 636, "ldaps" },
    { 853, "dns-over-tls" }, { 873, "rsync" }, { 989, "ftps-data" }, { 990, "ftps" },
    { 993, "imaps" }, { 995, "pop3s" },
    { 1080, "socks" }, { 1194, "openvpn" }, { 1433, "ms-sql" }, { 1434, "ms-sql-m" },
    { 1521, "oracle" }, { 1701, "l2tp" }, { 1723, "pptp" }, { 1812, "radius" },
    { 1813, "radius-acct" }, { 1863, "msnp" }, { 1883, "mqtt" }, { 1900, "ssdp" },
    { 2049, "nfs" }, { 2233, "vpn" }, { 2375, "docker" }, { 2376, "docker-tls" },
    { 3128, "squid" }, { 3260, "iscsi" }, { 3268, "globalcat" }, { 3269, "globalcat-ssl" },
    { 3306, "mysql" }, { 3389, "rdp" }, { 3478, "stun" }, { 3702, "ws-discovery" },
    { 4500, "ipsec-nat-t" }, { 5000, "upnp" }, { 5004, "rtp" }, { 5005, "rtcp" },
    { 5060, "sip" }, { 5061, "sips" }, { 5222, "xmpp-client" }, { 5269, "xmpp-server" },
    { 5353, "mdns" }, { 5355, "llmnr" }, { 5432, "postgresql" }, { 5499, "chat" },
    { 5601, "presence" }, { 5671, "amqps" }, { 5672, "amqp" }, { 5900, "vnc" },
    { 5938, "teamviewer" }, { 5985, "wsman" }, { 5986, "wsmans" }, { 6379, "redis" },
    { 6346, "gnutella" }, { 6347, "gnutella2" }, { 6443, "kubernetes" },
    { 6667, "irc" }, { 6881, "bittorrent" }, { 6882, "bittorrent" }, { 6883, "bittorrent" },
    { 6884, "bittorrent" }, { 6885, "bittorrent" }, { 6886, "bittorrent" },
    { 6887, "bittorrent" }, { 6888, "bittorrent" }, { 6889, "bittorrent" },
    { 7000, "afs-fileserver" }, { 7001, "afs-callback" }, { 7002, "afs-prserver" },
    { 7003, "afs-vlserver" }, { 8000, "http-alt" }, { 8008, "http-alt" },
    { 8009, "ajp" }, { 8080, "http-proxy" }, { 8081, "http-alt" }, { 8443, "https-alt" },
    { 8883, "mqtts" }, { 8888, "http-alt" }, { 9000, "http-alt" }, { 9090, "http-alt" },
    { 9092, "kafka" }, { 9100, "jetdirect" }, { 9200, "elasticsearch" },
    { 9418, "git" }, { 10000, "webmin" }, { 11211, "memcached" }, { 16881, "bittorrent" },
    { 27017, "mongodb" }, { 49155, "exchange" },
};

static uint8_t service_table[65536];
static const char *service_names[65536];
static int service_ready;

/* Built on first use; the table is read-only afterwards. */
static void service_init(void)
{
    if (service_ready)
        return;
    for (unsigned p = 1; p < 1024; p++)
        service_table[p] = 1;
    for (size_t i = 0; i < sizeof services / sizeof services[0]; i++) {
        service_table[services[i].port] = 1;
        service_names[services[i].port] = services[i].name;
    }
    service_ready = 1;
}

int xp_port_is_service(uint32_t port)
{
    service_init();
    return port < 65536 && service_table[port];
}

const char *xp_port_service_name(uint32_t port)
{
    service_init();
    return port < 65536 ? service_names[port] : NULL;
}

/* Count, per (address, port, protocol) endpoint, the connections on it.  A
 * connection is one distinct five-tuple, so this is the number of distinct
 * peers the endpoint talked with. */
static int count_endpoints(xp_mine *m, xp_keymap *eps)
{
    const xp_conntab *ct = &m->e->ct;
    for (uint32_t i = 0; i < ct->count; i++) {
        const xp_conn *c = &ct->conns[i];
        if (c->proto != EXPOSE_TCP && c->proto != EXPOSE_UDP)
            continue;
        for (int side = 0; side < 2; side++) {
            const uint8_t *addr = side ? c->b : c->a;
            uint16_t port = side ? c->pb : c->pa;
            if (service_table[port])
                continue;
            uint64_t k1, k2;
            memcpy(&k1, addr, 8);
            memcpy(&k2, addr + 8, 8);
            k2 ^= ((uint64_t)port << 8 | c->proto) * 0x9e3779b97f4a7c15ULL;
            k1 ^= (uint64_t)c->ipver << 60;
            uint32_t *n = xp_keymap_put(eps, k1, k2, 0, NULL);
            if (!n)
                return -1;
            if (++*n == m->p->learn_ports && m->wellknown[port] == 0) {
                m->wellknown[port] = 2;   /* learned */
                if (m->nlearned < 64)
                    m->learned[m->nlearned] = port;
                m->nlearned++;
            }
        }
    }
    return 0;
}

static int cmp_u16(const void *a, const void *b)
{
    return (int)*(const uint16_t *)a - (int)*(const uint16_t *)b;
}

int xp_ports_learn(xp_mine *m)
{
    service_init();
    m->wellknown = malloc(65536);
    if (!m->wellknown)
        goto oom;
    memcpy(m->wellknown, service_table, 65536);
    m->wellknown[0] = 0;   /* port 0 is never a service */
    if (m->p->learn_ports == 0)
        return 0;
    xp_keymap eps;
    if (xp_keymap_init(&eps, m->e->ct.count) < 0)
        goto oom;
    int rc = count_endpoints(m, &eps);
    xp_keymap_free(&eps);
    if (rc < 0)
        goto oom;
    qsort(m->learned, m->nlearned < 64 ? m->nlearned : 64, sizeof m->learned[0], cmp_u16);
    return 0;
oom:
    xp_fail(m->e, "out of memory while learning ports");
    return -1;
}
