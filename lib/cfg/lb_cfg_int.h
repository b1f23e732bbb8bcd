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
 * @param tree
 *   Out: first top-level statement (NULL when there is none).
 * @param structure_ok
 *   Out: false when the block structure is broken (unbalanced braces,
 *   nesting too deep), i.e. the tree does not mean what the author meant.
 * @return
 *   0, or -ENOMEM (nothing returned in *tree).
 */
int lb_cfg_lex(struct lb_cfg_diag *d, const char *file, const char *text, size_t len,
		struct lb_cfg_stmt **tree, bool *structure_ok);

/**
 * Free a statement list and everything below it.
 *
 * @param st
 *   First statement; NULL is allowed.
 */
void lb_cfg_stmt_free(struct lb_cfg_stmt *st);

#endif /* LB_CFG_INT_H */
