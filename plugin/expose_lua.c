/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * expose_lua.c -- the Lua C module "expose", exported by expose.so itself.
 *
 * The GUI (ui-lua/expose.lua, Statistics > eXpose Rules) is a Lua script;
 * it reaches the plugin through this module, which lives in the same
 * shared object so that both see the one plugin state:
 *
 *   1. When expose.so is loaded, a constructor below puts the file's own
 *      path (dladdr) in the environment variable EXPOSE_PLUGIN_SO.
 *   2. The script calls package.loadlib(os.getenv("EXPOSE_PLUGIN_SO"),
 *      "luaopen_expose").  dlopen() of a file that is already loaded
 *      returns the loaded copy, so no second (stale) expose.so is ever
 *      brought in, and package.cpath is never searched.
 *   3. expose.check() -- and every other entry point -- refuses to work
 *      unless Wireshark's own plugin loader registered this very file and
 *      its "expose" protocol and preferences exist (an EXPOSE_PLUGIN_SO
 *      inherited from a parent process could name another copy).
 *
 * The Lua C API resolves to the liblua5.2.so.0 that libwireshark already
 * loaded (expose.so links the same soname).
 *
 * A run (expose.run, retap_packets() from Lua, expose.mine) goes through
 * the plugin's GUI session (expose_plugin_*).  expose.snapshot() copies
 * what the window needs -- texts, numbers, display filters, the JSON report
 * and the Graphviz source -- into Lua, after which expose.stop() removes
 * the listeners: left in place they would re-read every packet each time
 * the user applies a display filter.
 *
 * Every function returns nil and a message instead of raising an error,
 * so the script can show the message in its window.
 */
#define _GNU_SOURCE   /* dladdr, open_memstream */
#include <wireshark.h>

#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lua.h>

#include <epan/prefs.h>
#include <epan/proto.h>
#include <epan/tap.h>

#include "expose.h"
#include "report.h"        /* expose_proto_name */
#include "expose_prefs.h"
#include "expose_state.h"

#define EXPOSE_SO_ENV "EXPOSE_PLUGIN_SO"

EXPOSE_PLUGIN_API int luaopen_expose(lua_State *L);

/* wsutil/plugins.h is not shipped by wireshark-dev 4.0; this is its 4.0
 * declaration (4.2 changed the callback: its third argument became flags). */
typedef void (*expose_plugin_desc_cb)(const char *name, const char *version,
                                      const char *types, const char *filename,
                                      void *user_data);
extern void plugins_get_descriptions(expose_plugin_desc_cb callback, void *user_data);

/* The core's service names ("53" -> "dns"); internal to the core, linked in. */
const char *xp_port_service_name(uint32_t port);

/* ------------------------------------------------------------ loading */

/* This shared object's path, as the loader knows it; NULL if unknown. */
static const char *self_path(void)
{
    static char path[PATH_MAX];
    Dl_info info;

    if (path[0] == '\0' && dladdr((void *)&luaopen_expose, &info) && info.dli_fname)
        g_strlcpy(path, info.dli_fname, sizeof path);
    return path[0] ? path : NULL;
}

/* Runs when expose.so is loaded, before Wireshark registers the plugin
 * and long before any Lua script runs. */
__attribute__((constructor)) static void expose_lua_announce(void)
{
    const char *path = self_path();
    char *real = path ? realpath(path, NULL) : NULL;

    if (path != NULL)
        setenv(EXPOSE_SO_ENV, real ? real : path, 1);
    free(real);
}

typedef struct find_self { const char *real; gboolean found; } find_self;

static void match_plugin(const char *name _U_, const char *version _U_, const char *types _U_,
                         const char *filename, void *data)
{
    find_self *f = (find_self *)data;
    char *real = filename ? realpath(filename, NULL) : NULL;

    if (real != NULL && !strcmp(real, f->real))
        f->found = TRUE;
    free(real);
}

/* NULL when the plugin's state is there, otherwise why not. */
static const char *plugin_problem(void)
{
    static char why[1024];
    static gboolean ok;
    const char *path = self_path();

    if (ok)
        return NULL;
    char *real = path ? realpath(path, NULL) : NULL;
    if (real == NULL) {
        g_strlcpy(why, "eXpose: cannot tell where this expose.so was loaded from", sizeof why);
        return why;
    }
    find_self f = { real, FALSE };
    plugins_get_descriptions(match_plugin, &f);
    if (!f.found) {
        g_snprintf(why, sizeof why,
                   "eXpose: %s is not the plugin Wireshark loaded (Help > About Wireshark > "
                   "Plugins lists what it loaded).  Install expose.so into Wireshark's plugin "
                   "folder (cmake --install) and restart Wireshark.", real);
        free(real);
        return why;
    }
    free(real);
    if (proto_get_id_by_filter_name("expose") < 0 || prefs_find_module("expose") == NULL) {
        g_strlcpy(why, "eXpose: the plugin is loaded but its protocol and preferences are not "
                  "registered; restart Wireshark", sizeof why);
        return why;
    }
    ok = TRUE;
    return NULL;
}

/* nil, message */
static int fail(lua_State *L, const char *msg)
{
    lua_pushnil(L);
    lua_pushstring(L, msg);
    return 2;
}

#define CHECK_PLUGIN(L)                                 \
    do {                                                \
        const char *problem_ = plugin_problem();        \
        if (problem_ != NULL)                           \
            return fail((L), problem_);                 \
    } while (0)

/* --------------------------------------------------- frame counter */

/* Counts the frames a retap visits, every frame whatever the run's
 * filter, so that "no capture open" can be told from "nothing to mine". */
static struct {
    gboolean on;
    guint64  frames;
} counter;

static void counter_reset(void *data _U_)
{
    counter.frames = 0;
}

static tap_packet_status counter_packet(void *data _U_, packet_info *pinfo _U_,
                                        epan_dissect_t *edt _U_, const void *p _U_,
                                        tap_flags_t flags _U_)
{
    counter.frames++;
    return TAP_PACKET_DONT_REDRAW;
}

static gboolean counter_start(char *err, size_t errlen)
{
    counter.frames = 0;
    if (counter.on)
        return TRUE;
    GString *msg = register_tap_listener("frame", &counter, NULL, TL_REQUIRES_NOTHING,
                                         counter_reset, counter_packet, NULL, NULL);
    if (msg != NULL) {
        g_snprintf(err, (gulong)errlen, "cannot listen on the frame tap: %s", msg->str);
        g_string_free(msg, TRUE);
        return FALSE;
    }
    counter.on = TRUE;
    return TRUE;
}

static void counter_stop(void)
{
    if (counter.on)
        remove_tap_listener(&counter);
    counter.on = FALSE;
}

/* ------------------------------------------------------- table helpers */

static void set_num(lua_State *L, const char *k, double v)
{
    lua_pushnumber(L, v);
    lua_setfield(L, -2, k);
}

static void set_str(lua_State *L, const char *k, const char *v)
{
    lua_pushstring(L, v);
    lua_setfield(L, -2, k);
}

static void set_bool(lua_State *L, const char *k, int v)
{
    lua_pushboolean(L, v);
    lua_setfield(L, -2, k);
}

/* A malloc'ed string (a filter) as field K, then freed; "" if NULL. */
static void set_owned(lua_State *L, const char *k, char *v)
{
    lua_pushstring(L, v ? v : "");
    lua_setfield(L, -2, k);
    free(v);
}

/* ----------------------------------------------------- entry points */

/* expose.check() -> true | nil, why */
static int l_check(lua_State *L)
{
    CHECK_PLUGIN(L);
    lua_pushboolean(L, 1);
    return 1;
}

/* expose.version() -> "0.1.0", path of expose.so */
static int l_version(lua_State *L)
{
    const char *path = self_path();
    lua_pushstring(L, EXPOSE_VERSION);
    lua_pushstring(L, path ? path : "");
    return 2;
}

/* expose.now() -> seconds on a monotonic clock */
static int l_now(lua_State *L)
{
    lua_pushnumber(L, (double)g_get_monotonic_time() / 1e6);
    return 1;
}

/* expose.defaults() -> the saved preferences as a table */
static int l_defaults(lua_State *L)
{
    expose_params p;
    char err[512];

    CHECK_PLUGIN(L);
    if (expose_prefs_apply(&p, err, sizeof err) < 0)
        return fail(L, err);
    lua_newtable(L);
    set_num(L, "window", p.window);
    set_num(L, "k", p.k);
    set_num(L, "alpha", p.alpha);
    set_num(L, "beta", p.beta);
    set_num(L, "learn_ports", p.learn_ports);
    set_num(L, "profile_interval", p.profile_interval);
    return 1;
}

/* expose.run(options) -> true | nil, why.  Registers the listeners; the
 * script then calls retap_packets() and expose.mine(). */
static int l_run(lua_State *L)
{
    char err[512];

    CHECK_PLUGIN(L);
    const char *options = luaL_optstring(L, 1, "");
    counter_stop();
    if (expose_plugin_run(options, err, sizeof err) < 0)
        return fail(L, err);
    if (!counter_start(err, sizeof err)) {
        expose_plugin_stop();
        return fail(L, err);
    }
    lua_pushboolean(L, 1);
    return 1;
}

/* expose.frames() -> frames seen since expose.run (every frame) */
static int l_frames(lua_State *L)
{
    CHECK_PLUGIN(L);
    if (!counter.on)
        return fail(L, "no eXpose run is active (expose.run first)");
    lua_pushnumber(L, (double)counter.frames);
    return 1;
}

/* expose.mine() -> true | nil, why */
static int l_mine(lua_State *L)
{
    char err[512];

    CHECK_PLUGIN(L);
    if (!counter.on)
        return fail(L, "no eXpose run is active (expose.run first)");
    if (expose_plugin_mine(err, sizeof err) < 0)
        return fail(L, err);
    lua_pushboolean(L, 1);
    return 1;
}

/* expose.stop(): listeners off, the run and its result freed */
static int l_stop(lua_State *L)
{
    CHECK_PLUGIN(L);
    counter_stop();
    expose_plugin_stop();
    lua_pushboolean(L, 1);
    return 1;
}

/* "*.* : 10.0.0.53.53 (udp new)" */
static void push_item(lua_State *L, const expose_item *it)
{
    char t[EXPOSE_ITEM_TEXT_MAX];
    lua_pushfstring(L, "%s (%s %s)", expose_item_text(it, t, sizeof t),
                    expose_proto_name(it->proto), it->activity == EXPOSE_NEW ? "new" : "present");
}

static void snap_summary(lua_State *L, const expose_result *r)
{
    const expose_summary *s = &r->summary;
    uint64_t skipped = 0;

    for (int i = 0; i < EXPOSE_SKIP__COUNT; i++)
        skipped += s->skipped[i];
    lua_newtable(L);
    set_num(L, "packets", (double)s->packets);
    set_num(L, "ip_packets", (double)s->ip_packets);
    set_num(L, "skipped", (double)skipped);
    set_num(L, "untracked", (double)s->untracked);
    set_num(L, "covered_until", s->covered_until);
    set_num(L, "reordered", (double)s->reordered);
    set_num(L, "connections", (double)s->connections);
    set_num(L, "flows", (double)s->flows);
    set_num(L, "windows", (double)s->windows);
    set_num(L, "generics", (double)s->generics);
    set_num(L, "selected", (double)s->selected);
    set_num(L, "dropped_long", (double)s->dropped_long);
    set_num(L, "candidates", (double)s->candidates);
    set_num(L, "rules", (double)s->rules);
    set_num(L, "clusters", (double)s->clusters);
    set_num(L, "first", s->first);
    set_num(L, "last", s->last);
    set_num(L, "mine_seconds", s->mine_seconds);
    lua_setfield(L, -2, "summary");

    const expose_params *p = &r->params;
    lua_newtable(L);
    set_num(L, "window", p->window);
    set_num(L, "k", p->k);
    set_num(L, "alpha", p->alpha);
    set_num(L, "beta", p->beta);
    set_num(L, "max_present", p->max_present);
    set_num(L, "profile_interval", p->profile_interval);
    set_num(L, "max_conns", p->max_conns);
    set_num(L, "max_events", p->max_events);
    lua_setfield(L, -2, "params");
}

static void snap_rules(lua_State *L, const expose_result *r)
{
    lua_createtable(L, (int)r->nrules, 0);
    for (uint32_t i = 0; i < r->nrules; i++) {
        const expose_rule *x = &r->rules[i];
        lua_createtable(L, 0, 12);
        set_num(L, "id", x->id);
        push_item(L, &r->items[x->lhs]);
        lua_setfield(L, -2, "lhs");
        push_item(L, &r->items[x->rhs]);
        lua_setfield(L, -2, "rhs");
        set_num(L, "score", x->score);
        if (x->support >= 0)
            set_num(L, "support", (double)x->support);
        set_num(L, "p_lhs", x->p_lhs);
        set_num(L, "p_rhs", x->p_rhs);
        set_num(L, "p_both", x->p_both);
        set_num(L, "cluster", x->cluster);
        set_bool(L, "bridge", x->bridge);
        set_owned(L, "filter", expose_rule_filter(r, i));
        lua_rawseti(L, -2, (int)i + 1);
    }
    lua_setfield(L, -2, "rules");

    lua_createtable(L, (int)r->nclusters, 0);
    for (uint32_t c = 0; c < r->nclusters; c++) {
        const expose_cluster *cl = &r->clusters[c];
        lua_createtable(L, 0, 5);
        set_num(L, "id", cl->id);
        set_num(L, "score", cl->score);
        set_num(L, "nitems", cl->nitems);
        lua_createtable(L, (int)cl->nrules, 0);
        for (uint32_t k = 0; k < cl->nrules; k++) {
            lua_pushnumber(L, cl->rules[k]);
            lua_rawseti(L, -2, (int)k + 1);
        }
        lua_setfield(L, -2, "rules");
        set_owned(L, "filter", expose_cluster_filter(r, c));
        lua_rawseti(L, -2, (int)c + 1);
    }
    lua_setfield(L, -2, "clusters");
}

/* "dst ports: 53 (dns), 80 (http); dst IPs: 10.1.0.53, 10.1.0.80" */
static void push_significant(lua_State *L, const expose_profile *p)
{
    static const struct { int col; const char *one, *many; } cols[] = {
        { EXPOSE_COL_SRC_PORT, "src port", "src ports" },
        { EXPOSE_COL_DST_PORT, "dst port", "dst ports" },
        { EXPOSE_COL_DST_IP, "dst IP", "dst IPs" },
        { EXPOSE_COL_PROTO, "protocol", "protocols" },
    };
    enum { SHOWN = 6 };
    GString *s = g_string_new(NULL);

    for (size_t c = 0; c < G_N_ELEMENTS(cols); c++) {
        uint32_t n = 0, shown = 0;
        for (uint32_t i = 0; i < p->nsignificant; i++)
            n += (int)p->significant[i].column == cols[c].col;
        if (n == 0)
            continue;
        g_string_append_printf(s, "%s%s:", s->len ? "; " : "", n > 1 ? cols[c].many : cols[c].one);
        for (uint32_t i = 0; i < p->nsignificant && shown < SHOWN; i++) {
            const expose_profile_node *nd = &p->significant[i];
            char a[64];
            if ((int)nd->column != cols[c].col)
                continue;
            g_string_append(s, shown ? ", " : " ");
            if (nd->column == EXPOSE_COL_DST_IP) {
                g_string_append(s, expose_addr_text(nd->ip_version, nd->addr, a, sizeof a));
            } else if (nd->column == EXPOSE_COL_PROTO) {
                g_string_append(s, expose_proto_name((uint8_t)nd->value));
            } else {
                const char *svc = xp_port_service_name(nd->value);
                g_string_append_printf(s, svc ? "%u (%s)" : "%u", nd->value, svc);
            }
            shown++;
        }
        if (n > shown)
            g_string_append_printf(s, " (+%u)", n - shown);
    }
    lua_pushstring(L, s->str);
    g_string_free(s, TRUE);
}

/* A scan's packets: scanner and target (port scan) or scanner and port
 * (address scan; ICMP echo sweeps have no port). */
static char *scan_filter(const expose_scan *sc)
{
    char h[64], t[64];
    const char *ip = sc->ip_version == 6 ? "ipv6" : "ip";

    expose_addr_text(sc->ip_version, sc->host, h, sizeof h);
    if (sc->kind == EXPOSE_SCAN_PORT) {
        expose_addr_text(sc->ip_version, sc->target, t, sizeof t);
        return g_strdup_printf("%s.addr==%s && %s.addr==%s", ip, h, ip, t);
    }
    if (sc->proto == EXPOSE_TCP || sc->proto == EXPOSE_UDP)
        return g_strdup_printf("%s.addr==%s && %s.port==%u", ip, h,
                               sc->proto == EXPOSE_TCP ? "tcp" : "udp", sc->port);
    return g_strdup_printf("%s.addr==%s && %s", ip, h, expose_proto_name(sc->proto));
}

static void snap_hosts(lua_State *L, const expose_result *r)
{
    char a[64];

    lua_createtable(L, (int)r->nprofiles, 0);
    for (uint32_t i = 0; i < r->nprofiles; i++) {
        const expose_profile *p = &r->profiles[i];
        lua_createtable(L, 0, 14);
        set_str(L, "host", expose_addr_text(p->ip_version, p->host, a, sizeof a));
        set_str(L, "role", p->role ? p->role : "");
        set_num(L, "flows", p->flows);
        set_num(L, "graphlet_nodes", p->graphlet_nodes);
        set_num(L, "profile_nodes", p->profile_nodes);
        set_num(L, "significant_total", p->significant_total);
        set_num(L, "compression", p->compression);
        set_num(L, "coverage", p->coverage);
        if (p->stability >= 0)
            set_num(L, "stability", p->stability);
        set_num(L, "intervals", p->intervals);
        set_bool(L, "accepted", p->accepted);
        push_significant(L, p);
        lua_setfield(L, -2, "significant");
        set_owned(L, "filter", expose_host_filter(p->ip_version, p->host));
        lua_rawseti(L, -2, (int)i + 1);
    }
    lua_setfield(L, -2, "profiles");

    lua_createtable(L, (int)r->nscans, 0);
    for (uint32_t i = 0; i < r->nscans; i++) {
        const expose_scan *sc = &r->scans[i];
        lua_createtable(L, 0, 12);
        set_str(L, "kind", sc->kind == EXPOSE_SCAN_PORT ? "port" : "address");
        set_str(L, "host", expose_addr_text(sc->ip_version, sc->host, a, sizeof a));
        if (sc->kind == EXPOSE_SCAN_PORT)
            set_str(L, "target", expose_addr_text(sc->ip_version, sc->target, a, sizeof a));
        else
            set_num(L, "port", sc->port);
        set_str(L, "proto", expose_proto_name(sc->proto));
        set_num(L, "count", sc->count);
        set_num(L, "connections", sc->connections);
        set_num(L, "unanswered", sc->unanswered);
        set_num(L, "first", sc->first);
        set_num(L, "last", sc->last);
        char *f = scan_filter(sc);
        set_str(L, "filter", f);
        g_free(f);
        lua_rawseti(L, -2, (int)i + 1);
    }
    lua_setfield(L, -2, "scans");
}

/* The Graphviz source of the rule graph, or NULL. */
static char *dot_source(const expose_result *r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);

    if (mem == NULL)
        return NULL;
    int rc = expose_write_dot(r, mem);
    if (fclose(mem) != 0 || rc != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* expose.snapshot() -> everything the window shows, as one table:
 * summary, params, rules, clusters, profiles, scans (each with its display
 * filter), json (the JSON report) and dot (the rule graph's source). */
static int l_snapshot(lua_State *L)
{
    CHECK_PLUGIN(L);
    const expose_result *r = expose_plugin_result();
    if (r == NULL)
        return fail(L, "nothing mined yet (expose.run, retap_packets(), expose.mine first)");
    char *json = expose_plugin_json();
    char *dot = dot_source(r);
    if (json == NULL || dot == NULL) {
        g_free(json);
        free(dot);
        return fail(L, "out of memory while copying the result");
    }
    lua_newtable(L);
    snap_summary(L, r);
    snap_rules(L, r);
    snap_hosts(L, r);
    set_str(L, "json", json);
    set_str(L, "dot", dot);
    g_free(json);
    free(dot);
    return 1;
}

/* expose.host_filter("10.0.0.1" | "2001:db8::1") -> filter | nil, why */
static int l_host_filter(lua_State *L)
{
    uint8_t addr[16] = { 0 };

    CHECK_PLUGIN(L);
    const char *text = luaL_checkstring(L, 1);
    int version = strchr(text, ':') ? 6 : 4;
    if (inet_pton(version == 6 ? AF_INET6 : AF_INET, text, addr) != 1)
        return fail(L, "not an IPv4 or IPv6 address");
    char *f = expose_host_filter(version, addr);
    if (f == NULL)
        return fail(L, "out of memory");
    lua_pushstring(L, f);
    free(f);
    return 1;
}

/* expose.save(path, text) -> true | nil, why.  Atomic (temporary file,
 * then rename). */
static int l_save(lua_State *L)
{
    size_t len;
    GError *gerr = NULL;

    CHECK_PLUGIN(L);
    const char *path = luaL_checkstring(L, 1);
    const char *text = luaL_checklstring(L, 2, &len);
    if (!g_file_set_contents(path, text, (gssize)len, &gerr)) {
        lua_pushnil(L);
        lua_pushstring(L, gerr->message);
        g_error_free(gerr);
        return 2;
    }
    lua_pushboolean(L, 1);
    return 1;
}

/* expose.tmpfile(suffix) -> a new empty file's path in the temp folder */
static int l_tmpfile(lua_State *L)
{
    char *path = NULL;
    GError *gerr = NULL;

    CHECK_PLUGIN(L);
    const char *suffix = luaL_optstring(L, 1, "");
    char *tmpl = g_strdup_printf("expose-XXXXXX%s", suffix);
    int fd = g_file_open_tmp(tmpl, &path, &gerr);
    g_free(tmpl);
    if (fd < 0) {
        lua_pushnil(L);
        lua_pushstring(L, gerr->message);
        g_error_free(gerr);
        return 2;
    }
    close(fd);
    lua_pushstring(L, path);
    g_free(path);
    return 1;
}

/* ------------------------------------------------ the rule graph (dot) */

/* One Graphviz job at a time, polled from Lua so that the window's
 * progress bar keeps moving and its Stop button works. */
static struct {
    GPid  pid;
    char *dot_path, *tmp_svg, *svg;
} job;

static void job_clear(void)
{
    if (job.dot_path)
        unlink(job.dot_path);
    if (job.tmp_svg)
        unlink(job.tmp_svg);
    g_free(job.dot_path);
    g_free(job.tmp_svg);
    g_free(job.svg);
    memset(&job, 0, sizeof job);
}

static void job_cancel(void)
{
    if (job.pid > 0) {
        kill(job.pid, SIGTERM);
        while (waitpid(job.pid, NULL, 0) < 0 && errno == EINTR)
            ;
        g_spawn_close_pid(job.pid);
    }
    job_clear();
}

static gboolean write_all(int fd, const char *p, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return FALSE;
        p += n;
        len -= (size_t)n;
    }
    return TRUE;
}

/* expose.graph_start(dot_source, svg_path) -> true | nil, why */
static int l_graph_start(lua_State *L)
{
    size_t len;
    GError *gerr = NULL;

    CHECK_PLUGIN(L);
    const char *dot = luaL_checklstring(L, 1, &len);
    const char *svg = luaL_checkstring(L, 2);
    job_cancel();
    int fd = g_file_open_tmp("expose-graph-XXXXXX.dot", &job.dot_path, &gerr);
    if (fd < 0 || !write_all(fd, dot, len)) {
        char msg[512];
        g_snprintf(msg, sizeof msg, "cannot write the graph's source: %s",
                   gerr ? gerr->message : g_strerror(errno));
        if (gerr)
            g_error_free(gerr);
        if (fd >= 0)
            close(fd);
        job_clear();
        return fail(L, msg);
    }
    close(fd);
    job.svg = g_strdup(svg);
    job.tmp_svg = g_strdup_printf("%s.tmp.%ld", svg, (long)getpid());
    char *argv[] = { (char *)"dot", (char *)"-Tsvg", (char *)"-o", job.tmp_svg, job.dot_path,
                     NULL };
    if (!g_spawn_async(NULL, argv, NULL,
                       G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD |
                       G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                       NULL, NULL, &job.pid, &gerr)) {
        char msg[512];
        g_snprintf(msg, sizeof msg, "cannot run Graphviz's dot (apt-get install graphviz): %s",
                   gerr->message);
        g_error_free(gerr);
        job.pid = 0;
        job_clear();
        return fail(L, msg);
    }
    lua_pushboolean(L, 1);
    return 1;
}

/* expose.graph_poll(wait_ms) -> "running" | svg_path | nil, why */
static int l_graph_poll(lua_State *L)
{
    int status;

    CHECK_PLUGIN(L);
    lua_Integer wait_ms = luaL_optinteger(L, 1, 100);
    gint64 until = g_get_monotonic_time() + wait_ms * 1000;
    if (job.pid <= 0)
        return fail(L, "no graph is being drawn");
    for (;;) {
        pid_t got = waitpid(job.pid, &status, WNOHANG);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0 && errno == ECHILD) {
            /* Someone else reaped it: judge by what it left behind. */
            struct stat st;
            status = (stat(job.tmp_svg, &st) == 0 && st.st_size > 0) ? 0 : 1 << 8;
            break;
        }
        if (got < 0) {
            char msg[256];
            g_snprintf(msg, sizeof msg, "waiting for Graphviz: %s", g_strerror(errno));
            g_spawn_close_pid(job.pid);
            job.pid = 0;
            job_clear();
            return fail(L, msg);
        }
        if (got == job.pid)
            break;
        if (g_get_monotonic_time() >= until) {
            lua_pushstring(L, "running");
            return 1;
        }
        g_usleep(10000);
    }
    g_spawn_close_pid(job.pid);
    job.pid = 0;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        char msg[512];
        g_snprintf(msg, sizeof msg, "Graphviz's dot failed to draw the rule graph into %s",
                   job.svg);
        job_clear();
        return fail(L, msg);
    }
    if (rename(job.tmp_svg, job.svg) < 0) {
        char msg[512];
        g_snprintf(msg, sizeof msg, "cannot write %s: %s", job.svg, g_strerror(errno));
        job_clear();
        return fail(L, msg);
    }
    lua_pushstring(L, job.svg);
    job_clear();
    return 1;
}

/* expose.graph_cancel() */
static int l_graph_cancel(lua_State *L)
{
    CHECK_PLUGIN(L);
    job_cancel();
    lua_pushboolean(L, 1);
    return 1;
}

static const luaL_Reg functions[] = {
    { "check", l_check },
    { "version", l_version },
    { "now", l_now },
    { "defaults", l_defaults },
    { "run", l_run },
    { "frames", l_frames },
    { "mine", l_mine },
    { "snapshot", l_snapshot },
    { "stop", l_stop },
    { "host_filter", l_host_filter },
    { "save", l_save },
    { "tmpfile", l_tmpfile },
    { "graph_start", l_graph_start },
    { "graph_poll", l_graph_poll },
    { "graph_cancel", l_graph_cancel },
    { NULL, NULL }
};

int luaopen_expose(lua_State *L)
{
    luaL_newlib(L, functions);
    return 1;
}
