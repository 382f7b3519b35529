/*
 * Triton facts, built once per Triton cluster before its rules run: the
 * SAPI and VMAPI dumps indexed for the rules of rule-triton.c.
 *
 * The dumps may sit anywhere in the bundle (its root, a headnode
 * directory), so settings are looked up without regard to the observer.
 * A dump may hold thousands of VMs: the Triton settings, the running
 * binder VMs' addresses and the instances' ZK_ID are indexed once, so
 * the rules' lookups stay constant time whatever the bundle holds.
 *
 * Upstream facts (TritonDataCenter/sdcadm lib/post-setup/ha-binder.js):
 * ha-binder lists binder VMs by tag smartdc_role=binder and state
 * running; a dump without tags still names them by alias binder<N>.
 */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quorumscope.h"


const char *
qs_triton_get(const struct qs_triton *ix, const char *fmt, ...)
{
	const struct qs_setting	*s;
	char			 key[320];
	va_list			 ap;
	int			 n;

	va_start(ap, fmt);
	n = vsnprintf(key, sizeof(key), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(key))
		return NULL;
	s = qs_map_get(&ix->set, key);
	return s != NULL ? s->value : NULL;
}

/*
 * A binder VM: tags.smartdc_role binder (what sdcadm's ha-binder lists
 * VMAPI by), or, in a dump without tags, the alias binder<N> it gives.
 */
int
qs_triton_is_binder(const struct qs_triton *ix, const struct qs_member *m)
{
	const char	*role, *a;

	if (m->id == NULL)
		return 0;
	if ((role = qs_triton_get(ix, "triton.vm.%s.role", m->id)) != NULL)
		return strcmp(role, "binder") == 0;
	if ((a = m->name) == NULL || strncmp(a, "binder", 6) != 0 ||
	    a[6] == '\0')
		return 0;
	for (a += 6; *a != '\0'; a++)
		if (*a < '0' || *a > '9')
			return 0;
	return 1;
}

/* VM m's nic addresses, space-separated (the parser's .ips). */
const char *
qs_triton_vm_ips(const struct qs_triton *ix, const struct qs_member *m)
{
	const char	*p;

	if (m->id == NULL ||
	    (p = qs_triton_get(ix, "triton.vm.%s.ips", m->id)) == NULL)
		return m->address;
	return p;
}

/* Is `host` an address of one of VM m's nics? */
int
qs_triton_vm_has_ip(const struct qs_triton *ix, const struct qs_member *m,
    const char *host)
{
	const char	*p = qs_triton_vm_ips(ix, m);
	size_t		 hl = strlen(host), l;

	while (p != NULL && *p != '\0') {
		l = strcspn(p, " ");
		if (l == hl && memcmp(p, host, hl) == 0)
			return 1;
		p += l;
		if (*p == ' ')
			p++;
	}
	return 0;
}

static void
triton_build(struct qs_triton *ix, struct qs_run *run)
{
	size_t	i, j;

	memset(ix, 0, sizeof(*ix));
	ix->run = run;
	/* Backwards, so the map keeps the last setting of a key. */
	for (i = run->settings.n; i > 0; i--) {
		const struct qs_setting	*s = run->settings.v[i - 1];

		if (s->system == QS_SYS_TRITON)
			(void)qs_map_put(&ix->set, &ix->keys, s->key,
			    (void *)(uintptr_t)s);
	}
	for (i = 0; i < run->identities.n; i++) {
		const struct qs_identity	*id = run->identities.v[i];

		if (id->kind != QS_ID_MYID || id->system != QS_SYS_TRITON ||
		    id->subject == NULL)
			continue;
		(void)qs_map_put(&ix->zid, &ix->keys, id->subject,
		    (void *)(uintptr_t)id);
		(void)qs_map_put(&ix->num, &ix->keys, id->value,
		    (void *)(uintptr_t)id);
	}
	for (i = 0; i < run->views.n; i++) {
		const struct qs_view	*v = run->views.v[i];

		if (v->system != QS_SYS_TRITON ||
		    strcmp(v->source, "VMAPI VMs") != 0)
			continue;
		if (ix->vms == NULL)
			ix->vms = v;
		for (j = 0; j < v->members.n; j++) {
			const struct qs_member	*m = v->members.v[j];

			if (m->id != NULL && m->address != NULL &&
			    m->state == QS_MEMBER_ALIVE)
				(void)qs_map_put(&ix->live, &ix->keys, m->id,
				    (void *)(uintptr_t)m);
		}
	}
	for (i = 0; i < run->identities.n; i++) {
		const struct qs_identity	*id = run->identities.v[i];

		if (id->kind == QS_ID_MYID && id->system == QS_SYS_TRITON &&
		    id->subject != NULL &&
		    qs_map_get(&ix->live, id->subject) != NULL)
			(void)qs_map_put(&ix->numvm, &ix->keys, id->value,
			    (void *)(uintptr_t)id);
	}
	for (i = ix->vms != NULL ? ix->vms->members.n : 0; i > 0; i--) {
		const struct qs_member	*m = ix->vms->members.v[i - 1];

		if (m->id != NULL)
			(void)qs_map_put(&ix->byid, &ix->keys, m->id,
			    (void *)(uintptr_t)m);
	}
	for (i = 0; ix->vms != NULL && i < ix->vms->members.n; i++) {
		const struct qs_member	*m = ix->vms->members.v[i];
		const char		*srv;
		size_t			*cnt;

		if (m->id == NULL || (srv = qs_triton_get(ix, "triton.vm.%s."
		    "server_uuid", m->id)) == NULL)
			continue;
		if ((cnt = qs_map_get(&ix->srv, srv)) == NULL) {
			cnt = qs_arena_alloc(&ix->keys, sizeof(*cnt));
			*cnt = 0;
			(void)qs_map_put(&ix->srv, &ix->keys, srv, cnt);
		}
		(*cnt)++;
	}
	for (i = 0; ix->vms != NULL && i < ix->vms->members.n; i++) {
		const struct qs_member	*m = ix->vms->members.v[i];
		const char		*p;
		size_t			 l;

		if (m->state != QS_MEMBER_ALIVE || !qs_triton_is_binder(ix, m))
			continue;
		ix->nrun++;
		for (p = qs_triton_vm_ips(ix, m); p != NULL && *p != '\0'; ) {
			l = strcspn(p, " ");
			(void)qs_map_put(&ix->ip, &ix->keys, qs_arena_strndup(
			    &ix->keys, p, l), (void *)(uintptr_t)m);
			p += l;
			if (*p == ' ')
				p++;
		}
	}
}

void
qs_triton_facts_free(struct qs_triton *ix)
{
	qs_map_free(&ix->set);
	qs_map_free(&ix->ip);
	qs_map_free(&ix->zid);
	qs_map_free(&ix->num);
	qs_map_free(&ix->live);
	qs_map_free(&ix->numvm);
	qs_map_free(&ix->srv);
	qs_map_free(&ix->byid);
	qs_arena_free(&ix->keys);
	free(ix);
}

const struct qs_view *
qs_triton_vms(const struct qs_triton *ix)
{
	return ix->vms;
}

/* The running binder VM with address `host`, or NULL. */
const struct qs_member *
qs_triton_binder_at(const struct qs_triton *ix, const char *host)
{
	return qs_map_get(&ix->ip, host);
}


/* The Triton facts of the cluster being judged (built once). */
const struct qs_triton *
qs_triton_facts(struct qs_analysis *an)
{
	struct qs_cluster	*c = an->cluster;
	struct qs_triton	*ix;

	if (c == NULL || c->system != QS_SYS_TRITON)
		return NULL;
	if (c->facts != NULL)
		return c->facts;
	ix = qs_xcalloc(1, sizeof(*ix));
	triton_build(ix, an->run);
	c->facts = ix;
	return ix;
}
