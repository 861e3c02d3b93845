/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * rules_cmp.c -- do two eXpose JSON reports hold the same rules?
 *
 *     rules_cmp [--summary] [--tolerance T] A.json B.json
 *
 * Rules are matched by their two items (text, protocol and activity of the
 * left and right side), so rules of equal score may come in any order.
 * Matched rules must have the same support (null for flow rules) and
 * scores within T (default 1e-9).  --summary also compares the "summary"
 * objects (packets, skip counts, windows, ...) except mine_seconds, which
 * is a wall time.  Exit status: 0 same, 1 different, 2 unreadable input.
 *
 * A small JSON reader is included so that the test needs nothing beyond a
 * C compiler on a fresh Debian.  Reports can hold millions of rules, so
 * each rule is reduced to a compact record as soon as it has been read.
 */
#define _POSIX_C_SOURCE 200809L   /* strdup */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------- values */

typedef enum { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ } jtype;

typedef struct jval {
    jtype        type;
    double       num;       /* J_NUM, J_BOOL */
    char        *str;       /* J_STR: escapes kept as written */
    size_t       n, cap;    /* J_ARR, J_OBJ: children */
    struct jval *kids;
    char       **keys;      /* J_OBJ */
} jval;

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (p == NULL) {
        fprintf(stderr, "rules_cmp: out of memory\n");
        exit(2);
    }
    return p;
}

static void free_value(jval *v)
{
    for (size_t i = 0; i < v->n; i++) {
        free_value(&v->kids[i]);
        if (v->keys)
            free(v->keys[i]);
    }
    free(v->kids);
    free(v->keys);
    free(v->str);
    memset(v, 0, sizeof *v);
}

static const jval *get(const jval *obj, const char *key)
{
    if (obj == NULL || obj->type != J_OBJ)
        return NULL;
    for (size_t i = 0; i < obj->n; i++)
        if (!strcmp(obj->keys[i], key))
            return &obj->kids[i];
    return NULL;
}

static const char *get_str(const jval *obj, const char *key)
{
    const jval *v = get(obj, key);
    return (v != NULL && v->type == J_STR) ? v->str : "?";
}

/* -------------------------------------------------------------- rules */

typedef struct rule {
    char  *key;          /* "lhs text (proto activity) => rhs ..." */
    char   support[32];  /* "null" or the number */
    double score;
} rule;

typedef struct rule_list {
    rule  *v;
    size_t n, cap;
    int    seen;         /* a "rules" array was found */
} rule_list;

static void item_key(const jval *item, char *buf, size_t len)
{
    snprintf(buf, len, "%s (%s %s)", get_str(item, "text"), get_str(item, "proto"),
             get_str(item, "activity"));
}

static void add_rule(rule_list *l, const jval *r)
{
    const jval *sup = get(r, "support"), *score = get(r, "score");
    char lhs[300], rhs[300], key[620];

    if (l->n == l->cap)
        l->v = xrealloc(l->v, (l->cap = l->cap ? 2 * l->cap : 1024) * sizeof *l->v);
    rule *out = &l->v[l->n++];
    item_key(get(r, "lhs"), lhs, sizeof lhs);
    item_key(get(r, "rhs"), rhs, sizeof rhs);
    snprintf(key, sizeof key, "%s => %s", lhs, rhs);
    out->key = strdup(key);
    if (sup != NULL && sup->type == J_NUM)
        snprintf(out->support, sizeof out->support, "%.17g", sup->num);
    else
        strcpy(out->support, "null");
    out->score = (score != NULL && score->type == J_NUM) ? score->num : NAN;
}

static void free_rules(rule_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i].key);
    free(l->v);
}

/* ------------------------------------------------------------- reader */

typedef struct reader {
    const char *p;
    const char *name;
    int failed;
    int depth;
    rule_list *rules;
} reader;

static void fail(reader *r, const char *what)
{
    if (!r->failed)
        fprintf(stderr, "rules_cmp: %s: %s near \"%.20s\"\n", r->name, what, r->p);
    r->failed = 1;
}

static void skip_ws(reader *r)
{
    while (isspace((unsigned char)*r->p))
        r->p++;
}

static char *read_string(reader *r)
{
    const char *start = ++r->p;         /* past the opening quote */
    while (*r->p && *r->p != '"')
        r->p += (*r->p == '\\' && r->p[1]) ? 2 : 1;
    if (*r->p != '"') {
        fail(r, "unterminated string");
        return NULL;
    }
    size_t len = (size_t)(r->p - start);
    char *s = xrealloc(NULL, len + 1);
    memcpy(s, start, len);
    s[len] = '\0';
    r->p++;
    return s;
}

static void parse_value(reader *r, jval *v);

/* The top-level "rules" array: each element becomes a rule record and is
 * dropped, so memory stays small whatever the number of rules. */
static int stream_rules(reader *r, jval *parent)
{
    if (r->depth != 1 || parent->type != J_OBJ || *r->p != '[')
        return 0;
    if (parent->n == 0 || strcmp(parent->keys[parent->n - 1], "rules"))
        return 0;
    r->rules->seen = 1;
    r->p++;
    for (skip_ws(r); *r->p != ']' && !r->failed; skip_ws(r)) {
        jval tmp = { 0 };
        parse_value(r, &tmp);
        add_rule(r->rules, &tmp);
        free_value(&tmp);
        skip_ws(r);
        if (*r->p == ',')
            r->p++;
        else if (*r->p != ']')
            fail(r, "expected ',' or ']' in the rules");
    }
    if (*r->p == ']')
        r->p++;
    return 1;
}

static void add_kid(jval *v, char *key, reader *r)
{
    if (v->n == v->cap) {
        v->cap = v->cap ? 2 * v->cap : 8;
        v->kids = xrealloc(v->kids, v->cap * sizeof *v->kids);
        if (v->type == J_OBJ)
            v->keys = xrealloc(v->keys, v->cap * sizeof *v->keys);
    }
    memset(&v->kids[v->n], 0, sizeof v->kids[0]);
    if (v->type == J_OBJ)
        v->keys[v->n] = key;
    v->n++;
    skip_ws(r);
    if (!stream_rules(r, v))
        parse_value(r, &v->kids[v->n - 1]);
}

static void parse_container(reader *r, jval *v, char close)
{
    v->type = close == '}' ? J_OBJ : J_ARR;
    r->p++;
    r->depth++;
    skip_ws(r);
    if (*r->p == close) {
        r->p++;
        r->depth--;
        return;
    }
    while (!r->failed) {
        char *key = NULL;
        skip_ws(r);
        if (v->type == J_OBJ) {
            if (*r->p != '"')
                return fail(r, "expected a key");
            key = read_string(r);
            skip_ws(r);
            if (*r->p++ != ':')
                return fail(r, "expected ':'");
        }
        add_kid(v, key, r);
        skip_ws(r);
        if (*r->p == ',') {
            r->p++;
            continue;
        }
        if (*r->p++ != close)
            fail(r, "expected ',' or the end of a container");
        break;
    }
    r->depth--;
}

static void parse_value(reader *r, jval *v)
{
    skip_ws(r);
    if (*r->p == '{' || *r->p == '[') {
        parse_container(r, v, *r->p == '{' ? '}' : ']');
    } else if (*r->p == '"') {
        v->type = J_STR;
        v->str = read_string(r);
    } else if (!strncmp(r->p, "null", 4)) {
        v->type = J_NULL;
        r->p += 4;
    } else if (!strncmp(r->p, "true", 4) || !strncmp(r->p, "false", 5)) {
        v->type = J_BOOL;
        v->num = *r->p == 't';
        r->p += *r->p == 't' ? 4 : 5;
    } else {
        char *end;
        v->type = J_NUM;
        v->num = strtod(r->p, &end);
        if (end == r->p)
            fail(r, "unexpected character");
        r->p = end;
    }
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        perror(path);
        return NULL;
    }
    size_t cap = 1 << 16, len = 0, got;
    char *buf = xrealloc(NULL, cap);
    while ((got = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += got;
        if (cap - len < 2)
            buf = xrealloc(buf, cap *= 2);
    }
    buf[len] = '\0';
    fclose(f);
    return buf;
}

static int load(const char *path, jval *root, rule_list *rules)
{
    char *text = slurp(path);
    if (text == NULL)
        return -1;
    reader r = { text, path, 0, 0, rules };
    memset(root, 0, sizeof *root);
    parse_value(&r, root);
    skip_ws(&r);
    if (!r.failed && *r.p != '\0')
        fail(&r, "trailing data");
    free(text);
    if (!r.failed && !rules->seen) {
        fprintf(stderr, "rules_cmp: %s: no \"rules\" array\n", path);
        return -1;
    }
    return r.failed ? -1 : 0;
}

/* ------------------------------------------------------ compare rules */

static int by_key(const void *a, const void *b)
{
    const rule *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->score < y->score ? -1 : x->score > y->score);
}

static int close_enough(double a, double b, double tol)
{
    return fabs(a - b) <= tol;
}

/* Walk both sorted lists; report what only one side has. */
static int compare_rules(rule_list *a, rule_list *b, double tol)
{
    size_t i = 0, j = 0;
    int diffs = 0;

    if (a->n > 1)
        qsort(a->v, a->n, sizeof *a->v, by_key);
    if (b->n > 1)
        qsort(b->v, b->n, sizeof *b->v, by_key);
    while (i < a->n || j < b->n) {
        int c = i == a->n ? 1 : j == b->n ? -1 : strcmp(a->v[i].key, b->v[j].key);
        if (c != 0) {
            const rule *only = c < 0 ? &a->v[i++] : &b->v[j++];
            if (diffs++ < 20)
                printf("only in %s: %s  score %.12g\n", c < 0 ? "A" : "B", only->key, only->score);
            continue;
        }
        const rule *x = &a->v[i++], *y = &b->v[j++];
        if (strcmp(x->support, y->support) || !close_enough(x->score, y->score, tol)) {
            if (diffs++ < 20)
                printf("differs: %s  support %s/%s  score %.17g/%.17g\n", x->key,
                       x->support, y->support, x->score, y->score);
        }
    }
    printf("rules: A %zu, B %zu, %d difference%s\n", a->n, b->n, diffs, diffs == 1 ? "" : "s");
    return diffs;
}

/* ---------------------------------------------------- compare summary */

static int compare_values(const char *path, const jval *a, const jval *b, double tol);

static int compare_objects(const char *path, const jval *a, const jval *b, double tol)
{
    int diffs = 0;
    char sub[256];
    for (size_t i = 0; i < a->n; i++) {
        if (!strcmp(a->keys[i], "mine_seconds"))   /* wall time */
            continue;
        snprintf(sub, sizeof sub, "%s.%s", path, a->keys[i]);
        const jval *other = get(b, a->keys[i]);
        if (other == NULL) {
            printf("%s: only in A\n", sub);
            diffs++;
        } else {
            diffs += compare_values(sub, &a->kids[i], other, tol);
        }
    }
    for (size_t i = 0; i < b->n; i++) {
        if (get(a, b->keys[i]) == NULL) {
            printf("%s.%s: only in B\n", path, b->keys[i]);
            diffs++;
        }
    }
    return diffs;
}

static int compare_arrays(const char *path, const jval *a, const jval *b, double tol)
{
    char sub[256];
    int diffs = a->n != b->n;
    if (diffs)
        printf("%s: %zu / %zu elements\n", path, a->n, b->n);
    for (size_t i = 0; i < a->n && i < b->n; i++) {
        snprintf(sub, sizeof sub, "%s[%zu]", path, i);
        diffs += compare_values(sub, &a->kids[i], &b->kids[i], tol);
    }
    return diffs;
}

static int compare_values(const char *path, const jval *a, const jval *b, double tol)
{
    if (a->type != b->type) {
        printf("%s: different types\n", path);
        return 1;
    }
    switch (a->type) {
    case J_NUM: {
        /* relative: timestamps are around 1.7e9 */
        double scale = fmax(1.0, fmax(fabs(a->num), fabs(b->num)));
        if (close_enough(a->num, b->num, tol * scale))
            return 0;
        printf("%s: %.17g / %.17g\n", path, a->num, b->num);
        return 1;
    }
    case J_BOOL:
        if (a->num == b->num)
            return 0;
        printf("%s: differs\n", path);
        return 1;
    case J_STR:
        if (!strcmp(a->str, b->str))
            return 0;
        printf("%s: \"%s\" / \"%s\"\n", path, a->str, b->str);
        return 1;
    case J_OBJ:
        return compare_objects(path, a, b, tol);
    case J_ARR:
        return compare_arrays(path, a, b, tol);
    case J_NULL:
        break;
    }
    return 0;
}

/* --------------------------------------------------------------- main */

static int usage(void)
{
    fprintf(stderr, "usage: rules_cmp [--summary] [--tolerance T] A.json B.json\n");
    return 2;
}

int main(int argc, char **argv)
{
    int summary = 0, argi = 1;
    double tol = 1e-9;

    for (; argi < argc && !strncmp(argv[argi], "--", 2); argi++) {
        if (!strcmp(argv[argi], "--summary"))
            summary = 1;
        else if (!strcmp(argv[argi], "--tolerance") && argi + 1 < argc)
            tol = strtod(argv[++argi], NULL);
        else
            return usage();
    }
    if (argc - argi != 2)
        return usage();

    jval a, b;
    rule_list ra = { 0 }, rb = { 0 };
    if (load(argv[argi], &a, &ra) < 0 || load(argv[argi + 1], &b, &rb) < 0)
        return 2;
    int diffs = compare_rules(&ra, &rb, tol);
    if (summary) {
        const jval *sa = get(&a, "summary"), *sb = get(&b, "summary");
        if (sa == NULL || sb == NULL) {
            fprintf(stderr, "rules_cmp: no \"summary\" object\n");
            return 2;
        }
        int sd = compare_values("summary", sa, sb, tol);
        printf("summary: %d difference%s\n", sd, sd == 1 ? "" : "s");
        diffs += sd;
    }
    free_rules(&ra);
    free_rules(&rb);
    free_value(&a);
    free_value(&b);
    return diffs ? 1 : 0;
}
