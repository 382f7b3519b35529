/*
 * Collected Consul command output (kind consul.cli_output): what a
 * collector saved from `consul members`, `consul operator raft
 * list-peers` and `consul info`, one command per file or several with
 * prompts between them, with the CLI's own error lines.
 *
 * Shapes (hashicorp/consul):
 *   members (command/members/members.go, standardOutput): columns
 *     aligned by columnize, header "Node Address Status Type Build
 *     Protocol DC [Partition] [Segment]" (older releases stop at DC);
 *     status is serf's MemberStatus: alive, leaving, left, failed;
 *     -detailed: "Node Address Status Tags" with tags "k=v,..." (role
 *     consul for a server, id the node ID, dc);
 *   list-peers (command/operator/raft/listpeers/operator_raft_list.go):
 *     "Node ID Address State Voter RaftProtocol [Commit Index] [Trails
 *     Leader By]", State leader or follower, Voter true or false;
 *   info (command/info/info.go): sorted "section:" lines, then
 *     "\tkey = value"; the consul section from agent/consul/server.go
 *     Stats (server, leader, leader_addr, bootstrap), raft from
 *     hashicorp/raft api.go Stats (state Leader, Follower, Candidate,
 *     Shutdown; term, last_log_index, commit_index, applied_index,
 *     num_peers, last_contact, latest_configuration as "[{Suffrage:Voter
 *     ID:<id> Address:<ip:port>} ...]", latest_configuration_index),
 *     serf_lan (members, failed, left);
 *   errors: "Error retrieving members: ...", "Error getting peers:
 *     Failed to retrieve raft configuration: Unexpected response code:
 *     500 (No cluster leader)", "Error querying agent: ...", "Error
 *     connecting to Consul agent: ..."; Go's "dial tcp ...: connect:
 *     connection refused".
 *
 * Extracted: a gossip view "consul members" (alive, left, failed) with
 * identities (name -> serf address, node ID from -detailed tags); a
 * consensus view "consul operator raft list-peers" (voters, non-voters)
 * with the leader as setting consul.cli.raft_leader and identities (name
 * -> node ID, raft address); from info the settings consul.info.<section>.
 * <key> of the keys above, and a consensus view "consul info
 * latest_configuration" (clock: the configuration's index, the term).
 *
 * Collection-time probes (probe.c): every member `consul members` lists
 * as alive is QS_SIG_PROBE_UP, failed or left PROBE_DOWN (serf's own
 * probing says so; subject the node name); list-peers answered, so the
 * leader it names is up; info's raft state says whether the agent asked
 * (subject NULL: the node the file came from) serves (a leader, or a
 * follower that knows one) or not (candidate, no leader_addr); an error
 * with "No cluster leader" is not serving, a refused or failed dial is
 * down.  Times come from timestamp headers.
 *
 * Known limits: wide tables whose columns were re-flowed by a terminal
 * are read by splitting on blanks when the header's positions do not
 * fit; lines over CLI_LINE_MAX are cut.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quorumscope.h"

#define CLI_LINE_MAX	(64 * 1024)
#define CLI_COLS	16
#define CLI_ROWS_MAX	100000	/* members or peers read from one file */
#define CLI_CONFIG_MAX	4096	/* servers read from latest_configuration */

enum cli_table {
	CLI_NONE,
	CLI_MEMBERS,
	CLI_PEERS,
	CLI_INFO
};

struct cli {
	struct qs_parse_ctx	*ctx;
	struct qs_probe		 probe;
	enum cli_table		 table;
	size_t			 ncols;
	char			*col_name[CLI_COLS];
	size_t			 col_at[CLI_COLS];
	struct qs_view		*view;
	char			 section[32];	/* info: current section */
	uint64_t		 rows;
	struct qs_consul_info	 info;
};

static char *
cli_trim(char *s)
{
	size_t	n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

static int
cli_col(const struct cli *c, const char *name)
{
	size_t	i;

	for (i = 0; i < c->ncols; i++)
		if (strcmp(c->col_name[i], name) == 0)
			return (int)i;
	return -1;
}

static void
cli_forget_header(struct cli *c)
{
	size_t	i;

	for (i = 0; i < c->ncols; i++)
		free(c->col_name[i]);
	c->ncols = 0;
}

/*
 * A header line: columnize separates columns by two blanks or more, and
 * "Commit Index" holds one.  Keeps each name and where it starts.
 */
static void
cli_header(struct cli *c, const char *s, enum cli_table t)
{
	size_t	i = 0, n = strlen(s), start;

	cli_forget_header(c);
	c->table = t;
	c->view = NULL;
	while (i < n && c->ncols < CLI_COLS) {
		while (i < n && s[i] == ' ')
			i++;
		if (i >= n)
			break;
		start = i;
		while (i < n && !(s[i] == ' ' && (i + 1 >= n ||
		    s[i + 1] == ' ')))
			i++;
		c->col_at[c->ncols] = start;
		c->col_name[c->ncols++] = strndup(s + start, i - start);
		if (c->col_name[c->ncols - 1] == NULL)
			qs_fatal("out of memory");
	}
}

/*
 * A row's cells by the header's positions, or by blanks when the
 * positions do not fit (a cell must start after a blank).  Returns the
 * number of cells, 0 when neither way gives as many as the header.
 */
static size_t
cli_cells(const struct cli *c, char *row, char **cell)
{
	size_t	n = strlen(row), i, k;
	int	aligned = 1;

	for (i = 1; i < c->ncols; i++)
		if (c->col_at[i] < n && row[c->col_at[i] - 1] != ' ')
			aligned = 0;
	if (aligned && c->ncols > 0) {
		for (k = 0; k < c->ncols; k++) {
			if (k + 1 < c->ncols && c->col_at[k + 1] < n)
				row[c->col_at[k + 1] - 1] = '\0';
			cell[k] = c->col_at[k] < n ? cli_trim(row + c->col_at[k]) :
			    row + n;
		}
		return c->ncols;
	}
	for (k = 0, i = 0; k < CLI_COLS && i < n; k++) {
		while (i < n && (row[i] == ' ' || row[i] == '\t'))
			i++;
		if (i >= n)
			break;
		cell[k] = row + i;
		while (i < n && row[i] != ' ' && row[i] != '\t')
			i++;
		if (i < n)
			row[i++] = '\0';
	}
	return k >= c->ncols ? k : 0;
}

static enum qs_member_state
cli_serf_state(const char *s)
{
	if (strcmp(s, "alive") == 0)
		return QS_MEMBER_ALIVE;
	if (strcmp(s, "left") == 0)
		return QS_MEMBER_LEFT;
	if (strcmp(s, "failed") == 0)
		return QS_MEMBER_FAILED;
	return QS_MEMBER_LISTED;
}

/* A `-detailed` tag's value ("role=consul,dc=dc1,id=..."), or NULL. */
static const char *
cli_tag(struct cli *c, const char *tags, const char *key)
{
	const char	*p = tags, *e;
	size_t		 kl = strlen(key);

	while (p != NULL && *p != '\0') {
		e = strchr(p, ',');
		if (strncmp(p, key, kl) == 0 && p[kl] == '=')
			return qs_pstrndup(c->ctx, p + kl + 1, e != NULL ?
			    (size_t)(e - p - kl - 1) : strlen(p + kl + 1));
		p = e != NULL ? e + 1 : NULL;
	}
	return NULL;
}

static void
cli_member_row(struct cli *c, char **cell, const char *line,
    uint64_t lineno)
{
	struct qs_evidence	 ev = qs_evidence_line(c->ctx, lineno, line);
	int			 inode = cli_col(c, "Node"), iaddr =
	    cli_col(c, "Address"), istat = cli_col(c, "Status"), itype =
	    cli_col(c, "Type"), itags = cli_col(c, "Tags");
	const char		*name = cell[inode], *addr = cell[iaddr],
	    *status = cell[istat], *id = NULL;
	enum qs_member_state	 state = cli_serf_state(status);
	int			 server = 0;

	if (*name == '\0' || *status == '\0')
		return;
	if (itype >= 0)
		server = strcmp(cell[itype], "server") == 0;
	if (itags >= 0) {
		const char	*role = cli_tag(c, cell[itags], "role");

		server = role != NULL && strcmp(role, "consul") == 0;
		id = cli_tag(c, cell[itags], "id");
	}
	if (c->view == NULL)
		c->view = qs_emit_view(c->ctx, QS_VIEW_GOSSIP, "consul members",
		    &ev);
	qs_view_add(c->ctx, c->view, name, *addr != '\0' ? addr : NULL, id,
	    state);
	if (*addr != '\0')
		qs_emit_identity(c->ctx, QS_ID_ADDRESS, addr, "serf_lan", name,
		    &ev);
	if (id != NULL && *id != '\0')
		qs_emit_identity(c->ctx, QS_ID_NODE_ID, id, NULL, name, &ev);
	if (server)
		qs_emit_setting(c->ctx, "consul.cli.server", name, &ev);
	/* serf probes its members itself: its verdict at collection time. */
	if (state == QS_MEMBER_ALIVE)
		qs_probe_emit(c->ctx, &c->probe, QS_SIG_PROBE_UP, name,
		    "serf: alive", &ev);
	else if (state == QS_MEMBER_FAILED || state == QS_MEMBER_LEFT)
		qs_probe_emit(c->ctx, &c->probe, QS_SIG_PROBE_DOWN, name,
		    state == QS_MEMBER_FAILED ? "serf: failed" : "serf: left",
		    &ev);
}

static void
cli_peer_row(struct cli *c, char **cell, const char *line, uint64_t lineno)
{
	struct qs_evidence	 ev = qs_evidence_line(c->ctx, lineno, line);
	const char		*name = cell[cli_col(c, "Node")],
	    *id = cell[cli_col(c, "ID")], *addr = cell[cli_col(c, "Address")],
	    *state = cell[cli_col(c, "State")],
	    *voter = cell[cli_col(c, "Voter")];

	if (*name == '\0' || *addr == '\0')
		return;
	if (c->view == NULL) {
		c->view = qs_emit_view(c->ctx, QS_VIEW_CONSENSUS,
		    "consul operator raft list-peers", &ev);
		/* It answered: the agent asked is up, and a leader serves. */
		qs_probe_emit(c->ctx, &c->probe, QS_SIG_PROBE_UP, NULL,
		    "raft list-peers answered", &ev);
	}
	qs_view_add(c->ctx, c->view, name, addr, *id != '\0' ? id : NULL,
	    strcmp(voter, "false") == 0 ? QS_MEMBER_NONVOTER :
	    QS_MEMBER_VOTER);
	if (*id != '\0')
		qs_emit_identity(c->ctx, QS_ID_NODE_ID, id, NULL, name, &ev);
	qs_emit_identity(c->ctx, QS_ID_ADDRESS, addr, "raft", name, &ev);
	if (strcmp(state, "leader") == 0) {
		qs_emit_setting(c->ctx, "consul.cli.raft_leader", name, &ev);
		qs_probe_emit(c->ctx, &c->probe, QS_SIG_PROBE_UP, name,
		    "raft leader", &ev);
	}
}

/*
 * raft latest_configuration: "[{Suffrage:Voter ID:<id> Address:<addr>}
 * {Suffrage:Nonvoter ...}]" (fmt's %+v of []raft.Server).
 */
static void
consul_info_configuration(struct qs_consul_info *in, const char *source)
{
	struct qs_parse_ctx	*ctx = in->ctx;
	struct qs_evidence	 ev;
	struct qs_view		*v;
	const char		*p, *e, *f;
	char			 suffrage[16], id[128], addr[128];
	size_t			 n = 0;
	uint64_t		 u;

	if (in->config == NULL)
		return;
	ev = qs_evidence_line(ctx, in->config_line, in->config);
	v = qs_emit_view(ctx, QS_VIEW_CONSENSUS, source, &ev);
	if (in->config_index != NULL && qs_parse_dec_u64(in->config_index,
	    strlen(in->config_index), &u) == 0) {
		v->clock.set |= QS_CLOCK_INDEX;
		v->clock.index = u;
	}
	if (in->term != NULL && qs_parse_dec_u64(in->term, strlen(in->term),
	    &u) == 0) {
		v->clock.set |= QS_CLOCK_TERM;
		v->clock.term = u;
	}
	for (p = in->config; (p = strchr(p, '{')) != NULL &&
	    n < CLI_CONFIG_MAX; p = e + 1, n++) {
		if ((e = strchr(p, '}')) == NULL)
			break;
		suffrage[0] = id[0] = addr[0] = '\0';
#define CLI_FIELD(name, buf)						\
		if ((f = strstr(p, name)) != NULL && f < e) {		\
			size_t	l;					\
									\
			f += strlen(name);				\
			l = strcspn(f, " }");				\
			if (l >= sizeof(buf))				\
				l = sizeof(buf) - 1;			\
			memcpy(buf, f, l);				\
			buf[l] = '\0';					\
		}
		CLI_FIELD("Suffrage:", suffrage)
		CLI_FIELD("ID:", id)
		CLI_FIELD("Address:", addr)
#undef CLI_FIELD
		if (addr[0] == '\0' && id[0] == '\0')
			continue;
		qs_view_add(ctx, v, NULL, addr[0] != '\0' ? addr : NULL,
		    id[0] != '\0' ? id : NULL, strcmp(suffrage, "Voter") == 0 ?
		    QS_MEMBER_VOTER : QS_MEMBER_NONVOTER);
	}
}

void
qs_consul_info_init(struct qs_consul_info *in, struct qs_parse_ctx *ctx,
    const struct qs_probe *probe)
{
	memset(in, 0, sizeof(*in));
	in->ctx = ctx;
	in->probe = probe;
}

/*
 * The agent's stats are complete: the latest configuration as a view
 * named `source`, and the probe its raft state amounts to.
 */
void
qs_consul_info_done(struct qs_consul_info *in, const char *source)
{
	struct qs_evidence	 ev;
	enum qs_signal_kind	 kind;
	const char		*detail;

	consul_info_configuration(in, source);
	if (in->info_line == 0)
		return;
	ev = qs_evidence_line(in->ctx, in->info_line, in->info_text);
	if (in->state == NULL) {
		/* A client agent: it runs; raft is the servers' business. */
		kind = QS_SIG_PROBE_UP;
		detail = "agent answered";
	} else if (strcmp(in->state, "Leader") == 0) {
		kind = QS_SIG_PROBE_UP;
		detail = "raft state Leader";
	} else if (strcmp(in->state, "Follower") == 0 &&
	    in->leader_addr != NULL && *in->leader_addr != '\0') {
		kind = QS_SIG_PROBE_UP;
		detail = "raft state Follower";
	} else {
		kind = QS_SIG_PROBE_NOT_SERVING;
		detail = qs_arena_printf(&in->ctx->run->arena, "raft state %s, "
		    "no leader", in->state);
	}
	qs_probe_emit(in->ctx, in->probe, kind, NULL, detail, &ev);
}

/* One stat, "section.key" = value, from `line` of the artifact. */
void
qs_consul_info_value(struct qs_consul_info *in, const char *section,
    const char *key, const char *val, uint64_t lineno, const char *line)
{
	static const char *const keep[] = {
		"consul.server", "consul.leader", "consul.leader_addr",
		"consul.bootstrap", "consul.known_servers", "raft.state",
		"raft.term", "raft.last_log_index", "raft.last_log_term",
		"raft.commit_index", "raft.applied_index", "raft.num_peers",
		"raft.last_contact", "raft.latest_configuration_index",
		"raft.protocol_version", "raft.last_snapshot_index",
		"serf_lan.members", "serf_lan.failed", "serf_lan.left",
		"serf_lan.health_score", "agent.check_monitors", NULL
	};
	struct qs_parse_ctx	*ctx = in->ctx;
	struct qs_evidence	 ev;
	char			 full[96];
	size_t			 i;

	if ((size_t)snprintf(full, sizeof(full), "%s.%s", section, key) >=
	    sizeof(full))
		return;
	if (in->info_line == 0) {
		in->info_line = lineno;
		in->info_text = qs_pstrdup(ctx, line);
	}
	if (strcmp(full, "raft.latest_configuration") == 0) {
		in->config = qs_pstrdup(ctx, val);
		in->config_line = lineno;
		return;
	}
	for (i = 0; keep[i] != NULL; i++)
		if (strcmp(keep[i], full) == 0)
			break;
	if (keep[i] == NULL)
		return;
	ev = qs_evidence_line(ctx, lineno, line);
	qs_emit_setting(ctx, qs_arena_printf(&ctx->run->arena,
	    "consul.info.%s", full), val, &ev);
	if (strcmp(full, "raft.state") == 0) {
		in->state = qs_pstrdup(ctx, val);
		in->info_line = lineno;
		in->info_text = qs_pstrdup(ctx, line);
	} else if (strcmp(full, "consul.leader_addr") == 0)
		in->leader_addr = qs_pstrdup(ctx, val);
	else if (strcmp(full, "raft.latest_configuration_index") == 0)
		in->config_index = qs_pstrdup(ctx, val);
	else if (strcmp(full, "raft.term") == 0)
		in->term = qs_pstrdup(ctx, val);
}

static void
cli_info_done(struct cli *c)
{
	if (c->table != CLI_INFO)
		return;
	c->table = CLI_NONE;
	qs_consul_info_done(&c->info, "consul info latest_configuration");
}

/* "\tkey = value" under a section. */
static void
cli_info_line(struct cli *c, char *s, const char *line, uint64_t lineno)
{
	char	*eq, *key, *val;

	if ((eq = strstr(s, " = ")) != NULL) {
		*eq = '\0';
		val = cli_trim(eq + 3);
	} else if (strlen(s) > 2 && strcmp(s + strlen(s) - 2, " =") == 0) {
		s[strlen(s) - 2] = '\0';	/* "key =": an empty value */
		val = s + strlen(s);
	} else
		return;
	key = cli_trim(s);
	qs_consul_info_value(&c->info, c->section, key, val, lineno, line);
}

/* "Error retrieving members: ...": a probe when the error says which. */
static void
cli_error(struct cli *c, const char *s, const char *line, uint64_t lineno)
{
	struct qs_evidence	 ev = qs_evidence_line(c->ctx, lineno, line);
	const char		*target;
	int			 kind;

	qs_emit_setting(c->ctx, "consul.cli.error", s, &ev);
	if ((kind = qs_probe_error_kind(s)) < 0)
		return;
	target = qs_probe_target(c->ctx, c->probe.command);
	if (target != NULL && qs_probe_target_is_local(target))
		target = NULL;
	qs_probe_emit(c->ctx, &c->probe, (enum qs_signal_kind)kind, target, s,
	    &ev);
}

static void
cli_line(struct cli *c, char *s, uint64_t lineno)
{
	char	*t, *cell[CLI_COLS];
	char	*line = s;
	size_t	 n;

	n = strlen(s);
	while (n > 0 && (s[n - 1] == '\r' || s[n - 1] == ' '))
		s[--n] = '\0';
	if (c->table != CLI_INFO || (s[0] != '\t' && s[0] != ' ')) {
		if (c->table == CLI_INFO && n > 1 && s[n - 1] == ':' &&
		    strchr(s, ' ') == NULL && n - 1 < sizeof(c->section)) {
			memcpy(c->section, s, n - 1);
			c->section[n - 1] = '\0';
			return;
		}
		cli_info_done(c);
		if (qs_probe_line(c->ctx, &c->probe, s, n, lineno)) {
			c->table = CLI_NONE;
			return;
		}
	}
	t = cli_trim(s);
	if (*t == '\0')
		return;
	if (strncmp(t, "Error ", 6) == 0 && strstr(t, ": ") != NULL) {
		c->table = CLI_NONE;
		cli_error(c, t, line, lineno);
		return;
	}
	if (strncmp(t, "Node ", 5) == 0 && strstr(t, "Address") != NULL) {
		if (strstr(t, "Status") != NULL)
			cli_header(c, s, CLI_MEMBERS);
		else if (strstr(t, "Voter") != NULL && strstr(t, " ID ") !=
		    NULL)
			cli_header(c, s, CLI_PEERS);
		if (c->table == CLI_MEMBERS && (cli_col(c, "Node") < 0 ||
		    cli_col(c, "Address") < 0 || cli_col(c, "Status") < 0))
			c->table = CLI_NONE;
		if (c->table == CLI_PEERS && (cli_col(c, "Node") < 0 ||
		    cli_col(c, "ID") < 0 || cli_col(c, "Address") < 0 ||
		    cli_col(c, "State") < 0 || cli_col(c, "Voter") < 0))
			c->table = CLI_NONE;
		return;
	}
	/* consul info starts with its first section, always "agent:". */
	if (c->table != CLI_INFO && n > 1 && s[n - 1] == ':' && s[0] != ' ' &&
	    s[0] != '\t' && strchr(s, ' ') == NULL &&
	    n - 1 < sizeof(c->section) && (strcmp(s, "agent:") == 0 ||
	    strcmp(s, "consul:") == 0 || strcmp(s, "raft:") == 0)) {
		c->table = CLI_INFO;
		c->view = NULL;
		qs_consul_info_init(&c->info, c->ctx, &c->probe);
		memcpy(c->section, s, n - 1);
		c->section[n - 1] = '\0';
		return;
	}
	if (c->table == CLI_INFO) {
		cli_info_line(c, s, line, lineno);
		return;
	}
	if ((c->table != CLI_MEMBERS && c->table != CLI_PEERS) ||
	    c->rows >= CLI_ROWS_MAX)
		return;
	line = qs_xstrdup(s);
	if (cli_cells(c, s, cell) == 0) {
		free(line);
		return;
	}
	c->rows++;
	if (c->table == CLI_MEMBERS)
		cli_member_row(c, cell, line, lineno);
	else
		cli_peer_row(c, cell, line, lineno);
	free(line);
}

static int
cli_each(void *arg, char *line, size_t len, uint64_t lineno)
{
	(void)len;
	cli_line(arg, line, lineno);
	return 0;
}

int
qs_parse_consul_cli(struct qs_parse_ctx *ctx)
{
	struct cli	c;

	memset(&c, 0, sizeof(c));
	c.ctx = ctx;
	qs_parse_lines(ctx, CLI_LINE_MAX, cli_each, &c);
	cli_info_done(&c);
	if (c.rows >= CLI_ROWS_MAX)
		qs_parse_diag(ctx, QS_SEV_WARNING, 0, "more than %d rows; the "
		    "rest are not read", CLI_ROWS_MAX);
	cli_forget_header(&c);
	return 0;
}
