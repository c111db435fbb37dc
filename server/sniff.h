/*
 * motcua — sniff: what kind of file a byte string is, judged by its
 * content only (pure).
 *
 * Online submissions accept PDF, JPEG and PNG. The name a citizen gives a
 * file and the Content-Type their browser sends are claims; the bytes are
 * the evidence. sniff_type() recognises:
 *   - PDF:  "%PDF-" at offset 0 followed by a version digit, and the
 *           end-of-file marker "%%EOF" within the last 1 KiB (a truncated
 *           upload is refused);
 *   - JPEG: the SOI marker FF D8 followed by another marker (FF xx);
 *   - PNG:  the 8-byte signature followed by the IHDR chunk header.
 * Anything else (including HTML, SVG, ZIP, executables) is SNIFF_UNKNOWN.
 * sniff_claimed() reads what a file name's extension or a Content-Type
 * claims, so a caller can refuse a claim the content contradicts (a PNG
 * called "scan.pdf" and sent as application/pdf).
 *
 * Ownership: no allocation; names are static strings.
 */
#ifndef MOTCUA_SNIFF_H
#define MOTCUA_SNIFF_H

#include <stddef.h>

enum sniff_type {
	SNIFF_UNKNOWN,
	SNIFF_PDF,
	SNIFF_JPEG,
	SNIFF_PNG,
};

/* The type of data[0..len). */
enum sniff_type sniff_type(const void *data, size_t len);
/* "application/pdf", "image/jpeg", "image/png"; NULL for SNIFF_UNKNOWN. */
const char *sniff_mime(enum sniff_type t);
/* "pdf", "jpg", "png"; NULL for SNIFF_UNKNOWN. */
const char *sniff_extension(enum sniff_type t);
/* What a file name (by its extension, any case) or a Content-Type (its
 * media type, parameters ignored) claims. SNIFF_UNKNOWN when it claims
 * none of the three (no extension, "application/octet-stream"…), which
 * callers treat as no claim at all. Either argument may be NULL. */
enum sniff_type sniff_claimed_by_name(const char *name);
enum sniff_type sniff_claimed_by_type(const char *content_type);

#endif
