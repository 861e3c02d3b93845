/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * report.h -- pieces shared by the report writers (internal).
 */
#ifndef EXPOSE_REPORT_H
#define EXPOSE_REPORT_H

#include "expose.h"

const char *expose_proto_name(uint8_t proto);

/* JSON string with escapes, quotes included. */
void xp_json_string(FILE *out, const char *s);

/* The profiles and scans sections (profile_out.c). */
void xp_write_profiles_text(const expose_result *r, FILE *out);
void xp_write_profiles_json(const expose_result *r, FILE *out);

#endif
