/*
 * wire-logline.c: the wrappers a log line arrives in (syslog, journald,
 * container runtimes, compose, kubectl), peeled once for every system's
 * log parser.  See wire-logline.c for the shapes.
 */
#ifndef QS_WIRE_LOGLINE_H
#define QS_WIRE_LOGLINE_H

#include <stddef.h>
#include <stdint.h>

/* Which wrappers were peeled from a line (bits of qs_logline.wrappers). */
#define QS_WRAP_PRI		0x0001	/* syslog "<PRI>" */
#define QS_WRAP_SYSLOG		0x0002	/* RFC 3164, journald short/-precise */
#define QS_WRAP_RFC5424		0x0004	/* "<PRI>1 TIME HOST APP PID MSGID SD" */
#define QS_WRAP_ISO_HOST	0x0008	/* journald short-iso, rsyslog files */
#define QS_WRAP_JSON_FILE	0x0010	/* docker json-file {"log":...} */
#define QS_WRAP_CRI		0x0020	/* "<RFC3339Nano> stderr F " */
#define QS_WRAP_COMPOSE		0x0040	/* "name-1  | " */
#define QS_WRAP_STAMP		0x0080	/* docker -t, kubectl --timestamps */
#define QS_WRAP_GLUED		0x0100	/* a stamp glued to the message */
#define QS_WRAP_KUBE_PREFIX	0x0200	/* kubectl --prefix "[pod/p/c] " */

#define QS_LOGLINE_WRAP_MAX	6	/* wrappers peeled per line */

struct qs_parse_ctx;

/*
 * One line with its wrappers peeled.  Strings point into the line or
 * into buf (a docker json-file line's unescaped "log"); they are valid
 * until the next qs_logline_peel() on the same struct.
 */
struct qs_logline {
	const char	*msg;		/* the message: the program's own line */
	size_t		 len;
	struct qs_time	 time;		/* the best wrapper time, or unset */
	const char	*host;		/* syslog / journald host, or NULL */
	size_t		 hostlen;
	const char	*unit;		/* syslog tag ("etcd", "consul") */
	size_t		 unitlen;
	const char	*container;	/* compose service, kubectl container */
	size_t		 containerlen;
	uint64_t	 pid;		/* the tag's [pid], or 0 */
	unsigned	 wrappers;	/* QS_WRAP_* peeled */
	int		 foreign;	/* the kernel's, never a server's */
	char		*buf;		/* owned: unescaped JSON text */
	size_t		 bufsize;
};

void	qs_logline_init(struct qs_logline *);
void	qs_logline_free(struct qs_logline *);
/* Peels every wrapper from s (n bytes); always succeeds. */
void	qs_logline_peel(struct qs_logline *, const char *, size_t);
/*
 * The time of the line: the message's own time when `own` is set, else
 * the wrapper's; recorded in the artifact's time range (a log's first
 * and last timed line) at `lineno`.
 */
struct qs_time qs_logline_time(struct qs_parse_ctx *,
	    const struct qs_logline *, const struct qs_time *, uint64_t);
/*
 * The node a line names as its speaker (host, container, in that
 * order), copied to the run's arena, or NULL: several hosts in one file.
 */
const char *qs_logline_speaker(struct qs_parse_ctx *,
	    const struct qs_logline *);
/*
 * The same for a speaker the system's own line names (a ZooKeeper
 * myid): p (n bytes) as ctx->speaker, noting a file of several.
 */
const char *qs_parse_speaker(struct qs_parse_ctx *, const char *, size_t);

#endif
