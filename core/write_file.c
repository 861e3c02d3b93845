/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * write_file.c -- write a report to a path so that readers never see half
 * a file: write a temporary file in the same folder, flush it to disk,
 * then rename it over the target.  SVG is drawn by Graphviz's dot.
 */
#include "expose.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int write_format(const expose_result *r, const char *format, FILE *f)
{
    if (!strcmp(format, "json"))
        return expose_write_json(r, f);
    if (!strcmp(format, "dot"))
        return expose_write_dot(r, f);
    return expose_write_text(r, f);
}

/* Run "dot -Tsvg -o svg_path dot_path"; no shell. */
static int run_dot(const char *dot_path, const char *svg_path, char *err, size_t errlen)
{
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, errlen, "cannot start Graphviz: %s", strerror(errno));
        return -1;
    }
    if (pid == 0) {
        execlp("dot", "dot", "-Tsvg", "-o", svg_path, dot_path, (char *)NULL);
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) {
            snprintf(err, errlen, "waiting for Graphviz: %s", strerror(errno));
            return -1;
        }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
        snprintf(err, errlen, "Graphviz's 'dot' program is not installed (apt-get install graphviz)");
        return -1;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        snprintf(err, errlen, "Graphviz's dot failed to draw the rule graph");
        return -1;
    }
    return 0;
}

static FILE *open_temp(const char *path, char *tmp, size_t len, char *err, size_t errlen)
{
    snprintf(tmp, len, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        return NULL;
    }
    fchmod(fd, 0644);
    FILE *f = fdopen(fd, "w");
    if (!f) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        close(fd);
        unlink(tmp);
    }
    return f;
}

static int close_temp(FILE *f, const char *path, int wrote, char *err, size_t errlen)
{
    int bad = wrote < 0 || fflush(f) != 0 || fsync(fileno(f)) != 0;
    int saved = errno;
    if (fclose(f) != 0 && !bad) {
        bad = 1;
        saved = errno;
    }
    if (bad)
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(saved ? saved : EIO));
    return bad ? -1 : 0;
}

int expose_write_file(const expose_result *r, const char *format, const char *path, char *err,
                      size_t errlen)
{
    char tmp[4096], dot_tmp[4096];
    int svg = !strcmp(format, "svg");
    if (strlen(path) > sizeof tmp - 32) {
        snprintf(err, errlen, "path too long: %s", path);
        return -1;
    }
    FILE *f = open_temp(svg ? path : path, svg ? dot_tmp : tmp, sizeof tmp, err, errlen);
    if (!f)
        return -1;
    const char *written = svg ? dot_tmp : tmp;
    if (close_temp(f, path, write_format(r, svg ? "dot" : format, f), err, errlen) < 0) {
        unlink(written);
        return -1;
    }
    if (svg) {
        snprintf(tmp, sizeof tmp, "%s.tmp.svg.%ld", path, (long)getpid());
        int rc = run_dot(dot_tmp, tmp, err, errlen);
        unlink(dot_tmp);
        if (rc < 0) {
            unlink(tmp);
            return -1;
        }
    }
    if (rename(tmp, path) < 0) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}
