/*
 * Helpers shared by the etcd parser tests: every observation of one
 * artifact rendered as text, one line each, so a test compares the whole
 * output of a parser with one string.
 */
#ifndef QS_TEST_ETCD_H
#define QS_TEST_ETCD_H

#include "test.h"

#define QS_R_EVENTS	0x01
#define QS_R_VIEWS	0x02
#define QS_R_SETTINGS	0x04
#define QS_R_IDENTS	0x08
#define QS_R_DIAGS	0x10
#define QS_R_ALL	0x1f

const char *qs_test_etcd_render(struct qs_run *, const char *, unsigned);
const char *qs_test_etcd_setting(const struct qs_run *, const char *,
	    const char *);
const struct qs_view *qs_test_etcd_view(const struct qs_run *, const char *,
	    const char *);
size_t	qs_test_etcd_count(const struct qs_run *, const char *,
	    enum qs_event_kind);

#endif
