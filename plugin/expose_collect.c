/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * expose_collect.c -- one expose_record per frame from Wireshark's taps.
 *
 * Taps fire after a frame has been dissected, in the order the dissectors
 * queued them: the outer ip/ipv6 header first, then its transport header
 * (TCP and UDP queue their tap before handing on their payload), then any
 * tunnelled headers, and the frame tap last of all.  The listeners below
 * copy what they need into a per-frame scratch record keyed by the frame
 * number, and the frame listener hands the finished record (or a skip
 * reason) to the engine.  Nothing here allocates or locks per packet.
 *
 * What a packet counts as -- the same choices as the CLI's libpcap reader
 * (cli/decode.c), so that both mine the same records:
 *   - Tunnels: the OUTER IP header is reported.  Its transport is the first
 *     tcp/udp tap event after it and before any second (tunnelled) IP
 *     header; IP-in-IP, 6in4 and GRE therefore count as "other protocol".
 *     A UDP tunnel (VXLAN, GTP-U, Teredo) counts as its outer UDP flow.
 *   - ICMP errors quote the IP and TCP/UDP header that caused them.  The
 *     dissectors flag those quoted headers as an "error packet", and a
 *     listener registered without TL_REQUIRES_ERROR_PACKETS never sees them,
 *     so the packet is mined as ICMP and the quoted flow is not created.
 *   - Fragments: a non-first IPv4/IPv6 fragment is skipped as a fragment,
 *     even when Wireshark's reassembly dissects the whole datagram in that
 *     frame.  A first fragment keeps its ports.
 * Two things the taps cannot say are read from the frame's own bytes, at
 * the outer IP header (found by its version and addresses): the ports of
 * a first fragment, whose transport header reassembly keeps from the
 * taps, and the IPv6 extension header chain (hop-by-hop, routing,
 * fragment, AH, destination options), because the ipv6 tap's next-header
 * field is rewritten as those headers are dissected and a fragment that
 * waits for reassembly gets no ipv6 tap at all.
 * Where Wireshark can see IP that the CLI cannot (MPLS, PPPoE, 802.2 SNAP,
 * link types the CLI does not decode) the two legitimately disagree.
 */
#include <wireshark.h>

#include <string.h>

#include <epan/packet.h>
#include <epan/tap.h>
#include <epan/epan_dissect.h>
#include <wsutil/inet_ipv6.h>
#include <epan/dissectors/packet-ip.h>
#include <epan/dissectors/packet-tcp.h>
#include <epan/dissectors/packet-udp.h>

#include "expose_collect.h"

enum tap_kind { TAP_IP, TAP_IPV6, TAP_TCP, TAP_UDP, TAP_FRAME, TAP__COUNT };

static const char *const tap_names[TAP__COUNT] = { "ip", "ipv6", "tcp", "udp", "frame" };

/* remove_tap_listener() finds a listener by its tapdata pointer, so each of
 * the five listeners gets its own small handle pointing at the collector. */
typedef struct tap_handle {
    expose_collector *owner;
} tap_handle;

/* What the taps told us about the frame being dissected. */
typedef struct frame_scratch {
    guint32 num;             /* frame number these facts belong to; 0: none */
    guint8  ip_events;       /* ip/ipv6 tap events so far (2+: a tunnel) */
    guint8  ip_version;      /* of the outer header */
    guint8  ip_proto;        /* IPv4 protocol; IPv6: the last next header seen */
    guint8  l4_proto;        /* EXPOSE_TCP/UDP from the first transport tap */
    guint8  tcp_flags;
    guint8  bad_addr;        /* the outer header's addresses were unusable */
    guint16 ip_off;          /* IPv4 flags and fragment offset */
    guint16 sport, dport;
    guint8  src[16], dst[16];
} frame_scratch;

struct expose_collector {
    expose_params  params;
    expose_engine *engine;
    expose_collector_hooks hooks;
    tap_handle     handles[TAP__COUNT];
    gboolean       registered[TAP__COUNT];
    frame_scratch  f;
    guint32        last_frame;   /* to notice a new pass over the packets */
    unsigned long  frames;
    unsigned long  passes;       /* engines made so far: one per pass */
    int            proto_ip, proto_ipv6;
    char           error[256];
};

enum { IPV4_MF = 0x2000, IPV4_OFFSET = 0x1fff };
enum { IP6_HOPOPTS = 0, IP6_ROUTING = 43, IP6_FRAGMENT = 44, IP6_AH = 51,
       IP6_DSTOPTS = 60, IP6_MAX_EXT = 16 };

/* How far into a frame the outer IP header is looked for: past any link
 * header (radiotap + 802.11 + LLC, stacked VLAN tags, ...). */
#define MAX_LINK_HEADER 512

/* classify() results besides the expose_skip_reasons */
#define RECORD_READY (-1)   /* the record is filled */
#define NO_BYTES     (-2)   /* the header is not in the frame's own bytes */

/* ------------------------------------------------------------ scratch */

static frame_scratch *scratch_for(expose_collector *c, const packet_info *pinfo)
{
    if (c->f.num != pinfo->num) {
        memset(&c->f, 0, sizeof c->f);
        c->f.num = pinfo->num;
    }
    return &c->f;
}

static gboolean copy_addr(guint8 *dst, const address *a, int type, int len)
{
    memset(dst, 0, 16);
    if (a->type != type || a->len != len || a->data == NULL)
        return FALSE;
    memcpy(dst, a->data, (size_t)len);
    return TRUE;
}

/* ---------------------------------------------------- layer listeners */

/* Only the outermost IP header is kept; later ones are tunnelled. */
static gboolean first_ip_event(frame_scratch *f)
{
    if (f->ip_events < G_MAXUINT8)
        f->ip_events++;
    return f->ip_events == 1;
}

static tap_packet_status on_ip4(void *tapdata, packet_info *pinfo, epan_dissect_t *edt _U_,
                                const void *data, tap_flags_t flags _U_)
{
    const ws_ip4 *ip = (const ws_ip4 *)data;
    frame_scratch *f = scratch_for(((tap_handle *)tapdata)->owner, pinfo);

    if (!first_ip_event(f) || ip == NULL)
        return TAP_PACKET_DONT_REDRAW;
    f->ip_version = 4;
    f->ip_proto = ip->ip_proto;
    f->ip_off = ip->ip_off;
    f->bad_addr = !copy_addr(f->src, &ip->ip_src, AT_IPv4, 4) ||
                  !copy_addr(f->dst, &ip->ip_dst, AT_IPv4, 4);
    return TAP_PACKET_DONT_REDRAW;
}

static tap_packet_status on_ip6(void *tapdata, packet_info *pinfo, epan_dissect_t *edt _U_,
                                const void *data, tap_flags_t flags _U_)
{
    const ws_ip6 *ip = (const ws_ip6 *)data;
    frame_scratch *f = scratch_for(((tap_handle *)tapdata)->owner, pinfo);

    if (!first_ip_event(f) || ip == NULL)
        return TAP_PACKET_DONT_REDRAW;
    f->ip_version = 6;
    f->ip_proto = ip->ip6_nxt;
    f->bad_addr = !copy_addr(f->src, &ip->ip6_src, AT_IPv6, 16) ||
                  !copy_addr(f->dst, &ip->ip6_dst, AT_IPv6, 16);
    return TAP_PACKET_DONT_REDRAW;
}

/* A transport header counts only if it follows the outer IP header
 * directly: after a second IP header it belongs to a tunnelled packet. */
static frame_scratch *transport_slot(void *tapdata, const packet_info *pinfo)
{
    frame_scratch *f = scratch_for(((tap_handle *)tapdata)->owner, pinfo);
    return (f->ip_events == 1 && f->l4_proto == 0) ? f : NULL;
}

static tap_packet_status on_tcp(void *tapdata, packet_info *pinfo, epan_dissect_t *edt _U_,
                                const void *data, tap_flags_t flags _U_)
{
    const tcp_info_t *th = (const tcp_info_t *)data;
    frame_scratch *f = transport_slot(tapdata, pinfo);

    if (f != NULL && th != NULL) {
        f->l4_proto = EXPOSE_TCP;
        f->sport = th->th_sport;
        f->dport = th->th_dport;
        f->tcp_flags = (guint8)(th->th_flags & 0xff);   /* CWR..FIN; not NS/AE */
    }
    return TAP_PACKET_DONT_REDRAW;
}

static tap_packet_status on_udp(void *tapdata, packet_info *pinfo, epan_dissect_t *edt _U_,
                                const void *data, tap_flags_t flags _U_)
{
    const e_udphdr *uh = (const e_udphdr *)data;
    frame_scratch *f = transport_slot(tapdata, pinfo);

    if (f != NULL && uh != NULL) {
        f->l4_proto = EXPOSE_UDP;
        f->sport = uh->uh_sport;
        f->dport = uh->uh_dport;
    }
    return TAP_PACKET_DONT_REDRAW;
}

/* ----------------------------------------------------- raw frame bytes */

/* The outer IP header in the frame's captured bytes: what is left of the
 * frame from there, cut to the IP length (Ethernet pads short frames). */
typedef struct ip_bytes {
    const guint8 *hdr;
    guint len;
} ip_bytes;

static guint16 get16(const guint8 *p)
{
    return (guint16)(p[0] << 8 | p[1]);
}

/* Find the header by its version and addresses: the first match is the
 * outermost header, as tunnelled ones come later in the frame.  Matching
 * on values works whether or not the tap's addresses point into the
 * frame (IPv6's are copies). */
static int locate_header(epan_dissect_t *edt, const frame_scratch *f, ip_bytes *ip)
{
    guint alen = f->ip_version == 4 ? 4 : 16, at = f->ip_version == 4 ? 12 : 8;
    guint hlen = f->ip_version == 4 ? 20 : 40;

    if (edt == NULL || edt->tvb == NULL)
        return NO_BYTES;
    guint len = tvb_captured_length(edt->tvb);
    if (len < hlen)
        return NO_BYTES;
    const guint8 *base = tvb_get_ptr(edt->tvb, 0, len);
    for (guint off = 0; off + hlen <= len && off <= MAX_LINK_HEADER; off++) {
        const guint8 *h = base + off;
        if ((h[0] >> 4) == f->ip_version && !memcmp(h + at, f->src, alen) &&
            !memcmp(h + at + alen, f->dst, alen)) {
            guint iplen = f->ip_version == 4 ? get16(h + 2) : 40u + get16(h + 4);
            ip->hdr = h;
            ip->len = len - off;
            if (iplen > hlen && iplen < ip->len)   /* 0: offloaded or jumbo */
                ip->len = iplen;
            return RECORD_READY;
        }
    }
    return NO_BYTES;
}

/* Ports and flags from a transport header that the taps did not see,
 * with the CLI's size rules (TCP: the whole fixed header). */
static int transport_from_bytes(guint8 proto, const guint8 *p, guint n, expose_record *r)
{
    r->proto = proto;
    if (proto == EXPOSE_TCP && (n < 20 || (p[12] >> 4) < 5))
        return EXPOSE_SKIP_MALFORMED;
    if (proto == EXPOSE_UDP && n < 8)
        return EXPOSE_SKIP_MALFORMED;
    r->src_port = get16(p);
    r->dst_port = get16(p + 2);
    r->tcp_flags = proto == EXPOSE_TCP ? p[13] : 0;
    return RECORD_READY;
}

/* --------------------------------------------------------- classifier */

static int transport_from_taps(const frame_scratch *f, guint8 proto, expose_record *r)
{
    r->proto = proto;
    if (proto == EXPOSE_ICMP || proto == EXPOSE_ICMPV6)
        return RECORD_READY;
    if (f->l4_proto != proto)
        return EXPOSE_SKIP_MALFORMED;   /* the dissector threw before its tap */
    r->src_port = f->sport;
    r->dst_port = f->dport;
    r->tcp_flags = proto == EXPOSE_TCP ? f->tcp_flags : 0;
    return RECORD_READY;
}

/* IPv4 first fragment whose transport header was kept by reassembly. */
static int first_fragment_v4(const frame_scratch *f, epan_dissect_t *edt, expose_record *r)
{
    ip_bytes ip;
    if (locate_header(edt, f, &ip) != RECORD_READY)
        return EXPOSE_SKIP_MALFORMED;
    guint ihl = (guint)(ip.hdr[0] & 0x0f) * 4;
    if (ihl < 20 || ihl > ip.len)
        return EXPOSE_SKIP_MALFORMED;
    return transport_from_bytes(f->ip_proto, ip.hdr + ihl, ip.len - ihl, r);
}

static gboolean mined_proto(guint8 proto, guint8 icmp)
{
    return proto == EXPOSE_TCP || proto == EXPOSE_UDP || proto == icmp;
}

static int classify_v4(const frame_scratch *f, epan_dissect_t *edt, expose_record *r)
{
    if (f->ip_off & IPV4_OFFSET)
        return EXPOSE_SKIP_FRAGMENT;
    if (!mined_proto(f->ip_proto, EXPOSE_ICMP))
        return EXPOSE_SKIP_OTHER_PROTO;
    if ((f->ip_off & IPV4_MF) && f->ip_proto != EXPOSE_ICMP && f->l4_proto != f->ip_proto)
        return first_fragment_v4(f, edt, r);
    return transport_from_taps(f, f->ip_proto, r);
}

static gboolean is_ip6_ext(guint8 nh)
{
    return nh == IP6_HOPOPTS || nh == IP6_ROUTING || nh == IP6_FRAGMENT ||
           nh == IP6_AH || nh == IP6_DSTOPTS;
}

/* Where the walk over the IPv6 extension headers ended: the transport
 * protocol, its header and the bytes left, and whether the packet is the
 * first fragment of a datagram. */
typedef struct ip6_walk {
    guint8 nh;
    const guint8 *payload;
    guint left;
    gboolean first_frag;
} ip6_walk;

static guint ip6_ext_len(guint8 nh, const guint8 *p)
{
    if (nh == IP6_FRAGMENT)
        return 8;
    if (nh == IP6_AH)
        return ((guint)p[1] + 2) * 4;
    return ((guint)p[1] + 1) * 8;
}

/* Walk the extension headers with the CLI's rules.  Returns RECORD_READY
 * or a skip reason. */
static int walk_ip6(const ip_bytes *ip, ip6_walk *w)
{
    guint left = ip->len - 40;

    w->nh = ip->hdr[6];
    w->payload = ip->hdr + 40;
    w->first_frag = FALSE;
    for (int i = 0; i < IP6_MAX_EXT && is_ip6_ext(w->nh); i++) {
        guint len = left >= 8 ? ip6_ext_len(w->nh, w->payload) : 0;
        if (len == 0 || len > left)
            return EXPOSE_SKIP_MALFORMED;
        if (w->nh == IP6_FRAGMENT) {
            if (get16(w->payload + 2) & 0xfff8)
                return EXPOSE_SKIP_FRAGMENT;
            w->first_frag |= (w->payload[3] & 1) != 0;
        }
        w->nh = w->payload[0];
        w->payload += len;
        left -= len;
    }
    w->left = left;
    return is_ip6_ext(w->nh) ? EXPOSE_SKIP_MALFORMED : RECORD_READY;
}

/* Header not in the frame's bytes (6LoWPAN rebuilds it, say): trust the
 * taps, or give up if they never fired. */
static int classify_v6_taps_only(const frame_scratch *f, expose_record *r)
{
    if (f->ip_events == 0)
        return EXPOSE_SKIP_MALFORMED;
    if (f->l4_proto != 0)
        return transport_from_taps(f, f->l4_proto, r);
    return f->ip_proto == EXPOSE_ICMPV6 ? transport_from_taps(f, EXPOSE_ICMPV6, r)
                                        : EXPOSE_SKIP_OTHER_PROTO;
}

static int classify_v6(const frame_scratch *f, epan_dissect_t *edt, expose_record *r)
{
    ip_bytes ip;
    ip6_walk w;

    if (locate_header(edt, f, &ip) != RECORD_READY)
        return classify_v6_taps_only(f, r);
    int why = walk_ip6(&ip, &w);
    if (why != RECORD_READY)
        return why;
    if (!mined_proto(w.nh, EXPOSE_ICMPV6))
        return EXPOSE_SKIP_OTHER_PROTO;
    if (w.nh != EXPOSE_ICMPV6 && w.first_frag && f->l4_proto != w.nh)
        return transport_from_bytes(w.nh, w.payload, w.left, r);
    return transport_from_taps(f, w.nh, r);
}

static void count_ip_layers(const expose_collector *c, const packet_info *pinfo,
                            int *n4, int *n6)
{
    *n4 = *n6 = 0;
    if (pinfo->layers == NULL)
        return;
    for (wmem_list_frame_t *l = wmem_list_head(pinfo->layers); l; l = wmem_list_frame_next(l)) {
        int id = GPOINTER_TO_INT(wmem_list_frame_data(l));
        *n4 += id == c->proto_ip;
        *n6 += id == c->proto_ipv6;
    }
}

/* No ip/ipv6 tap fired.  Either the frame has no IP, or the dissector gave
 * up on it -- or it is an IPv6 fragment waiting for reassembly, which the
 * ipv6 dissector does not tap.  In that last case, with a single IP layer
 * in the frame, pinfo's network addresses are that layer's. */
static int untapped_ip(const expose_collector *c, const packet_info *pinfo, frame_scratch *f)
{
    int n4, n6;
    count_ip_layers(c, pinfo, &n4, &n6);
    if (n4 + n6 == 0)
        return EXPOSE_SKIP_NOT_IP;
    if (n4 != 0 || n6 != 1 || !copy_addr(f->src, &pinfo->net_src, AT_IPv6, 16) ||
        !copy_addr(f->dst, &pinfo->net_dst, AT_IPv6, 16))
        return EXPOSE_SKIP_MALFORMED;
    f->ip_version = 6;
    return RECORD_READY;
}

/* RECORD_READY with r filled, or an expose_skip_reason. */
static int classify(const expose_collector *c, frame_scratch *f, const packet_info *pinfo,
                    epan_dissect_t *edt, expose_record *r)
{
    if (f->ip_events == 0) {
        int why = untapped_ip(c, pinfo, f);
        if (why != RECORD_READY)
            return why;
    }
    if (f->bad_addr)
        return EXPOSE_SKIP_MALFORMED;
    memset(r, 0, sizeof *r);
    r->ts_sec = (int64_t)pinfo->abs_ts.secs;
    r->ts_nsec = (uint32_t)pinfo->abs_ts.nsecs;
    r->length = pinfo->fd->pkt_len;
    r->ip_version = f->ip_version;
    memcpy(r->src, f->src, 16);
    memcpy(r->dst, f->dst, 16);
    return f->ip_version == 4 ? classify_v4(f, edt, r) : classify_v6(f, edt, r);
}

/* ------------------------------------------------------ frame listener */

static void set_error(expose_collector *c, const char *msg)
{
    g_strlcpy(c->error, msg, sizeof c->error);
}

/* A fresh engine: a new pass over the packets (tshark -2, a GUI retap).
 * The scratch is left alone: when frame numbers restart, the layer taps of
 * the frame in hand have already filled it. */
static void renew_engine(expose_collector *c)
{
    expose_engine_free(c->engine);
    c->engine = expose_engine_new(&c->params);
    c->frames = 0;
    c->last_frame = 0;
    c->passes++;
    set_error(c, c->engine ? "" : "out of memory");
}

static tap_packet_status on_frame(void *tapdata, packet_info *pinfo, epan_dissect_t *edt,
                                  const void *data _U_, tap_flags_t flags _U_)
{
    expose_collector *c = ((tap_handle *)tapdata)->owner;
    expose_record r;

    if (pinfo->num <= c->last_frame)     /* frame numbers restarted */
        renew_engine(c);
    c->last_frame = pinfo->num;
    if (c->engine == NULL)
        return TAP_PACKET_DONT_REDRAW;
    frame_scratch *f = scratch_for(c, pinfo);
    int why = classify(c, f, pinfo, edt, &r);
    f->num = 0;
    c->frames++;
    if (why != RECORD_READY) {
        expose_engine_skip(c->engine, (expose_skip_reason)why);
    } else if (expose_engine_add(c->engine, &r) != 0 && c->error[0] == '\0') {
        /* The engine stopped ingest (time going far backwards) or ran out
         * of memory: keep the first message for the report; the engine
         * counts later frames and still mines what came before. */
        set_error(c, expose_engine_error(c->engine));
    }
    return TAP_PACKET_DONT_REDRAW;
}

static void on_reset(void *tapdata)
{
    expose_collector *c = ((tap_handle *)tapdata)->owner;
    renew_engine(c);
    memset(&c->f, 0, sizeof c->f);
}

static void on_draw(void *tapdata)
{
    expose_collector *c = ((tap_handle *)tapdata)->owner;
    if (c->hooks.draw != NULL)
        c->hooks.draw(c->hooks.data);
}

static void on_finish(void *tapdata)
{
    expose_collector *c = ((tap_handle *)tapdata)->owner;
    if (c->hooks.finish != NULL)
        c->hooks.finish(c->hooks.data);
}

/* ---------------------------------------------------------- lifecycle */

static tap_packet_cb const tap_callbacks[TAP__COUNT] = {
    on_ip4, on_ip6, on_tcp, on_udp, on_frame
};

static gboolean register_one(expose_collector *c, int kind, const char *filter,
                             char *err, size_t errlen)
{
    GString *msg;

    c->handles[kind].owner = c;
    /* Only the frame listener filters, resets, draws and finishes: one
     * filter evaluation per frame, and a frame the filter rejects is never
     * submitted.  No TL_REQUIRES_ERROR_PACKETS: the headers quoted in ICMP
     * errors must not reach us. */
    gboolean frame = kind == TAP_FRAME;
    msg = register_tap_listener(tap_names[kind], &c->handles[kind],
                                frame ? filter : NULL, TL_REQUIRES_NOTHING,
                                frame ? on_reset : NULL, tap_callbacks[kind],
                                frame ? on_draw : NULL, frame ? on_finish : NULL);
    if (msg != NULL) {
        g_snprintf(err, (gulong)errlen, "cannot listen on the %s tap: %s",
                   tap_names[kind], msg->str);
        g_string_free(msg, TRUE);
        return FALSE;
    }
    c->registered[kind] = TRUE;
    return TRUE;
}

expose_collector *expose_collector_start(const expose_params *p, const char *filter,
                                         const expose_collector_hooks *hooks,
                                         char *err, size_t errlen)
{
    expose_collector *c = g_new0(expose_collector, 1);

    if (hooks != NULL)
        c->hooks = *hooks;
    c->params = *p;
    c->proto_ip = proto_get_id_by_filter_name("ip");
    c->proto_ipv6 = proto_get_id_by_filter_name("ipv6");
    renew_engine(c);
    if (c->engine == NULL) {
        g_strlcpy(err, "out of memory", errlen);
        expose_collector_stop(c);
        return NULL;
    }
    if (filter != NULL && *filter == '\0')
        filter = NULL;
    for (int kind = 0; kind < TAP__COUNT; kind++) {
        if (!register_one(c, kind, filter, err, errlen)) {
            expose_collector_stop(c);
            return NULL;
        }
    }
    return c;
}

void expose_collector_stop(expose_collector *c)
{
    if (c == NULL)
        return;
    /* Removing a listener calls its finish callback: the owner is the one
     * stopping us, so it needs no word of it. */
    memset(&c->hooks, 0, sizeof c->hooks);
    for (int kind = 0; kind < TAP__COUNT; kind++)
        if (c->registered[kind])
            remove_tap_listener(&c->handles[kind]);
    expose_engine_free(c->engine);
    g_free(c);
}

expose_engine *expose_collector_engine(expose_collector *c)
{
    return c->engine;
}

const char *expose_collector_error(const expose_collector *c)
{
    return c->error;
}

unsigned long expose_collector_frames(const expose_collector *c)
{
    return c->frames;
}

unsigned long expose_collector_passes(const expose_collector *c)
{
    return c->passes;
}
