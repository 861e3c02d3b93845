/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * plugin.c -- how Wireshark finds eXpose: the plugin entry points, the
 * "expose" protocol (home of the preferences) and the "-z expose" tap.
 *
 * Only this file depends on how a Wireshark release loads plugins.  4.0
 * wants plugin_version, plugin_want_major/minor and plugin_register();
 * 4.2 adds plugin_describe() (dissector | tap listener), and 4.4 replaces
 * the whole set with WIRESHARK_PLUGIN_REGISTER_EPAN().  A port adds a
 * branch below, lets plugin/CMakeLists.txt accept that release, and -- as
 * 4.2's -z callbacks return a bool -- can make expose_state_z_init() return
 * false instead of calling exit(1).
 */
#include <wireshark.h>

#include <epan/packet.h>
#include <epan/proto.h>
#include <epan/stat_tap_ui.h>
#include <epan/tap.h>

#include "expose.h"
#include "expose_prefs.h"
#include "expose_state.h"

static int proto_expose = -1;

static stat_tap_ui expose_z_ui = {
    REGISTER_STAT_GROUP_GENERIC,
    "eXpose communication rules",
    "expose",                 /* -z expose[,options] */
    expose_state_z_init,
    0,
    NULL
};

/* A protocol with no dissector: it carries the preferences and the
 * "expose" name; it never sees a packet. */
static void proto_register_expose(void)
{
    proto_expose = proto_register_protocol("eXpose communication rules", "eXpose", "expose");
    expose_prefs_register(proto_expose);
}

static void proto_reg_handoff_expose(void)
{
}

/* Only the -z option is registered here: the listeners themselves come
 * when a run is asked for, since any listener forces full dissection. */
static void register_tap_listener_expose(void)
{
    register_stat_tap_ui(&expose_z_ui, NULL);
}

#if WIRESHARK_VERSION_MAJOR == 4 && WIRESHARK_VERSION_MINOR == 0

WS_DLL_PUBLIC_DEF const gchar plugin_version[] = EXPOSE_VERSION;
WS_DLL_PUBLIC_DEF const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
WS_DLL_PUBLIC_DEF const int plugin_want_minor = WIRESHARK_VERSION_MINOR;

WS_DLL_PUBLIC void plugin_register(void);

void plugin_register(void)
{
    static proto_plugin proto = { proto_register_expose, proto_reg_handoff_expose };
    static tap_plugin tap = { register_tap_listener_expose };

    proto_register_plugin(&proto);
    tap_register_plugin(&tap);
}

#else
#error "eXpose's plugin is written for Wireshark 4.0; see the comment at the top of plugin.c"
#endif
