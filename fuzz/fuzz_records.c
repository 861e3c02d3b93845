/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * fuzz_records.c -- libFuzzer target for the core's record input.
 *
 * The input is a 12-byte parameter header and then 8-byte record
 * instructions (see records_format.h).  Addresses and ports come from small
 * pools so that flows repeat and rules, clusters, profiles and scans can
 * form; times move by small steps, backwards too, and a few instructions
 * produce absurd values (times near the int64 limits, nanoseconds >= 1 s,
 * IP version 0 or 5, unknown protocols, skip reasons out of range).
 *
 * Half-way through, the records seen so far are mined once (the engine must
 * stay usable afterwards); at the end everything is mined again, checked
 * for consistency and written in every format.
 */
#include "fuzz_common.h"
#include "records_format.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    expose_params p;
    if (size < FR_HEADER)
        return 0;
    fr_params(data, &p);
    expose_engine *e = expose_engine_new(&p);
    FUZZ_CHECK(e != NULL);

    fr_clock clk;
    fr_clock_start(&clk, data[11]);
    size_t n = (size - FR_HEADER) / FR_RECORD;
    if (n > FR_MAX_RECORDS)
        n = FR_MAX_RECORDS;
    for (size_t i = 0; i < n; i++) {
        const uint8_t *b = data + FR_HEADER + i * FR_RECORD;
        expose_record rec;
        int why = fr_record(b, &clk, &rec);
        if (why >= 0) {
            expose_engine_skip(e, (expose_skip_reason)why);
            continue;
        }
        if (expose_engine_add(e, &rec) != 0) {
            /* Ingest is over, and says why; the prefix stays minable. */
            FUZZ_CHECK(expose_engine_error(e)[0] != '\0');
            break;
        }
        if (i == n / 2)
            fuzz_mine(e, FUZZ_OUT_TEXT);
    }
    /* After a failed add too: a result or a reason.  Header byte 11 picks
     * the outputs, so a slow writer does not slow every input down. */
    static const unsigned outputs[4] = { FUZZ_OUT_TEXT | FUZZ_OUT_DOT, FUZZ_OUT_JSON,
                                         FUZZ_OUT_FILTERS, FUZZ_OUT_ALL };
    fuzz_mine(e, outputs[(data[11] >> 2) & 3]);
    expose_engine_free(e);
    return 0;
}
