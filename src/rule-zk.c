/*
 * ZooKeeper rules read from the configured ensembles (zoo.cfg and its
 * dynamic files) against where the servers really are (seed 004: a binder
 * zone replaced from a cloned image kept the old address in zoo.cfg):
 *
 *   zk-stale-address  a server.N line names an address that server N (the
 *                     node whose myid is N) no longer has.
 *   zk-cfg-differ     nodes list different ensembles.
 *   zk-myid-missing   a node's myid has no server.N line in its own
 *                     configuration ("My id N not in the peer list").
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "quorumscope.h"

/*
 * Is myid `id` claimed by two nodes' own myid files?  Then a server.N line
 * cannot say which of them it means (zk-duplicate-myid says why).
 */
static int
zk_myid_shared(const struct qs_run *run, const char *id)
{
	const struct qs_node	*first = NULL;
	size_t			 i;

	for (i = 0; i < run->identities.n; i++) {
		const struct qs_identity	*x = run->identities.v[i];

		if (x->kind != QS_ID_MYID || x->subject != NULL ||
		    x->ev.artifact == NULL || x->ev.artifact->kind == NULL ||
		    strcmp(x->ev.artifact->kind->name, "zk.myid") != 0 ||
		    strcmp(x->value, id) != 0)
			continue;
		if (first == NULL)
			first = x->ev.artifact->node;
		else if (x->ev.artifact->node != first)
			return 1;
	}
	return 0;
}

/* "127.0.0.58:2888:3888" with its host replaced. */
static const char *
zk_replace_host(struct qs_analysis *an, const char *raw, const char *host)
{
	const char	*colon = strchr(raw, ':');

	return qs_arena_printf(&an->run->arena, "%s%s", host,
	    colon != NULL ? colon : "");
}

static void
rule_zk_stale_address(struct qs_analysis *an, const struct qs_rule *rule)
{
	struct qs_run		*run = an->run;
	struct qs_finding	*f = NULL;
	const char		*stale_id = NULL;
	size_t			 i, j;
	char			 key[64];

	for (i = 0; i < run->views.n; i++) {
		const struct qs_view	*v = run->views.v[i];

		/* The configuration each server runs, not its copies. */
		if (!qs_zk_cfg_view(v) || v->observer == NULL ||
		    qs_zk_node_cfg(run, v->observer) != v)
			continue;
		for (j = 0; j < v->members.n; j++) {
			const struct qs_member		*m = v->members.v[j];
			const struct qs_setting		*line;
			const char			*host, *now;

			if (m->node == NULL || m->address == NULL ||
			    m->id == NULL || zk_myid_shared(run, m->id) ||
			    (host = qs_address_host(&run->arena,
			    m->address)) == NULL ||
			    qs_node_has_host(run, m->node, host) != 0)
				continue;
			now = qs_node_host(an->run, m->node, host);
			snprintf(key, sizeof(key), "zk.server.%s", m->id);
			line = qs_setting_get(run, v->observer,
			    QS_SYS_ZOOKEEPER, key);
			if (f == NULL)
				f = qs_finding_new(an, rule, "zoo.cfg names "
				    "server %s at %s, where it no longer is",
				    m->id, host);
			stale_id = m->id;
			qs_finding_node(f, v->observer);
			qs_finding_node(f, m->node);
			qs_finding_evidence(f, line != NULL ? &line->ev :
			    &v->ev);
			qs_finding_fact(an, f, "%s's %s has server.%s=%s.",
			    v->observer->name, v->source, m->id,
			    line != NULL ? line->value : m->address);
			if (line != NULL && now != NULL)
				qs_finding_step(an, f, "On %s, in %s, replace "
				    "`server.%s=%s` with `server.%s=%s`.",
				    v->observer->name, v->ev.artifact->member,
				    m->id, line->value, m->id,
				    zk_replace_host(an, line->value, now));
		}
	}
	if (f == NULL)
		return;
	for (i = 0; i < f->nodes.n; i++) {
		const struct qs_node	*node = f->nodes.v[i];
		const char		*now;

		if (qs_node_ident(node, QS_ID_MYID, NULL) == NULL ||
		    strcmp(qs_node_ident(node, QS_ID_MYID, NULL)->value,
		    stale_id) != 0)
			continue;
		now = qs_node_host(an->run, node, NULL);
		qs_finding_fact(an, f, "%s has myid %s and is at %s: the "
		    "address in the configuration belongs to the server it "
		    "replaced.", node->name, stale_id, now != NULL ? now :
		    "another address");
	}
	qs_finding_fact(an, f, "The ensemble counts server %s as a voter it "
	    "cannot reach: with one more server down there is no quorum, and "
	    "server %s itself cannot join (\"Cannot open channel to %s at "
	    "election address\").", stale_id, stale_id, stale_id);
	qs_finding_step(an, f, "Restart ZooKeeper on every server after the "
	    "change (Triton binder: `svcadm restart "
	    "svc:/smartdc/application/zookeeper:default`).");
	qs_finding_step(an, f, "On Triton, also correct the server's host in "
	    "the sdc application's metadata.ZK_SERVERS (`sapiadm update "
	    "<sdc application uuid> -f <file>` with "
	    "{\"metadata\": {\"ZK_SERVERS\": [...]}}), or the next zone update "
	    "writes the old address back.");
}

/* "1=10.0.0.1:2888 3=10.0.0.2:2888": a configuration as comparable text. */
static const char *
zk_view_text(struct qs_analysis *an, const struct qs_view *v)
{
	const char	*out = "";
	size_t		 i;

	for (i = 0; i < v->members.n; i++) {
		const struct qs_member	*m = v->members.v[i];

		out = qs_arena_printf(&an->run->arena, "%s%s%s=%s", out,
		    i > 0 ? " " : "", m->id != NULL ? m->id : "?",
		    m->address != NULL ? m->address : "?");
	}
	return out;
}

static void
rule_zk_cfg_differ(struct qs_analysis *an, const struct qs_rule *rule)
{
	struct qs_run		*run = an->run;
	const struct qs_view	*first = NULL, *v;
	struct qs_finding	*f = NULL;
	size_t			 i;

	for (i = 0; i < run->nodes.n; i++) {
		if ((v = qs_zk_node_cfg(an->run, run->nodes.v[i])) == NULL)
			continue;
		if (first == NULL)
			first = v;
		else if (f == NULL && !qs_zk_cfg_same(first, v))
			f = qs_finding_new(an, rule, "ZooKeeper servers list "
			    "different ensembles");
	}
	if (f == NULL)
		return;
	for (i = 0; i < run->nodes.n; i++) {
		if ((v = qs_zk_node_cfg(an->run, run->nodes.v[i])) == NULL)
			continue;
		qs_finding_node(f, v->observer);
		qs_finding_evidence(f, &v->ev);
		qs_finding_fact(an, f, "%s's %s: %s.", v->observer->name,
		    v->source, zk_view_text(an, v));
	}
	qs_finding_fact(an, f, "Servers that count different ensembles count "
	    "different majorities and may vote for leaders the others do "
	    "not accept.");
	qs_finding_step(an, f, "Make every server's server.N lines the same "
	    "(the servers that really exist, at their current addresses), "
	    "then restart the servers one at a time, followers first.");
}

/*
 * The server's own "My id N not in the peer list" (QuorumPeer refusing
 * to start): the last one it logged, or NULL.
 */
static const struct qs_signal *
zk_not_in_peer_list(const struct qs_run *run, const struct qs_node *node)
{
	const struct qs_signal	*last = NULL;
	size_t			 i;

	for (i = 0; i < run->signals.n; i++) {
		const struct qs_signal	*g = run->signals.v[i];

		if (g->kind == QS_SIG_REMOVED_SELF && g->observer == node &&
		    g->system == QS_SYS_ZOOKEEPER && g->subject == NULL)
			last = g;
	}
	return last;
}

/*
 * The log says the server is not in its peer list but its configuration
 * or myid is not in the bundle: the log alone is the evidence.
 */
static void
zk_myid_logged(struct qs_analysis *an, const struct qs_rule *rule,
    const struct qs_node *node, const struct qs_signal *g)
{
	struct qs_finding	*f;

	f = qs_finding_new(an, rule, "%s refused to start: its myid is not "
	    "in its peer list", node->name);
	qs_finding_node(f, (struct qs_node *)node);
	qs_finding_evidence(f, &g->ev);
	qs_finding_fact(an, f, "%s logged \"%s\" (line %llu): the server.N "
	    "lines it read at that start had no line for its own myid, so "
	    "it exited instead of joining the ensemble.", node->name,
	    g->ev.excerpt != NULL ? g->ev.excerpt : "My id not in the peer "
	    "list", (unsigned long long)g->ev.line);
	qs_finding_fact(an, f, "Its zoo.cfg or myid file is not in the "
	    "bundle: collect opt/local/etc/zookeeper/zoo.cfg, any "
	    "zoo.cfg.dynamic.* and the data dir's myid to see which is "
	    "wrong.");
	qs_finding_step(an, f, "Compare %s's myid file with the server.N "
	    "lines of the zoo.cfg (and dynamic file) it starts with; give it "
	    "the myid of its line, or add its line to every server's "
	    "configuration, then start it.", node->name);
}

static void
rule_zk_myid_missing(struct qs_analysis *an, const struct qs_rule *rule)
{
	struct qs_run		*run = an->run;
	const struct qs_zk	*z = qs_zk_facts(an);
	struct qs_finding	*f;
	size_t			 i, j;

	for (i = 0; i < run->nodes.n; i++) {
		const struct qs_node		*node = run->nodes.v[i];
		const struct qs_identity	*myid;
		const struct qs_view		*v = qs_zk_node_cfg(an->run, node);
		const struct qs_signal		*said;
		int				 hit = 0;

		said = zk_not_in_peer_list(run, node);
		if (v == NULL || (myid = qs_node_ident(node, QS_ID_MYID,
		    NULL)) == NULL) {
			if (said != NULL)
				zk_myid_logged(an, rule, node, said);
			continue;
		}
		for (j = 0; j < v->members.n && !hit; j++) {
			const struct qs_member	*m = v->members.v[j];

			hit = m->id != NULL && strcmp(m->id, myid->value) == 0;
		}
		if (hit)
			continue;	/* a logged refusal was fixed since */
		/* Removed by a reconfiguration: zk-removed-member-present. */
		if (z != NULL && qs_zk_removed(z, myid->value) != NULL)
			continue;
		f = qs_finding_new(an, rule, "%s's myid %s has no server.%s "
		    "line", node->name, myid->value, myid->value);
		qs_finding_node(f, (struct qs_node *)node);
		qs_finding_evidence(f, &myid->ev);
		qs_finding_evidence(f, &v->ev);
		if (said != NULL) {
			qs_finding_evidence(f, &said->ev);
			qs_finding_fact(an, f, "%s's log confirms it (line "
			    "%llu).", node->name,
			    (unsigned long long)said->ev.line);
		}
		if (strstr(v->source, "dynamic") != NULL) {
			/* A reconfig removed it: it may run, not vote. */
			f->level = QS_LEVEL_WARNING;
			qs_finding_fact(an, f, "%s's latest %s lists %s, not "
			    "server %s: a reconfiguration removed it from the "
			    "ensemble, and it can at most run as a non-voting "
			    "follower.", node->name, v->source,
			    zk_view_text(an, v), myid->value);
			qs_finding_step(an, f, "If %s should vote again, add it "
			    "back through the leader (`reconfig -add "
			    "server.%s=...`); if not, stop it and move its data "
			    "dir aside.", node->name, myid->value);
			continue;
		}
		qs_finding_fact(an, f, "%s's %s lists %s, not server %s: "
		    "ZooKeeper refuses to start in the ensemble (\"My id %s "
		    "not in the peer list\").", node->name, v->source,
		    zk_view_text(an, v), myid->value, myid->value);
		qs_finding_step(an, f, "Give %s the myid of its server.N line "
		    "(the myid file in its data dir), or add its line to every "
		    "server's configuration.", node->name);
	}
}

/* The raw server.N line of node's configuration `cfg` (its own file). */
static const struct qs_setting *
zk_line_in(const struct qs_run *run, const struct qs_view *cfg,
    const char *id)
{
	size_t	i;
	char	key[64];

	snprintf(key, sizeof(key), "zk.server.%s", id);
	for (i = 0; i < run->settings.n; i++) {
		const struct qs_setting	*st = run->settings.v[i];

		if (st->observer == cfg->observer &&
		    st->ev.artifact == cfg->ev.artifact &&
		    strcmp(st->key, key) == 0)
			return st;
	}
	return NULL;
}

/*
 * "host:qport:eport:role;client" split into its fields (IPv6 hosts in
 * brackets kept whole); n of 5.
 */
static size_t
zk_line_fields(struct qs_analysis *an, const char *line, const char *f[5])
{
	const char	*p = line, *semi = strchr(line, ';'), *end, *c;
	size_t		 n = 0;

	end = semi != NULL ? semi : line + strlen(line);
	while (p < end && n < 4) {
		c = p;
		if (*c == '[' && (c = memchr(c, ']', (size_t)(end - c))) ==
		    NULL)
			c = p;
		c = memchr(c, ':', (size_t)(end - c));
		if (c == NULL)
			c = end;
		f[n++] = qs_arena_printf(&an->run->arena, "%.*s",
		    (int)(c - p), p);
		p = c < end ? c + 1 : end;
	}
	while (n < 4)
		f[n++] = "";
	f[n++] = semi != NULL ? semi + 1 : "";
	return n;
}

/*
 * A server whose own server.N line differs from the line every other
 * server has for it, in any field: it binds its quorum and election
 * listeners where its own line says (QuorumCnxManager.Listener,
 * QuorumPeer.QuorumServer in apache/zookeeper), while the others dial
 * where theirs say; the election connections between them fail
 * ("Cannot open channel to N at election address"), so it is locked out
 * of elections, or counts a different role.
 */
static void
rule_zk_inconsistent_server(struct qs_analysis *an,
    const struct qs_rule *rule)
{
	static const char *const names[5] = { "host", "quorum port",
	    "election port", "role", "client address" };
	struct qs_run		*run = an->run;
	const struct qs_zk	*z = qs_zk_facts(an);
	size_t			 i, j, k, nf;
	char			 fields[160];

	if (z == NULL)
		return;
	for (i = 0; i < z->n; i++) {
		const struct qs_zk_srv	*s = &z->srv[i];
		const struct qs_setting	*own, *other = NULL, *o;
		const struct qs_zk_srv	*by = NULL;
		struct qs_finding	*f;
		const char		*a[5], *b[5];
		size_t			 differ = 0, agree = 0;

		/* Two servers with one myid: zk-duplicate-myid says why. */
		if (s->myid == NULL || s->cfg == NULL ||
		    zk_myid_shared(run, s->myid) ||
		    (own = zk_line_in(run, s->cfg, s->myid)) == NULL)
			continue;
		for (j = 0; j < z->n; j++) {
			if (j == i || z->srv[j].cfg == NULL ||
			    (o = zk_line_in(run, z->srv[j].cfg, s->myid)) ==
			    NULL)
				continue;
			if (strcmp(o->value, own->value) == 0) {
				agree++;
				continue;
			}
			if (other == NULL) {
				other = o;
				by = &z->srv[j];
			}
			differ++;
		}
		/* Its line against a majority of the others' agreeing. */
		if (other == NULL || differ <= agree)
			continue;
		(void)zk_line_fields(an, own->value, a);
		nf = zk_line_fields(an, other->value, b);
		fields[0] = '\0';
		for (k = 0; k < nf; k++)
			if (strcmp(a[k], b[k]) != 0)
				snprintf(fields + strlen(fields),
				    sizeof(fields) - strlen(fields), "%s%s",
				    fields[0] != '\0' ? ", " : "", names[k]);
		f = qs_finding_new(an, rule, "%s's own server.%s line differs "
		    "from the others' (%s)", s->node->name, s->myid, fields);
		qs_finding_node(f, s->node);
		qs_finding_evidence(f, &own->ev);
		qs_finding_fact(an, f, "%s's %s has server.%s=%s.",
		    s->node->name, s->cfg->source, s->myid, own->value);
		for (j = 0; j < z->n; j++) {
			if (j == i || z->srv[j].cfg == NULL ||
			    (o = zk_line_in(run, z->srv[j].cfg, s->myid)) ==
			    NULL || strcmp(o->value, own->value) == 0)
				continue;
			qs_finding_node(f, z->srv[j].node);
			qs_finding_evidence(f, &o->ev);
			qs_finding_fact(an, f, "%s's %s has server.%s=%s.",
			    z->srv[j].node->name, z->srv[j].cfg->source,
			    s->myid, o->value);
		}
		if (strcmp(a[2], b[2]) != 0 || strcmp(a[0], b[0]) != 0)
			qs_finding_fact(an, f, "%s listens for elections where "
			    "its own line says (%s:%s), the others dial %s:%s: "
			    "their election connections to it fail, and %s is "
			    "locked out of elections (\"Cannot open channel to "
			    "%s at election address\").", s->node->name, a[0],
			    a[2], b[0], b[2], s->node->name, s->myid);
		else if (strcmp(a[1], b[1]) != 0)
			qs_finding_fact(an, f, "%s listens for its followers "
			    "(when it leads) and talks to its leader on quorum "
			    "port %s; the others use %s: it can win an election "
			    "and lead nobody, or never sync.", s->node->name,
			    a[1], b[1]);
		if (strcmp(a[3], b[3]) != 0)
			qs_finding_fact(an, f, "It counts itself as %s, the "
			    "others count it as %s: the servers count different "
			    "majorities.", *a[3] != '\0' ? a[3] : "participant",
			    *b[3] != '\0' ? b[3] : "participant");
		qs_finding_step(an, f, "On %s, in %s, replace `server.%s=%s` "
		    "with `server.%s=%s` (what %s and the others have), then "
		    "restart it.", s->node->name, s->cfg->ev.artifact != NULL ?
		    s->cfg->ev.artifact->member : s->cfg->source, s->myid,
		    own->value, s->myid, other->value, by->node->name);
	}
}

/*
 * The last "Follower sid: N not in the current config V" a leader logged
 * about server `id` (LearnerHandler accepts such a server as a follower
 * that does not vote), at or after `after` when that is set.
 */
static const struct qs_signal *
zk_nonvoter_accepted(const struct qs_run *run, const char *id,
    const struct qs_time *after)
{
	const struct qs_signal	*last = NULL;
	size_t			 i;

	for (i = 0; i < run->signals.n; i++) {
		const struct qs_signal	*g = run->signals.v[i];

		if (g->kind != QS_SIG_REMOVED_SELF || g->subject == NULL ||
		    g->system != QS_SYS_ZOOKEEPER ||
		    strcmp(g->subject, id) != 0)
			continue;
		if (after->set && (!g->time.set || g->time.ms < after->ms))
			continue;
		if (last == NULL || (g->time.set && last->time.set &&
		    g->time.ms >= last->time.ms))
			last = g;
	}
	return last;
}

/*
 * A server that a reconfiguration removed and that still runs: it
 * answered a four-letter word at collection, or (when nobody's answers
 * were collected) a leader accepted it as a non-voting follower after
 * the removal.  One that was stopped after its removal is a clean
 * decommission and says nothing.
 */
static void
rule_zk_removed_present(struct qs_analysis *an, const struct qs_rule *rule)
{
	struct qs_run		*run = an->run;
	const struct qs_zk	*z = qs_zk_facts(an);
	struct qs_finding	*f;
	size_t			 i, j, voters;
	int			 any_answered = 0;
	char			 t[40];

	if (z == NULL)
		return;
	for (i = 0; i < z->n; i++)
		any_answered |= z->srv[i].answered;
	for (i = 0; i < z->n; i++) {
		const struct qs_zk_srv		*s = &z->srv[i];
		const struct qs_zk_change	*rm;
		const struct qs_zk_version	*now;
		const struct qs_signal		*acc;

		if (s->myid == NULL ||
		    (rm = qs_zk_removed(z, s->myid)) == NULL)
			continue;
		acc = zk_nonvoter_accepted(run, s->myid, &rm->to->time);
		if (!s->answered && (any_answered || acc == NULL))
			continue;
		now = z->versions.v[z->versions.n - 1];
		for (voters = 0, j = 0; j < now->view->members.n; j++)
			if (((const struct qs_member *)now->view->members.v[j])->
			    state == QS_MEMBER_VOTER)
				voters++;
		f = qs_finding_new(an, rule, "%s (myid %s) was removed by a "
		    "reconfiguration and still runs", s->node->name, s->myid);
		qs_finding_node(f, s->node);
		qs_finding_evidence(f, rm->to->ev);
		qs_finding_fact(an, f, "Configuration version %llx%s%s "
		    "removed server.%s=%s; the ensemble's %zu voters are now "
		    "%s.", (unsigned long long)rm->to->version,
		    rm->to->time.set ? " at " : "", rm->to->time.set ?
		    qs_time_format(&rm->to->time, t, sizeof(t)) : "",
		    s->myid, rm->address != NULL ? rm->address : "?", voters,
		    zk_view_text(an, now->view));
		if (s->answered && s->mode != NULL) {
			qs_finding_evidence(f, &s->mode->ev);
			qs_finding_fact(an, f, "At collection %s answered as a "
			    "%s (Mode: %s): it runs, syncs and serves clients, "
			    "but does not vote.", s->node->name,
			    strcmp(s->mode->value, "observer") == 0 ?
			    "observer" : "non-voting follower",
			    s->mode->value);
		} else if (s->answered)
			qs_finding_fact(an, f, "%s answered a four-letter word "
			    "at collection: it runs but does not vote.",
			    s->node->name);
		if (acc != NULL) {
			qs_finding_evidence(f, &acc->ev);
			qs_finding_fact(an, f, "Its leader %s accepted it as a "
			    "follower outside the configuration (\"%s\"%s%s).",
			    acc->observer != NULL ? acc->observer->name : "?",
			    acc->ev.excerpt != NULL ? acc->ev.excerpt :
			    "Follower sid not in the current config",
			    acc->time.set ? " at " : "", acc->time.set ?
			    qs_time_format(&acc->time, t, sizeof(t)) : "");
		}
		qs_finding_fact(an, f, "Not a quorum problem: the %zu voters "
		    "decide alone; but its own zoo.cfg still makes it a "
		    "ZooKeeper server of this ensemble, and clients or "
		    "inventories that list it keep using it.", voters);
		qs_finding_step(an, f, "If %s should vote again, add it back "
		    "through the leader (`reconfig -add server.%s=%s...`).",
		    s->node->name, s->myid, rm->address != NULL ?
		    rm->address : "");
		qs_finding_step(an, f, "Otherwise decommission it: stop "
		    "ZooKeeper on %s, move its data dir aside, and take it out "
		    "of every client connect string (on Triton, of SAPI's "
		    "ZK_SERVERS).", s->node->name);
	}
}

/*
 * Without times there is no history to sweep.  No leader at the end:
 * the last leadership event of the ensemble is a
 * loss of quorum ("Not sufficient followers synced", a leader shutting
 * down) and no election was won after it.
 */
static void
zk_no_quorum_phrase(struct qs_analysis *an, const struct qs_rule *rule)
{
	struct qs_run		*run = an->run;
	const struct qs_event	*last_won = NULL;
	const struct qs_signal	*lost = NULL;
	const struct qs_node	*sv;
	const struct qs_evidence *sv_ev = NULL;
	struct qs_finding	*f;
	const char		*why = NULL;
	size_t			 i;
	char			 t[40];

	for (i = 0; i < run->events.n; i++) {
		const struct qs_event	*e = run->events.v[i];

		if (e->system == QS_SYS_ZOOKEEPER &&
		    e->kind == QS_EV_LEADER_ELECTED && e->time.set &&
		    (last_won == NULL || e->time.ms > last_won->time.ms))
			last_won = e;
	}
	for (i = 0; i < run->signals.n; i++) {
		const struct qs_signal	*s = run->signals.v[i];

		if (s->system == QS_SYS_ZOOKEEPER &&
		    s->kind == QS_SIG_QUORUM_LOST && s->time.set &&
		    (last_won == NULL || s->time.ms > last_won->time.ms) &&
		    (lost == NULL || s->time.ms > lost->time.ms))
			lost = s;
	}
	if (lost == NULL)
		return;
	f = qs_finding_new(an, rule, "No ZooKeeper leader since %s",
	    qs_time_format(&lost->time, t, sizeof(t)));
	qs_finding_node(f, lost->observer);
	qs_finding_evidence(f, &lost->ev);
	if (last_won != NULL) {
		qs_finding_evidence(f, &last_won->ev);
		/*
		 * A follower's "connected to leader" names the leader as
		 * its subject: the election was the subject's.
		 */
		const struct qs_node	*winner = last_won->subject_node !=
		    NULL ? last_won->subject_node : last_won->observer;

		if (winner != NULL && winner != last_won->observer &&
		    last_won->observer != NULL)
			qs_finding_fact(an, f, "The last election won in the "
			    "logs is %s's (%s followed it from %s).",
			    winner->name, last_won->observer->name,
			    qs_time_format(&last_won->time, t, sizeof(t)));
		else
			qs_finding_fact(an, f, "The last election won in the "
			    "logs is %s's at %s.", winner != NULL ?
			    winner->name : "?", qs_time_format(
			    &last_won->time, t, sizeof(t)));
	}
	qs_finding_fact(an, f, "%s then lost its quorum (%s) and no server "
	    "won an election after it: the ensemble serves no requests.",
	    lost->observer != NULL ? lost->observer->name : "?",
	    lost->detail != NULL ? lost->detail : "not enough followers");
	qs_finding_step(an, f, "Bring back enough servers for a majority of "
	    "the ensemble; the other findings say if a configuration keeps "
	    "one from joining.");
	for (i = 0; i < run->settings.n; i++) {
		const struct qs_setting	*st = run->settings.v[i];

		if (st->system != QS_SYS_ZOOKEEPER || st->observer == NULL ||
		    strcmp(st->key, "zk.log.slow_fsync_max_ms") != 0)
			continue;
		qs_finding_evidence(f, &st->ev);
		qs_finding_fact(an, f, "Contributing: %s logged a txn log fsync "
		    "of %s ms (zk-slow-fsync): slow acknowledgements can cost "
		    "a leader its synced followers.", st->observer->name,
		    st->value);
	}
	if ((sv = qs_zk_survivor(an, &why, &sv_ev)) != NULL) {
		qs_finding_evidence(f, sv_ev);
		qs_finding_step(an, f, "If they cannot come back, restart the "
		    "survivors with a configuration listing only them; start "
		    "%s first: %s.", sv->name, why);
	} else
		qs_finding_step(an, f, "If they cannot come back, restart the "
		    "survivors with a configuration listing only them, "
		    "starting from the one with the highest zxid (its txn "
		    "log's last zxid).");
}

/* The findings that explain a leaderless stretch with a majority up. */
static const char *const zk_leaderless_causes[] = {
	"zk-stale-address", "zk-cfg-differ", "zk-myid-missing",
	"zk-inconsistent-server",
	"zk-duplicate-myid", "zk-epoch-mismatch", NULL
};

static void
zk_no_quorum_steps(struct qs_analysis *an, struct qs_finding *f,
    const struct qs_quorum_stretch *st, int held)
{
	const struct qs_node	*sv;
	const struct qs_evidence *sv_ev = NULL;
	const char		*why = NULL;
	size_t			 i;

	if (held) {
		qs_finding_step(an, f, "Find why the running servers cannot "
		    "elect: each must reach every other on its quorum and "
		    "election ports at the address its server.N line gives, "
		    "with the same server list everywhere (`echo conf | nc "
		    "HOST 2181` on each shows what it runs).");
		return;
	}
	for (i = 0; st->worst != NULL && i < st->worst->down_members.n; i++) {
		const struct qs_hmember	*m = st->worst->down_members.v[i];

		qs_finding_step(an, f, "Start ZooKeeper on %s again (or bring "
		    "its host back); a majority of the servers must run and "
		    "reach each other.", m->label);
	}
	if ((sv = qs_zk_survivor(an, &why, &sv_ev)) != NULL) {
		qs_finding_evidence(f, sv_ev);
		qs_finding_step(an, f, "If they cannot come back, restart the "
		    "survivors with a configuration listing only them; start "
		    "%s first: %s.", sv->name, why);
	} else
		qs_finding_step(an, f, "If they cannot come back, restart the "
		    "survivors with a configuration listing only them, "
		    "starting from the one with the highest zxid (its txn "
		    "log's last zxid).");
}

/*
 * Quorum loss from the ensemble's history (quorum.c): every stretch
 * without a leader in which a majority of the voters was down, or which
 * lasted longer than an election takes although a majority was up.  The
 * latest is the finding; earlier ones are listed in it.  A stretch with
 * a majority up is a consequence of the configuration finding that
 * explains it, when there is one.
 */
static void
rule_zk_no_quorum(struct qs_analysis *an, const struct qs_rule *rule)
{
	struct qs_zk			*z = qs_zk_facts(an);
	const struct qs_quorum_stretch	*st;
	struct qs_finding		*f, *cause;
	struct qs_vec			 all = { NULL, 0, 0 };
	size_t				 i, pick;
	int				 held;

	if (z == NULL || z->history == NULL || !z->history->timed) {
		zk_no_quorum_phrase(an, rule);
		return;
	}
	qs_quorum_stretches(an->run, z->history, &all);
	if (all.n == 0) {
		qs_vec_free(&all);
		return;
	}
	/* The latest loss of the majority, else the latest stretch. */
	pick = qs_quorum_latest_loss(&all);
	st = all.v[pick];
	f = qs_finding_new(an, rule, "%s", qs_quorum_title(an->run,
	    z->history, st, "ZooKeeper"));
	qs_quorum_explain(an, f, z->history, st, "server");
	qs_quorum_others(an, f, &all, pick);
	held = st->held != NULL && (st->lost == NULL ||
	    qs_quorum_leaderless_held(z->history, st));
	for (i = 0; held && zk_leaderless_causes[i] != NULL; i++)
		if ((cause = qs_finding_find(an, zk_leaderless_causes[i])) !=
		    NULL) {
			qs_finding_caused_by(f, cause);
			qs_finding_fact(an, f, "Caused by %s: %s.",
			    cause->rule->id, cause->title);
		}
	if (!held && qs_quorum_link(an, f, st, zk_leaderless_causes) == 0)
		qs_finding_fact(an, f, "Nothing in the bundle says why they "
		    "went down: their own logs just end (a host lost, a kill, "
		    "a reboot).");
	if (held && f->causes.n == 0)
		qs_finding_fact(an, f, "No other finding explains it: look "
		    "for a network partition or a firewall between the "
		    "servers' quorum and election ports.");
	qs_zk_fsync_fact(an, f, z);
	zk_no_quorum_steps(an, f, st, held);
	qs_vec_free(&all);
}

const struct qs_rule qs_rule_zk_no_quorum = {
	.id = "zk-no-quorum",
	.kind = "quorum-loss",
	.level = QS_LEVEL_CRITICAL,
	.system = QS_SYS_ZOOKEEPER,
	.title = "the ensemble lost its quorum or had no leader",
	.explanation = "A leader needs a majority of the voting servers "
	    "synced; when too many are down, or the running ones cannot reach "
	    "each other, every server stays LOOKING and the ensemble serves "
	    "nothing.  Read from the ensemble's history: who was up, who led, "
	    "which servers voted, over time.",
	.remediation = "Restore a majority of the servers, or rebuild the "
	    "ensemble from the survivor with the highest zxid.",
	.check = rule_zk_no_quorum,
};

const struct qs_rule qs_rule_zk_stale_address = {
	.id = "zk-stale-address",
	.kind = "stale-peer",
	.level = QS_LEVEL_ERROR,
	.system = QS_SYS_ZOOKEEPER,
	.title = "zoo.cfg names a server at an address it no longer has",
	.explanation = "A server.N line whose address is not where server N "
	    "is (a zone replaced from a cloned image keeps the old address) "
	    "makes a voter the others cannot reach: the ensemble runs one "
	    "failure away from losing quorum, and server N cannot join.",
	.remediation = "Correct the server.N line on every server, restart "
	    "them, and on Triton correct SAPI's ZK_SERVERS too.",
	.check = rule_zk_stale_address,
};

const struct qs_rule qs_rule_zk_cfg_differ = {
	.id = "zk-cfg-differ",
	.kind = "inconsistent-config",
	.level = QS_LEVEL_ERROR,
	.system = QS_SYS_ZOOKEEPER,
	.title = "servers list different ensembles",
	.explanation = "Every server of an ensemble must list the same "
	    "servers, or they count different majorities.",
	.remediation = "Make the server.N lines identical everywhere and "
	    "restart the servers one at a time.",
	.check = rule_zk_cfg_differ,
};

const struct qs_rule qs_rule_zk_inconsistent_server = {
	.id = "zk-inconsistent-server",
	.kind = "inconsistent-config",
	.level = QS_LEVEL_ERROR,
	.system = QS_SYS_ZOOKEEPER,
	.title = "a server's own server.N line differs from the others'",
	.explanation = "A server binds its quorum and election ports where "
	    "its own server.N line says, the others dial where theirs say: "
	    "a difference in host, port or role locks it out of elections or "
	    "makes the servers count different majorities.",
	.remediation = "Make its line the same as the others' and restart "
	    "it.",
	.check = rule_zk_inconsistent_server,
};

const struct qs_rule qs_rule_zk_removed_member_present = {
	.id = "zk-removed-member-present",
	.kind = "removed-member-present",
	.level = QS_LEVEL_WARNING,
	.system = QS_SYS_ZOOKEEPER,
	.title = "a server removed by reconfiguration still runs",
	.explanation = "ZooKeeper's dynamic reconfiguration (3.5+) removes a "
	    "server from the voters, but a removed server that keeps running "
	    "is accepted by the leader as a follower that does not vote: it "
	    "keeps syncing and serving its clients, but counts for no "
	    "majority, and its removal was never finished.",
	.remediation = "Add it back with `reconfig -add`, or stop it and "
	    "remove it from the clients' connect strings.",
	.check = rule_zk_removed_present,
};

const struct qs_rule qs_rule_zk_myid_missing = {
	.id = "zk-myid-missing",
	.kind = "inconsistent-config",
	.level = QS_LEVEL_ERROR,
	.system = QS_SYS_ZOOKEEPER,
	.title = "a server's myid is not in its configuration",
	.explanation = "A server whose myid has no server.N line is not part "
	    "of the ensemble it is configured for and cannot join it.",
	.remediation = "Fix the myid file or add the server's line everywhere.",
	.check = rule_zk_myid_missing,
};
