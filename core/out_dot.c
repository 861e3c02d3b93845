/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * out_dot.c -- the rule graph of the paper's figures 6 and 9 as Graphviz
 * source: nodes are flow activities, edges are rules (width by score),
 * clusters drawn as boxes.
 */
#include "expose.h"
#include "report.h"

#include <stdlib.h>

static void dot_label(FILE *out, const expose_item *it)
{
    char t[EXPOSE_ITEM_TEXT_MAX];
    fprintf(out, "\"%s\\n%s %s\"", expose_item_text(it, t, sizeof t),
            expose_proto_name(it->proto), it->activity == EXPOSE_NEW ? "new" : "present");
}

int expose_write_dot(const expose_result *r, FILE *out)
{
    double top = r->nrules ? r->rules[0].score : 1.0;
    fputs("digraph expose {\n  graph [rankdir=LR, fontname=\"Helvetica\", label=\"eXpose rules\", "
          "labelloc=t];\n  node [shape=box, style=\"rounded,filled\", fillcolor=\"#eef3fb\", "
          "fontname=\"Helvetica\", fontsize=10];\n  edge [color=\"#3b6fb6\", arrowsize=0.6];\n",
          out);
    for (uint32_t c = 0; c < r->nclusters; c++) {
        fprintf(out, "  subgraph cluster_%u {\n    label=\"cluster %u (score %.3f)\";\n"
                "    style=rounded; color=\"#999999\";\n", c + 1, c + 1, r->clusters[c].score);
        for (uint32_t i = 0; i < r->nitems; i++)
            if (r->items[i].cluster == c + 1) {
                fprintf(out, "    n%u [label=", i);
                dot_label(out, &r->items[i]);
                fprintf(out, "%s];\n", r->items[i].generic ? ", fillcolor=\"#fdf1d8\"" : "");
            }
        fputs("  }\n", out);
    }
    for (uint32_t i = 0; i < r->nrules; i++) {
        const expose_rule *x = &r->rules[i];
        double w = 0.6 + 5.0 * (x->score / top);
        fprintf(out, "  n%u -> n%u [penwidth=%.2f, tooltip=\"rule %u: %.4f nats\"%s];\n",
                x->lhs, x->rhs, w, x->id, x->score, x->bridge ? ", style=dashed" : "");
    }
    fputs("}\n", out);
    return ferror(out) ? -1 : 0;
}
