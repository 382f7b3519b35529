/*
 * Triton rules (seed 004: a binder zone replaced from a cloned image; SAPI
 * and VMAPI kept the old picture, so the next zone update or reboot
 * rendered the wrong ensemble again):
 *
 *   triton-zk-servers-mismatch  SAPI ZK_SERVERS entry num N names a host
 *                               other than the one server N (myid N) has.
 *   triton-ghost-instance       VMAPI lists a running binder VM that no
 *                               longer exists next to its replacement.
 *   zk-ensemble-size            zoo.cfg lists an even number of voters, or
 *                               a number ha-binder does not support.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "quorumscope.h"

/* Where the corrected SAPI document is written in the repair steps. */
#define TRITON_ZK_FILE	"/opt/root/zk-servers"

static int
sapi_zk_view(const struct qs_view *v)
{
	return v->system == QS_SYS_TRITON && v->kind == QS_VIEW_CONFIGURED &&
	    (strncmp(v->source, "SAPI ZK_SERVERS (", 17) == 0 ||
	    strncmp(v->source, "SAPI ZK_HA_SERVERS (", 20) == 0);
}

/* The node whose myid is `id`, or NULL. */
static struct qs_node *
node_by_myid(struct qs_run *run, const char *id)
{
	const struct qs_identity	*my;
	size_t				 i;

	for (i = 0; i < run->nodes.n; i++) {
		struct qs_node	*n = run->nodes.v[i];

		if ((my = qs_node_ident(n, QS_ID_MYID, NULL)) != NULL &&
		    strcmp(my->value, id) == 0)
			return n;
	}
	return NULL;
}

/* The port of "host:port", or NULL. */
static const char *
addr_port(const char *addr)
{
	const char	*c = strrchr(addr, ':');

	return c != NULL && strchr(addr, ':') == c ? c + 1 : NULL;
}

/* Server `id`'s host in the first zoo.cfg listing it, and that view. */
static const char *
cfg_host(struct qs_run *run, const char *id, const struct qs_view **vp)
{
	size_t	i, j;

	for (i = 0; i < run->views.n; i++) {
		const struct qs_view	*c = run->views.v[i];

		if (!qs_zk_cfg_view(c) || c->observer == NULL)
			continue;
		for (j = 0; j < c->members.n; j++) {
			const struct qs_member	*cm = c->members.v[j];

			if (cm->id == NULL || cm->address == NULL ||
			    strcmp(cm->id, id) != 0)
				continue;
			*vp = c;
			return qs_address_host(&run->arena, cm->address);
		}
	}
	return NULL;
}

/*
 * Without the zone in the bundle: the SAPI binder instance whose ZK_ID is
 * `id` and the running VMAPI VM of the same uuid (a SAPI instance and its
 * VM share the uuid).  Returns the VM's address; *inst names the instance.
 */
static const char *
vm_host_by_zk_id(struct qs_run *run, const char *id, const char **inst)
{
	size_t	i, j, k;

	for (i = 0; i < run->identities.n; i++) {
		const struct qs_identity	*zid = run->identities.v[i];

		if (zid->kind != QS_ID_MYID || zid->system != QS_SYS_TRITON ||
		    zid->subject == NULL || strcmp(zid->value, id) != 0)
			continue;
		for (j = 0; j < run->views.n; j++) {
			const struct qs_view	*v = run->views.v[j];

			if (v->system != QS_SYS_TRITON ||
			    strcmp(v->source, "VMAPI VMs") != 0)
				continue;
			for (k = 0; k < v->members.n; k++) {
				const struct qs_member	*m = v->members.v[k];

				if (m->id != NULL && m->address != NULL &&
				    m->state == QS_MEMBER_ALIVE &&
				    strcmp(m->id, zid->subject) == 0) {
					*inst = zid->subject;
					return qs_address_host(&run->arena,
					    m->address);
				}
			}
		}
	}
	return NULL;
}

/* The application name between the parentheses of the view's source. */
static const char *
sapi_app(struct qs_run *run, const struct qs_view *v)
{
	const char	*o = strchr(v->source, '(');
	size_t		 n;

	if (o == NULL || (n = strlen(o + 1)) == 0)
		return NULL;
	return qs_arena_strndup(&run->arena, o + 1, n - 1);
}

static void
rule_triton_zk_servers(struct qs_analysis *an, const struct qs_rule *rule)
{
	struct qs_run		*run = an->run;
	size_t			 i, j, last;

	for (i = 0; i < run->views.n; i++) {
		const struct qs_view	*v = run->views.v[i];
		const struct qs_setting	*app_uuid;
		struct qs_finding	*f = NULL;
		const char		**fixed, *app, *doc;
		char			 key[256];

		if (!sapi_zk_view(v) || v->members.n == 0 ||
		    (app = sapi_app(run, v)) == NULL)
			continue;
		fixed = qs_arena_alloc(&run->arena, v->members.n *
		    sizeof(*fixed));
		for (j = 0; j < v->members.n; j++) {
			const struct qs_member	*m = v->members.v[j];
			const struct qs_node	*n;
			const struct qs_view	*c = NULL;
			const char		*host, *now, *cfg, *inst;

			fixed[j] = NULL;
			if (m->id == NULL || m->address == NULL ||
			    (host = qs_address_host(&run->arena,
			    m->address)) == NULL)
				continue;
			fixed[j] = host;
			inst = NULL;
			if ((n = node_by_myid(run, m->id)) != NULL) {
				if (qs_node_has_host(run, n, host) == 1 ||
				    (now = qs_node_host(run, n, host)) == NULL)
					continue;
			} else if ((now = vm_host_by_zk_id(run, m->id,
			    &inst)) == NULL || strcmp(now, host) == 0)
				continue;
			fixed[j] = now;
			if (f == NULL)
				f = qs_finding_new(an, rule, "%s names "
				    "ZooKeeper server %s at %s, but server %s "
				    "is at %s", v->source, m->id, host, m->id,
				    now);
			if (n != NULL)
				qs_finding_node(f, (struct qs_node *)n);
			qs_finding_evidence(f, &v->ev);
			qs_finding_fact(an, f, "%s: num %s has host %s.",
			    v->source, m->id, host);
			if (n != NULL)
				qs_finding_fact(an, f, "%s has myid %s and is "
				    "at %s.", n->name, m->id, now);
			else
				qs_finding_fact(an, f, "SAPI instance %s has "
				    "ZK_ID %s, and VMAPI has its VM running at "
				    "%s.", inst, m->id, now);
			/* What the binders' own zoo.cfg says for server N. */
			if ((cfg = cfg_host(run, m->id, &c)) != NULL)
				qs_finding_fact(an, f, "%s's %s has server.%s "
				    "at %s.", c->observer->name, c->source,
				    m->id, cfg);
			if (cfg != NULL && strcmp(cfg, host) != 0 &&
			    strcmp(cfg, now) != 0)
				qs_finding_fact(an, f, "SAPI, zoo.cfg and the "
				    "server itself give three different "
				    "addresses for server %s: the next zone "
				    "update renders SAPI's %s into zoo.cfg.",
				    m->id, host);
		}
		if (f == NULL)
			continue;
		/* The corrected document, in the shape sapiadm takes. */
		doc = "{\n  \"metadata\": {\n    \"ZK_SERVERS\": [\n";
		/* "last" marks the final entry written (a mustache helper). */
		for (last = 0, j = 0; j < v->members.n; j++)
			if (fixed[j] != NULL)
				last = j;
		for (j = 0; j < v->members.n; j++) {
			const struct qs_member	*m = v->members.v[j];
			const char		*port;

			if (fixed[j] == NULL)
				continue;
			port = addr_port(m->address);
			doc = qs_arena_printf(&run->arena, "%s      {\n"
			    "        \"host\": \"%s\",\n"
			    "        \"port\": %s,\n"
			    "        \"num\": %s%s\n      }%s\n", doc, fixed[j],
			    port != NULL ? port : "2181", m->id,
			    j == last ? ",\n        \"last\": true" : "",
			    j == last ? "" : ",");
		}
		doc = qs_arena_printf(&run->arena, "%s    ]\n  }\n}", doc);
		snprintf(key, sizeof(key), "triton.sapi.%s.uuid", app);
		app_uuid = qs_setting_get(run, v->observer, QS_SYS_TRITON, key);
		qs_finding_step(an, f, "On the headnode, write %s containing "
		    "exactly:\n%s", TRITON_ZK_FILE, doc);
		qs_finding_step(an, f, "Run `sapiadm update %s -f %s` (the "
		    "uuid of SAPI object %s in %s).", app_uuid != NULL ?
		    app_uuid->value : qs_arena_printf(&run->arena,
		    "<uuid of %s>", app), TRITON_ZK_FILE, app,
		    v->ev.artifact != NULL ? v->ev.artifact->member :
		    "the dump");
		qs_finding_step(an, f, "Check it with `sdc-sapi "
		    "/applications?name=%s | json -Ha metadata.ZK_SERVERS`; "
		    "sdcadm keeps copies in the moray and manatee services' "
		    "ZK_SERVERS: correct them the same way.", app);
	}
}

static const char *
vm_setting(struct qs_run *run, const struct qs_view *v, const char *uuid,
    const char *what)
{
	const struct qs_setting	*s;
	char			 key[256];

	snprintf(key, sizeof(key), "triton.vm.%s.%s", uuid, what);
	s = qs_setting_get(run, v->observer, QS_SYS_TRITON, key);
	return s != NULL ? s->value : NULL;
}

/* Is `host` an address of any node of the bundle? */
static int
any_node_has_host(struct qs_run *run, const char *host)
{
	size_t	i;

	for (i = 0; i < run->nodes.n; i++)
		if (qs_node_has_host(run, run->nodes.v[i], host) == 1)
			return 1;
	return 0;
}

/*
 * A running binder VM is a ghost (formats.md 7.4) when another running
 * binder VM has its alias and the zone of that alias in the bundle has
 * the other VM's address and not this one's; or, without such a zone,
 * when its address belongs to no node of the bundle, its server hosts no
 * other VM of the dump (the CN is gone), and the other VM's address does
 * belong to a node.
 */
static void
rule_triton_ghost_vm(struct qs_analysis *an, const struct qs_rule *rule)
{
	struct qs_run	*run = an->run;
	size_t		 i, j, k;

	for (i = 0; i < run->views.n; i++) {
		const struct qs_view	*v = run->views.v[i];

		if (v->system != QS_SYS_TRITON || strcmp(v->source,
		    "VMAPI VMs") != 0)
			continue;
		for (j = 0; j < v->members.n; j++) {
			const struct qs_member	*g = v->members.v[j];
			const struct qs_member	*real = NULL;
			const char		*role, *srv, *why = NULL;
			struct qs_node		*zone;
			struct qs_finding	*f;
			int			 lonely = 1;

			if (g->state != QS_MEMBER_ALIVE || g->name == NULL ||
			    g->id == NULL || g->address == NULL ||
			    (role = vm_setting(run, v, g->id, "role")) ==
			    NULL || strcmp(role, "binder") != 0)
				continue;
			srv = vm_setting(run, v, g->id, "server_uuid");
			for (k = 0; k < v->members.n; k++) {
				const struct qs_member	*o = v->members.v[k];
				const char		*os;

				if (k == j)
					continue;
				os = vm_setting(run, v, o->id, "server_uuid");
				if (srv != NULL && os != NULL &&
				    strcmp(srv, os) == 0)
					lonely = 0;
				if (o->state == QS_MEMBER_ALIVE &&
				    o->name != NULL && o->address != NULL &&
				    strcmp(o->name, g->name) == 0)
					real = o;
			}
			if (real == NULL)
				continue;
			zone = qs_model_lookup(run, g->name);
			if (zone != NULL && qs_node_has_host(run, zone,
			    real->address) == 1 && qs_node_has_host(run, zone,
			    g->address) != 1)
				why = "the zone of that alias in the bundle "
				    "has the other VM's address";
			else if (zone == NULL && lonely &&
			    !any_node_has_host(run, g->address) &&
			    any_node_has_host(run, real->address))
				why = "no node of the bundle has its address "
				    "and its server hosts no other VM";
			if (why == NULL)
				continue;
			f = qs_finding_new(an, rule, "VMAPI lists %s (%s) as "
			    "running, but %s replaced it", g->id, g->name,
			    real->id);
			if (zone != NULL)
				qs_finding_node(f, zone);
			{
				const struct qs_setting	*st;
				char			 key[256];

				snprintf(key, sizeof(key),
				    "triton.vm.%s.state", g->id);
				st = qs_setting_get(run, v->observer,
				    QS_SYS_TRITON, key);
				qs_finding_evidence(f, st != NULL ? &st->ev :
				    &v->ev);
			}
			qs_finding_fact(an, f, "VMAPI has two running binder "
			    "VMs with alias %s: %s at %s and %s at %s.",
			    g->name, g->id, g->address, real->id,
			    real->address);
			qs_finding_fact(an, f, "%s is the ghost: %s.", g->id,
			    why);
			if (srv != NULL && lonely)
				qs_finding_fact(an, f, "Its server %s hosts no "
				    "other VM in the dump: the compute node is "
				    "gone.", srv);
			/* sdc-role list reads VMAPI: say if it shows it too. */
			for (k = 0; k < run->views.n; k++) {
				const struct qs_view	*r = run->views.v[k];
				size_t			 l;

				if (r->system != QS_SYS_TRITON ||
				    strcmp(r->source, "sdc-role list") != 0)
					continue;
				for (l = 0; l < r->members.n; l++) {
					const struct qs_member *rm =
					    r->members.v[l];

					if (rm->id != NULL &&
					    strcmp(rm->id, g->id) == 0) {
						qs_finding_fact(an, f,
						    "sdc-role list shows it "
						    "too (%s).",
						    r->ev.artifact != NULL ?
						    r->ev.artifact->member :
						    "role list");
						qs_finding_evidence(f, &r->ev);
						break;
					}
				}
			}
			qs_finding_step(an, f, "On the headnode, run "
			    "`sdc-vmapi /vms/%s?sync=true` so VMAPI asks the "
			    "(missing) server again and marks the VM "
			    "destroyed.", g->id);
			qs_finding_step(an, f, "Check with `sdc-role list` "
			    "that %s is gone, and sync every other VM of the "
			    "failed server %s the same way.", g->id,
			    srv != NULL ? srv : "(unknown)");
		}
	}
}

/*
 * formats.md 7.4 case 1: a SAPI instance of the binder service whose VM
 * VMAPI does not list, or lists destroyed or failed ("leftover").  Only
 * when a VMAPI dump is in the bundle: without one nothing is missing.
 */
static void
rule_triton_leftover(struct qs_analysis *an, const struct qs_rule *rule)
{
	struct qs_run		*run = an->run;
	const struct qs_view	*vms = NULL;
	const struct qs_setting	*bsvc = NULL;
	size_t			 i, j;
	const char		*p = ".service_uuid";

	for (i = 0; i < run->views.n && vms == NULL; i++) {
		const struct qs_view	*v = run->views.v[i];

		if (v->system == QS_SYS_TRITON &&
		    strcmp(v->source, "VMAPI VMs") == 0)
			vms = v;
	}
	for (i = 0; i < run->settings.n; i++) {
		const struct qs_setting	*st = run->settings.v[i];

		if (st->system == QS_SYS_TRITON &&
		    strcmp(st->key, "triton.sapi.binder.uuid") == 0)
			bsvc = st;
	}
	if (vms == NULL || bsvc == NULL)
		return;
	for (i = 0; i < run->settings.n; i++) {
		const struct qs_setting	*st = run->settings.v[i];
		const struct qs_member	*vm = NULL;
		struct qs_finding	*f;
		const char		*inst;
		size_t			 kl = strlen(st->key), pl = strlen(p);

		if (st->system != QS_SYS_TRITON || kl <= 21 + pl ||
		    strncmp(st->key, "triton.sapi.instance.", 21) != 0 ||
		    strcmp(st->key + kl - pl, p) != 0 ||
		    strcmp(st->value, bsvc->value) != 0)
			continue;
		inst = qs_arena_strndup(&run->arena, st->key + 21,
		    kl - 21 - pl);
		for (j = 0; j < vms->members.n; j++) {
			const struct qs_member	*m = vms->members.v[j];

			if (m->id != NULL && strcmp(m->id, inst) == 0)
				vm = m;
		}
		if (vm != NULL && vm->state != QS_MEMBER_REAPED)
			continue;
		f = qs_finding_new(an, rule, "SAPI binder instance %s has no "
		    "living VM", inst);
		qs_finding_evidence(f, &st->ev);
		qs_finding_evidence(f, &vms->ev);
		qs_finding_fact(an, f, "SAPI lists instance %s of the binder "
		    "service %s.", inst, bsvc->value);
		qs_finding_fact(an, f, vm == NULL ? "VMAPI's dump has no VM "
		    "%s." : "VMAPI has VM %s destroyed or failed.", inst);
		qs_finding_step(an, f, "Check the VM with `sdc-vmapi /vms/%s`; "
		    "if it is gone, delete the leftover instance with "
		    "`sdc-sapi /instances/%s -X DELETE`, then rebuild "
		    "ZK_SERVERS without it.", inst, inst);
	}
}

static void
rule_triton_ghost(struct qs_analysis *an, const struct qs_rule *rule)
{
	rule_triton_ghost_vm(an, rule);
	rule_triton_leftover(an, rule);
}

static void
rule_zk_ensemble_size(struct qs_analysis *an, const struct qs_rule *rule)
{
	struct qs_run		*run = an->run;
	struct qs_finding	*f = NULL;
	size_t			 i, j, voters, first = 0;

	for (i = 0; i < run->nodes.n; i++) {
		struct qs_node		*node = run->nodes.v[i];
		const struct qs_view	*v = qs_zk_node_cfg(run, node);

		if (v == NULL)
			continue;
		for (voters = 0, j = 0; j < v->members.n; j++)
			if (((const struct qs_member *)v->members.v[j])->
			    state == QS_MEMBER_VOTER)
				voters++;
		if (voters == 0 || voters == 1 || voters == 3 || voters == 5)
			continue;
		if (f == NULL) {
			first = voters;
			f = qs_finding_new(an, rule, "the ensemble has %zu "
			    "voting servers", voters);
			qs_finding_fact(an, f, "%zu voters need %zu for a "
			    "majority, so the ensemble survives %zu "
			    "failure%s.", voters, voters / 2 + 1,
			    (voters - 1) / 2, (voters - 1) / 2 == 1 ? "" :
			    "s");
			if (voters % 2 == 0)
				qs_finding_fact(an, f, "An even count "
				    "tolerates no more failures than %zu "
				    "servers would, and adds one more server "
				    "to lose.", voters - 1);
			if (voters > 5)
				qs_finding_fact(an, f, "Triton's ha-binder "
				    "supports one, three or five binder "
				    "instances.");
			qs_finding_step(an, f, "On Triton, run `sdcadm "
			    "post-setup ha-binder --allow-delete <server> "
			    "...` naming %s servers (the existing binders' "
			    "servers included).", voters > 5 ? "five" :
			    voters == 2 ? "one or three" : "three or five");
		}
		qs_finding_node(f, node);
		qs_finding_evidence(f, &v->ev);
		qs_finding_fact(an, f, "%s's %s lists %zu voters.", node->name,
		    v->source, voters);
		if (voters == first)
			qs_finding_step(an, f, "Elsewhere, on %s add or "
			    "remove server.N lines in %s (on every server "
			    "alike) so the count is odd, and restart the "
			    "servers one at a time.", node->name,
			    v->ev.artifact != NULL ? v->ev.artifact->member :
			    "zoo.cfg");
	}
}

const struct qs_rule qs_rule_triton_zk_servers_mismatch = {
	.id = "triton-zk-servers-mismatch",
	.kind = "inconsistent-config",
	.level = QS_LEVEL_ERROR,
	.system = QS_SYS_TRITON,
	.title = "SAPI's ZK_SERVERS does not match the binder servers",
	.explanation = "Binder renders zoo.cfg from SAPI's ZK_SERVERS on "
	    "every zone update: a wrong host there brings the stale address "
	    "back into every zoo.cfg, and ZooKeeper counts a voter that "
	    "never answers.",
	.remediation = "Write the corrected ZK_SERVERS with `sapiadm "
	    "update <sdc application uuid> -f <file>`.",
	.check = rule_triton_zk_servers,
};

const struct qs_rule qs_rule_triton_ghost_instance = {
	.id = "triton-ghost-instance",
	.kind = "ghost-instance",
	.level = QS_LEVEL_WARNING,
	.system = QS_SYS_TRITON,
	.title = "VMAPI lists a binder VM that no longer exists",
	.explanation = "A VM of a dead compute node stays \"running\" in "
	    "VMAPI; sdcadm builds ZK_SERVERS from the running binder VMs "
	    "and updates must work around it.",
	.remediation = "Run `sdc-vmapi /vms/<uuid>?sync=true` for it.",
	.check = rule_triton_ghost,
};

const struct qs_rule qs_rule_zk_ensemble_size = {
	.id = "zk-ensemble-size",
	.kind = "inconsistent-config",
	.level = QS_LEVEL_WARNING,
	.system = QS_SYS_ZOOKEEPER,
	.title = "the ensemble has an even or unsupported number of voters",
	.explanation = "An even number of voters tolerates no more failures "
	    "than one fewer; Triton's ha-binder supports 1, 3 or 5.",
	.remediation = "Make the number of voters 1, 3 or 5.",
	.check = rule_zk_ensemble_size,
};
