/*
 * Content sniffing shared by the reader: libmagic's MIME answer as a hint
 * for the kinds table, and our own check for archives and compressed
 * streams (a few fixed signatures, cheaper and stricter than a full
 * libmagic pass on every entry of a large bundle).
 */
#include "config.h"

#include <string.h>

#include <magic.h>

#include "quorumscope.h"

/* libmagic sees this much of an entry: its answer is only a hint. */
#define MAGIC_SPAN	4096

static magic_t	magic_cookie;
static int	magic_failed;

/*
 * libmagic's MIME type for a buffer, "" when libmagic or its database is
 * unavailable (the hint is then simply absent).  The returned string is
 * valid until the next call.
 */
const char *
qs_magic_mime(const unsigned char *data, size_t len)
{
	const char	*mime;

	if (magic_failed)
		return "";
	if (magic_cookie == NULL) {
		magic_cookie = magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS |
		    MAGIC_NO_CHECK_TAR | MAGIC_NO_CHECK_ELF |
		    MAGIC_NO_CHECK_CDF | MAGIC_NO_CHECK_ENCODING);
		if (magic_cookie == NULL || magic_load(magic_cookie, NULL) != 0) {
			if (magic_cookie != NULL)
				magic_close(magic_cookie);
			magic_cookie = NULL;
			magic_failed = 1;
			return "";
		}
	}
	if (len > MAGIC_SPAN)
		len = MAGIC_SPAN;
	mime = magic_buffer(magic_cookie, data, len);
	return mime != NULL ? mime : "";
}

void
qs_magic_close(void)
{
	if (magic_cookie != NULL)
		magic_close(magic_cookie);
	magic_cookie = NULL;
}

static int
magic_at(const unsigned char *data, size_t len, size_t off, const char *sig,
    size_t siglen)
{
	return len >= off + siglen && memcmp(data + off, sig, siglen) == 0;
}

enum qs_container
qs_container_sniff(const unsigned char *d, size_t len)
{
	/* Compression filters libarchive reads; content decided inside. */
	if (magic_at(d, len, 0, "\x1f\x8b", 2) ||		/* gzip */
	    magic_at(d, len, 0, "BZh", 3) ||			/* bzip2 */
	    magic_at(d, len, 0, "\xfd" "7zXZ\0", 6) ||		/* xz */
	    magic_at(d, len, 0, "\x28\xb5\x2f\xfd", 4) ||	/* zstd */
	    magic_at(d, len, 0, "\x04\x22\x4d\x18", 4) ||	/* lz4 */
	    magic_at(d, len, 0, "\x1f\x9d", 2) ||		/* compress */
	    magic_at(d, len, 0, "LZIP", 4))
		return QS_CONT_COMPRESSED;
	/* Archives. */
	if (magic_at(d, len, 257, "ustar", 5) ||		/* tar */
	    magic_at(d, len, 0, "PK\x03\x04", 4) ||		/* zip */
	    magic_at(d, len, 0, "PK\x05\x06", 4) ||		/* empty zip */
	    magic_at(d, len, 0, "070701", 6) ||		/* cpio newc */
	    magic_at(d, len, 0, "070702", 6) ||
	    magic_at(d, len, 0, "070707", 6) ||		/* cpio odc */
	    magic_at(d, len, 0, "7z\xbc\xaf\x27\x1c", 6))	/* 7-zip */
		return QS_CONT_ARCHIVE;
	return QS_CONT_NONE;
}

/* Bits that differ between d[off..off+n) and sig; -1 when d is short. */
static int
magic_distance(const unsigned char *d, size_t len, size_t off,
    const char *sig, size_t n)
{
	size_t	i;
	int	bits = 0;

	if (len < off + n)
		return -1;
	for (i = 0; i < n; i++)
		bits += __builtin_popcount((unsigned)(d[off + i] ^
		    (unsigned char)sig[i]));
	return bits;
}

/*
 * A tar header whose checksum is off by what one or two flipped bits
 * make (each changes the sum by a power of two up to 128) or whose magic
 * is: a damaged tar, not text.  The checksum field holds octal digits.
 */
static int
magic_tar_nearly(const unsigned char *d, size_t len)
{
	unsigned long	stored = 0, sum = 0;
	size_t		i;
	int		digits = 0, m;

	if (len < 512)
		return 0;
	for (i = 148; i < 156; i++) {
		if (d[i] >= '0' && d[i] <= '7') {
			stored = stored * 8 + (unsigned long)(d[i] - '0');
			digits++;
		} else if (d[i] != ' ' && d[i] != '\0')
			return 0;
	}
	for (i = 0; i < 512; i++)
		sum += (i >= 148 && i < 156) ? ' ' : d[i];
	m = magic_distance(d, len, 257, "ustar", 5);
	if (digits >= 6 && stored != sum && (stored > sum ? stored - sum :
	    sum - stored) <= 256 && m >= 0 && m <= 2)
		return 1;
	return digits >= 6 && stored == sum && m > 0 && m <= 2;
}

/*
 * The head of a file that looks like an archive or compressed stream
 * with a byte or two damaged: the signature one or two bits away from a
 * known one.  Returns the format's name, or NULL.  Exact signatures are
 * qs_container_sniff()'s; this is only asked about what it refused.
 */
const char *
qs_container_damaged(const unsigned char *d, size_t len)
{
	static const struct {
		const char	*sig;
		size_t		 n;
		const char	*name;
	} sigs[] = {
		{ "\x1f\x8b\x08", 3, "gzip" },
		{ "\xfd" "7zXZ\0", 6, "xz" },
		{ "\x28\xb5\x2f\xfd", 4, "zstd" },
		{ "PK\x03\x04", 4, "zip" },
		{ "BZh", 3, "bzip2" },
		{ "7z\xbc\xaf\x27\x1c", 6, "7-zip" },
	};
	size_t	i;
	int	bits;

	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		bits = magic_distance(d, len, 0, sigs[i].sig, sigs[i].n);
		/* Short signatures: one bit; longer ones: two. */
		if (bits > 0 && bits <= (sigs[i].n >= 4 ? 2 : 1))
			return sigs[i].name;
	}
	if (magic_tar_nearly(d, len))
		return "tar";
	return NULL;
}
