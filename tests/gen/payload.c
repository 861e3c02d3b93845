/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * payload.c -- application bytes that Wireshark dissects without
 * complaint: valid DNS messages, HTTP with correct Content-Length,
 * TLS records with correct lengths, SSH banners, PostgreSQL v3 messages,
 * BSD syslog lines.  The miner never looks at payloads, but a capture
 * full of "malformed packet" warnings would make a poor sample trace.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "gen.h"

static void put16(uint8_t *p, uint16_t v) { p[0] = v >> 8; p[1] = (uint8_t)v; }
static void put32(uint8_t *p, uint32_t v) { put16(p, v >> 16); put16(p + 2, (uint16_t)v); }

/* Deterministic filler for "encrypted" bytes: a hash of the position. */
static uint8_t noise(uint32_t key, uint32_t off)
{
    uint32_t x = key * 0x9E3779B1u ^ off * 0x85EBCA77u;
    x ^= x >> 15;
    x *= 0x2C1B3C6Du;
    x ^= x >> 12;
    return (uint8_t)(x >> 8);
}

static void addr_text(const host *h, char *buf, size_t n)
{
    char a[INET6_ADDRSTRLEN];
    inet_ntop(h->ver == 4 ? AF_INET : AF_INET6, h->addr, a, sizeof a);
    snprintf(buf, n, h->ver == 4 ? "%s" : "[%s]", a);
}

/* ------------------------------------------------------------------ DNS */

static size_t dns_name(uint8_t *p, const char *name)
{
    size_t n = 0;
    while (*name) {
        const char *dot = strchr(name, '.');
        size_t len = dot ? (size_t)(dot - name) : strlen(name);
        p[n++] = (uint8_t)len;
        memcpy(p + n, name, len);
        n += len;
        name += len + (dot ? 1 : 0);
    }
    p[n++] = 0;
    return n;
}

uint32_t dns_message(uint8_t *buf, size_t cap, uint16_t id, int response,
                     const char *name, const host *answer)
{
    uint16_t qtype = answer->ver == 4 ? 1 : 28;
    if (cap < 300)
        return 0;
    put16(buf, id);
    put16(buf + 2, response ? 0x8180 : 0x0100);   /* RD, and RA in answers */
    put16(buf + 4, 1);
    put16(buf + 6, response ? 1 : 0);
    put16(buf + 8, 0);
    put16(buf + 10, 0);
    size_t n = 12 + dns_name(buf + 12, name);
    put16(buf + n, qtype);
    put16(buf + n + 2, 1);
    n += 4;
    if (!response)
        return (uint32_t)n;
    put16(buf + n, 0xC00C);                          /* pointer to the question */
    put16(buf + n + 2, qtype);
    put16(buf + n + 4, 1);
    put32(buf + n + 6, 300);
    put16(buf + n + 10, answer->ver == 4 ? 4 : 16);
    memcpy(buf + n + 12, answer->addr, answer->ver == 4 ? 4 : 16);
    return (uint32_t)(n + 12 + (answer->ver == 4 ? 4 : 16));
}

/* ----------------------------------------------------------------- HTTP */

static uint32_t http_request(const conn *c, uint8_t *buf, size_t cap)
{
    char hname[64];
    addr_text(c->srv, hname, sizeof hname);
    const char *path = c->name ? c->name : "index";
    int n;
    if (c->app == APP_PROXY)
        n = snprintf((char *)buf, cap, "GET http://www.example.com/%s/%u HTTP/1.1\r\n"
                     "Host: www.example.com\r\nUser-Agent: expose-gen\r\n"
                     "Accept: */*\r\n\r\n", path, c->exch);
    else
        n = snprintf((char *)buf, cap, "GET /%s/%u HTTP/1.1\r\nHost: %s\r\n"
                     "User-Agent: expose-gen\r\nAccept: */*\r\n\r\n", path, c->exch, hname);
    return n > 0 ? (uint32_t)n : 0;
}

static int http_head(const conn *c, char *buf, size_t cap)
{
    return snprintf(buf, cap, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                    "Content-Length: %u\r\n\r\n", c->body);
}

static uint32_t http_bytes(const conn *c, uint32_t off, uint8_t *buf, uint32_t len)
{
    char head[160];
    uint32_t hl = (uint32_t)http_head(c, head, sizeof head);
    static const char text[] = "<p>expose-gen synthetic page body.</p>\n";
    for (uint32_t i = 0; i < len; i++) {
        uint32_t o = off + i;
        buf[i] = o < hl ? (uint8_t)head[o] : (uint8_t)text[(o - hl) % (sizeof text - 1)];
    }
    return len;
}

/* ------------------------------------------------------------------ TLS */

/* A stream of application-data records, each 5-byte header + body; only
 * responses may be longer than one segment, and they are one record. */
static uint32_t tls_bytes(const conn *c, uint32_t key, uint32_t off, uint8_t *buf,
                          uint32_t len, uint32_t total)
{
    for (uint32_t i = 0; i < len; i++) {
        uint32_t o = off + i;
        if (o == 0)      buf[i] = 23;
        else if (o == 1) buf[i] = 3;
        else if (o == 2) buf[i] = 3;
        else if (o == 3) buf[i] = (uint8_t)((total - 5) >> 8);
        else if (o == 4) buf[i] = (uint8_t)(total - 5);
        else             buf[i] = noise(key, o);
    }
    (void)c;
    return len;
}

/* ------------------------------------------------------------------ SSH */

static const char ssh_banner[] = "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u2\r\n";

/* ------------------------------------------------------------- PostgreSQL */

static uint32_t pg_startup(uint8_t *buf)
{
    static const char params[] = "user\0sales\0database\0orders\0";
    uint32_t n = 8 + sizeof params;             /* includes the final NUL */
    put32(buf, n);
    put32(buf + 4, 196608);                     /* protocol 3.0 */
    memcpy(buf + 8, params, sizeof params);
    return n;
}

static uint32_t pg_query(const conn *c, uint8_t *buf, size_t cap)
{
    char q[96];
    int qn = snprintf(q, sizeof q, "SELECT * FROM orders WHERE id = %u;", c->exch + 1000);
    if (qn < 0 || (size_t)qn + 6 > cap)
        return 0;
    buf[0] = 'Q';
    put32(buf + 1, (uint32_t)qn + 5);
    memcpy(buf + 5, q, (size_t)qn + 1);
    return (uint32_t)qn + 6;
}

/* AuthenticationOk + ReadyForQuery, or CommandComplete + ReadyForQuery. */
static uint32_t pg_answer(const conn *c, uint8_t *buf)
{
    uint32_t n;
    if (c->exch == 0) {
        buf[0] = 'R';
        put32(buf + 1, 8);
        put32(buf + 5, 0);
        n = 9;
    } else {
        static const char tag[] = "SELECT 1";
        buf[0] = 'C';
        put32(buf + 1, 4 + sizeof tag);
        memcpy(buf + 5, tag, sizeof tag);
        n = 5 + sizeof tag;
    }
    buf[n] = 'Z';
    put32(buf + n + 1, 5);
    buf[n + 5] = 'I';
    return n + 6;
}

/* ---------------------------------------------------------------- dispatch */

uint32_t app_request(const conn *c, uint8_t *buf, size_t cap)
{
    switch (c->app) {
    case APP_HTTP:
    case APP_PROXY:
        return http_request(c, buf, cap);
    case APP_DNS:
        return dns_message(buf, cap, c->dns_id, 0, c->name, c->answer);
    case APP_TLS: {
        uint32_t n = 60 + rng_below(c->r, 500);
        return tls_bytes(c, c->flowlabel * 31 + c->exch, 0, buf, n, n);
    }
    case APP_SSH:
        if (c->exch == 0) {
            memcpy(buf, ssh_banner, sizeof ssh_banner - 1);
            return sizeof ssh_banner - 1;
        }
        for (uint32_t i = 0; i < 36; i++)
            buf[i] = noise(c->flowlabel + c->exch, i);
        return 36;
    case APP_PGSQL:
        return c->exch == 0 ? pg_startup(buf) : pg_query(c, buf, cap);
    case APP_TEXT:
        memcpy(buf, "REQ\n", 4);
        return 4;
    case APP_SYSLOG:
    case APP_NONE:
        return 0;
    }
    return 0;
}

/* Decide this exchange's answer; called once per exchange, in order. */
uint32_t app_response_total(conn *c, int64_t t)
{
    uint8_t tmp[512];
    char head[160];
    (void)t;
    switch (c->app) {
    case APP_HTTP:
    case APP_PROXY:
        c->body = 100 + rng_below(c->r, 1300);
        return (uint32_t)http_head(c, head, sizeof head) + c->body;
    case APP_DNS:
        return dns_message(tmp, sizeof tmp, c->dns_id, 1, c->name, c->answer);
    case APP_TLS:
        return 100 + rng_below(c->r, 1900);
    case APP_SSH:
        return c->exch == 0 ? sizeof ssh_banner - 1 : 36;
    case APP_PGSQL:
        return pg_answer(c, tmp);
    case APP_TEXT:
        return 3;
    case APP_SYSLOG:
    case APP_NONE:
        return 0;
    }
    return 0;
}

uint32_t app_response_bytes(const conn *c, uint32_t off, uint8_t *buf, uint32_t len)
{
    uint8_t tmp[512];
    switch (c->app) {
    case APP_HTTP:
    case APP_PROXY:
        return http_bytes(c, off, buf, len);
    case APP_DNS:
        dns_message(tmp, sizeof tmp, c->dns_id, 1, c->name, c->answer);
        memcpy(buf, tmp + off, len);
        return len;
    case APP_TLS:
        return tls_bytes(c, c->flowlabel * 17 + c->exch, off, buf, len, c->resp_total);
    case APP_SSH:
        if (c->exch == 0) {
            memcpy(buf, ssh_banner + off, len);
            return len;
        }
        for (uint32_t i = 0; i < len; i++)
            buf[i] = noise((c->flowlabel ^ 0x5a5au) + c->exch, off + i);
        return len;
    case APP_PGSQL:
        pg_answer(c, tmp);
        memcpy(buf, tmp + off, len);
        return len;
    case APP_TEXT:
        memcpy(buf, "OK\n" + off, len);
        return len;
    case APP_SYSLOG:
    case APP_NONE:
        return 0;
    }
    return 0;
}

/* One BSD syslog line (RFC 3164), stamped with the packet's own time. */
uint32_t app_oneway(const conn *c, int64_t t, uint8_t *buf, size_t cap)
{
    if (c->app != APP_SYSLOG)
        return app_request(c, buf, cap);
    int64_t s = t / NS_PER_S + 9 * 3600;            /* the trace starts at 09:00:00 */
    const uint8_t *a = c->cli->addr;
    int n = snprintf((char *)buf, cap,
                     "<78>Mar  1 %02d:%02d:%02d host%u CRON[%u]: (root) CMD (%s)",
                     (int)(s / 3600 % 24), (int)(s / 60 % 60), (int)(s % 60),
                     a[3], 1000u + c->exch % 50000u,
                     c->name ? c->name : "run-parts /etc/cron.hourly");
    return n > 0 ? (uint32_t)n : 0;
}
