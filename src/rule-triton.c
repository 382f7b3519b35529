/*
 * Triton rules (seed 004: a binder zone replaced from a cloned image; SAPI
 * and VMAPI kept the old picture, so the next zone update or reboot
 * rendered the wrong ensemble again).  They read what the SAPI and VMAPI
 * parsers record (ZK_SERVERS views, ZK_ID identities, triton.sapi.* and
 * triton.vm.* settings) next to the binder zones' zoo.cfg and myid:
 *
 *   triton-zk-servers-mismatch  SAPI ZK_SERVERS entry num N names a host
 *                               other than the one server N (myid N) has.
 *   triton-ghost-instance       formats.md 7.4 cases 1 and 2: VMAPI lists
 *                               a running binder VM that no longer exists
 *                               next to its replacement; a SAPI binder
 *                               instance without a living VM; a running
 *                               binder VM that is no SAPI instance.
 *   triton-zk-servers-invalid   case 3: ZK_SERVERS elements no binder
 *                               answers to, repeats, a misplaced "last".
 *   triton-zk-servers-copies    case 4: the sdc/moray/manatee copies of
 *                               ZK_SERVERS, zoo.cfg or myid disagree.
 *   zk-ensemble-size            zoo.cfg lists an even number of voters, or
 *                               a number ha-binder does not support.
 *
 * Upstream facts (TritonDataCenter/sdcadm lib/steps/zookeeper.js,
 * lib/post-setup/ha-binder.js, lib/common.js; binder and
 * zookeeper-common sapi_manifests; sdc-sapi docs/index.md): ha-binder
 * lists binder VMs by tag.smartdc_role=binder and state running, builds
 * ZK_SERVERS as {host: nics[0].ip, port: 2181, num: the instance's
 * ZK_ID} with "last" on the final element, and writes it into the sdc
 * application and the moray and manatee services; config-agent renders
 * zoo.cfg (server.<num>=<host>:2888:3888) and myid (ZK_ID) in each zone.
 */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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
vm_host_by_zk_id(const struct qs_triton *ix, const char *id, const char **inst)
{
	const struct qs_identity	*zid = qs_map_get(&ix->numvm, id);
	const struct qs_member		*m;

	if (zid == NULL || (m = qs_map_get(&ix->live, zid->subject)) == NULL)
		return NULL;
	*inst = zid->subject;
	return qs_address_host(&ix->run->arena, m->address);
}

/* One ZK_SERVERS element: host, client port (NULL: 2181), num. */
struct zk_ent {
	const char	*host;
	const char	*port;
	const char	*num;
};

/*
 * The update document sapiadm takes, "last" on the final element only:
 * sdcadm (lib/steps/zookeeper.js) sets it there, and templates such as
 * binder's registrar one write a comma after every element without it.
 */
static const char *
zk_doc(struct qs_run *run, const struct zk_ent *e, size_t n)
{
	static const char	 head[] =
	    "{\n  \"metadata\": {\n    \"ZK_SERVERS\": [\n";
	static const char	 tail[] = "    ]\n  }\n}";
	const char		*doc;
	char			*buf;
	size_t			 j, len, cap;
	int			 w;

	/* One buffer, not a copy per element: lists can be long. */
	cap = sizeof(head) + sizeof(tail);
	for (j = 0; j < n; j++)
		cap += 128 + strlen(e[j].host) + strlen(e[j].num) +
		    (e[j].port != NULL ? strlen(e[j].port) : 4);
	buf = qs_xmalloc(cap);
	len = (size_t)snprintf(buf, cap, "%s", head);
	for (j = 0; j < n; j++) {
		w = snprintf(buf + len, cap - len, "      {\n"
		    "        \"host\": \"%s\",\n"
		    "        \"port\": %s,\n"
		    "        \"num\": %s%s\n      }%s\n", e[j].host,
		    e[j].port != NULL ? e[j].port : "2181", e[j].num,
		    j + 1 == n ? ",\n        \"last\": true" : "",
		    j + 1 == n ? "" : ",");
		if (w > 0 && (size_t)w < cap - len)
			len += (size_t)w;
	}
	(void)snprintf(buf + len, cap - len, "%s", tail);
	doc = qs_arena_strdup(&run->arena, buf);
	free(buf);
	return doc;
}

/*
 * The host ZooKeeper server `id` really has when ZK_SERVERS names it at
 * `host`, or NULL when that is right or nothing says otherwise: the node
 * with myid `id`, else the running VM of the SAPI instance whose ZK_ID is
 * `id`.  *np and *inst tell which.
 */
static const char *
zk_fix_host(const struct qs_triton *ix, const char *id, const char *host,
    struct qs_node **np, const char **inst)
{
	struct qs_run	*run = ix->run;
	struct qs_node	*n;
	const char	*now;

	*inst = NULL;
	/* A zone in the bundle whose address nothing told: ask VMAPI. */
	if ((*np = n = node_by_myid(run, id)) != NULL &&
	    qs_node_has_host(run, n, host) != -1) {
		if (qs_node_has_host(run, n, host) == 1 ||
		    (now = qs_node_host(run, n, host)) == NULL)
			return NULL;
		return now;
	}
	if ((now = vm_host_by_zk_id(ix, id, inst)) == NULL ||
	    strcmp(now, host) == 0)
		return NULL;
	return now;
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
rule_triton_zk_servers_ix(struct qs_analysis *an, const struct qs_rule *rule,
    const struct qs_triton *ix)
{
	struct qs_run		*run = an->run;
	size_t			 i, j, ne;

	for (i = 0; i < run->views.n; i++) {
		const struct qs_view	*v = run->views.v[i];
		const char		*app_uuid, *app_type;
		struct qs_finding	*f = NULL;
		struct zk_ent		*ents;
		const char		**fixed, *app, *doc;

		if (!sapi_zk_view(v) || v->members.n == 0 ||
		    (app = sapi_app(run, v)) == NULL)
			continue;
		fixed = qs_arena_alloc(&run->arena, v->members.n *
		    sizeof(*fixed));
		for (j = 0; j < v->members.n; j++) {
			const struct qs_member	*m = v->members.v[j];
			struct qs_node		*n;
			const struct qs_view	*c = NULL;
			const char		*host, *now, *cfg, *inst;

			fixed[j] = NULL;
			if (m->id == NULL || m->address == NULL ||
			    (host = qs_address_host(&run->arena,
			    m->address)) == NULL)
				continue;
			fixed[j] = host;
			if ((now = zk_fix_host(ix, m->id, host, &n, &inst)) ==
			    NULL)
				continue;
			fixed[j] = now;
			if (f == NULL)
				f = qs_finding_new(an, rule, "%s names "
				    "ZooKeeper server %s at %s, but server %s "
				    "is at %s", v->source, m->id, host, m->id,
				    now);
			if (n != NULL)
				qs_finding_node(f, n);
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
		ents = qs_arena_alloc(&run->arena, v->members.n *
		    sizeof(*ents));
		for (ne = 0, j = 0; j < v->members.n; j++) {
			const struct qs_member	*m = v->members.v[j];

			if (fixed[j] == NULL)
				continue;
			ents[ne].host = fixed[j];
			ents[ne].port = addr_port(m->address);
			ents[ne++].num = m->id;
		}
		doc = zk_doc(run, ents, ne);
		app_uuid = qs_triton_get(ix, "triton.sapi.%s.uuid", app);
		app_type = qs_triton_get(ix, "triton.sapi.%s.type", app);
		qs_finding_step(an, f, "On the headnode, write %s containing "
		    "exactly:\n%s", TRITON_ZK_FILE, doc);
		qs_finding_step(an, f, "Run `sapiadm update %s -f %s` (the "
		    "uuid of SAPI object %s in %s).", app_uuid != NULL ?
		    app_uuid : qs_arena_printf(&run->arena,
		    "<uuid of %s>", app), TRITON_ZK_FILE, app,
		    v->ev.artifact != NULL ? v->ev.artifact->member :
		    "the dump");
		qs_finding_step(an, f, "Check it with `sdc-sapi "
		    "/%s?name=%s | json -Ha metadata.ZK_SERVERS`; "
		    "sdcadm keeps copies in the moray and manatee services' "
		    "ZK_SERVERS: correct them the same way.",
		    app_type != NULL && strcmp(app_type, "service") ==
		    0 ? "services" : "applications", app);
	}
}

static void
rule_triton_zk_servers(struct qs_analysis *an, const struct qs_rule *rule)
{
	const struct qs_triton	*ix = qs_triton_facts(an);

	if (ix == NULL)
		return;
	rule_triton_zk_servers_ix(an, rule, ix);
}

/* A VM's setting from the VMAPI dump (indexed in triton.c). */
static const char *
vm_setting(const struct qs_triton *ix, const struct qs_view *v,
    const char *uuid, const char *what)
{
	(void)v;
	return qs_triton_get(ix, "triton.vm.%s.%s", uuid, what);
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
rule_triton_ghost_vm(struct qs_analysis *an, const struct qs_rule *rule,
    const struct qs_triton *ix)
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
			    (role = vm_setting(ix, v, g->id, "role")) ==
			    NULL || strcmp(role, "binder") != 0)
				continue;
			/* Names first: a twin is rare, settings cost more. */
			for (k = 0; k < v->members.n; k++) {
				const struct qs_member	*o = v->members.v[k];

				if (k != j && o->state == QS_MEMBER_ALIVE &&
				    o->name != NULL && o->address != NULL &&
				    strcmp(o->name, g->name) == 0)
					real = o;
			}
			if (real == NULL)
				continue;
			srv = vm_setting(ix, v, g->id, "server_uuid");
			if (srv != NULL && v == ix->vms) {
				const size_t	*cnt;

				cnt = qs_map_get(&ix->srv, srv);
				lonely = cnt == NULL || *cnt <= 1;
			} else
				for (k = 0; srv != NULL && k < v->members.n;
				    k++) {
					const struct qs_member	*o =
					    v->members.v[k];
					const char		*os;

					if (k != j && o->id != NULL &&
					    (os = vm_setting(ix, v, o->id,
					    "server_uuid")) != NULL &&
					    strcmp(srv, os) == 0)
						lonely = 0;
				}
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
rule_triton_leftover(struct qs_analysis *an, const struct qs_rule *rule,
    const struct qs_triton *ix)
{
	struct qs_run		*run = an->run;
	const struct qs_view	*vms = ix->vms;
	const struct qs_setting	*bsvc = NULL;
	size_t			 i;
	const char		*p = ".service_uuid";

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
		vm = qs_map_get(&ix->byid, inst);
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

/* Is `uuid` a SAPI instance of the binder service `svc`? */
static int
tr_is_binder_inst(const struct qs_triton *ix, const char *svc,
    const char *uuid)
{
	const char	*s = qs_triton_get(ix, "triton.sapi.instance.%s.service_uuid",
			    uuid);

	return s != NULL && strcmp(s, svc) == 0;
}

/* How many SAPI instances of the binder service `svc` the dumps hold. */
static size_t
tr_binder_insts(const struct qs_triton *ix, const char *svc)
{
	static const char	 pre[] = "triton.sapi.instance.";
	static const char	 suf[] = ".service_uuid";
	size_t			 i, n = 0, kl;

	for (i = 0; i < ix->run->settings.n; i++) {
		const struct qs_setting	*s = ix->run->settings.v[i];

		kl = strlen(s->key);
		if (s->system == QS_SYS_TRITON && kl > sizeof(pre) +
		    sizeof(suf) - 2 && strncmp(s->key, pre, sizeof(pre) - 1) ==
		    0 && strcmp(s->key + kl - (sizeof(suf) - 1), suf) == 0 &&
		    strcmp(s->value, svc) == 0)
			n++;
	}
	return n;
}

/* The ZK_ID of SAPI instance `uuid`, or NULL. */
static const struct qs_identity *
tr_zk_id(const struct qs_triton *ix, const char *uuid)
{
	return qs_map_get(&ix->zid, uuid);
}

/* Is `num` the ZK_ID of some SAPI instance? */
static int
tr_zk_id_used(const struct qs_triton *ix, const char *num)
{
	return qs_map_get(&ix->num, num) != NULL;
}

/*
 * ZK_SERVERS as sdcadm's updateCoreZkConfig (lib/steps/zookeeper.js)
 * builds it: the running binder VMs in VMAPI's order, host = the first
 * nic's ip, num = the ZK_ID of the SAPI instance of the same uuid; the
 * port is the one the list `v` being replaced uses.  A running binder
 * VM without an instance (sdcadm would stop there) is left out and
 * counted in *skipped, unless `v` has its address: then it is a member
 * SAPI lost (the ghost-instance rule adopts it) and there is no
 * rebuilding.  0 when VMAPI or the instances' ZK_ID are not in the
 * bundle.
 */
static size_t
tr_rebuild(const struct qs_triton *ix, const struct qs_view *v, const char *port,
    struct zk_ent **out, size_t *skipped)
{
	struct qs_run		*run = ix->run;
	const struct qs_view		*vms = qs_triton_vms(ix);
	const struct qs_identity	*zid;
	struct zk_ent			*e;
	size_t				 i, j, n = 0;

	*skipped = 0;
	if (vms == NULL || vms->members.n == 0)
		return 0;
	e = qs_arena_alloc(&run->arena, vms->members.n * sizeof(*e));
	for (i = 0; i < vms->members.n; i++) {
		const struct qs_member	*m = vms->members.v[i];

		if (m->state != QS_MEMBER_ALIVE || !qs_triton_is_binder(ix, m))
			continue;
		if (m->address == NULL ||
		    (zid = tr_zk_id(ix, m->id)) == NULL) {
			for (j = 0; j < v->members.n; j++) {
				const struct qs_member	*z = v->members.v[j];
				const char		*h;

				if ((h = qs_address_host(&run->arena,
				    z->address)) != NULL &&
				    qs_triton_vm_has_ip(ix, m, h))
					return 0;
			}
			(*skipped)++;
			continue;
		}
		e[n].host = m->address;
		e[n].port = port;
		e[n++].num = zid->value;
	}
	*out = e;
	return n;
}

/* "ZK_SERVERS" or "ZK_HA_SERVERS" of a SAPI view's source. */
static const char *
tr_zk_key(const struct qs_triton *ix, const struct qs_view *v)
{
	struct qs_run		*run = ix->run;
	const char	*o = strchr(v->source, '(');

	if (o == NULL || o < v->source + 6)
		return "ZK_SERVERS";
	return qs_arena_strndup(&run->arena, v->source + 5,
	    (size_t)(o - v->source) - 6);
}

/* One line per element: "num 1 at 10.0.0.1:2181". */
static const char *
tr_list_text(const struct qs_triton *ix, const struct qs_view *v)
{
	struct qs_run		*run = ix->run;
	const char	*t = "";
	size_t		 j;

	for (j = 0; j < v->members.n; j++) {
		const struct qs_member	*m = v->members.v[j];

		t = qs_arena_printf(&run->arena, "%s%snum %s at %s", t,
		    j > 0 ? ", " : "", m->id, m->address);
	}
	return v->members.n > 0 ? t : "(empty)";
}

/* Do the two lists hold the same (num, address) pairs, in any order? */
static int
tr_same_list(const struct qs_view *a, const struct qs_view *b)
{
	size_t	i, j;

	if (a->members.n != b->members.n)
		return 0;
	for (i = 0; i < a->members.n; i++) {
		const struct qs_member	*x = a->members.v[i];

		for (j = 0; j < b->members.n; j++) {
			const struct qs_member	*y = b->members.v[j];

			if (strcmp(x->id, y->id) == 0 &&
			    strcmp(x->address, y->address) == 0)
				break;
		}
		if (j == b->members.n)
			return 0;
	}
	return 1;
}

/* Do the list and the document's elements hold the same pairs? */
static int
tr_list_is_doc(const struct qs_triton *ix, const struct qs_view *v,
    const struct zk_ent *e, size_t n)
{
	struct qs_run		*run = ix->run;
	size_t	i, j;

	if (v->members.n != n)
		return 0;
	for (i = 0; i < n; i++) {
		for (j = 0; j < v->members.n; j++) {
			const struct qs_member	*m = v->members.v[j];
			const char		*h, *p;

			h = qs_address_host(&run->arena, m->address);
			p = addr_port(m->address);
			if (h != NULL && strcmp(m->id, e[i].num) == 0 &&
			    strcmp(h, e[i].host) == 0 && (p == NULL ?
			    e[i].port == NULL || strcmp(e[i].port, "2181") ==
			    0 : e[i].port != NULL && strcmp(p, e[i].port) == 0))
				break;
		}
		if (j == v->members.n)
			return 0;
	}
	return 1;
}

/* The SAPI object name in the view's source, with its uuid if dumped. */
static const char *
tr_object_uuid(const struct qs_triton *ix, const char *name)
{
	struct qs_run		*run = ix->run;
	const char	*u = qs_triton_get(ix, "triton.sapi.%s.uuid", name);

	return u != NULL ? u : qs_arena_printf(&run->arena, "<uuid of %s>",
	    name);
}

/* The command sdcadm runs to make config-agent render a zone's files. */
#define TRITON_CA_SYNC	"/opt/smartdc/config-agent/build/node/bin/node " \
	"/opt/smartdc/config-agent/agent.js -f " \
	"/opt/smartdc/config-agent/etc/config.json -s"

/*
 * Why element j of SAPI list v names no binder instance, or NULL: its
 * host is no running binder VM's, its num no instance's ZK_ID, or an
 * earlier element has its num or host.  Elements the mismatch rule
 * corrects (the server with that num is known elsewhere) are its own.
 */
static const char *
tr_bad_elem(const struct qs_triton *ix, const struct qs_view *v, size_t j)
{
	struct qs_run		*run = ix->run;
	const struct qs_view	*vms = ix->vms;
	size_t			 nrun = ix->nrun;
	int			 zids = ix->num.n > 0;
	const struct qs_member	*m = v->members.v[j], *vm;
	struct qs_node		*node;
	const char		*host, *inst, *oh;
	size_t			 k;

	if ((host = qs_address_host(&run->arena, m->address)) == NULL ||
	    zk_fix_host(ix, m->id, host, &node, &inst) != NULL)
		return NULL;
	if (nrun > 0 && qs_triton_binder_at(ix, host) == NULL) {
		const char	*was = "";

		for (k = 0; k < vms->members.n; k++) {
			const struct qs_member	*o = vms->members.v[k];
			const char		*st;

			if (o->id != NULL && qs_triton_vm_has_ip(ix, o, host) &&
			    (st = qs_triton_get(ix, "triton.vm.%s.state", o->id)) !=
			    NULL)
				was = qs_arena_printf(&run->arena, " (VMAPI "
				    "has VM %s, %s, %s there)", o->id,
				    o->name != NULL ? o->name : "no alias", st);
		}
		return qs_arena_printf(&run->arena, "%s: num %s has host %s, "
		    "the address of none of the %zu running binder VMs in "
		    "VMAPI%s.", v->source, m->id, host, nrun, was);
	}
	/* A running binder VM SAPI lost is the ghost-instance rule's. */
	if (zids && !tr_zk_id_used(ix, m->id) &&
	    node_by_myid(run, m->id) == NULL &&
	    ((vm = qs_triton_binder_at(ix, host)) == NULL ||
	    tr_zk_id(ix, vm->id) != NULL))
		return qs_arena_printf(&run->arena, "%s: num %s (host %s) is "
		    "the ZK_ID of no SAPI binder instance and the myid of no "
		    "server in the bundle.", v->source, m->id, host);
	for (k = 0; k < j; k++) {
		const struct qs_member	*o = v->members.v[k];

		oh = qs_address_host(&run->arena, o->address);
		if (strcmp(o->id, m->id) == 0)
			return qs_arena_printf(&run->arena, "%s: elements %zu "
			    "and %zu both have num %s (hosts %s and %s): "
			    "zoo.cfg gets two server.%s lines, and ZooKeeper "
			    "keeps only the later one.", v->source, k + 1,
			    j + 1, m->id, oh != NULL ? oh : "?", host, m->id);
		if (oh != NULL && strcmp(oh, host) == 0)
			return qs_arena_printf(&run->arena, "%s: elements %zu "
			    "and %zu both have host %s (num %s and %s): "
			    "ZooKeeper counts two voters where one server "
			    "runs, and one of them never answers.", v->source,
			    k + 1, j + 1, host, o->id, m->id);
	}
	return NULL;
}

/*
 * The list every copy should hold: what sdcadm would build from VMAPI
 * and SAPI's instances, else `v`'s elements with the hosts the mismatch
 * rule corrects, leaving out those tr_bad_elem() refuses.  *how says
 * which, for the finding.
 */
static size_t
tr_wanted(const struct qs_triton *ix, const struct qs_view *v, struct zk_ent **out,
    const char **how)
{
	struct qs_run		*run = ix->run;
	struct zk_ent		*e;
	const char		*port = NULL;
	size_t			 j, n, skipped;

	for (j = 0; j < v->members.n && port == NULL; j++)
		port = addr_port(((const struct qs_member *)
		    v->members.v[j])->address);
	if ((n = tr_rebuild(ix, v, port, out, &skipped)) > 0) {
		*how = qs_arena_printf(&run->arena, "The running binder VMs "
		    "in VMAPI and their SAPI instances' ZK_ID give %zu "
		    "servers, the list sdcadm's ha-binder would write%s.", n,
		    skipped > 0 ? qs_arena_printf(&run->arena, " (%zu "
		    "running binder VM%s without a SAPI instance left out)",
		    skipped, skipped == 1 ? "" : "s") : "");
		return n;
	}
	*how = "The list cannot be rebuilt as sdcadm does (VMAPI's dump, "
	    "or the ZK_ID of a SAPI instance for a running binder VM that "
	    "the list names, is missing): the corrected list keeps the "
	    "other elements.";
	e = qs_arena_alloc(&run->arena, (v->members.n + 1) * sizeof(*e));
	for (n = 0, j = 0; j < v->members.n; j++) {
		const struct qs_member	*m = v->members.v[j];
		struct qs_node		*node;
		const char		*host, *now, *inst;

		if ((host = qs_address_host(&run->arena, m->address)) ==
		    NULL || tr_bad_elem(ix, v, j) != NULL)
			continue;
		now = zk_fix_host(ix, m->id, host, &node, &inst);
		e[n].host = now != NULL ? now : host;
		e[n].port = addr_port(m->address);
		e[n++].num = m->id;
	}
	*out = e;
	return n;
}

/*
 * formats.md 7.4 case 3: a ZK_SERVERS element no binder answers to (its
 * host is no running binder VM's, or its num no instance's ZK_ID),
 * elements sharing a num or a host, or "last" not on exactly the final
 * element.  Elements triton-zk-servers-mismatch corrects (the server
 * with that num is known elsewhere) are left to it.
 */
static void
rule_triton_zk_invalid_ix(struct qs_analysis *an, const struct qs_rule *rule,
    const struct qs_triton *ix)
{
	struct qs_run		*run = an->run;
	size_t			 i, j, n;

	for (i = 0; i < run->views.n; i++) {
		const struct qs_view	*v = run->views.v[i];
		struct qs_finding	*f = NULL;
		struct zk_ent		*e;
		const char		*app, *key, *entries, *last, *why, *how;

		if (!sapi_zk_view(v) || (app = sapi_app(run, v)) == NULL)
			continue;
		key = tr_zk_key(ix, v);
		for (j = 0; j < v->members.n; j++) {
			if ((why = tr_bad_elem(ix, v, j)) ==
			    NULL)
				continue;
			if (f == NULL)
				f = qs_finding_new(an, rule, "%s lists servers "
				    "that are not the binder instances",
				    v->source);
			qs_finding_fact(an, f, "%s", why);
		}
		entries = qs_triton_get(ix, "triton.sapi.%s.%s.entries", app, key);
		last = qs_triton_get(ix, "triton.sapi.%s.%s.last", app, key);
		if (entries != NULL && last != NULL &&
		    strcmp(entries, "0") != 0 && strcmp(last, entries) != 0) {
			if (f == NULL)
				f = qs_finding_new(an, rule, "%s marks the "
				    "wrong element \"last\"", v->source);
			if (strcmp(last, "none") == 0)
				qs_finding_fact(an, f, "%s: none of its %s "
				    "elements has \"last\": true.", v->source,
				    entries);
			else
				qs_finding_fact(an, f, "%s: element %s of %s "
				    "has \"last\": true; sdcadm sets it on the "
				    "final element only.", v->source, last,
				    entries);
			qs_finding_fact(an, f, "Templates that put a comma "
			    "after every element without \"last\" (binder's "
			    "registrar config) render this list as invalid "
			    "JSON.");
		}
		if (f == NULL)
			continue;
		f->level = QS_LEVEL_ERROR;
		qs_finding_evidence(f, &v->ev);
		n = tr_wanted(ix, v, &e, &how);
		qs_finding_fact(an, f, "%s", how);
		if (n == 0)
			continue;
		qs_finding_step(an, f, "On the headnode, write %s containing "
		    "exactly:\n%s", TRITON_ZK_FILE, zk_doc(run, e, n));
		qs_finding_step(an, f, "Run `sapiadm update %s -f %s` (SAPI "
		    "object %s), and check it with `sapiadm get %s | json "
		    "metadata.%s`.", tr_object_uuid(ix, app), TRITON_ZK_FILE,
		    app, tr_object_uuid(ix, app), key);
		qs_finding_step(an, f, "Make config-agent render it in every "
		    "binder zone (`sdc-oneachnode -n <server> "
		    "'/usr/sbin/zlogin <vm> \"%s\"'`, as sdcadm does), then "
		    "restart ZooKeeper "
		    "one binder at a time (`svcadm restart "
		    "svc:/smartdc/application/zookeeper:default`).",
		    TRITON_CA_SYNC);
	}
}

/* The SAPI view of `key` of object `name`, or NULL. */
static const struct qs_view *
tr_sapi_view(const struct qs_triton *ix, const char *key, const char *name)
{
	struct qs_run		*run = ix->run;
	const char	*src = qs_arena_printf(&run->arena, "SAPI %s (%s)",
			    key, name);
	size_t		 i;

	for (i = 0; i < run->views.n; i++) {
		const struct qs_view	*v = run->views.v[i];

		if (v->system == QS_SYS_TRITON && strcmp(v->source, src) == 0)
			return v;
	}
	return NULL;
}

/* The host of server `id` in a zoo.cfg view, or NULL. */
static const char *
tr_cfg_host(const struct qs_triton *ix, const struct qs_view *c, const char *id)
{
	struct qs_run		*run = ix->run;
	size_t	j;

	for (j = 0; j < c->members.n; j++) {
		const struct qs_member	*cm = c->members.v[j];

		if (cm->id != NULL && cm->address != NULL &&
		    strcmp(cm->id, id) == 0)
			return qs_address_host(&run->arena, cm->address);
	}
	return NULL;
}

/* The running VM VMAPI lists for a zone of the bundle, by alias. */
static const struct qs_member *
tr_zone_vm(const struct qs_triton *ix, const struct qs_node *node)
{
	const struct qs_view	*vms = qs_triton_vms(ix);
	const struct qs_member	*found = NULL;
	size_t			 i;

	for (i = 0; vms != NULL && i < vms->members.n; i++) {
		const struct qs_member	*m = vms->members.v[i];

		if (m->state != QS_MEMBER_ALIVE || m->name == NULL ||
		    strcmp(m->name, node->name) != 0)
			continue;
		if (found != NULL)
			return NULL;	/* a ghost shares the alias */
		found = m;
	}
	return found;
}

/*
 * formats.md 7.4 case 4: sdcadm writes the same ZK_SERVERS into the sdc
 * application and the moray and manatee services; every copy must be
 * equal, every binder's zoo.cfg must be what it renders, and every
 * binder's myid its instance's ZK_ID.
 */
static void
rule_triton_zk_copies_ix(struct qs_analysis *an, const struct qs_rule *rule,
    const struct qs_triton *ix)
{
	struct qs_run		*run = an->run;
	const struct qs_view	*ref, *eff, *ha;
	struct qs_finding	*f = NULL;
	struct zk_ent		*e;
	size_t			 i, j, n;
	const char		*how;

	if ((ref = tr_sapi_view(ix, "ZK_SERVERS", "sdc")) == NULL)
		return;
	for (i = 0; i < run->views.n; i++) {
		const struct qs_view	*v = run->views.v[i];

		if (v == ref || !sapi_zk_view(v) ||
		    strncmp(v->source, "SAPI ZK_SERVERS (", 17) != 0 ||
		    tr_same_list(ref, v))
			continue;
		if (f == NULL) {
			f = qs_finding_new(an, rule, "SAPI's copies of "
			    "ZK_SERVERS disagree");
			qs_finding_evidence(f, &ref->ev);
			qs_finding_fact(an, f, "%s: %s.", ref->source,
			    tr_list_text(ix, ref));
		}
		qs_finding_evidence(f, &v->ev);
		qs_finding_fact(an, f, "%s: %s.", v->source,
		    tr_list_text(ix, v));
	}
	if (f != NULL) {
		qs_finding_fact(an, f, "sdcadm's ha-binder writes one list "
		    "into the sdc application and the moray and manatee "
		    "services: binder renders zoo.cfg from the first, moray "
		    "and manatee find ZooKeeper through their own copy.");
		n = tr_wanted(ix, ref, &e, &how);
		qs_finding_fact(an, f, "%s", how);
		qs_finding_step(an, f, "On the headnode, write %s containing "
		    "exactly:\n%s", TRITON_ZK_FILE, zk_doc(run, e, n));
		for (i = 0; i < run->views.n; i++) {
			const struct qs_view	*v = run->views.v[i];
			const char		*name;

			if (!sapi_zk_view(v) || strncmp(v->source,
			    "SAPI ZK_SERVERS (", 17) != 0 ||
			    tr_list_is_doc(ix, v, e, n) ||
			    (name = sapi_app(run, v)) == NULL)
				continue;
			qs_finding_step(an, f, "Run `sapiadm update %s -f %s` "
			    "(%s).", tr_object_uuid(ix, name),
			    TRITON_ZK_FILE, v->source);
		}
		qs_finding_step(an, f, "Make config-agent render the files "
		    "in the moray and manatee zones (`sdc-oneachnode -n "
		    "<server> '/usr/sbin/zlogin <vm> \"%s\"'`, as sdcadm "
		    "does), then restart moray and manatee one zone at a "
		    "time.", TRITON_CA_SYNC);
		f->level = QS_LEVEL_ERROR;
	}

	/* Binder renders ZK_HA_SERVERS instead when the app has it. */
	ha = tr_sapi_view(ix, "ZK_HA_SERVERS", "sdc");
	eff = ha != NULL && ha->members.n > 0 ? ha : ref;
	for (i = 0; i < run->nodes.n; i++) {
		struct qs_node			*node = run->nodes.v[i];
		const struct qs_view		*c = qs_zk_node_cfg(run, node);
		const struct qs_identity	*my, *zid = NULL;
		const struct qs_member		*vm;
		struct qs_finding		*g = NULL;

		if (c == NULL)
			continue;
		for (j = 0; j < eff->members.n; j++) {
			const struct qs_member	*m = eff->members.v[j];
			struct qs_node		*who;
			const char		*host, *ch, *inst;

			/* The mismatch and invalid rules' elements. */
			if ((host = qs_address_host(&run->arena,
			    m->address)) == NULL ||
			    zk_fix_host(ix, m->id, host, &who, &inst) !=
			    NULL || tr_bad_elem(ix, eff, j) != NULL)
				continue;
			ch = tr_cfg_host(ix, c, m->id);
			if (ch != NULL && strcmp(ch, host) == 0)
				continue;
			if (g == NULL)
				g = qs_finding_new(an, rule, "%s's zoo.cfg is "
				    "not what %s renders", node->name,
				    eff->source);
			if (ch == NULL)
				qs_finding_fact(an, g, "%s has num %s at %s; "
				    "%s's %s has no server.%s.", eff->source,
				    m->id, host, node->name, c->source, m->id);
			else
				qs_finding_fact(an, g, "%s has num %s at %s; "
				    "%s's %s has server.%s at %s.",
				    eff->source, m->id, host, node->name,
				    c->source, m->id, ch);
		}
		for (j = 0; j < c->members.n; j++) {
			const struct qs_member	*cm = c->members.v[j];
			size_t			 k;

			if (cm->id == NULL)
				continue;
			for (k = 0; k < eff->members.n; k++)
				if (strcmp(((const struct qs_member *)
				    eff->members.v[k])->id, cm->id) == 0)
					break;
			if (k < eff->members.n)
				continue;
			if (g == NULL)
				g = qs_finding_new(an, rule, "%s's zoo.cfg is "
				    "not what %s renders", node->name,
				    eff->source);
			qs_finding_fact(an, g, "%s's %s has server.%s=%s; %s "
			    "has no num %s.", node->name, c->source, cm->id,
			    cm->address, eff->source, cm->id);
		}
		/* myid against the ZK_ID of the zone's SAPI instance. */
		my = qs_node_ident(node, QS_ID_MYID, NULL);
		for (j = 0; my != NULL && j < run->identities.n; j++) {
			const struct qs_identity	*id;

			id = run->identities.v[j];
			if (id->kind == QS_ID_MYID &&
			    id->system == QS_SYS_TRITON &&
			    id->subject != NULL &&
			    qs_model_lookup(run, id->subject) == node)
				zid = id;
		}
		if (zid != NULL && strcmp(zid->value, my->value) != 0) {
			if (g == NULL)
				g = qs_finding_new(an, rule, "%s's myid is "
				    "not its SAPI instance's ZK_ID",
				    node->name);
			qs_finding_evidence(g, &my->ev);
			qs_finding_evidence(g, &zid->ev);
			qs_finding_fact(an, g, "%s's myid file says %s; SAPI "
			    "instance %s has ZK_ID %s, which binder's "
			    "zookeeper_id template writes into myid.",
			    node->name, my->value, zid->subject, zid->value);
		}
		if (g == NULL)
			continue;
		g->level = QS_LEVEL_ERROR;
		qs_finding_node(g, node);
		qs_finding_evidence(g, &c->ev);
		qs_finding_evidence(g, &eff->ev);
		vm = tr_zone_vm(ix, node);
		qs_finding_step(an, g, "Once SAPI is right (see the other "
		    "Triton findings), make config-agent rewrite %s's "
		    "zoo.cfg and myid: `sdc-oneachnode -n %s '/usr/sbin/"
		    "zlogin %s \"%s\"'`.", node->name, vm != NULL &&
		    qs_triton_get(ix, "triton.vm.%s.server_uuid", vm->id) != NULL ?
		    qs_triton_get(ix, "triton.vm.%s.server_uuid", vm->id) :
		    "<server>", vm != NULL ? vm->id : "<vm uuid>",
		    TRITON_CA_SYNC);
		qs_finding_step(an, g, "Restart its ZooKeeper (`svcadm restart "
		    "svc:/smartdc/application/zookeeper:default`) and check "
		    "it reports Mode: leader or follower (`echo stat | nc "
		    "localhost 2181`) before the next binder.");
	}
}

/*
 * formats.md 7.4 case 2: VMAPI runs a binder VM that is no SAPI instance
 * of the binder service.  Needs SAPI's instances in the bundle (else
 * every binder would look unregistered).  A VM sharing its alias with
 * another running binder is the replaced-VM case above, not this one.
 */
static void
rule_triton_unregistered_ix(struct qs_analysis *an, const struct qs_rule *rule,
    const struct qs_triton *ix)
{
	struct qs_run		*run = an->run;
	const struct qs_view	*vms = qs_triton_vms(ix), *zk, **cfgs;
	const char		*svc = qs_triton_get(ix, "triton.sapi.binder.uuid");
	size_t			 i, j, k, ninst, ncfg, incfg;

	if (vms == NULL || svc == NULL ||
	    (ninst = tr_binder_insts(ix, svc)) == 0)
		return;
	zk = tr_sapi_view(ix, "ZK_SERVERS", "sdc");
	/* Each zone's zoo.cfg, looked up once, not once per VM. */
	cfgs = qs_arena_alloc(&run->arena, (run->nodes.n + 1) *
	    sizeof(*cfgs));
	for (ncfg = 0, j = 0; j < run->nodes.n; j++)
		if ((cfgs[ncfg] = qs_zk_node_cfg(run, run->nodes.v[j])) !=
		    NULL)
			ncfg++;
	for (i = 0; i < vms->members.n; i++) {
		const struct qs_member	*m = vms->members.v[i];
		const struct qs_member	*in_zk = NULL;
		struct qs_finding	*f;
		const char		*role, *srv;
		int			 twin = 0;

		if (m->state != QS_MEMBER_ALIVE || !qs_triton_is_binder(ix, m) ||
		    tr_is_binder_inst(ix, svc, m->id))
			continue;
		for (j = 0; j < vms->members.n; j++) {
			const struct qs_member	*o = vms->members.v[j];

			if (j != i && o->state == QS_MEMBER_ALIVE &&
			    o->name != NULL && m->name != NULL &&
			    strcmp(o->name, m->name) == 0)
				twin = 1;
		}
		if (twin)
			continue;
		for (j = 0; zk != NULL && m->address != NULL &&
		    j < zk->members.n; j++) {
			const struct qs_member	*z = zk->members.v[j];
			const char		*h;

			h = qs_address_host(&run->arena, z->address);

			if (h != NULL && qs_triton_vm_has_ip(ix, m, h))
				in_zk = z;
		}
		for (incfg = 0, j = 0; j < ncfg; j++) {
			const struct qs_view	*c = cfgs[j];

			for (k = 0; k < c->members.n; k++) {
				const struct qs_member	*cm = c->members.v[k];
				const char		*h;

				if (cm->address != NULL && (h = qs_address_host(
				    &run->arena, cm->address)) != NULL &&
				    qs_triton_vm_has_ip(ix, m, h)) {
					incfg++;
					break;
				}
			}
		}
		role = qs_triton_get(ix, "triton.vm.%s.role", m->id);
		srv = qs_triton_get(ix, "triton.vm.%s.server_uuid", m->id);
		f = qs_finding_new(an, rule, "VMAPI runs binder VM %s (%s) "
		    "that SAPI does not know", m->id,
		    m->name != NULL ? m->name : "no alias");
		{
			const struct qs_setting	*st = NULL;
			size_t			 s;
			char			 key[256];

			snprintf(key, sizeof(key), "triton.vm.%s.state",
			    m->id);
			for (s = 0; s < run->settings.n; s++) {
				const struct qs_setting	*x = run->settings.v[s];

				if (x->system == QS_SYS_TRITON &&
				    strcmp(x->key, key) == 0)
					st = x;
			}
			qs_finding_evidence(f, st != NULL ? &st->ev : &vms->ev);
		}
		qs_finding_fact(an, f, "VMAPI: VM %s, alias %s, state running, "
		    "server %s, address %s, %s.", m->id, m->name != NULL ?
		    m->name : "-", srv != NULL ? srv : "(unknown)",
		    m->address != NULL ? m->address : "(none)", role != NULL ?
		    "tags.smartdc_role binder" : "no role tag, but the alias "
		    "sdcadm gives binder VMs");
		qs_finding_fact(an, f, "SAPI's binder service %s has %zu "
		    "instance%s in the dump, none of them %s.", svc, ninst,
		    ninst == 1 ? "" : "s", m->id);
		qs_finding_fact(an, f, "sdcadm post-setup ha-binder builds "
		    "ZK_SERVERS from every running binder VM and reads the "
		    "ZK_ID of its SAPI instance: with this VM running and no "
		    "instance, it cannot rebuild the list.");
		if (in_zk != NULL)
			qs_finding_fact(an, f, "%s has num %s at its address, "
			    "and %zu of the %zu zoo.cfg files in the bundle "
			    "list it: it is an ensemble member SAPI lost track "
			    "of.", zk->source, in_zk->id, incfg, ncfg);
		else
			qs_finding_fact(an, f, "No SAPI ZK_SERVERS element has "
			    "its address%s, and %zu of the %zu zoo.cfg files "
			    "in the bundle list it: %s.", zk == NULL ?
			    " (no sdc application dump)" : "", incfg, ncfg,
			    incfg > 0 ?
			    "the binders know it, SAPI does not" :
			    "it is not in the ensemble");
		if (in_zk != NULL || incfg > 0) {
			f->level = QS_LEVEL_ERROR;
			qs_finding_step(an, f, "It serves the ensemble: adopt "
			    "it into SAPI with `sdc-sapi /instances -X POST -d "
			    "'{\"service_uuid\": \"%s\", \"uuid\": \"%s\", "
			    "\"params\": {\"alias\": \"%s\"}, \"metadata\": "
			    "{\"ZK_ID\": \"%s\"}, \"exists\": true}'` (SAPI "
			    "AdoptInstance; ZK_ID = the zone's myid%s).", svc,
			    m->id, m->name != NULL ? m->name : "binderN",
			    in_zk != NULL ? in_zk->id : "<myid>",
			    in_zk != NULL ? ", which ZK_SERVERS gives as num" :
			    "");
		} else {
			qs_finding_step(an, f, "It is outside the ensemble: "
			    "unless it is meant to join, destroy it on its "
			    "server (`sdc-oneachnode -n %s 'vmadm delete "
			    "%s'`), then `sdc-vmapi /vms/%s?sync=true`.",
			    srv != NULL ? srv : "<server>", m->id, m->id);
			qs_finding_step(an, f, "To keep it instead, adopt it "
			    "(`sdc-sapi /instances -X POST -d "
			    "'{\"service_uuid\": \"%s\", \"uuid\": \"%s\", "
			    "\"exists\": true, \"metadata\": {\"ZK_ID\": "
			    "\"<unused id>\"}}'`) and run `sdcadm post-setup "
			    "ha-binder` naming its server among 3 or 5.", svc,
			    m->id);
		}
		qs_finding_step(an, f, "Check with `sdc-sapi "
		    "/instances?service_uuid=%s | json -Ha uuid` and "
		    "`sdc-role list`.", svc);
	}
}

static void
rule_triton_zk_invalid(struct qs_analysis *an, const struct qs_rule *rule)
{
	const struct qs_triton	*ix = qs_triton_facts(an);

	if (ix == NULL)
		return;
	rule_triton_zk_invalid_ix(an, rule, ix);
}

static void
rule_triton_zk_copies(struct qs_analysis *an, const struct qs_rule *rule)
{
	const struct qs_triton	*ix = qs_triton_facts(an);

	if (ix == NULL)
		return;
	rule_triton_zk_copies_ix(an, rule, ix);
}

static void
rule_triton_ghost(struct qs_analysis *an, const struct qs_rule *rule)
{
	const struct qs_triton	*ix = qs_triton_facts(an);

	if (ix == NULL)
		return;
	rule_triton_ghost_vm(an, rule, ix);
	rule_triton_leftover(an, rule, ix);
	rule_triton_unregistered_ix(an, rule, ix);
}

/*
 * A count a dynamic reconfiguration set (the version in force is not the
 * first one): the operator chose it with `reconfig`, mid-way through
 * adding or removing servers; the advice stands, as information.
 */
static void
zk_size_by_reconfig(struct qs_analysis *an, struct qs_finding *f,
    const struct qs_view *v)
{
	const struct qs_zk		*z = qs_zk_facts(an);
	const struct qs_zk_version	*first;
	char				 t[40];
	size_t				 i;

	if (f->level == QS_LEVEL_INFO || z == NULL || z->versions.n < 2 ||
	    !(v->clock.set & QS_CLOCK_ZXID))
		return;
	first = z->versions.v[0];
	for (i = 1; i < z->versions.n; i++) {
		const struct qs_zk_version *ver = z->versions.v[i];

		if (ver->version != v->clock.zxid ||
		    first->version == ver->version)
			continue;
		f->level = QS_LEVEL_INFO;
		qs_finding_fact(an, f, "The count was set by a dynamic "
		    "reconfiguration (version %llx%s%s): an operator's "
		    "choice, perhaps one step of a replacement.",
		    (unsigned long long)ver->version, ver->time.set ?
		    " at " : "", ver->time.set ? qs_time_format(&ver->time,
		    t, sizeof(t)) : "");
		return;
	}
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
		zk_size_by_reconfig(an, f, v);
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

const struct qs_rule qs_rule_triton_zk_servers_invalid = {
	.id = "triton-zk-servers-invalid",
	.kind = "ghost-instance",
	.level = QS_LEVEL_ERROR,
	.system = QS_SYS_TRITON,
	.title = "SAPI's ZK_SERVERS lists servers that are not the binders",
	.explanation = "An element whose host is no running binder VM, or "
	    "whose num is no instance's ZK_ID, is a voter that never "
	    "answers; a repeated num or host, or \"last\" on the wrong "
	    "element, renders a broken zoo.cfg or registrar config.",
	.remediation = "Write the list sdcadm would build (running binder "
	    "VMs, their ZK_ID) with `sapiadm update <uuid> -f <file>`.",
	.check = rule_triton_zk_invalid,
};

const struct qs_rule qs_rule_triton_zk_servers_copies = {
	.id = "triton-zk-servers-copies",
	.kind = "inconsistent-config",
	.level = QS_LEVEL_ERROR,
	.system = QS_SYS_TRITON,
	.title = "copies of ZK_SERVERS, zoo.cfg or myid disagree",
	.explanation = "sdcadm writes ZK_SERVERS into the sdc application "
	    "and the moray and manatee services; binder renders zoo.cfg "
	    "and myid from SAPI.  Copies that differ send moray and "
	    "manatee to another ensemble than the binders run.",
	.remediation = "Write one list into every copy with `sapiadm "
	    "update`, then let config-agent render the zones' files.",
	.check = rule_triton_zk_copies,
};
