/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_CFG_INT_H
#define LB_CFG_INT_H

/**
 * @file
 * Internal to lib/cfg: the statement tree built by the lexer and the
 * diagnostics sink shared by the lexer and the semantic pass.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#include "lb_cfg.h"

/** Deepest block nesting accepted (keepalived's own configs use 4 or 5). */
#define LB_CFG_MAX_DEPTH 32

/**
 * One statement: a keyword, its values and an optional { } block.
 * Siblings are chained through next; a block's statements hang off child.
 */
struct lb_cfg_stmt {
	char *kw;			/**< first word of the statement */
	char **vals;			/**< the other words, in order */
	unsigned int n_vals;
	bool has_block;			/**< a { } followed, even if empty */
	struct lb_cfg_stmt *child;	/**< first statement of the block */
	struct lb_cfg_stmt *next;	/**< next statement of the same block */
	const char *file;		/**< not owned: lives in lb_config.files */
	unsigned int line;		/**< line of the keyword */
};

/** Where a line of preprocessed text came from. */
struct lb_cfg_linemap {
	const char *file;		/**< not owned: lives in lb_config.files */
	unsigned int line;
};

/** Diagnostics sink and counters. */
struct lb_cfg_diag {
	FILE *out;			/**< never NULL */
	unsigned int n_errors;
	unsigned int n_warnings;
};

/**
 * Print "FILE:LINE: error: MESSAGE" and count it.
 */
void lb_cfg_error(struct lb_cfg_diag *d, const char *file, unsigned int line,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/**
 * Print "FILE:LINE: warning: MESSAGE" and count it.
 */
void lb_cfg_warn(struct lb_cfg_diag *d, const char *file, unsigned int line,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/**
 * Split configuration text into a statement tree.
 *
 * Lexical and brace errors are reported to d. A tree is returned even when
 * there were errors, so that the caller may go on looking for more.
 *
 * @param d
 *   Diagnostics sink.
 * @param file
 *   File name for diagnostics; stored (not copied) in every statement.
 * @param text
 *   The text, len bytes (need not be NUL-terminated).
 * @param len
 *   Length of text.
 * @param map
 *   Source file:line of each line of text (from lb_cfg_pp()), or NULL when
 *   text is the file itself.
 * @param n_map
 *   Entries in map.
 * @param tree
 *   Out: first top-level statement (NULL when there is none).
 * @param structure_ok
 *   Out: false when the block structure is broken (unbalanced braces,
 *   nesting too deep), i.e. the tree does not mean what the author meant.
 * @return
 *   0, or -ENOMEM (nothing returned in *tree).
 */
int lb_cfg_lex(struct lb_cfg_diag *d, const char *file, const char *text, size_t len,
		const struct lb_cfg_linemap *map, unsigned int n_map,
		struct lb_cfg_stmt **tree, bool *structure_ok);

/**
 * Free a statement list and everything below it.
 *
 * @param st
 *   First statement; NULL is allowed.
 */
void lb_cfg_stmt_free(struct lb_cfg_stmt *st);

/** Preprocessed text and where each of its lines came from. */
struct lb_cfg_pp_out {
	char *text;			/**< malloc'd, NUL-terminated */
	size_t len;
	struct lb_cfg_linemap *map;	/**< malloc'd, one entry per line of text */
	unsigned int n_map;
};

/**
 * Expand include, $NAME parameters and @ID lines (lb_cfg_pp.c).
 *
 * @param d
 *   Diagnostics sink.
 * @param cfg
 *   Config being built: files[0] is the top file's name; every included
 *   file's name is added to files.
 * @param opts
 *   Options (config-id, includes allowed), or NULL.
 * @param text
 *   Text of files[0], len bytes.
 * @param len
 *   Length of text.
 * @param out
 *   Out: the expanded text and its line map (caller frees both).
 * @return
 *   0 (errors are reported to d and counted), or -ENOMEM.
 */
int lb_cfg_pp(struct lb_cfg_diag *d, struct lb_config *cfg, const struct lb_cfg_opts *opts,
		const char *text, size_t len, struct lb_cfg_pp_out *out);

struct kw_def;

/* ---- semantic pass (lb_cfg.c and the per-block files) ---- */


#define LB_CFG_NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define VALS_ANY UINT8_MAX
#define UNSET_U32 UINT32_MAX

/* Keyword flags. */
#define KW_ONCE 0x1		/* warn when given twice in one block */
#define KW_IGNORED 0x2		/* keepalived's, lbapp does not act on it: warn, skip */

enum kw_blk {
	BLK_NO,
	BLK_YES,
	BLK_ANY,
};

/** State of one semantic pass. */
struct sem {
	struct lb_cfg_diag *d;
	struct lb_config *cfg;
	uint32_t *vrrp_flags;	/* per vrrp_instance: inheritable flags it set itself */
	uint32_t *rs_flags;	/* per real_server of the current virtual_server: same */
	unsigned int n_rs_flags;
};

typedef int (*kw_fn_t)(struct sem *s, const struct lb_cfg_stmt *st, void *obj,
		const struct kw_def *def);

/** One keyword of a block. */
struct kw_def {
	const char *name;
	kw_fn_t fn;		/* NULL with KW_IGNORED */
	uint8_t min_vals;
	uint8_t max_vals;
	uint8_t blk;
	uint8_t flags;
	const char *alias;	/* canonical keyword this one is another name of */
	size_t off;		/* generic handlers: field offset in the block's object */
	int64_t lo, hi;		/* generic handlers: accepted range */
};

/** A block's keywords. */
struct kw_table {
	const char *name;	/* block name for messages, NULL at top level */
	const struct kw_def *kws;
	unsigned int n;
};

#define KWX(n, f, mn, mx, b, fl, o, l, h) { .name = (n), .fn = (f), .min_vals = (mn), \
	.max_vals = (mx), .blk = (b), .flags = (fl), .alias = NULL, .off = (o), \
	.lo = (l), .hi = (h) }
#define KW(n, f, mn, mx, b, fl) KWX(n, f, mn, mx, b, fl, 0, 0, 0)
#define KW_ALIAS(n, canon, f, mn, mx, b, fl, o, l, h) { .name = (n), .fn = (f), \
	.min_vals = (mn), .max_vals = (mx), .blk = (b), .flags = (fl), .alias = (canon), \
	.off = (o), .lo = (l), .hi = (h) }
#define KW_IGN(n) KW(n, NULL, 0, VALS_ANY, BLK_ANY, KW_IGNORED)
#define KW_FLAG(n, T, f) KWX(n, lb_cfg_h_flag, 0, 1, BLK_NO, KW_ONCE, offsetof(T, f), 0, 1)
#define KW_NOFLAG(n, T, f) KWX(n, lb_cfg_h_noflag, 0, 0, BLK_NO, KW_ONCE, offsetof(T, f), 0, 0)
#define KW_TRI(n, T, f) KWX(n, lb_cfg_h_tri, 0, 1, BLK_NO, KW_ONCE, offsetof(T, f), 0, 1)
#define KW_U32(n, T, f, l, h) KWX(n, lb_cfg_h_u32, 1, 1, BLK_NO, KW_ONCE, offsetof(T, f), l, h)
#define KW_U8(n, T, f, l, h) KWX(n, lb_cfg_h_u8, 1, 1, BLK_NO, KW_ONCE, offsetof(T, f), l, h)
#define KW_MS(n, T, f, l, h) KWX(n, lb_cfg_h_ms, 1, 1, BLK_NO, KW_ONCE, offsetof(T, f), l, h)
#define KW_NAME(n, T, f) KWX(n, lb_cfg_h_name, 1, 1, BLK_NO, KW_ONCE, offsetof(T, f), 0, \
	LB_CFG_NAME_MAX)
#define KW_STR(n, T, f) KWX(n, lb_cfg_h_str, 1, 1, BLK_NO, KW_ONCE, offsetof(T, f), 0, \
	LB_CFG_STR_MAX)
#define KW_CMD(n, T, f) KWX(n, lb_cfg_h_cmd, 1, 3, BLK_NO, KW_ONCE, offsetof(T, f), 0, 0)
#define KW_ADDR(n, T, f) KWX(n, lb_cfg_h_addr, 1, 1, BLK_NO, KW_ONCE, offsetof(T, f), 0, 0)
#define TABLE(nm, arr) { .name = (nm), .kws = (arr), .n = LB_CFG_NELEM(arr) }

/* Generic handlers: the field at def->off of obj. */
int lb_cfg_h_flag(struct sem *s, const struct lb_cfg_stmt *st, void *obj,
		const struct kw_def *def);
int lb_cfg_h_noflag(struct sem *s, const struct lb_cfg_stmt *st, void *obj,
		const struct kw_def *def);
int lb_cfg_h_tri(struct sem *s, const struct lb_cfg_stmt *st, void *obj,
		const struct kw_def *def);
int lb_cfg_h_u32(struct sem *s, const struct lb_cfg_stmt *st, void *obj,
		const struct kw_def *def);
int lb_cfg_h_u8(struct sem *s, const struct lb_cfg_stmt *st, void *obj,
		const struct kw_def *def);
int lb_cfg_h_ms(struct sem *s, const struct lb_cfg_stmt *st, void *obj,
		const struct kw_def *def);
int lb_cfg_h_name(struct sem *s, const struct lb_cfg_stmt *st, void *obj,
		const struct kw_def *def);
int lb_cfg_h_str(struct sem *s, const struct lb_cfg_stmt *st, void *obj,
		const struct kw_def *def);
int lb_cfg_h_cmd(struct sem *s, const struct lb_cfg_stmt *st, void *obj,
		const struct kw_def *def);
int lb_cfg_h_addr(struct sem *s, const struct lb_cfg_stmt *st, void *obj,
		const struct kw_def *def);

/* Value helpers: report at st and return false on a bad value. */
bool lb_cfg_get_uint(struct sem *s, const struct lb_cfg_stmt *st, const char *what,
		const char *val, uint64_t min, uint64_t max, uint64_t *out);
bool lb_cfg_get_int(struct sem *s, const struct lb_cfg_stmt *st, const char *what,
		const char *val, int64_t min, int64_t max, int64_t *out);
bool lb_cfg_get_port(struct sem *s, const struct lb_cfg_stmt *st, const char *val,
		uint16_t *port);
bool lb_cfg_get_timer(struct sem *s, const struct lb_cfg_stmt *st, const char *val,
		uint64_t min_ms, uint64_t max_ms, uint32_t *out);
bool lb_cfg_get_str(struct sem *s, const struct lb_cfg_stmt *st, const char *what,
		const char *val, char *dst, size_t size);
bool lb_cfg_get_bool(struct sem *s, const struct lb_cfg_stmt *st, const char *val, bool *out);
bool lb_cfg_get_addr(struct sem *s, const struct lb_cfg_stmt *st, const char *val,
		bool prefix_ok, struct lb_cfg_addr *a);
bool lb_cfg_parse_addr(const char *val, struct lb_cfg_addr *a);
int lb_cfg_set_cmd(struct sem *s, const struct lb_cfg_stmt *st, unsigned int first,
		struct lb_cfg_cmd *c);
/* len bytes of str (zeros when str is NULL) + NUL, owned by the config. */
char *lb_cfg_strdup(struct sem *s, const char *str, size_t len);
void *lb_cfg_grow(void *arr, unsigned int n, size_t size);
const char *lb_cfg_suggest(const char *word, const char *const *names, unsigned int n);
bool lb_cfg_in_list(const char *w, const char *const *list, unsigned int n);
const char *lb_cfg_addr_str(const struct lb_cfg_addr *a, char *buf, size_t len);
bool lb_cfg_addr_eq(const struct lb_cfg_addr *a, const struct lb_cfg_addr *b);

/* The walker. seen[] has tb->n slots, zeroed; it gets each keyword given. */
int lb_cfg_sem_walk(struct sem *s, const struct kw_table *tb, const struct lb_cfg_stmt *list,
		void *obj, const struct lb_cfg_stmt **seen);
int lb_cfg_sem_block(struct sem *s, const struct kw_table *tb,
		const struct lb_cfg_stmt *list, void *obj);
bool lb_cfg_given(const struct kw_table *tb, const struct lb_cfg_stmt *const *seen,
		const char *kw);
const struct lb_cfg_stmt *lb_cfg_seen(const struct kw_table *tb,
		const struct lb_cfg_stmt *const *seen, const char *kw);

/* Block tables and top-level handlers (lb_cfg_vrrp.c, lb_cfg_vs.c). */
extern const struct kw_table lb_cfg_tb_global;
extern const struct kw_table lb_cfg_tb_vrrp;
extern const struct kw_table lb_cfg_tb_auth;
extern const struct kw_table lb_cfg_tb_script;
extern const struct kw_table lb_cfg_tb_sync;
extern const struct kw_table lb_cfg_tb_vs;
extern const struct kw_table lb_cfg_tb_rs;
extern const struct kw_table lb_cfg_tb_checkers[LB_CHK__MAX];
extern const struct kw_table lb_cfg_tb_url;
void lb_cfg_global_defaults(struct lb_cfg_global *g);
int lb_cfg_h_global(struct sem *s, const struct lb_cfg_stmt *st, void *obj,
		const struct kw_def *def);
int lb_cfg_h_vrrp(struct sem *s, const struct lb_cfg_stmt *st, void *obj,
		const struct kw_def *def);
int lb_cfg_h_script(struct sem *s, const struct lb_cfg_stmt *st, void *obj,
		const struct kw_def *def);
int lb_cfg_h_sync(struct sem *s, const struct lb_cfg_stmt *st, void *obj,
		const struct kw_def *def);
int lb_cfg_h_vs(struct sem *s, const struct lb_cfg_stmt *st, void *obj,
		const struct kw_def *def);
int lb_cfg_h_vsg(struct sem *s, const struct lb_cfg_stmt *st, void *obj,
		const struct kw_def *def);
int lb_cfg_h_laddr(struct sem *s, const struct lb_cfg_stmt *st, void *obj,
		const struct kw_def *def);
void lb_cfg_vrrp_finish(struct sem *s);
void lb_cfg_vs_finish(struct sem *s);
void lb_cfg_vrrp_free(struct lb_config *cfg);
void lb_cfg_vs_free(struct lb_config *cfg);

/**
 * Is this keyword of this block modelled but not acted on by lbapp yet?
 * (lb_cfg_caps.c). Such a keyword is stored and warned about.
 */
bool lb_cfg_caps_pending(const char *block, const char *kw);

/** Does this build forward IPv6 (VIPs, virtual and real servers)? */
bool lb_cfg_caps_ipv6(void);

#endif /* LB_CFG_INT_H */
