/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * fuzz_reader.c -- libFuzzer target for the CLI's capture reader.
 *
 * The input is a capture file (pcap or pcapng, any link type).  It is put
 * in an in-memory file (memfd) and opened by path with reader_open(), so
 * the whole path of the expose program runs: the file checks, libpcap, the
 * link-layer and IP decoder, the engine, mining and every writer.
 */
#define _GNU_SOURCE /* memfd_create */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz_common.h"
#include "pcap_reader.h"

/* Enough for any input libFuzzer makes here; a cap, so a crafted file of
 * tiny records cannot turn one input into a long run. */
#define MAX_PACKETS 200000

static int memfd = -1;
static char memfd_path[64];

static void open_memfd(void)
{
    memfd = memfd_create("expose-fuzz-capture", 0);
    if (memfd < 0) {
        perror("fuzz: memfd_create");
        abort();
    }
    snprintf(memfd_path, sizeof memfd_path, "/proc/self/fd/%d", memfd);
}

static void put_input(const uint8_t *data, size_t size)
{
    if (memfd < 0)
        open_memfd();
    FUZZ_CHECK(ftruncate(memfd, 0) == 0);
    size_t done = 0;
    while (done < size) {
        ssize_t n = pwrite(memfd, data + done, size - done, (off_t)done);
        FUZZ_CHECK(n > 0);
        done += (size_t)n;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    put_input(data, size);

    char err[READER_ERRBUF_SIZE] = "";
    reader *rd = reader_open(memfd_path, err, sizeof err);
    if (!rd) {
        FUZZ_CHECK(err[0] != '\0');     /* a refusal always says why */
        return 0;
    }

    expose_params p;
    expose_params_default(&p);
    p.min_windows = 2;
    p.k = 200;
    expose_engine *e = expose_engine_new(&p);
    FUZZ_CHECK(e != NULL);

    expose_record rec;
    expose_skip_reason why;
    reader_status st = READER_END;
    uint64_t records = 0;
    while (records < MAX_PACKETS) {
        st = reader_next(rd, &rec, &why);
        if (st == READER_RECORD) {
            FUZZ_CHECK(rec.ts_nsec <= 999999999u);
            FUZZ_CHECK(rec.ip_version == 4 || rec.ip_version == 6);
            if (expose_engine_add(e, &rec) != 0)
                break;
        } else if (st == READER_SKIP) {
            FUZZ_CHECK((unsigned)why < EXPOSE_SKIP__COUNT);
            expose_engine_skip(e, why);
        } else {
            break;
        }
        records++;
    }
    if (st == READER_STOPPED)
        FUZZ_CHECK(reader_error(rd)[0] != '\0');    /* damage is explained */
    FUZZ_CHECK(reader_packets(rd) >= records);
    fuzz_mine(e, FUZZ_OUT_ALL);
    expose_engine_free(e);
    reader_close(rd);
    return 0;
}
