-- SPDX-License-Identifier: GPL-2.0-or-later
--
-- expose.lua -- Statistics > eXpose Rules in Wireshark 4.0's Qt GUI.
--
-- Re-reads the open capture with the eXpose listeners of the C plugin
-- (expose.so), mines communication rules and opens a window with the
-- summary, the clusters (strongest first) and their rules in the paper's
-- notation, the per-host profiles and the scans.  Buttons apply or copy
-- the display filter of any rule, cluster, host or scan, export the JSON
-- report, draw the rule graph (Graphviz, opened in the browser) and re-run
-- with other parameters.
--
-- The C side is the Lua module exported by expose.so itself: the plugin
-- puts its own path in EXPOSE_PLUGIN_SO when it is loaded, and only that
-- file is opened (see plugin/expose_lua.c), so a stale copy elsewhere is
-- never used.
--
-- Test hook (tests/gui): with EXPOSE_GUI_TEST=DIR the script writes
-- DIR/loaded once the capture is read, DIR/window.txt with each window's
-- text, and performs EXPOSE_GUI_ACTIONS ("filter rule 1;graph", separated
-- by ';') through the same functions as the buttons, then writes
-- DIR/actions.done.

if not gui_enabled or not gui_enabled() then
    return   -- tshark, or a Wireshark without a GUI: nothing to register
end

local TITLE = "eXpose Rules"
-- Registered in MENU_STAT_UNSORTED: in 4.0's Qt GUI, items registered in
-- MENU_STAT_GENERIC never show.  (4.0 escapes '&', so no mnemonic.)
local MENU_NAME = "eXpose Rules"

local MAX_RULES_SHOWN = 2000   -- rules listed in the window (all are in the JSON)
local MAX_HOSTS_SHOWN = 200
local CLUSTER_BUTTONS = 3      -- a "Filter cluster N" button for the strongest

local TEST_DIR = os.getenv("EXPOSE_GUI_TEST")
if TEST_DIR == "" then TEST_DIR = nil end

---------------------------------------------------------------- the C module

local module   -- the C module, once loaded

local function load_module()
    if module then return module end
    local path = os.getenv("EXPOSE_PLUGIN_SO")
    if path == nil or path == "" then
        return nil, "The eXpose C plugin (expose.so) is not loaded in this Wireshark.\n\n" ..
            "Install it beside this script with `cmake --install` (it goes in\n" ..
            "<plugins>/4.0/epan/expose.so) and restart Wireshark; Help > About Wireshark >\n" ..
            "Plugins lists the plugins that were loaded."
    end
    local open, err, where = package.loadlib(path, "luaopen_expose")
    if not open then
        if where == "init" then
            return nil, "The eXpose plugin " .. path .. " was built without its Lua module\n" ..
                "(liblua5.2-dev was missing when it was built): rebuild and reinstall it."
        end
        return nil, "Cannot open the eXpose plugin " .. path .. ":\n" .. tostring(err)
    end
    local ok, mod = pcall(open)
    if not ok then
        return nil, "The eXpose Lua module failed to start: " .. tostring(mod)
    end
    local good, why = mod.check()
    if not good then return nil, why end
    module = mod
    return module
end

---------------------------------------------------------------- test hook

local function test_write(name, text)
    if not TEST_DIR then return end
    local tmp = TEST_DIR .. "/." .. name .. ".tmp"
    local f = io.open(tmp, "w")
    if not f then return end
    f:write(text)
    f:close()
    os.rename(tmp, TEST_DIR .. "/" .. name)
end

if TEST_DIR then
    -- Tell the test when the capture has been read (draw follows a pass).
    local frames = 0
    local tap = Listener.new("frame")
    function tap.reset() frames = 0 end
    function tap.packet() frames = frames + 1 end
    function tap.draw() test_write("loaded", tostring(frames) .. "\n") end
end

---------------------------------------------------------------- formatting

local function num(v)
    return string.format("%.0f", v)
end

-- "2024-03-01 09:00:00 to 09:29:59 UTC" (the date once if it is the same)
local function span_text(first, last)
    local a = os.date("!%Y-%m-%d %H:%M:%S", math.floor(first))
    local b = os.date("!%Y-%m-%d %H:%M:%S", math.floor(last))
    if a:sub(1, 10) == b:sub(1, 10) then b = b:sub(12) end
    return a .. " to " .. b .. " UTC"
end

local function seconds(s)
    if s < 0.001 then return string.format("%.4f s", s) end
    if s < 10 then return string.format("%.3f s", s) end
    return string.format("%.1f s", s)
end

local function plural(n, one, many)
    return num(n) .. " " .. (n == 1 and one or (many or one .. "s"))
end

local function params_text(p)
    return string.format("window %g s, K %s, alpha %g nats, beta %s",
        p.window, num(p.k), p.alpha, num(p.beta))
end

-- The option string of expose_plugin_run(); empty fields keep the
-- preference, and filter= comes last (its value may hold commas).
local function options_text(o)
    local parts = {}
    for _, name in ipairs({ "window", "k", "alpha", "beta", "filter" }) do
        local v = o[name] and tostring(o[name]):gsub("^%s+", ""):gsub("%s+$", "")
        if v and v ~= "" then parts[#parts + 1] = name .. "=" .. v end
    end
    return table.concat(parts, ",")
end

local HELP = [[
HOW TO READ AND USE THIS WINDOW
  A rule X => Y says: when flow activity X happens, Y tends to happen in
  the same time window.  A flow is client.port : server.port; "*.*" is
  any client, "*" a port that is not well-known.  "new" is a new
  connection, "present" any packet of the flow.  Score in nats; support:
  how many clients show the rule.

  Filter cluster N  show the packets of one of the strongest clusters
  Filter...         show the packets of "rule N", "cluster N", "host N"
                    (or "host ADDRESS"), or "scan N"
  Copy filter...    the same display filter, copied to the clipboard
  Rule graph        the rules as a picture (paper, figures 6 and 9),
                    drawn by Graphviz and opened in the browser
  Export JSON...    save the whole report (every rule, host and scan)
  Re-run...         mine again with another window, K, alpha or beta
]]

local function body_text(snap, timing, run_opts)
    local s, p = snap.summary, snap.params
    local out = {}
    local function add(fmt, ...) out[#out + 1] = string.format(fmt, ...) end

    add("eXpose communication rules   (%s)", params_text(p))
    if run_opts.filter and run_opts.filter ~= "" then
        add("Mined only frames matching: %s", run_opts.filter)
    end
    add("")
    add("SUMMARY")
    add("  Packets      %s read: %s mined, %s not TCP/UDP/ICMP over IP",
        num(s.packets), num(s.ip_packets), num(s.skipped))
    add("  Flows        %s, %s (*.* : server), %s",
        plural(s.flows, "flow"), plural(s.generics, "generic"), plural(s.connections, "connection"))
    add("  Windows      %s x %g s, %s", num(s.windows), p.window, span_text(s.first, s.last))
    add("  Candidates   %s among the %s busiest flows and generics",
        plural(s.candidates, "candidate rule"), num(s.selected))
    if s.dropped_long > 0 then
        add("               (%s present in over %g%% of the windows left out)",
            num(s.dropped_long), p.max_present * 100)
    end
    add("  Rules        %s in %s", plural(s.rules, "rule"), plural(s.clusters, "cluster"))
    add("  Time taken   %s (reading the packets %s, mining %s)", seconds(timing.total),
        seconds(timing.read), seconds(s.mine_seconds))
    if s.untracked > 0 then
        add("  WARNING      memory bound reached: only the first %s were mined; %s later",
            seconds(s.covered_until - s.first), plural(s.untracked, "packet"))
        add("               packets were counted but not mined (max-conns, max-events)")
    end
    add("")

    add("CLUSTERS, strongest first")
    if #snap.rules == 0 then
        add("  No rule scored above alpha = %g nats: at these settings nothing in", p.alpha)
        add("  this capture depends on anything else.  Re-run... with a smaller")
        add("  alpha or another window looks harder.")
    end
    local shown = 0
    for _, c in ipairs(snap.clusters) do
        add("")
        add("Cluster %s   total score %.4f   %s, %s", num(c.id), c.score,
            plural(#c.rules, "rule"), plural(c.nitems, "activity", "activities"))
        for _, id in ipairs(c.rules) do
            if shown >= MAX_RULES_SHOWN then break end
            local r = snap.rules[id]
            local extra = r.support and ("support " .. num(r.support) .. "   ") or ""
            add("  rule %-6s score %.4f   %sP(X)=%.3f P(Y)=%.3f P(X,Y)=%.3f%s", num(r.id),
                r.score, extra, r.p_lhs, r.p_rhs, r.p_both,
                r.bridge and "   (bridge to another cluster)" or "")
            add("      %s  =>  %s", r.lhs, r.rhs)
            shown = shown + 1
        end
        if shown >= MAX_RULES_SHOWN then
            add("")
            add("  ... %s more are in the JSON report (Export JSON...)",
                plural(#snap.rules - shown, "rule"))
            break
        end
    end
    add("")

    add("HOSTS (profiles: what each host does, busiest first)")
    if #snap.profiles == 0 then
        add("  No host has two or more flows.")
    end
    for i, h in ipairs(snap.profiles) do
        if i > MAX_HOSTS_SHOWN then
            add("  ... %s more are in the JSON report", plural(#snap.profiles - MAX_HOSTS_SHOWN, "host"))
            break
        end
        add("  host %-4s %-16s %-7s %s%s%s", num(i), h.host, h.role, plural(h.flows, "flow"),
            h.stability and string.format(", stability %.2f", h.stability) or "",
            h.accepted and "" or ", not yet accepted")
        if h.significant ~= "" then add("            %s", h.significant) end
    end
    add("")

    add("SCANS")
    if #snap.scans == 0 then
        add("  None found.")
    end
    for i, sc in ipairs(snap.scans) do
        if sc.kind == "port" then
            add("  scan %-4s port scan of %s by %s: %s %s ports", num(i), sc.target, sc.host,
                num(sc.count), sc.proto)
        elseif sc.proto == "tcp" or sc.proto == "udp" then
            add("  scan %-4s address scan by %s: %s on %s port %s", num(i), sc.host,
                plural(sc.count, "address", "addresses"), sc.proto, num(sc.port or 0))
        else
            add("  scan %-4s %s sweep by %s: %s", num(i), sc.proto, sc.host,
                plural(sc.count, "address", "addresses"))
        end
        add("            %s (%s unanswered) over %s", plural(sc.connections, "connection"),
            num(sc.unanswered), seconds(sc.last - sc.first))
    end
    add("")
    add("%s", HELP)
    return table.concat(out, "\n")
end

---------------------------------------------------------------- targets

-- "rule 3", "r3", "cluster 2", "host 4", "host 10.0.0.1", "10.0.0.1", "scan 1"
local KINDS = { r = "rule", rule = "rule", c = "cluster", cluster = "cluster",
                h = "host", host = "host", s = "scan", scan = "scan" }

local function resolve(snap, text)
    local t = (text or ""):gsub("^%s+", ""):gsub("%s+$", "")
    local kind, arg = t:match("^(%a+)%s*#?%s*(%S*)$")
    if not kind and (t:match("^[%d%.]+$") or t:find(":")) then
        kind, arg = "host", t
    end
    kind = kind and KINDS[kind:lower()]
    if not kind then
        return nil, "Type \"rule N\", \"cluster N\", \"host N\" (or an address) or \"scan N\"."
    end
    local n = tonumber(arg)
    if kind == "host" and not n then
        local ex = load_module()
        local f, err = ex and ex.host_filter(arg)
        if not f then return nil, "\"" .. arg .. "\": " .. tostring(err) end
        return f, "host " .. arg
    end
    local list = ({ rule = snap.rules, cluster = snap.clusters, host = snap.profiles,
                    scan = snap.scans })[kind]
    if not n or n < 1 or n > #list or n ~= math.floor(n) then
        return nil, string.format("There is no %s %s: this result has %s %ss.", kind,
            arg ~= "" and arg or "(no number)", num(#list), kind)
    end
    return list[n].filter, kind .. " " .. num(n)
end

---------------------------------------------------------------- windows

local open_result   -- forward
local busy = false   -- a run or a graph is under way

-- A short message window (errors, copied filters, saved files).
local function message(title, text)
    local w = TextWindow.new(title)
    w:set(text)
    return w
end

local function apply_display_filter(filter)
    set_filter(filter)
    apply_filter()
end

-- Draw the rule graph to an SVG file, with progress and Stop; returns the
-- path or nil, why.
local function draw_graph(ex, snap, path)
    local ok, err = ex.graph_start(snap.dot, path)
    if not ok then return nil, err end
    local prog = ProgDlg.new("eXpose", "Drawing the rule graph (Graphviz)")
    local t0 = ex.now()
    while true do
        local state, why = ex.graph_poll(100)
        if state ~= "running" then
            prog:close()
            return state, why
        end
        if prog:stopped() then
            ex.graph_cancel()
            prog:close()
            return nil, "Drawing the rule graph was stopped."
        end
        local elapsed = ex.now() - t0
        prog:update(math.min(0.95, elapsed / (elapsed + 5)),
            string.format("Drawing the rule graph (Graphviz), %.0f s", elapsed))
    end
end

-- The buttons' actions, also driven by the test hook.
local function make_actions(tw, snap, run_opts, body)
    local actions = {}

    local function notice(text)
        tw:set("» " .. text .. "\n\n" .. body)
    end

    function actions.filter(target)
        local f, what = resolve(snap, target)
        if not f then
            notice(what)
            return nil, what
        end
        apply_display_filter(f)
        notice("Applied the display filter of " .. what .. ":\n  " .. f)
        return f
    end

    function actions.copy(target)
        local f, what = resolve(snap, target)
        if not f then
            notice(what)
            return nil, what
        end
        copy_to_clipboard(f)
        notice("Copied the display filter of " .. what .. " to the clipboard:\n  " .. f)
        return f
    end

    function actions.graph(path)
        local ex, err = load_module()
        if not ex then notice(err) return nil, err end
        if #snap.rules == 0 then
            notice("There is no rule to draw.")
            return nil
        end
        local target = path
        if not target then
            target, err = ex.tmpfile(".svg")
            if not target then notice(err) return nil, err end
        end
        if busy then
            notice("eXpose is still busy with the previous request; try again when it is done.")
            return nil, "busy"
        end
        busy = true
        local done, svg, why = pcall(draw_graph, ex, snap, target)
        busy = false
        if not done then svg, why = nil, tostring(svg) end
        if not svg then notice(why) return nil, why end
        if path then
            notice("Saved the rule graph to " .. svg)
        else
            browser_open_url("file://" .. svg)
            notice("Rule graph: " .. svg .. " (opened in the browser)")
        end
        return svg
    end

    function actions.export(path)
        local ex, err = load_module()
        if not ex then notice(err) return nil, err end
        local ok, why = ex.save(path, snap.json)
        if not ok then
            notice("Could not save the JSON report: " .. tostring(why))
            return nil, why
        end
        notice("Saved the JSON report to " .. path)
        return path
    end

    function actions.rerun()
        local ex, err = load_module()
        if not ex then notice(err) return end
        local d, derr = ex.defaults()
        if not d then notice(derr) return end
        new_dialog("eXpose: re-run with other parameters", function(window, k, alpha, beta, filter)
            open_result({ window = window, k = k, alpha = alpha, beta = beta, filter = filter })
        end,
            { name = "Time window (seconds)", value = string.format("%g", d.window) },
            { name = "K: flows and generics mined", value = num(d.k) },
            { name = "Alpha: score threshold (nats)", value = string.format("%g", d.alpha) },
            { name = "Beta: support of generic rules", value = num(d.beta) },
            { name = "Mine only frames matching (display filter, optional)",
              value = run_opts.filter or "" })
    end

    return actions
end

local function add_buttons(tw, snap, actions)
    for i = 1, math.min(CLUSTER_BUTTONS, #snap.clusters) do
        tw:add_button("Filter cluster " .. i, function() actions.filter("cluster " .. i) end)
    end
    local ask = "rule, cluster, host or scan (e.g. rule 1, cluster 2, host 10.0.0.1)"
    tw:add_button("Filter...", function()
        new_dialog("eXpose: apply a display filter", function(t) actions.filter(t) end,
            { name = ask, value = #snap.rules > 0 and "rule 1" or "host 1" })
    end)
    tw:add_button("Copy filter...", function()
        new_dialog("eXpose: copy a display filter", function(t) actions.copy(t) end,
            { name = ask, value = #snap.clusters > 0 and "cluster 1" or "host 1" })
    end)
    tw:add_button("Rule graph", function() actions.graph() end)
    tw:add_button("Export JSON...", function()
        local home = os.getenv("HOME") or "."
        new_dialog("eXpose: export the JSON report", function(path) actions.export(path) end,
            { name = "Save as", value = home .. "/expose-rules.json" })
    end)
    tw:add_button("Re-run...", function() actions.rerun() end)
end

-- Run the test hook's actions once, on the first window that has a result.
local test_actions_done = false
local function run_test_actions(tw, snap, actions)
    if not TEST_DIR or test_actions_done then return end
    test_actions_done = true
    local list = os.getenv("EXPOSE_GUI_ACTIONS") or ""
    local log = {}
    for step in list:gmatch("[^;]+") do
        local verb, rest = step:match("^%s*(%S+)%s*(.-)%s*$")
        local res, err
        if verb == "filter" then
            res, err = actions.filter(rest)
            if res then test_write("filter.txt", res .. "\n") end
        elseif verb == "copy" then
            res, err = actions.copy(rest)
        elseif verb == "graph" then
            res, err = actions.graph(TEST_DIR .. "/graph.svg")
            test_write("graph.dot", snap.dot)
        elseif verb == "export" then
            res, err = actions.export(TEST_DIR .. "/report.json")
        end
        log[#log + 1] = step .. " -> " .. tostring(res or ("FAILED: " .. tostring(err)))
    end
    test_write("window-after.txt", tw:get_text())
    test_write("actions.done", table.concat(log, "\n") .. "\n")
end

-- Mine the open capture with OPTS (nil: the saved preferences) and open a
-- window with the result, or with why there is none.
local function run_and_show(opts)
    local tw = TextWindow.new(TITLE)
    local function show(text)
        tw:set(text)
        if TEST_DIR then test_write("window.txt", tw:get_text()) end
    end

    local ex, err = load_module()
    if not ex then
        show("eXpose cannot run.\n\n" .. err)
        return
    end
    local run_opts = opts
    if not run_opts then
        local d, derr = ex.defaults()
        if not d then
            show("eXpose cannot run: " .. derr .. "\n\nFix it in Edit > Preferences > Protocols > eXpose.")
            return
        end
        run_opts = { window = string.format("%g", d.window), k = num(d.k),
                     alpha = string.format("%g", d.alpha), beta = num(d.beta) }
    end
    local options = options_text(run_opts)

    tw:set("Reading the packets and mining rules (" .. options .. ")...")
    local t0 = ex.now()
    local ok, rerr = ex.run(options)
    if not ok then
        show("eXpose cannot run with these options:\n  " .. options .. "\n\n" .. rerr)
        return
    end
    -- Reading: Wireshark shows its own progress bar, whose Stop ends the
    -- reading early (the summary then says how many packets were read).
    retap_packets()
    local t1 = ex.now()
    local frames = ex.frames() or 0
    if frames == 0 then
        ex.stop()
        show("There are no packets to mine: no capture file is open, or it is empty.\n\n" ..
             "Open a capture (File > Open), then choose Statistics > eXpose Rules again.")
        return
    end
    local prog = ProgDlg.new("eXpose", "Mining communication rules")
    prog:update(0.5, "Mining communication rules from " .. plural(frames, "packet"))
    if prog:stopped() then
        prog:close()
        ex.stop()
        show("Stopped before mining.")
        return
    end
    local mined, merr = ex.mine()
    local snap, serr
    if mined then
        prog:update(0.9, "Preparing the window")
        snap, serr = ex.snapshot()
    end
    prog:close()
    ex.stop()   -- listeners off: they would re-read the packets on every filter
    if not mined then
        local headline = "eXpose cannot mine this capture"
        if merr:find("too few windows", 1, true) then
            headline = "This capture is too short to mine"
        end
        show(headline .. " (" .. plural(frames, "packet") .. " read):\n\n  " ..
             merr .. "\n\nParameters: " .. options .. "\n\n" ..
             "Re-run... mines again with other parameters; Statistics > eXpose Rules\n" ..
             "starts from the preferences (Edit > Preferences > Protocols > eXpose).")
        -- Still offer a re-run with other parameters.
        local actions = make_actions(tw, { rules = {}, clusters = {}, profiles = {}, scans = {} },
            run_opts, tw:get_text())
        tw:add_button("Re-run...", function() actions.rerun() end)
        return
    end
    if not snap then
        show("eXpose mined the capture but cannot show the result: " .. tostring(serr))
        return
    end
    local timing = { read = t1 - t0, total = ex.now() - t0 }
    local body = body_text(snap, timing, run_opts)
    show(body)
    local actions = make_actions(tw, snap, run_opts, body)
    add_buttons(tw, snap, actions)
    return tw, snap, actions
end

-- Reading the packets and drawing the graph let Wireshark handle events
-- (progress bars, Stop): a second request meanwhile would pull the
-- listeners from under the running one, so it is turned away.
open_result = function(opts)
    if busy then
        message(TITLE, "eXpose is still busy with the previous request; try again when it is done.")
        return
    end
    busy = true
    local ok, tw, snap, actions = pcall(run_and_show, opts)
    busy = false
    if not ok then
        if module then pcall(module.stop) end
        message(TITLE, "eXpose failed: " .. tostring(tw))
    elseif actions then
        run_test_actions(tw, snap, actions)
    end
end

register_menu(MENU_NAME, function() open_result(nil) end, MENU_STAT_UNSORTED)
