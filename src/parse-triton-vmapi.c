/*
 * triton.vmapi_dump: VMAPI VM objects as "sdc-vmapi /vms?..." returns
 * them, a JSON array or one object (formats.md 7.2), and
 * triton.role_list: the table "sdc-role list" prints (ALIAS SERVER UUID
 * RAM STATE ROLE ADMIN_IP).
 *
 * Both record a configured view ("VMAPI VMs", "sdc-role list") whose
 * members are the VMs: name = alias, id = uuid, address = first nic ip,
 * state alive (running), left (stopped), reaped (destroyed, failed),
 * listed otherwise; and settings triton.vm.<uuid>.state, .server_uuid,
 * .role, .alias, .ip (the first nic's, which sdcadm takes for a binder's
 * ZooKeeper host) and .ips (every nic's, space-separated) (the role list:
 * triton.role.<uuid>.server, .role and .alias).
 * VMAPI VMs whose alias no other VM of the dump shares also give
 * identities (uuid and admin ip, subject = alias), so a bundle directory
 * named after the alias gets them; a shared alias (a ghost VM next to its
 * replacement) gives none, or the ghost's address would be taken for the
 * node's.
 *
 * Names people use: qs_triton_vm_alias() gives the alias VMAPI or the
 * role list records for a VM uuid, shared or not, and
 * qs_triton_vm_label() the label "binder3 (a41e7c90...)" for reports.
 * A shared alias is never an identity (see above): the label is read
 * from the settings, never from node resolution.
 *
 * Known limits: VMs and nics are capped; evidence lines are found by
 * searching for the VM's uuid (cJSON keeps no positions).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "quorumscope.h"

#define VM_MAX		8192	/* VMs read from one dump */
#define VM_NICS_MAX	16	/* nics looked at per VM */
#define VM_LINE_MAX	4096	/* longest role list line */
#define VM_STR_MAX	128	/* longest alias, uuid, state kept */

static enum qs_member_state
vm_state(const char *s)
{
	if (s == NULL)
		return QS_MEMBER_LISTED;
	if (strcmp(s, "running") == 0)
		return QS_MEMBER_ALIVE;
	if (strcmp(s, "stopped") == 0)
		return QS_MEMBER_LEFT;
	if (strcmp(s, "destroyed") == 0 || strcmp(s, "failed") == 0)
		return QS_MEMBER_REAPED;
	return QS_MEMBER_LISTED;
}

static const char *
vm_str(const cJSON *o, const char *key)
{
	const cJSON	*s = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(s) && s->valuestring != NULL &&
	    strlen(s->valuestring) <= VM_STR_MAX ? s->valuestring : NULL;
}

static void
vm_setting(struct qs_parse_ctx *ctx, const char *uuid, const char *what,
    const char *value, const struct qs_evidence *ev)
{
	if (value != NULL)
		qs_emit_setting(ctx, qs_arena_printf(&ctx->run->arena,
		    "triton.vm.%s.%s", uuid, what), value, ev);
}

/* How many VMs of the list carry `alias`. */
static size_t
vm_alias_count(const cJSON *root, const char *alias)
{
	const cJSON	*el;
	const char	*a;
	size_t		 n = 0, seen = 0;

	if (!cJSON_IsArray(root))
		return 1;
	cJSON_ArrayForEach(el, root) {
		if (seen++ == VM_MAX)
			break;
		if ((a = vm_str(el, "alias")) != NULL && strcmp(a, alias) == 0)
			n++;
	}
	return n;
}

static void
vm_object(struct qs_parse_ctx *ctx, const char *text, size_t len,
    struct qs_line_cursor *lc, size_t *cur, const cJSON *root, const cJSON *o,
    struct qs_view *v)
{
	const char	*uuid = vm_str(o, "uuid"), *alias = vm_str(o, "alias");
	const char	*state = vm_str(o, "state"), *ip = NULL, *role = NULL;
	const cJSON	*nics = cJSON_GetObjectItemCaseSensitive(o, "nics");
	const cJSON	*tags = cJSON_GetObjectItemCaseSensitive(o, "tags");
	const cJSON	*nic;
	struct qs_evidence ev;
	const char	*hit, *ips = NULL, *nip;
	uint64_t	 line = 0;
	size_t		 n = 0;

	if (uuid == NULL) {
		qs_parse_diag(ctx, QS_SEV_WARNING, 0, "VMAPI VM without a "
		    "uuid, skipped");
		return;
	}
	/*
	 * The mapped text need not end in NUL: a bounded search, from where
	 * the previous VM was found (objects come in text order), so a big
	 * dump is searched once, not once per VM.
	 */
	hit = NULL;
	if (*uuid != '\0' && *cur < len &&
	    (hit = memmem(text + *cur, len - *cur, uuid, strlen(uuid))) != NULL) {
		*cur = (size_t)(hit - text) + strlen(uuid);
		line = qs_json_line_seek(text, len, lc, (size_t)(hit - text));
	}
	cJSON_ArrayForEach(nic, nics) {
		if (n++ == VM_NICS_MAX)
			break;
		if ((nip = vm_str(nic, "ip")) == NULL)
			continue;
		if (ip == NULL)
			ip = nip;
		ips = ips == NULL ? nip : qs_arena_printf(&ctx->run->arena,
		    "%s %s", ips, nip);
	}
	if (cJSON_IsObject(tags))
		role = vm_str(tags, "smartdc_role");
	ev = qs_evidence_line(ctx, line, qs_arena_printf(&ctx->run->arena,
	    "%s %s %s %s", uuid, alias != NULL ? alias : "-",
	    state != NULL ? state : "-", ip != NULL ? ip : "-"));
	qs_view_add(ctx, v, alias, ip, uuid, vm_state(state));
	vm_setting(ctx, uuid, "state", state, &ev);
	vm_setting(ctx, uuid, "server_uuid", vm_str(o, "server_uuid"), &ev);
	vm_setting(ctx, uuid, "role", role, &ev);
	vm_setting(ctx, uuid, "alias", alias, &ev);
	vm_setting(ctx, uuid, "ip", ip, &ev);
	vm_setting(ctx, uuid, "ips", ips, &ev);
	vm_setting(ctx, uuid, "last_modified", vm_str(o, "last_modified"),
	    &ev);
	if (alias == NULL || vm_state(state) == QS_MEMBER_REAPED ||
	    vm_alias_count(root, alias) != 1)
		return;
	qs_emit_identity(ctx, QS_ID_UUID, uuid, NULL, alias, &ev);
	if (ip != NULL)
		qs_emit_identity(ctx, QS_ID_ADDRESS, ip, "admin", alias, &ev);
}

int
qs_parse_triton_vmapi(struct qs_parse_ctx *ctx)
{
	const unsigned char	*data;
	const char		*text, *end = NULL;
	size_t			 len, n = 0, cur = 0;
	struct qs_line_cursor	 lc = { 0, 0 };
	cJSON			*root;
	const cJSON		*el;
	struct qs_evidence	 ev;
	struct qs_view		*v;

	if (qs_source_map(ctx->src, ctx->run->limits.v[QS_LIMIT_MEMORY_ENTRY],
	    &data, &len) != 0) {
		qs_parse_diag(ctx, QS_SEV_ERROR, 0, "VMAPI dump: the entry "
		    "could not be read");
		ctx->artifact->status = QS_STATUS_FAILED;
		return -1;
	}
	text = (const char *)data;
	root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	if (root == NULL || (!cJSON_IsArray(root) && !cJSON_IsObject(root))) {
		uint64_t	line = 0;

		if (root == NULL && end != NULL && end >= text &&
		    end <= text + len)
			line = qs_json_line_at(text, len, (size_t)(end - text));
		cJSON_Delete(root);
		qs_parse_diag(ctx, QS_SEV_ERROR, line, "VMAPI dump: %s",
		    root == NULL ? "not valid JSON" : "neither an object nor "
		    "a list");
		ctx->artifact->status = QS_STATUS_FAILED;
		return -1;
	}
	ev = qs_evidence_line(ctx, 1, "VMAPI VMs");
	v = qs_emit_view(ctx, QS_VIEW_CONFIGURED, "VMAPI VMs", &ev);
	if (cJSON_IsObject(root))
		vm_object(ctx, text, len, &lc, &cur, root, root, v);
	else
		cJSON_ArrayForEach(el, root) {
			if (n++ == VM_MAX) {
				qs_parse_diag(ctx, QS_SEV_WARNING, 0, "VMAPI "
				    "dump: more than %d VMs, the rest ignored",
				    VM_MAX);
				break;
			}
			if (cJSON_IsObject(el))
				vm_object(ctx, text, len, &lc, &cur, root, el,
				    v);
		}
	cJSON_Delete(root);
	return 0;
}

/* Next whitespace-separated field of s[*i..len), or NULL at the end. */
static const char *
role_field(struct qs_parse_ctx *ctx, const char *s, size_t len, size_t *i)
{
	size_t	b;

	while (*i < len && (s[*i] == ' ' || s[*i] == '\t'))
		(*i)++;
	if (*i == len)
		return NULL;
	b = *i;
	while (*i < len && s[*i] != ' ' && s[*i] != '\t')
		(*i)++;
	if (*i - b > VM_STR_MAX)
		return NULL;
	return qs_pstrndup(ctx, s + b, *i - b);
}

int
qs_parse_triton_role_list(struct qs_parse_ctx *ctx)
{
	const char		*line, *f[7];
	ssize_t			 n;
	size_t			 i, k, rows = 0;
	struct qs_view		*v = NULL;
	struct qs_evidence	 ev;

	while ((n = qs_source_getline(ctx->src, &line, VM_LINE_MAX)) >= 0) {
		size_t	len = (size_t)n;

		while (len > 0 && (line[len - 1] == '\n' ||
		    line[len - 1] == '\r'))
			len--;
		i = 0;
		for (k = 0; k < 7; k++)
			if ((f[k] = role_field(ctx, line, len, &i)) == NULL)
				break;
		if (k == 0)
			continue;
		if (v == NULL) {
			if (k < 7 || strcmp(f[0], "ALIAS") != 0 ||
			    strcmp(f[2], "UUID") != 0) {
				qs_parse_diag(ctx, QS_SEV_ERROR,
				    ctx->src->lineno, "sdc-role list: no "
				    "ALIAS ... UUID header");
				ctx->artifact->status = QS_STATUS_FAILED;
				return -1;
			}
			ev = qs_evidence_line(ctx, ctx->src->lineno,
			    "sdc-role list");
			v = qs_emit_view(ctx, QS_VIEW_CONFIGURED,
			    "sdc-role list", &ev);
			continue;
		}
		if (k < 7) {
			qs_parse_diag(ctx, QS_SEV_WARNING, ctx->src->lineno,
			    "sdc-role list: a row with %zu of 7 columns", k);
			continue;
		}
		if (rows++ == VM_MAX) {
			qs_parse_diag(ctx, QS_SEV_WARNING, ctx->src->lineno,
			    "sdc-role list: more than %d rows, the rest "
			    "ignored", VM_MAX);
			break;
		}
		ev = qs_evidence_line(ctx, ctx->src->lineno,
		    qs_pstrndup(ctx, line, len > 200 ? 200 : len));
		qs_view_add(ctx, v, f[0], f[6], f[2], vm_state(f[4]));
		qs_emit_setting(ctx, qs_arena_printf(&ctx->run->arena,
		    "triton.role.%s.server", f[2]), f[1], &ev);
		qs_emit_setting(ctx, qs_arena_printf(&ctx->run->arena,
		    "triton.role.%s.role", f[2]), f[5], &ev);
		qs_emit_setting(ctx, qs_arena_printf(&ctx->run->arena,
		    "triton.role.%s.alias", f[2]), f[0], &ev);
	}
	if (v == NULL) {
		qs_parse_diag(ctx, QS_SEV_ERROR, 0, "sdc-role list: empty");
		ctx->artifact->status = QS_STATUS_FAILED;
		return -1;
	}
	return 0;
}

/*
 * The alias a VMAPI dump or a role list gives VM `uuid` (the last one
 * read), or NULL.  Matching ignores case: people paste uuids both ways.
 */
const char *
qs_triton_vm_alias(const struct qs_run *run, const char *uuid)
{
	const char	*found = NULL, *k;
	size_t		 i, ul;

	if (uuid == NULL || (ul = strlen(uuid)) == 0)
		return NULL;
	for (i = 0; i < run->settings.n; i++) {
		const struct qs_setting	*s = run->settings.v[i];

		if (s->system != QS_SYS_TRITON)
			continue;
		k = s->key;
		if (strncmp(k, "triton.vm.", 10) == 0)
			k += 10;
		else if (strncmp(k, "triton.role.", 12) == 0)
			k += 12;
		else
			continue;
		if (strncasecmp(k, uuid, ul) != 0 || strcmp(k + ul, ".alias") !=
		    0)
			continue;
		found = s->value;
	}
	return found;
}

/*
 * A VM as people name it: "binder3 (a41e7c90...)" (alias and the first
 * eight digits of the uuid), the uuid alone when no alias is known.
 */
const char *
qs_triton_vm_label(struct qs_arena *a, const struct qs_run *run,
    const char *uuid)
{
	const char	*alias = qs_triton_vm_alias(run, uuid);

	if (uuid == NULL)
		return NULL;
	if (alias == NULL || *alias == '\0')
		return qs_arena_strdup(a, uuid);
	return qs_arena_printf(a, "%s (%.8s%s)", alias, uuid,
	    strlen(uuid) > 8 ? "..." : "");
}
