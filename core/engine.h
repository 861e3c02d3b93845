/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * engine.h -- the engine's state, shared by the mining stages (internal).
 *
 * Data flows one way:
 *   ingest.c    record -> connection + activity event       (per packet)
 *   ports.c     well-known ports: services list + learned from the trace
 *   flows.c     connections -> oriented, port-folded flows and generics
 *   activity.c  replay the log: per-window present/new; top-K selection
 *   cooccur.c   per-window pair counting over active items (sum of S_w^2)
 *   score.c     candidate pairs -> scored, filtered rules (+ support)
 *   cluster.c   rule graph -> transitive closure -> spectral partitioning
 *   result.c    everything above -> the expose_result model
 *   profile.c, scan.c   hosts -> graphlets -> profiles; scans
 */
#ifndef EXPOSE_ENGINE_H
#define EXPOSE_ENGINE_H

#include "expose.h"
#include "conntab.h"
#include "keymap.h"

#define XP_ANY 0x10000u     /* a folded port ("*") inside the miner */
#define XP_NONE UINT32_MAX

/* An oriented, port-folded flow: client.cport : server.sport. */
typedef struct xp_flow {
    uint32_t client, server;   /* interned address ids */
    uint32_t cport, sport;     /* port or XP_ANY */
    uint8_t  proto, ipver;
    uint32_t generic;          /* generic *.* : server.sport, or XP_NONE */
    uint32_t present, fresh;   /* windows present / new */
    uint32_t last_w, new_w;    /* replay bookkeeping */
    uint32_t sel;              /* selected entity id, or XP_NONE */
} xp_flow;

/* A generic *.* : server.sport. */
typedef struct xp_generic {
    uint32_t server, sport;
    uint8_t  proto, ipver;
    uint32_t present, fresh;
    uint32_t last_w, new_w;
    uint32_t sel;
} xp_generic;

/* An interned address. */
typedef struct xp_addr {
    uint8_t ipver;
    uint8_t bytes[16];
} xp_addr;

/* A mined entity (flow or generic) after the 90 % filter and top-K. */
typedef struct xp_entity {
    uint32_t is_generic;
    uint32_t index;            /* into flows[] or generics[] */
    uint32_t count[2];         /* windows active: [EXPOSE_PRESENT], [EXPOSE_NEW] */
} xp_entity;

/* Co-occurrence counts of an unordered entity pair (a < b). */
typedef struct xp_pair {
    uint32_t a, b;
    uint32_t joint[2][2];      /* [activity of a][activity of b] */
    uint32_t last_w;
} xp_pair;

/* A scored rule before it becomes part of the result. */
typedef struct xp_rule {
    uint32_t lhs, rhs;         /* entity ids */
    uint8_t  lact, ract;       /* activities */
    uint32_t pair;             /* index into pairs */
    double   score, p_lhs, p_rhs, p_both;
    long     support;          /* -1: not a generic rule */
    uint32_t cluster, rcluster;   /* clusters of the lhs and rhs nodes */
    int      bridge;
} xp_rule;

struct expose_engine {
    expose_params params;
    int64_t  window_ns, idle_ns;
    int      started;
    int64_t  t0_ns, last_ns;
    uint32_t cur_w;
    int      failed;           /* out of memory: nothing can be mined */
    int      stopped;          /* ingest ended early: the prefix is mined */
    char     error[256];
    expose_summary sum;        /* ingest counters */
    xp_conntab ct;
};

/* The state of one mining run (lives only inside expose_engine_mine). */
typedef struct xp_mine {
    expose_engine *e;
    const expose_params *p;
    uint32_t nwindows;
    uint8_t  *wellknown;       /* 65536-entry table: 1 = well-known port */
    uint32_t nlearned;
    uint16_t learned[64];
    xp_addr  *addrs;  uint32_t naddrs, addrs_cap;
    xp_keymap addr_ids;
    xp_flow  *flows;  uint32_t nflows, flows_cap;
    xp_keymap flow_ids;
    xp_generic *gens; uint32_t ngens, gens_cap;
    xp_keymap gen_ids;
    xp_entity *ents;  uint32_t nents;
    uint64_t dropped_long;
    xp_pair  *pairs;  uint32_t npairs;
    uint64_t candidates;
    xp_rule  *rules;  uint32_t nrules;
    uint32_t nclusters;
    char     *error;           /* points into e->error */
} xp_mine;

/* Stages; each returns 0 or -1 (with an error set in m->e->error). */
int  xp_ports_learn(xp_mine *m);
int  xp_port_is_service(uint32_t port);
const char *xp_port_service_name(uint32_t port);
int  xp_flows_build(xp_mine *m);
int  xp_activity_count(xp_mine *m);
int  xp_activity_select(xp_mine *m);
int  xp_cooccur_count(xp_mine *m);
int  xp_score_rules(xp_mine *m);
int  xp_support_count(xp_mine *m);
int  xp_cluster_rules(xp_mine *m);
expose_result *xp_result_build(xp_mine *m);
int  xp_profiles_build(xp_mine *m, expose_result *r);
int  xp_scans_build(xp_mine *m, expose_result *r);

/* Free everything a mining run allocated (safe on a partly built run). */
void xp_mine_free(xp_mine *m);

void xp_fail(expose_engine *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Grow an array to hold at least `need` elements; -1 on out of memory. */
int xp_reserve(void **arr, uint32_t *cap, uint32_t need, size_t elem);

#endif
