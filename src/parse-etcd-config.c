/*
 * etcd's configuration as a node holds it (kind etcd.config), in any of
 * the shapes operators write it:
 *   the EnvironmentFile of etcd.service (Debian's /etc/default/etcd):
 *     ETCD_<FLAG>=value lines, "export" allowed, and DAEMON_ARGS="--flag
 *     value ..." (Debian's unit passes it on the command line);
 *   a --config-file YAML (etcd.conf.yml): top-level "flag-name: value";
 *   systemd units and drop-ins: ExecStart= command lines (continued with
 *     a backslash), Environment= assignments, EnvironmentFile=;
 *   the kubeadm static pod manifest (/etc/kubernetes/manifests/etcd.yaml):
 *     "- --flag=value" items of the container's command list.
 * Names (etcd-io/etcd etcdmain/config.go flags, embed/config.go YAML
 * keys, release-3.4 and 3.5): the YAML key is the flag name, and the
 * variable is "ETCD_" + the flag name upper-cased with "-" as "_"
 * (pkg/flags FlagToEnv).  Every spelling becomes one setting,
 * "etcd.config.<flag-name>" (etcd.config.initial-cluster for
 * ETCD_INITIAL_CLUSTER, --initial-cluster and initial-cluster:), with
 * the file and line it came from; a flag given bare (--force-new-cluster)
 * is "true".  EnvironmentFile= is kept as etcd.config.environment-file.
 *
 * Also emitted, when the value names no variable ("$..."): the member
 * name (QS_ID_NAME), its advertised peer and client URLs (QS_ID_ADDRESS,
 * roles "peer" and "client") as identities of the node itself.
 *
 * The configuration etcd prints when it starts belongs to its log
 * (parse-etcd-log.c).  Known limits: YAML is read one top-level "key:
 * value" line at a time (no block scalars, no anchors); shell quoting
 * is single and double quotes and backslash escapes, no expansion;
 * lines over ECFG_LINE_MAX are cut.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "quorumscope.h"

#define ECFG_LINE_MAX		(64 * 1024)
#define ECFG_SETTINGS_MAX	10000
#define ECFG_WORDS_MAX		256

/* Flags that take no value: "--force-new-cluster" alone means true. */
static const char *const ecfg_bools[] = {
	"force-new-cluster", "pre-vote", "enable-v2", "strict-reconfig-check",
	"enable-pprof", "auto-tls", "peer-auto-tls", "client-cert-auth",
	"peer-client-cert-auth", "debug", "enable-grpc-gateway",
	"unsafe-no-fsync", "experimental-initial-corrupt-check", "version",
	"help", NULL
};

/*
 * Top-level YAML keys read as etcd's (embed/config.go): in a YAML file
 * that is not etcd's own (a Pod manifest), other keys are not etcd's.
 */
static const char *const ecfg_yaml_keys[] = {
	"name", "data-dir", "wal-dir", "snapshot-count", "heartbeat-interval",
	"election-timeout", "initial-election-tick-advance", "quota-backend-bytes",
	"max-snapshots", "max-wals", "listen-peer-urls", "listen-client-urls",
	"initial-advertise-peer-urls", "advertise-client-urls", "discovery",
	"discovery-srv", "initial-cluster", "initial-cluster-token",
	"initial-cluster-state", "strict-reconfig-check", "enable-v2",
	"pre-vote", "force-new-cluster", "auto-compaction-mode",
	"auto-compaction-retention", "logger", "log-level", "log-outputs",
	"unsafe-no-fsync", "experimental-initial-corrupt-check",
	"max-request-bytes", NULL
};

struct ecfg {
	struct qs_parse_ctx	*ctx;
	uint64_t		 nsettings;
	int			 stopped;
	/* A systemd command line continued on the next line. */
	char			*cont;
	size_t			 cont_len;
	uint64_t		 cont_line;
};

static int
ecfg_is_bool(const char *flag)
{
	size_t	i;

	for (i = 0; ecfg_bools[i] != NULL; i++)
		if (strcmp(ecfg_bools[i], flag) == 0)
			return 1;
	return 0;
}

/* A flag name as etcd spells them: lowercase letters, digits, dashes. */
static int
ecfg_flag_name(const char *s, size_t n)
{
	size_t	i;

	if (n == 0 || n > 80 || !islower((unsigned char)s[0]))
		return 0;
	for (i = 0; i < n; i++)
		if (!islower((unsigned char)s[i]) &&
		    !isdigit((unsigned char)s[i]) && s[i] != '-')
			return 0;
	return 1;
}

static void
ecfg_setting(struct ecfg *e, const char *flag, const char *value,
    uint64_t line, const char *text)
{
	struct qs_evidence	 ev;
	const char		*role = NULL;
	char			 key[128];

	if (e->stopped)
		return;
	if (e->nsettings++ >= ECFG_SETTINGS_MAX) {
		qs_parse_diag(e->ctx, QS_SEV_WARNING, line, "more than %d "
		    "settings; the rest are not read", ECFG_SETTINGS_MAX);
		e->stopped = 1;
		return;
	}
	snprintf(key, sizeof(key), "etcd.config.%s", flag);
	ev = qs_evidence_line(e->ctx, line, text);
	qs_emit_setting(e->ctx, key, value, &ev);
	if (strchr(value, '$') != NULL || *value == '\0')
		return;
	if (strcmp(flag, "name") == 0) {
		qs_emit_identity(e->ctx, QS_ID_NAME, value, NULL, NULL, &ev);
		return;
	}
	if (strcmp(flag, "initial-advertise-peer-urls") == 0)
		role = "peer";
	else if (strcmp(flag, "advertise-client-urls") == 0)
		role = "client";
	if (role != NULL) {
		char	*urls = qs_xstrdup(value), *u, *save = NULL;

		for (u = strtok_r(urls, ",", &save); u != NULL;
		    u = strtok_r(NULL, ",", &save))
			if (*u != '\0')
				qs_emit_identity(e->ctx, QS_ID_ADDRESS, u, role,
				    NULL, &ev);
		free(urls);
	}
}

/*
 * Splits a command line into words as sh(1) would without expanding
 * anything: blanks separate, quotes group, a backslash escapes.  The
 * words are written into `buf` (as long as `s`), NUL-terminated.
 */
static size_t
ecfg_words(const char *s, char *buf, char **words, size_t max)
{
	size_t	n = 0;
	char	*o = buf, q;

	while (*s != '\0' && n < max) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0')
			break;
		words[n++] = o;
		while (*s != '\0' && *s != ' ' && *s != '\t') {
			if (*s == '\'' || *s == '"') {
				q = *s++;
				while (*s != '\0' && *s != q) {
					if (q == '"' && *s == '\\' &&
					    s[1] != '\0')
						s++;
					*o++ = *s++;
				}
				if (*s == q)
					s++;
			} else if (*s == '\\' && s[1] != '\0') {
				s++;
				*o++ = *s++;
			} else
				*o++ = *s++;
		}
		*o++ = '\0';
	}
	return n;
}

/* etcd's flags among command-line words ("--name x", "-name=x"). */
static void
ecfg_args(struct ecfg *e, const char *cmdline, uint64_t line,
    const char *text)
{
	char	*buf, *words[ECFG_WORDS_MAX], *w, *eq;
	size_t	 n, i;

	buf = qs_xmalloc(strlen(cmdline) + 1);
	n = ecfg_words(cmdline, buf, words, ECFG_WORDS_MAX);
	for (i = 0; i < n; i++) {
		w = words[i];
		if (w[0] != '-')
			continue;
		w += w[1] == '-' ? 2 : 1;
		if ((eq = strchr(w, '=')) != NULL) {
			*eq = '\0';
			if (ecfg_flag_name(w, strlen(w)))
				ecfg_setting(e, w, eq + 1, line, text);
		} else if (!ecfg_flag_name(w, strlen(w)))
			continue;
		else if (ecfg_is_bool(w) || i + 1 == n ||
		    words[i + 1][0] == '-')
			ecfg_setting(e, w, "true", line, text);
		else {
			ecfg_setting(e, w, words[i + 1], line, text);
			i++;
		}
	}
	free(buf);
}

/* ETCD_INITIAL_CLUSTER -> initial-cluster, in `out`; 0 or -1. */
static int
ecfg_env_flag(const char *var, size_t n, char *out, size_t outsz)
{
	size_t	i;

	if (n <= 5 || strncmp(var, "ETCD_", 5) != 0 || n - 5 >= outsz)
		return -1;
	for (i = 5; i < n; i++) {
		if (var[i] == '_')
			out[i - 5] = '-';
		else if (isupper((unsigned char)var[i]) ||
		    isdigit((unsigned char)var[i]))
			out[i - 5] = (char)tolower((unsigned char)var[i]);
		else
			return -1;
	}
	out[n - 5] = '\0';
	return 0;
}

/*
 * One "NAME=value" assignment (an EnvironmentFile line or a word of
 * Environment=), value already unquoted.
 */
static void
ecfg_assignment(struct ecfg *e, const char *word, uint64_t line,
    const char *text)
{
	const char	*eq = strchr(word, '=');
	char		 flag[96];

	if (eq == NULL)
		return;
	if ((size_t)(eq - word) == 11 && strncmp(word, "DAEMON_ARGS", 11) == 0) {
		ecfg_args(e, eq + 1, line, text);
		return;
	}
	if (strncmp(word, "ETCDCTL_", 8) == 0)
		return;		/* the client's, not the server's */
	if (ecfg_env_flag(word, (size_t)(eq - word), flag, sizeof(flag)) == 0)
		ecfg_setting(e, flag, eq + 1, line, text);
}

/* Environment=: one or more assignments, each maybe quoted. */
static void
ecfg_environment(struct ecfg *e, const char *s, uint64_t line,
    const char *text)
{
	char	*buf = qs_xmalloc(strlen(s) + 1), *words[ECFG_WORDS_MAX];
	size_t	 n, i;

	n = ecfg_words(s, buf, words, ECFG_WORDS_MAX);
	for (i = 0; i < n; i++)
		ecfg_assignment(e, words[i], line, text);
	free(buf);
}

/* A YAML scalar: quotes removed, a trailing " # comment" dropped. */
static char *
ecfg_yaml_value(char *v)
{
	size_t	n;
	char	*c;

	while (*v == ' ' || *v == '\t')
		v++;
	if (*v == '\'' || *v == '"') {
		char	q = *v++;

		if ((c = strrchr(v, q)) != NULL)
			*c = '\0';
		return v;
	}
	if ((c = strstr(v, " #")) != NULL)
		*c = '\0';
	n = strlen(v);
	while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t'))
		v[--n] = '\0';
	return v;
}

/* A systemd line that may go on with a trailing backslash. */
static int
ecfg_continued(char *s)
{
	size_t	n = strlen(s);

	if (n > 0 && s[n - 1] == '\\') {
		s[n - 1] = ' ';
		return 1;
	}
	return 0;
}

static void
ecfg_cont_add(struct ecfg *e, const char *s)
{
	size_t	n = strlen(s);

	if (e->cont_len + n + 2 > ECFG_LINE_MAX)
		return;		/* said once when the line is done */
	e->cont = qs_xreallocarray(e->cont, e->cont_len + n + 2, 1);
	memcpy(e->cont + e->cont_len, s, n);
	e->cont_len += n;
	e->cont[e->cont_len++] = ' ';
	e->cont[e->cont_len] = '\0';
}

static void
ecfg_line(struct ecfg *e, char *s, uint64_t lineno)
{
	const char	*text = s;
	char		*p, *colon, *v;
	size_t		 n = strlen(s), indent;

	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	if (e->cont != NULL) {
		int	more = ecfg_continued(s);

		ecfg_cont_add(e, s);
		if (more)
			return;
		ecfg_args(e, e->cont, e->cont_line, e->cont);
		free(e->cont);
		e->cont = NULL;
		e->cont_len = 0;
		return;
	}
	for (indent = 0; s[indent] == ' ' || s[indent] == '\t'; indent++)
		continue;
	p = s + indent;
	if (*p == '\0' || *p == '#' || *p == ';')
		return;
	/* systemd */
	if (strncmp(p, "ExecStart=", 10) == 0) {
		p += 10;
		while (*p == '-' || *p == '@' || *p == '+' || *p == '!' ||
		    *p == ':')
			p++;
		if (ecfg_continued(p)) {
			e->cont_line = lineno;
			e->cont_len = 0;
			e->cont = qs_xmalloc(1);
			e->cont[0] = '\0';
			ecfg_cont_add(e, p);
			return;
		}
		ecfg_args(e, p, lineno, text);
		return;
	}
	if (strncmp(p, "Environment=", 12) == 0) {
		ecfg_environment(e, p + 12, lineno, text);
		return;
	}
	if (strncmp(p, "EnvironmentFile=", 16) == 0) {
		p += 16;
		if (*p == '-')
			p++;
		if (*p != '\0')
			ecfg_setting(e, "environment-file", p, lineno, text);
		return;
	}
	/* kubeadm's command list: "- --flag=value". */
	if (p[0] == '-' && p[1] == ' ') {
		p += 2;
		while (*p == ' ')
			p++;
		if (p[0] == '-' && p[1] == '-')
			ecfg_args(e, p, lineno, text);
		return;
	}
	/* An EnvironmentFile line: [export ]ETCD_X=value. */
	if (strncmp(p, "export ", 7) == 0)
		p += 7;
	if ((strncmp(p, "ETCD_", 5) == 0 || strncmp(p, "DAEMON_ARGS=", 12) ==
	    0) && (v = strchr(p, '=')) != NULL) {
		char	*val = v + 1, *end, *assign;
		size_t	 vn;

		*v = '\0';
		if (*val == '"' || *val == '\'') {
			char	q = *val++;

			if ((end = strrchr(val, q)) != NULL)
				*end = '\0';
		} else {
			if ((end = strstr(val, " #")) != NULL)
				*end = '\0';
			vn = strlen(val);
			while (vn > 0 && (val[vn - 1] == ' ' ||
			    val[vn - 1] == '\t'))
				val[--vn] = '\0';
		}
		assign = qs_xmalloc(strlen(p) + strlen(val) + 2);
		memcpy(assign, p, strlen(p));
		assign[strlen(p)] = '=';
		memcpy(assign + strlen(p) + 1, val, strlen(val) + 1);
		ecfg_assignment(e, assign, lineno, text);
		free(assign);
		return;
	}
	/* etcd.conf.yml: a top-level "flag-name: value". */
	if (indent == 0 && (colon = strchr(p, ':')) != NULL &&
	    ecfg_flag_name(p, (size_t)(colon - p)) &&
	    (colon[1] == ' ' || colon[1] == '\0')) {
		size_t	i;

		*colon = '\0';
		for (i = 0; ecfg_yaml_keys[i] != NULL; i++)
			if (strcmp(ecfg_yaml_keys[i], p) == 0)
				break;
		if (ecfg_yaml_keys[i] == NULL)
			return;
		v = ecfg_yaml_value(colon + 1);
		if (*v != '\0' && strcmp(v, "null") != 0 && strcmp(v, "~") != 0)
			ecfg_setting(e, p, v, lineno, text);
	}
}

static int
ecfg_each(void *arg, char *line, size_t len, uint64_t lineno)
{
	struct ecfg	*e = arg;

	(void)len;
	ecfg_line(e, line, lineno);
	return e->stopped;
}

int
qs_parse_etcd_config(struct qs_parse_ctx *ctx)
{
	struct ecfg	e;

	memset(&e, 0, sizeof(e));
	e.ctx = ctx;
	qs_parse_lines(ctx, ECFG_LINE_MAX, ecfg_each, &e);
	if (e.cont != NULL) {
		/* A continued command line at the end of the file. */
		ecfg_args(&e, e.cont, e.cont_line, e.cont);
		free(e.cont);
	}
	return 0;
}
