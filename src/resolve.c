/*
 * Matching observations to nodes.  Parsers write members as they find
 * them: a serf name, a raft address, a Consul node ID, an etcd member id.
 * Once every input is read and every artifact has its node, this builds
 * one alias table from what each node said about itself (its directory
 * name, configured node_name, advertise address, node-id file...) and
 * from what nodes said about each other ("node2 is at 10.0.0.2"), then
 * points every event, signal and view member at the node it names.
 *
 * Addresses are matched by host as well as by host:port: a server's serf
 * port (8301) and raft port (8300) differ, its IP does not.  The first
 * node to claim an alias keeps it; a second claim is not merged (two
 * nodes with one IP or one node ID is a finding, not a reason to fold
 * them together), and what other nodes say of such a shared alias
 * ("server 2 is at 10.0.0.3" when two servers say they are myid 2) is
 * not pinned on the first claimer.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "quorumscope.h"

/*
 * The host part of an address: "10.0.0.1:8300" -> "10.0.0.1",
 * "[fe80::1]:8301" -> "fe80::1", "tcp/10.0.0.1:8300" -> "10.0.0.1",
 * "http://10.0.0.1:2380" -> "10.0.0.1".  Returns NULL when the text does
 * not look like an address.
 */
const char *
qs_address_host(struct qs_arena *a, const char *addr)
{
	const char	*p = addr, *end, *sep;

	if ((sep = strstr(p, "://")) != NULL)
		p = sep + 3;
	if (strncmp(p, "tcp/", 4) == 0 || strncmp(p, "udp/", 4) == 0)
		p += 4;
	if (*p == '[') {
		end = strchr(p, ']');
		if (end == NULL || end == p + 1)
			return NULL;
		return qs_arena_strndup(a, p + 1, (size_t)(end - p - 1));
	}
	end = strchr(p, ':');
	if (end != NULL && strchr(end + 1, ':') != NULL)
		return qs_arena_strdup(a, p);	/* bare IPv6 */
	if (end == NULL)
		end = p + strlen(p);
	if ((sep = memchr(p, '/', (size_t)(end - p))) != NULL)
		end = sep;
	if (end == p)
		return NULL;
	/* Digits, dots, letters and dashes: an IPv4 address or a host name. */
	for (sep = p; sep < end; sep++)
		if (!((*sep >= '0' && *sep <= '9') || *sep == '.' ||
		    *sep == '-' || (*sep >= 'a' && *sep <= 'z') ||
		    (*sep >= 'A' && *sep <= 'Z')))
			return NULL;
	return qs_arena_strndup(a, p, (size_t)(end - p));
}

static const char *
resolve_key(struct qs_run *run, const char *prefix, const char *value)
{
	return qs_arena_printf(&run->arena, "%s:%s", prefix, value);
}

/* A key claimed by nodes of several scopes: no global meaning. */
static char	resolve_ambiguous;

/*
 * Where a node was found: its scope (node attribution sets it), else the
 * input its first artifact came from.
 */
const char *
qs_node_scope(const struct qs_node *node)
{
	size_t	i;

	if (node == NULL)
		return "";
	if (node->scope != NULL)
		return node->scope;
	for (i = 0; i < node->artifacts.n; i++) {
		const struct qs_artifact *a = node->artifacts.v[i];

		if (a->input != NULL)
			return a->input->path;
	}
	return "";
}

static const char *
resolve_scoped(struct qs_run *run, const char *scope, const char *key)
{
	return qs_arena_printf(&run->arena, "%s\x1f%s", scope, key);
}

/*
 * One alias for `node`; 1 if it was new.  Each alias is kept twice: in
 * the node's scope, where the first node to claim it keeps it (when
 * `shared` is given, a later claim is recorded there: two ZooKeeper
 * servers with one myid, two Consul agents with one node ID), and
 * globally, where a claim from another scope makes it ambiguous (two
 * inputs of two clusters may both have a "node1" at 10.0.0.1).
 */
static int
resolve_put(struct qs_run *run, struct qs_map *shared, const char *key,
    struct qs_node *node)
{
	const char	*skey = resolve_scoped(run, qs_node_scope(node), key);
	struct qs_node	*g;
	int		 added = 0;

	if (qs_map_put(&run->aliases, &run->arena, skey, node) == 0)
		added = 1;
	else if (shared != NULL && qs_map_get(&run->aliases, skey) != node)
		(void)qs_map_put(shared, &run->arena, key, node);
	g = qs_map_get(&run->aliases, key);
	if (g == NULL)
		(void)qs_map_put(&run->aliases, &run->arena, key, node);
	else if (g != node && (void *)g != (void *)&resolve_ambiguous &&
	    strcmp(qs_node_scope(g), qs_node_scope(node)) != 0)
		qs_map_set(&run->aliases, key, &resolve_ambiguous);
	return added;
}

/* An alias, in `scope` first, then anywhere when it is unambiguous. */
static struct qs_node *
resolve_get(struct qs_run *run, const char *scope, const char *key)
{
	struct qs_node	*n = NULL;
	char		 buf[1024];

	if (scope != NULL && (size_t)snprintf(buf, sizeof(buf), "%s\x1f%s",
	    scope, key) < sizeof(buf))
		n = qs_map_get(&run->aliases, buf);
	if (n == NULL)
		n = qs_map_get(&run->aliases, key);
	return (void *)n == (void *)&resolve_ambiguous ? NULL : n;
}

/* Registers the aliases one identity value gives; 1 if any were new. */
static int
resolve_alias(struct qs_run *run, struct qs_map *shared, struct qs_node *node,
    enum qs_ident kind, const char *value)
{
	const char	*host;
	int		 added = 0;

	if (value == NULL || *value == '\0')
		return 0;
	switch (kind) {
	case QS_ID_NAME:
		added |= resolve_put(run, shared, resolve_key(run, "name",
		    value), node);
		break;
	case QS_ID_ADDRESS:
		added |= resolve_put(run, shared, resolve_key(run, "addr",
		    value), node);
		host = qs_address_host(&run->arena, value);
		if (host != NULL)
			added |= resolve_put(run, shared, resolve_key(run,
			    "host", host), node);
		break;
	default:
		added |= resolve_put(run, shared, resolve_key(run, "id",
		    value), node);
		break;
	}
	return added;
}

/*
 * Whether the alias `text` resolves by (the first of name, id, address)
 * is one several nodes claim for themselves: what others say about it
 * cannot be pinned on one of them.
 */
static int
resolve_shared(struct qs_run *run, const struct qs_map *shared,
    const char *scope, const char *text)
{
	static const char *const prefixes[] = { "name", "id", "addr" };
	char		 key[512];
	size_t		 i;

	for (i = 0; i < 3; i++) {
		if ((size_t)snprintf(key, sizeof(key), "%s:%s", prefixes[i],
		    text) >= sizeof(key))
			return 0;
		if (qs_map_get(shared, key) != NULL)
			return 1;
		if (resolve_get(run, scope, key) != NULL)
			return 0;
	}
	return 0;
}

/*
 * The node a member reference names: by name, by id, by full address,
 * then by host; within the scope of the node that said it first (NULL:
 * anywhere, where unambiguous).  NULL when it names nothing in the
 * bundle (a member whose files were not collected).
 */
struct qs_node *
qs_model_lookup_from(struct qs_run *run, const struct qs_node *from,
    const char *text)
{
	static const char *const prefixes[] = { "name", "id", "addr" };
	struct qs_node	*node = NULL;
	const char	*host, *scope = from != NULL ? qs_node_scope(from) :
	    NULL;
	struct qs_arena	 tmp = { NULL };
	char		 key[512];
	size_t		 i;

	if (text == NULL || *text == '\0')
		return NULL;
	for (i = 0; i < 3; i++) {
		if ((size_t)snprintf(key, sizeof(key), "%s:%s", prefixes[i],
		    text) >= sizeof(key))
			return NULL;
		if ((node = resolve_get(run, scope, key)) != NULL)
			return node;
	}
	host = qs_address_host(&tmp, text);
	if (host != NULL && (size_t)snprintf(key, sizeof(key), "host:%s",
	    host) < sizeof(key)) {
		node = resolve_get(run, scope, key);
		/* A host name another name-giving file resolved. */
		if (node == NULL && (size_t)snprintf(key, sizeof(key),
		    "name:%s", host) < sizeof(key))
			node = resolve_get(run, scope, key);
	}
	qs_arena_free(&tmp);
	return node;
}

struct qs_node *
qs_model_lookup(struct qs_run *run, const char *text)
{
	return qs_model_lookup_from(run, NULL, text);
}

static struct qs_node *
resolve_observer(const struct qs_evidence *ev)
{
	return ev->artifact != NULL ? ev->artifact->node : NULL;
}

/*
 * Whether an identity a node gave of itself was said by one of several
 * speakers of one log: then it names the speaker, not the file's node.
 */
static int
resolve_spoken(const struct qs_identity *id)
{
	return id->ev.speaker != NULL && id->ev.artifact != NULL &&
	    id->ev.artifact->many_speakers;
}

/*
 * The node that said what ev quotes: the one its line names as speaker
 * (a host, container or myid in a file several nodes wrote; compose's
 * instance suffix "_1", "-1" dropped when the name alone does not
 * resolve), else the artifact's node.
 */
static struct qs_node *
resolve_speaker(struct qs_run *run, const struct qs_evidence *ev)
{
	struct qs_node	*from = resolve_observer(ev), *node;
	char		 buf[256];
	size_t		 n;

	if (ev->speaker == NULL || from == NULL ||
	    !ev->artifact->many_speakers)
		return from;
	if ((node = qs_model_lookup_from(run, from, ev->speaker)) != NULL)
		return node;
	n = strlen(ev->speaker);
	while (n > 0 && ev->speaker[n - 1] >= '0' && ev->speaker[n - 1] <= '9')
		n--;
	if (n < 2 || n == strlen(ev->speaker) || n >= sizeof(buf) ||
	    (ev->speaker[n - 1] != '-' && ev->speaker[n - 1] != '_'))
		return from;
	memcpy(buf, ev->speaker, n - 1);
	buf[n - 1] = '\0';
	node = qs_model_lookup_from(run, from, buf);
	return node != NULL ? node : from;
}

void
qs_model_resolve(struct qs_run *run)
{
	struct qs_map	 shared = { 0 };
	size_t		 i, j;
	int		 pass, changed;

	for (i = 0; i < run->nodes.n; i++) {
		struct qs_node	*node = run->nodes.v[i];

		if (strcmp(node->name, QS_BUNDLE_NODE) == 0)
			continue;
		resolve_alias(run, NULL, node, QS_ID_NAME, node->name);
		for (j = 0; j < node->artifacts.n; j++) {
			const struct qs_artifact *art = node->artifacts.v[j];

			if (art->kind != NULL)
				node->systems |= 1u << art->kind->system;
		}
	}
	/* What nodes say about themselves. */
	for (i = 0; i < run->identities.n; i++) {
		struct qs_identity	*id = run->identities.v[i];
		struct qs_node		*node = resolve_observer(&id->ev);

		if (id->subject != NULL || node == NULL || resolve_spoken(id) ||
		    strcmp(node->name, QS_BUNDLE_NODE) == 0)
			continue;
		resolve_alias(run, &shared, node, id->kind, id->value);
		qs_vec_push(&node->idents, id);
	}
	/* What they say about each other, until nothing new is learned. */
	for (pass = 0, changed = 1; changed && pass < 4; pass++) {
		changed = 0;
		for (i = 0; i < run->identities.n; i++) {
			struct qs_identity	*id = run->identities.v[i];
			struct qs_node		*node;

			struct qs_node		*said = resolve_observer(
			    &id->ev);
			const char		*subject = id->subject;

			if (subject == NULL && resolve_spoken(id))
				subject = id->ev.speaker;
			if (subject == NULL || resolve_shared(run, &shared,
			    said != NULL ? qs_node_scope(said) : NULL,
			    subject))
				continue;
			if ((node = qs_model_lookup_from(run, said,
			    subject)) != NULL)
				changed |= resolve_alias(run, NULL, node,
				    id->kind, id->value);
			else if ((node = qs_model_lookup_from(run, said,
			    id->value)) != NULL)
				changed |= resolve_alias(run, NULL, node,
				    QS_ID_NAME, subject);
		}
	}

	for (i = 0; i < run->events.n; i++) {
		struct qs_event	*e = run->events.v[i];

		e->observer = resolve_speaker(run, &e->ev);
		e->subject_node = e->subject != NULL ?
		    qs_model_lookup_from(run, e->observer, e->subject) :
		    e->observer;
	}
	for (i = 0; i < run->signals.n; i++) {
		struct qs_signal	*s = run->signals.v[i];

		s->observer = resolve_speaker(run, &s->ev);
		s->subject_node = s->subject != NULL ?
		    qs_model_lookup_from(run, s->observer, s->subject) :
		    s->observer;
	}
	for (i = 0; i < run->views.n; i++) {
		struct qs_view	*v = run->views.v[i];

		v->observer = resolve_speaker(run, &v->ev);
		for (j = 0; j < v->members.n; j++) {
			struct qs_member	*m = v->members.v[j];

			m->node = qs_model_lookup_from(run, v->observer,
			    m->id);
			if (m->node == NULL)
				m->node = qs_model_lookup_from(run,
				    v->observer, m->name);
			if (m->node == NULL)
				m->node = qs_model_lookup_from(run,
				    v->observer, m->address);
		}
	}
	for (i = 0; i < run->settings.n; i++) {
		struct qs_setting	*s = run->settings.v[i];

		s->observer = resolve_speaker(run, &s->ev);
	}
	qs_map_free(&shared);
}
