/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * expose.h -- the whole public contract of the eXpose mining core.
 *
 * The core learns communication rules (Kandula, Chandra, Katabi, "What's going
 * on? Learning communication rules in edge networks", SIGCOMM 2008) and
 * end-host graphlet profiles from a stream of packet records.  It knows
 * nothing about Wireshark or libpcap: a reader (the CLI's libpcap reader or
 * the Wireshark tap plugin) turns each captured packet into an
 * expose_record and hands it over in capture order.
 *
 * Life cycle:
 *     expose_params p;  expose_params_default(&p);
 *     expose_params_set(&p, "window", "0.5");       (optional, per option)
 *     expose_engine *e = expose_engine_new(&p);
 *     for each packet: expose_engine_add(e, &rec);  (or expose_engine_skip)
 *     expose_result *r = expose_engine_mine(e);     (NULL: see expose_engine_error)
 *     expose_write_text(r, stdout) / expose_write_json(r, stdout) / ...
 *     expose_result_free(r); expose_engine_free(e);
 *
 * Every output (text, JSON, display filters, Graphviz, the tshark tap and the
 * GUI) reads the one expose_result model defined below.
 */
#ifndef EXPOSE_H
#define EXPOSE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define EXPOSE_VERSION "0.1.0"

/* ------------------------------------------------------------------ input */

/* IP protocol numbers the core understands; anything else is skipped. */
enum { EXPOSE_ICMP = 1, EXPOSE_TCP = 6, EXPOSE_UDP = 17, EXPOSE_ICMPV6 = 58 };

/* TCP flag bits as they appear in the TCP header's flags byte. */
enum { EXPOSE_TH_FIN = 0x01, EXPOSE_TH_SYN = 0x02, EXPOSE_TH_RST = 0x04,
       EXPOSE_TH_ACK = 0x10 };

/* One packet, reduced to what eXpose needs.  Addresses are in network byte
 * order; an IPv4 address uses the first 4 bytes and the rest must be zero.
 * Ports are host byte order and zero for ICMP.  For a tunnelled packet the
 * reader decides which header it reports (see README, "Tunnels"). */
typedef struct expose_record {
    int64_t  ts_sec;       /* capture time: seconds since the epoch */
    uint32_t ts_nsec;      /* and nanoseconds, 0..999999999 */
    uint8_t  ip_version;   /* 4 or 6 */
    uint8_t  proto;        /* EXPOSE_TCP, EXPOSE_UDP, EXPOSE_ICMP, EXPOSE_ICMPV6 */
    uint8_t  tcp_flags;    /* TCP flags byte, 0 for other protocols */
    uint8_t  reserved;
    uint16_t src_port;
    uint16_t dst_port;
    uint32_t length;       /* bytes on the wire */
    uint8_t  src[16];
    uint8_t  dst[16];
} expose_record;

/* Why a packet was not mined; counted and reported in the summary. */
typedef enum expose_skip_reason {
    EXPOSE_SKIP_NOT_IP = 0,      /* ARP, STP, LLDP, ... */
    EXPOSE_SKIP_OTHER_PROTO,     /* IP, but not TCP/UDP/ICMP (GRE, ESP, OSPF, ...) */
    EXPOSE_SKIP_FRAGMENT,        /* a non-first IP fragment: no ports */
    EXPOSE_SKIP_MALFORMED,       /* too short or inconsistent headers */
    EXPOSE_SKIP_LINKTYPE,        /* link layer the reader cannot decode */
    EXPOSE_SKIP__COUNT
} expose_skip_reason;

/* ---------------------------------------------------------- parameters */

typedef struct expose_params {
    double   window;          /* seconds per time window; paper: 1 s */
    unsigned k;               /* mine only the K most active flows and generics; 5000 */
    double   alpha;           /* report rules scoring above this, in nats; 0.01 */
    unsigned beta;            /* generic rules need support above this; 3 */
    unsigned learn_ports;     /* a port is well-known when one endpoint on it talks
                               * with at least this many distinct peers (0: off); 16 */
    double   idle;            /* a datagram flow is new after this many seconds
                               * of silence; defaults to one window */
    double   max_present;     /* drop flows present in more than this fraction
                               * of windows; 0.9 */
    double   ratio;           /* present=>present rules need 1/ratio <= P(X)/P(Y) <= ratio; 3 */
    unsigned min_windows;     /* refuse to mine shorter traces; 10 */
    unsigned min_joint;       /* a rule needs both sides together in at least
                               * this many windows; 3 (not in the paper: in a
                               * trace of W < 650 windows, two flows seen once,
                               * together, score ln(W)/W > alpha) */
    /* end-host profiles (graphlets) and scans */
    double   profile_interval;/* seconds between profile updates; 900 */
    double   profile_aging;   /* drop a profile node idle this long, seconds; 604800 */
    unsigned scan_ports;      /* port scan: distinct ports on one target; 100 */
    unsigned scan_hosts;      /* address scan: distinct targets on one port; 50 */
    /* memory bounds: once either is reached, the rest of the trace is
     * counted but not mined, and every report says where coverage ends */
    unsigned max_conns;       /* distinct five-tuples tracked; 4000000 (~450 MiB) */
    unsigned max_events;      /* (connection, window) activity records; 64000000 (512 MiB) */
} expose_params;

void expose_params_default(expose_params *p);

/* Set one parameter by name (window, k, alpha, beta, learn-ports, idle,
 * max-present, ratio, min-windows, profile-interval, profile-aging,
 * scan-ports, scan-hosts).  Returns NULL on success, otherwise a static
 * message naming the option and what it accepts. */
const char *expose_params_set(expose_params *p, const char *name, const char *value);

/* Names accepted by expose_params_set, NULL-terminated; with a one-line help each. */
typedef struct expose_param_info { const char *name; const char *help; } expose_param_info;
const expose_param_info *expose_params_list(void);

/* --------------------------------------------------------------- engine */

typedef struct expose_engine expose_engine;

expose_engine *expose_engine_new(const expose_params *p);   /* NULL: out of memory */
void           expose_engine_free(expose_engine *e);

/* Feed one packet.  Returns 0, or -1 once when ingest stops: timestamps
 * going backwards by more than one window or absurdly far apart end the
 * minable part of the trace (the packets before stay minable, later ones
 * are only counted: summary.untracked, summary.stop_reason); out of memory
 * ends the run (nothing can be mined).  expose_engine_error() says what
 * happened.  Packets slightly out of order (less than one window) are
 * counted in the current window and reported. */
int  expose_engine_add(expose_engine *e, const expose_record *r);
void expose_engine_skip(expose_engine *e, expose_skip_reason why);
const char *expose_engine_error(const expose_engine *e);    /* "" when none */

typedef struct expose_result expose_result;

/* Mine what was fed so far.  The engine stays usable (more packets may be
 * added and mined again).  Returns NULL with expose_engine_error() set when
 * the trace cannot be mined (no IP packets, too few windows, no memory). */
expose_result *expose_engine_mine(expose_engine *e);

/* ----------------------------------------------------------- the model */

typedef enum expose_activity { EXPOSE_PRESENT = 0, EXPOSE_NEW = 1 } expose_activity;

#define EXPOSE_ANY_PORT (-1)

/* A flow (client.port : server.port) or a generic (*.* : server.port),
 * with one of its two activities. */
typedef struct expose_item {
    expose_activity activity;
    uint8_t  proto;
    uint8_t  ip_version;
    int      generic;            /* 1: the client is the wildcard "*.*" */
    uint8_t  client[16];         /* unused for generics */
    int32_t  client_port;        /* EXPOSE_ANY_PORT for "*" */
    uint8_t  server[16];
    int32_t  server_port;        /* EXPOSE_ANY_PORT for "*" */
    uint32_t windows;            /* windows in which the item was active */
    uint32_t flow;               /* same value: same flow or generic, same packets */
    uint32_t cluster;            /* 1-based cluster id, 0 when in no rule */
} expose_item;

typedef struct expose_rule {
    uint32_t id;                 /* 1-based, rules are sorted by score */
    uint32_t lhs, rhs;           /* indexes into result->items */
    double   score;              /* nats */
    long     support;            /* distinct clients; -1 for flow-only rules */
    double   p_lhs, p_rhs, p_both;
    uint32_t cluster;            /* 1-based */
    int      bridge;             /* 1: a weak rule cut by spectral partitioning */
} expose_rule;

typedef struct expose_cluster {
    uint32_t  id;                /* 1-based, strongest (highest total score) first */
    uint32_t  nrules;
    uint32_t *rules;             /* rule ids, by score */
    uint32_t  nitems;
    double    score;             /* sum of its rules' scores */
} expose_cluster;

typedef struct expose_profile_node {
    enum { EXPOSE_COL_PROTO, EXPOSE_COL_DST_IP, EXPOSE_COL_SRC_PORT,
           EXPOSE_COL_DST_PORT } column;
    uint32_t value;              /* protocol, port, or (dst IP) index into result->profiles of the peer, UINT32_MAX: none */
    uint8_t  ip_version;         /* for EXPOSE_COL_DST_IP */
    uint8_t  addr[16];           /* for EXPOSE_COL_DST_IP */
    uint32_t degree;             /* in- or out-degree that made it significant */
    int      accepted;           /* survived delayed-accept */
    double   deg_median, deg_p90;/* max(in, out) degree per interval */
    uint32_t deg_outliers;       /* intervals far above the 90th percentile */
    /* Added with the profiles work (see core/profile*.c for definitions).
     * For EXPOSE_COL_DST_IP, value is the index of the peer's own profile in
     * result->profiles, UINT32_MAX when the peer has none. */
    uint32_t in_degree, out_degree;  /* whole trace; degree is the larger */
    uint32_t flows;              /* the host's flows through this node */
    uint32_t intervals;          /* intervals in which the node was active */
    uint32_t hosts;              /* profiles in which this node is significant
                                  * too (popularity, PAM'07 Table 2) */
} expose_profile_node;

typedef struct expose_profile {
    uint8_t  ip_version;
    uint8_t  host[16];
    const char *role;            /* "client", "server", "both", "p2p", "idle", or
                                  * "scanner" for a host found in scans[] */
    uint32_t flows;
    uint32_t graphlet_nodes;
    uint32_t profile_nodes;
    uint32_t nsignificant;
    expose_profile_node *significant;
    double   compression, coverage;
    double   stability;          /* < 0: unknown (fewer than two intervals) */
    uint32_t intervals;
    int      accepted;           /* 1: some node passed delayed-accept (never within one interval) */
    /* Added with the profiles work. */
    uint32_t significant_total;  /* significant nodes before the per-column cap */
    uint32_t covered_flows;      /* flows through a significant IP or port node */
    uint32_t accepted_nodes;     /* nodes in the profile after delayed-accept
                                  * and aging; accepted is accepted_nodes > 0 */
    double   first, last;        /* the host's first and last packet */
} expose_profile;

typedef struct expose_scan {
    enum { EXPOSE_SCAN_PORT, EXPOSE_SCAN_ADDRESS } kind;
    uint8_t  ip_version;
    uint8_t  host[16];           /* the scanner */
    uint8_t  target[16];         /* port scan: the address scanned */
    uint32_t port;               /* address scan: the port scanned */
    uint8_t  proto;
    uint32_t count;              /* distinct ports or addresses */
    double   first, last;        /* seconds since the epoch */
    /* Added with the profiles work. */
    uint32_t connections;        /* five-tuples the scanner opened in the scan */
    uint32_t unanswered;         /* of which the target never answered */
} expose_scan;

typedef struct expose_summary {
    uint64_t packets;            /* records offered, mined or skipped */
    uint64_t ip_packets;         /* records mined */
    uint64_t skipped[EXPOSE_SKIP__COUNT];
    uint64_t untracked;          /* packets counted but not mined: after the memory
                                  * bound was reached, or after the capture went bad
                                  * (time jumping back by more than a window) */
    double   covered_until;      /* time of the last mined packet when untracked > 0 */
    char     stop_reason[256];   /* why mining stopped early ("" when it did not) */
    uint64_t reordered;          /* packets earlier than a previous one */
    double   max_reorder;        /* largest backwards step, seconds */
    uint64_t connections;        /* distinct five-tuples */
    uint64_t flows;              /* after port folding */
    uint64_t windows;
    uint64_t generics;
    uint64_t selected;           /* flows and generics mined (top K) */
    uint64_t dropped_long;       /* present in more than max_present of windows */
    uint64_t candidates;         /* directed item pairs evaluated */
    uint64_t rules;
    uint64_t clusters;
    uint32_t nlearned;           /* ports learned from the trace */
    uint16_t learned[64];        /* the first few of them */
    double   first, last;        /* trace time span, seconds since the epoch */
    double   mine_seconds;       /* wall time spent in expose_engine_mine */
} expose_summary;

struct expose_result {
    expose_params   params;
    expose_summary  summary;
    uint32_t        nitems;
    expose_item    *items;
    uint32_t        nrules;
    expose_rule    *rules;       /* rules[i].id == i + 1 */
    uint32_t        nclusters;
    expose_cluster *clusters;    /* clusters[i].id == i + 1 */
    uint32_t        nprofiles;
    expose_profile *profiles;
    uint32_t        nscans;
    expose_scan    *scans;
};

void expose_result_free(expose_result *r);

/* ------------------------------------------------------------- outputs */

/* "10.0.0.5.* : 10.0.0.53.53" -- the paper's notation; buf >= 128 bytes. */
#define EXPOSE_ITEM_TEXT_MAX 128
const char *expose_item_text(const expose_item *it, char *buf, size_t len);
const char *expose_addr_text(int ip_version, const uint8_t *addr, char *buf, size_t len);

/* Wireshark display filters that select exactly the packets of an item,
 * rule, cluster or host.  Returned strings are malloc'ed; free() them. */
char *expose_item_filter(const expose_item *it);
char *expose_rule_filter(const expose_result *r, uint32_t rule_index);
char *expose_cluster_filter(const expose_result *r, uint32_t cluster_index);
char *expose_host_filter(int ip_version, const uint8_t *addr);

/* Reports; each returns 0, or -1 when writing failed. */
int expose_write_text(const expose_result *r, FILE *out);
int expose_write_json(const expose_result *r, FILE *out);
int expose_write_dot(const expose_result *r, FILE *out);   /* Graphviz source */

/* Write a report to PATH atomically (temporary file, then rename).
 * format: "text", "json", "dot" or "svg" (svg runs Graphviz's dot).
 * Returns 0, or -1 with a message in err. */
int expose_write_file(const expose_result *r, const char *format, const char *path,
                      char *err, size_t errlen);

#ifdef __cplusplus
}
#endif
#endif /* EXPOSE_H */
