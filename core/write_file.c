/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * write_file.c -- write a report to a path so that readers never see half
 * a file: write a temporary file in the same folder, flush it to disk,
 * then rename it over the target.  SVG is drawn by Graphviz's dot.
 *
 * Only regular files can be replaced that way.  A target that exists and
 * is something else -- /dev/null, a terminal, a FIFO, /dev/stdout -- is
 * written in place: renaming over it would destroy the device node or the
 * link (as root, "-o /dev/null" replaced /dev/null with a file).  A
 * symbolic link to a regular file is followed, so the link stays a link.
 */
#include "expose.h"

#include <errno.h>
#include <limits.h>
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

/* Flush and close a report stream; sync: also to disk (regular files
 * only: devices and FIFOs refuse fsync). */
static int close_stream(FILE *f, const char *path, int wrote, int sync, char *err, size_t errlen)
{
    int bad = wrote < 0 || fflush(f) != 0 || (sync && fsync(fileno(f)) != 0);
    int saved = errno;
    if (fclose(f) != 0 && !bad) {
        bad = 1;
        saved = errno;
    }
    if (bad)
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(saved ? saved : EIO));
    return bad ? -1 : 0;
}

/* Write to a target that cannot be replaced (a device, a FIFO, ...).
 * SVG: the dot source goes to a temporary file in TMPDIR first. */
static int write_in_place(const expose_result *r, const char *format, const char *path,
                          char *err, size_t errlen)
{
    if (!strcmp(format, "svg")) {
        const char *dir = getenv("TMPDIR");
        char dot_tmp[4096];
        snprintf(dot_tmp, sizeof dot_tmp, "%s/expose-dot.XXXXXX", dir && *dir ? dir : "/tmp");
        int fd = mkstemp(dot_tmp);
        FILE *f = fd < 0 ? NULL : fdopen(fd, "w");
        if (!f) {
            snprintf(err, errlen, "cannot write a temporary file %s: %s", dot_tmp, strerror(errno));
            if (fd >= 0) {
                close(fd);
                unlink(dot_tmp);
            }
            return -1;
        }
        int bad = expose_write_dot(r, f) < 0;
        bad |= fclose(f) != 0;
        int rc = bad ? -1 : run_dot(dot_tmp, path, err, errlen);
        if (bad)
            snprintf(err, errlen, "cannot write a temporary file %s: %s", dot_tmp, strerror(errno));
        unlink(dot_tmp);
        return rc;
    }
    FILE *f = fopen(path, "w");
    if (!f) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        return -1;
    }
    return close_stream(f, path, write_format(r, format, f), 0, err, errlen);
}

/* Where the report goes: *in_place for targets that are not regular files;
 * resolved holds the file a symbolic link points to.  -1: a directory. */
static const char *choose_target(const char *path, char *resolved, int *in_place, char *err,
                                 size_t errlen)
{
    struct stat st;
    *in_place = 0;
    if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
        /* Through /dev or /proc (/dev/stdout, /dev/fd/N): the thing behind
         * it may be a pipe, a terminal or a file opened for appending. */
        if (strncmp(path, "/dev/", 5) && strncmp(path, "/proc/", 6) &&
            realpath(path, resolved) && strncmp(resolved, "/proc/", 6) &&
            stat(resolved, &st) == 0 && S_ISREG(st.st_mode))
            return resolved;
        if (stat(path, &st) != 0)
            return path;                /* a dangling link: replaced by the report */
    } else if (stat(path, &st) != 0) {
        return path;                    /* a new file */
    }
    if (S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(EISDIR));
        return NULL;
    }
    *in_place = !S_ISREG(st.st_mode);
    return path;
}

int expose_write_file(const expose_result *r, const char *format, const char *path, char *err,
                      size_t errlen)
{
    char tmp[4096], dot_tmp[4096], resolved[PATH_MAX];
    int svg = !strcmp(format, "svg");
    int in_place;
    path = choose_target(path, resolved, &in_place, err, errlen);
    if (!path)
        return -1;
    if (in_place)
        return write_in_place(r, format, path, err, errlen);
    if (strlen(path) > sizeof tmp - 32) {
        snprintf(err, errlen, "path too long: %s", path);
        return -1;
    }
    FILE *f = open_temp(svg ? path : path, svg ? dot_tmp : tmp, sizeof tmp, err, errlen);
    if (!f)
        return -1;
    const char *written = svg ? dot_tmp : tmp;
    if (close_stream(f, path, write_format(r, svg ? "dot" : format, f), 1, err, errlen) < 0) {
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
