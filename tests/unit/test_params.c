/* SPDX-License-Identifier: GPL-2.0-or-later
 * test_params.c -- defaults come from the papers; bad values are refused
 * with a message that names the option and what it accepts. */
#include "unit.h"

int main(void)
{
    expose_params p;
    expose_params_default(&p);
    CHECK(p.window == 1.0 && p.k == 5000 && p.alpha == 0.01 && p.beta == 3, "paper defaults");
    CHECK(p.max_present == 0.9 && p.ratio == 3.0, "90%% and 1/3..3 filters");
    CHECK(p.profile_interval == 900 && p.profile_aging == 604800, "t = 15 min, N = one week");

    CHECK(expose_params_set(&p, "window", "0.5") == NULL && p.window == 0.5, "window=0.5");
    CHECK(expose_params_set(&p, "k", "100") == NULL && p.k == 100, "k=100");
    CHECK(expose_params_set(&p, "alpha", "0.05") == NULL && p.alpha == 0.05, "alpha");
    CHECK(expose_params_set(&p, "beta", "0") == NULL && p.beta == 0, "beta=0");

    struct { const char *name, *value; } bad[] = {
        { "window", "abc" }, { "window", "-1" }, { "window", "0" }, { "window", "1e9" },
        { "window", "" }, { "window", "nan" }, { "k", "0" }, { "k", "-5" }, { "k", "1.5" },
        { "k", "99999999999999999999" }, { "alpha", "x" }, { "alpha", "-0.1" },
        { "beta", "-2" }, { "max-present", "0" }, { "max-present", "1.5" }, { "ratio", "0.5" },
        { "min-windows", "1" }, { "scan-ports", "1" }, { "nosuch", "1" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        expose_params q = p;
        const char *msg = expose_params_set(&q, bad[i].name, bad[i].value);
        CHECK(msg != NULL, "%s=%s accepted", bad[i].name, bad[i].value);
        CHECK(msg && strstr(msg, bad[i].name), "message names the option: %s", msg ? msg : "");
        CHECK(!memcmp(&q, &p, sizeof p), "%s=%s changed the params", bad[i].name, bad[i].value);
    }
    int n = 0;
    for (const expose_param_info *i = expose_params_list(); i->name; i++, n++)
        CHECK(expose_params_set(&p, i->name, "abc") != NULL, "%s refuses abc", i->name);
    CHECK(n >= 13, "every option listed (%d)", n);
    UNIT_DONE();
}
