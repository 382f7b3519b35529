/*
 * Timestamps as the systems' logs write them, turned into milliseconds
 * since the epoch, UTC.  No libc time zone machinery: a log's zone is in
 * the text or unknown, never the machine's running quorumscope.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "quorumscope.h"

static int
time_digits(const char *s, size_t len, size_t at, size_t n, int *out)
{
	size_t	i;
	int	v = 0;

	if (at + n > len)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[at + i] < '0' || s[at + i] > '9')
			return -1;
		v = v * 10 + (s[at + i] - '0');
	}
	*out = v;
	return 0;
}

/*
 * Days from 1970-01-01 to a civil date (Howard Hinnant's algorithm, which
 * is exact for the proleptic Gregorian calendar).
 */
static int64_t
time_days(int y, int m, int d)
{
	int64_t	era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int
qs_time_from_civil(int y, int mo, int d, int h, int mi, int s, int ms,
    int64_t *out)
{
	if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > 31 ||
	    h > 23 || mi > 59 || s > 60 || ms > 999 || h < 0 || mi < 0 ||
	    s < 0 || ms < 0)
		return -1;
	*out = ((time_days(y, mo, d) * 24 + h) * 60 + mi) * 60000LL +
	    s * 1000LL + ms;
	return 0;
}

/*
 * ISO 8601 / RFC 3339 as hclog, zap, logback and etcd write it:
 * "2021-01-23T23:18:54.216Z", "2021-01-23T23:18:54.216+0100",
 * "2021-01-23T23:18:54.216123+01:00", "2024-05-01 12:00:00,123"
 * (space and comma: log4j's ISO8601, no zone).  Returns the number of
 * characters used, or -1.
 */
int
qs_time_parse_iso(const char *s, size_t len, struct qs_time *t)
{
	int	y, mo, d, h, mi, sec, ms = 0, zh, zm, sign;
	size_t	i = 19, frac;

	memset(t, 0, sizeof(*t));
	if (len < 19 || s[4] != '-' || s[7] != '-' ||
	    (s[10] != 'T' && s[10] != ' ') || s[13] != ':' || s[16] != ':')
		return -1;
	if (time_digits(s, len, 0, 4, &y) || time_digits(s, len, 5, 2, &mo) ||
	    time_digits(s, len, 8, 2, &d) || time_digits(s, len, 11, 2, &h) ||
	    time_digits(s, len, 14, 2, &mi) || time_digits(s, len, 17, 2, &sec))
		return -1;
	if (i < len && (s[i] == '.' || s[i] == ',')) {
		i++;
		for (frac = 0; i < len && s[i] >= '0' && s[i] <= '9';
		    i++, frac++)
			if (frac < 3)
				ms = ms * 10 + (s[i] - '0');
		if (frac == 0)
			return -1;
		for (; frac < 3; frac++)
			ms *= 10;
	}
	if (qs_time_from_civil(y, mo, d, h, mi, sec, ms, &t->ms) != 0)
		return -1;
	t->set = 1;
	if (i < len && s[i] == 'Z') {
		t->zone_known = 1;
		return (int)i + 1;
	}
	if (i < len && (s[i] == '+' || s[i] == '-')) {
		sign = s[i] == '-' ? -1 : 1;
		if (time_digits(s, len, i + 1, 2, &zh) != 0)
			return (int)i;
		i += 3;
		if (i < len && s[i] == ':')
			i++;
		if (time_digits(s, len, i, 2, &zm) != 0)
			return -1;
		i += 2;
		t->ms -= sign * (zh * 60 + zm) * 60000LL;
		t->zone_known = 1;
	}
	return (int)i;
}

/*
 * Go's standard log: "2016/03/03 12:00:00" with optional ".000000"
 * microseconds; local time with no zone (taken as UTC, zone_known 0).
 */
int
qs_time_parse_golog(const char *s, size_t len, struct qs_time *t)
{
	int	y, mo, d, h, mi, sec, ms = 0;
	size_t	i = 19, frac;

	memset(t, 0, sizeof(*t));
	if (len < 19 || s[4] != '/' || s[7] != '/' || s[10] != ' ' ||
	    s[13] != ':' || s[16] != ':')
		return -1;
	if (time_digits(s, len, 0, 4, &y) || time_digits(s, len, 5, 2, &mo) ||
	    time_digits(s, len, 8, 2, &d) || time_digits(s, len, 11, 2, &h) ||
	    time_digits(s, len, 14, 2, &mi) || time_digits(s, len, 17, 2, &sec))
		return -1;
	if (i < len && s[i] == '.') {
		i++;
		for (frac = 0; i < len && s[i] >= '0' && s[i] <= '9';
		    i++, frac++)
			if (frac < 3)
				ms = ms * 10 + (s[i] - '0');
		for (; frac < 3; frac++)
			ms *= 10;
	}
	if (qs_time_from_civil(y, mo, d, h, mi, sec, ms, &t->ms) != 0)
		return -1;
	t->set = 1;
	return (int)i;
}

/* RFC 3339 UTC with milliseconds: "2021-01-23T23:18:54.216Z". */
char *
qs_time_format(const struct qs_time *t, char *buf, size_t len)
{
	int64_t	days, rem, z, era, doe, yoe, y, doy, mp, d, m;

	if (!t->set) {
		snprintf(buf, len, "-");
		return buf;
	}
	days = t->ms >= 0 ? t->ms / 86400000 : -((-t->ms + 86399999) /
	    86400000);
	rem = t->ms - days * 86400000;
	/* Inverse of time_days(). */
	z = days + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	snprintf(buf, len, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld.%03lldZ",
	    (long long)y, (long long)m, (long long)d,
	    (long long)(rem / 3600000), (long long)(rem / 60000 % 60),
	    (long long)(rem / 1000 % 60), (long long)(rem % 1000));
	return buf;
}
