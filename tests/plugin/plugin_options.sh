#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The plugin loads, registers "-z expose" and its preferences, and rejects
# bad options by name with a non-zero exit.
# usage: plugin_options.sh EXPOSE_SO MKCASES
SO=$1
MKCASES=$2
. "$(dirname "$0")/lib.sh"

"$MKCASES" edge "$STAGE/in/edge.pcap" && chmod a+r "$STAGE/in/edge.pcap" || exit 99
CAP=$STAGE/in/edge.pcap

ts -G plugins
check "tshark -G plugins lists expose.so" out_has '^expose\.so[[:space:]]+[0-9]+\.[0-9]+\.[0-9]+'

ts -z help   # tshark lists the statistics on stderr
check "tshark -z help lists expose" err_has '^[[:space:]]+expose$'

ts -G defaultprefs
for pref in window k alpha beta learn_ports profile_interval; do
    check "preference expose.$pref registered" out_has "^#expose\.$pref: "
done

ts -q -r "$CAP" -z expose,help
check "-z expose,help exits 0" rc_is 0
check "-z expose,help lists the options" out_has '^  filter '

# A bad option must name the option and what it accepts, and fail.
bad() {
    local arg=$1 msg=$2
    ts -q -r "$CAP" -z "$arg"
    check "-z $arg fails" rc_not 0
    check "-z $arg says: $msg" err_has "$msg"
    check "-z $arg prints no report" out_lacks 'eXpose'
}
bad expose,windw=3       "unknown option 'windw' \(known: window, k, "
bad expose,window=0      "bad value '0' for option 'window': expected seconds between"
bad expose,k=-4          "bad value '-4' for option 'k'"
bad expose,alpha=nats    "bad value 'nats' for option 'alpha'"
bad expose,format=xml    "bad value 'xml' for option 'format': expected text, json"
bad expose,k             "option 'k' needs a value"
bad expose,out=          "option 'out' needs a value"
bad expose,,k=3          "empty option"
bad expose,format=svg    "format=svg needs out=PATH"
bad "expose,filter=tcp.port==="  "cannot listen on the frame tap: .*invalid"
bad exposed              'invalid -z argument "exposed"'

# Preferences are the defaults; -z options override them for the run.
ts -q -r "$CAP" -o expose.window:2 -o expose.k:77 -z expose,format=json
check "-o expose.window:2 is used" out_has '"params":\{"window":2,"k":77,'
ts -q -r "$CAP" -o expose.window:2 -z expose,format=json,window=3
check "-z window=3 overrides the preference" out_has '"params":\{"window":3,'
ts -q -r "$CAP" -o expose.alpha:lots -z expose
check "a bad preference fails the run" rc_not 0
check "a bad preference is named" err_has "preference expose\.alpha: bad value 'lots'"

# Loading the plugin registers no listener: plain tshark is untouched.
ts -q -r "$CAP"
check "tshark without -z expose runs" rc_is 0
check "tshark without -z expose prints no report" out_lacks 'eXpose'

finish
