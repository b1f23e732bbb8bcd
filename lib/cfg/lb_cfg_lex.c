/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lb.conf lexer: text -> tree of statements (keyword, values, block, file:line).
 *
 * Rules (keepalived.conf(5)):
 * - '!' and '#' start a comment anywhere outside a quoted string;
 * - "..." is one word; inside it \" and \\ are escapes, other backslashes
 *   are kept as they are (scripts need them);
 * - a statement is the words of one line, up to the end of line, '{' or '}';
 * - '{' opens a block of the statement before it; what follows '{' on the
 *   same line is read as new lines, so "virtual_ipaddress { 198.18.0.100 }"
 *   is a block holding one statement; a '{' alone at the start of a line
 *   opens the block of the statement on the lines before;
 * - '}' closes the innermost block; what follows it is read as a new line.
 *
 * A missing or extra '}' shifts the meaning of everything after it, so brace
 * errors are reported where the author most likely made them: indentation
 * is used as a hint (a '}' that starts a line is expected to be indented like
 * the line that opened its block).
 */

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lb_cfg_int.h"

enum tok_type {
	TOK_EOF,
	TOK_EOL,
	TOK_WORD,
	TOK_LBRACE,
	TOK_RBRACE,
};

struct tok {
	enum tok_type type;
	char *str;		/* TOK_WORD only, malloc'd */
	unsigned int line;
	unsigned int indent;	/* indentation (columns) of the token's line */
	bool first;		/* first token of its line */
};

/* A block still open. */
struct open_blk {
	unsigned int line;	/* line of its '{' */
	unsigned int indent;	/* indentation of that line */
};

/*
 * A block closed by a '}' that starts a line indented unlike the opener: more
 * (an extra '}' ended it early?) or less and like an outer block still open
 * (its own '}' is missing?).
 */
struct mismatch {
	unsigned int open_line;
	unsigned int close_line;
	bool deeper;		/* the '}' is indented deeper than the opener */
	bool used;
};

struct lexer {
	struct lb_cfg_diag *d;
	const char *file;
	const struct lb_cfg_linemap *map;	/* text line -> source file:line, or NULL */
	unsigned int n_map;
	const char *p;
	const char *end;
	unsigned int line;
	unsigned int indent;
	bool line_has_tok;
	bool at_bol;
	bool has_peek;
	struct tok peek;
	bool fatal;		/* stop: nesting too deep */
	bool oom;
	unsigned int n_brace_err;
	unsigned int depth;
	struct open_blk open[LB_CFG_MAX_DEPTH];
	struct mismatch *mm;
	unsigned int n_mm;
};

/* Source file and line of a line of the (preprocessed) text. */
static const char *
src_file(const struct lexer *lx, unsigned int line)
{
	if (lx->map == NULL || line == 0 || line > lx->n_map)
		return lx->file;
	return lx->map[line - 1].file;
}

static unsigned int
src_line(const struct lexer *lx, unsigned int line)
{
	if (lx->map == NULL || line == 0 || line > lx->n_map)
		return line;
	return lx->map[line - 1].line;
}

void
lb_cfg_error(struct lb_cfg_diag *d, const char *file, unsigned int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(d->out, "%s:%u: error: ", file, line);
	va_start(ap, fmt);
	vfprintf(d->out, fmt, ap);
	va_end(ap);
	fputc('\n', d->out);
	d->n_errors++;
}

void
lb_cfg_warn(struct lb_cfg_diag *d, const char *file, unsigned int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(d->out, "%s:%u: warning: ", file, line);
	va_start(ap, fmt);
	vfprintf(d->out, fmt, ap);
	va_end(ap);
	fputc('\n', d->out);
	d->n_warnings++;
}

void
lb_cfg_stmt_free(struct lb_cfg_stmt *st)
{
	struct lb_cfg_stmt *next;
	unsigned int i;

	while (st != NULL) {
		next = st->next;
		lb_cfg_stmt_free(st->child);
		for (i = 0; i < st->n_vals; i++)
			free(st->vals[i]);
		free(st->vals);
		free(st->kw);
		free(st);
		st = next;
	}
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static bool
ends_word(char c)
{
	return is_blank(c) || c == '\n' || c == '{' || c == '}' || c == '!' || c == '#' ||
		c == '\0';
}

/* Measure the indentation of the line starting at lx->p (tabs to 8). */
static void
measure_indent(struct lexer *lx)
{
	const char *q = lx->p;
	unsigned int col = 0;

	while (q < lx->end && is_blank(*q)) {
		if (*q == '\t')
			col = (col / 8 + 1) * 8;
		else if (*q == ' ')
			col++;
		q++;
	}
	lx->indent = col;
	lx->at_bol = false;
}

static char *
read_quoted(struct lexer *lx)
{
	const char *q = lx->p + 1;	/* past the opening quote */
	const char *stop = q;
	char *s, *o;

	while (stop < lx->end && *stop != '\n' && *stop != '"') {
		if (*stop == '\\' && stop + 1 < lx->end && stop[1] != '\n')
			stop++;
		stop++;
	}
	s = malloc(stop - q + 1);
	if (s == NULL)
		return NULL;
	for (o = s; q < stop; q++) {
		if (*q == '\\' && q + 1 < stop && (q[1] == '"' || q[1] == '\\'))
			q++;
		*o++ = *q;
	}
	*o = '\0';
	if (stop < lx->end && *stop == '"') {
		stop++;
	} else {
		lb_cfg_error(lx->d, src_file(lx, lx->line), src_line(lx, lx->line), "unterminated quoted string");
	}
	lx->p = stop;
	return s;
}

static char *
read_word(struct lexer *lx)
{
	const char *q = lx->p;
	char *s;

	while (q < lx->end && !ends_word(*q))
		q++;
	s = malloc(q - lx->p + 1);
	if (s == NULL)
		return NULL;
	memcpy(s, lx->p, q - lx->p);
	s[q - lx->p] = '\0';
	lx->p = q;
	return s;
}

/* Next token; returns -ENOMEM or 0. */
static int
next_tok(struct lexer *lx, struct tok *t)
{
	char c;

	if (lx->has_peek) {
		*t = lx->peek;
		lx->has_peek = false;
		return 0;
	}
	memset(t, 0, sizeof(*t));
	for (;;) {
		if (lx->fatal || lx->p >= lx->end) {
			t->type = TOK_EOF;
			t->line = lx->line;
			return 0;
		}
		if (lx->at_bol)
			measure_indent(lx);
		c = *lx->p;
		if (is_blank(c)) {
			lx->p++;
			continue;
		}
		if (c == '!' || c == '#') {
			while (lx->p < lx->end && *lx->p != '\n')
				lx->p++;
			continue;
		}
		if (c == '\0') {
			lb_cfg_error(lx->d, src_file(lx, lx->line), src_line(lx, lx->line), "NUL byte in the file");
			lx->p++;
			continue;
		}
		break;
	}
	t->line = lx->line;
	t->indent = lx->indent;
	if (c == '\n') {
		lx->p++;
		lx->line++;
		lx->at_bol = true;
		lx->line_has_tok = false;
		t->type = TOK_EOL;
		return 0;
	}
	t->first = !lx->line_has_tok;
	lx->line_has_tok = true;
	if (c == '{' || c == '}') {
		lx->p++;
		t->type = c == '{' ? TOK_LBRACE : TOK_RBRACE;
		return 0;
	}
	t->type = TOK_WORD;
	t->str = c == '"' ? read_quoted(lx) : read_word(lx);
	if (t->str == NULL) {
		lx->oom = true;
		return -ENOMEM;
	}
	return 0;
}

static void
unget_tok(struct lexer *lx, const struct tok *t)
{
	lx->peek = *t;
	lx->has_peek = true;
}

static int
add_val(struct lb_cfg_stmt *st, char *v)
{
	char **nv;

	nv = realloc(st->vals, (st->n_vals + 1) * sizeof(*nv));
	if (nv == NULL)
		return -ENOMEM;
	st->vals = nv;
	st->vals[st->n_vals++] = v;
	return 0;
}

/* A '}' closes the innermost block. */
static int
close_block(struct lexer *lx, const struct tok *t)
{
	struct open_blk *ob = &lx->open[--lx->depth];
	struct mismatch *m;
	unsigned int i;

	if (!t->first || t->indent == ob->indent)
		return 0;
	if (t->indent < ob->indent) {
		/* a hint only when indented like a block still open */
		for (i = 0; i < lx->depth; i++)
			if (lx->open[i].indent == t->indent)
				break;
		if (i == lx->depth)
			return 0;
	}
	m = realloc(lx->mm, (lx->n_mm + 1) * sizeof(*m));
	if (m == NULL) {
		lx->oom = true;
		return -ENOMEM;
	}
	lx->mm = m;
	m[lx->n_mm].open_line = ob->line;
	m[lx->n_mm].close_line = t->line;
	m[lx->n_mm].deeper = t->indent > ob->indent;
	m[lx->n_mm].used = false;
	lx->n_mm++;
	return 0;
}

/*
 * A '}' with no block open. If an earlier '}' was indented deeper than the
 * block it closed, that one most likely is the extra one.
 */
static void
extra_brace(struct lexer *lx, const struct tok *t)
{
	unsigned int i;

	lx->n_brace_err++;
	for (i = 0; i < lx->n_mm; i++) {
		struct mismatch *m = &lx->mm[i];

		if (m->used || !m->deeper || m->close_line >= t->line)
			continue;
		m->used = true;
		lb_cfg_error(lx->d, src_file(lx, m->close_line), src_line(lx, m->close_line),
			"extra '}': it closes the block opened on line %u early "
			"(the '}' on line %u is then left with no block to close)",
			src_line(lx, m->open_line), src_line(lx, t->line));
		return;
	}
	lb_cfg_error(lx->d, src_file(lx, t->line), src_line(lx, t->line), "extra '}' with no block open");
}

/*
 * Blocks left open at the end of the file. A block closed by a '}' indented
 * less than its opener most likely is the one whose '}' is missing.
 */
static void
report_unclosed(struct lexer *lx)
{
	unsigned int k = lx->depth, reported = 0, i;
	unsigned int outer = lx->open[0].line;

	for (i = 0; i < lx->n_mm && reported < k; i++) {
		struct mismatch *m = &lx->mm[i];

		if (m->used || m->deeper || m->open_line <= outer)
			continue;
		m->used = true;
		lb_cfg_error(lx->d, src_file(lx, m->open_line), src_line(lx, m->open_line),
			"block opened here is never closed "
			"(the '}' on line %u is indented for an outer block)",
			src_line(lx, m->close_line));
		reported++;
	}
	/* The rest: innermost open blocks first. */
	for (i = k - reported; i > 0; i--)
		lb_cfg_error(lx->d, src_file(lx, lx->open[i - 1].line), src_line(lx, lx->open[i - 1].line),
			"block opened here is never closed");
	lx->n_brace_err += k;
}

static int parse_list(struct lexer *lx, struct lb_cfg_stmt **head);

/* t is the '{'; parse the block into *child. */
static int
open_block(struct lexer *lx, const struct tok *t, struct lb_cfg_stmt **child)
{
	if (lx->depth >= LB_CFG_MAX_DEPTH) {
		lb_cfg_error(lx->d, src_file(lx, t->line), src_line(lx, t->line),
			"blocks nested more than %d deep", LB_CFG_MAX_DEPTH);
		lx->n_brace_err++;
		lx->fatal = true;
		return 0;
	}
	lx->open[lx->depth].line = t->line;
	lx->open[lx->depth].indent = t->indent;
	lx->depth++;
	return parse_list(lx, child);
}

static struct lb_cfg_stmt *
new_stmt(struct lexer *lx, struct tok *t)
{
	struct lb_cfg_stmt *st = calloc(1, sizeof(*st));

	if (st == NULL) {
		free(t->str);
		lx->oom = true;
		return NULL;
	}
	st->kw = t->str;
	t->str = NULL;
	st->file = src_file(lx, t->line);
	st->line = src_line(lx, t->line);
	return st;
}

/* Values after the keyword, up to the end of the statement. */
static int
parse_values(struct lexer *lx, struct lb_cfg_stmt *st)
{
	struct tok t;
	int rc;

	for (;;) {
		rc = next_tok(lx, &t);
		if (rc < 0)
			return rc;
		switch (t.type) {
		case TOK_WORD:
			rc = add_val(st, t.str);
			if (rc < 0) {
				free(t.str);
				lx->oom = true;
				return rc;
			}
			break;
		case TOK_LBRACE:
			st->has_block = true;
			return open_block(lx, &t, &st->child);
		case TOK_EOL:
			return 0;
		case TOK_EOF:
		case TOK_RBRACE:
			unget_tok(lx, &t);
			return 0;
		}
	}
}

/* Statements of one block (or of the file) up to its '}' (or EOF). */
static int
parse_list(struct lexer *lx, struct lb_cfg_stmt **head)
{
	struct lb_cfg_stmt **tail = head, *last = NULL, *junk;
	unsigned int my_depth = lx->depth;
	struct tok t;
	int rc;

	for (;;) {
		rc = next_tok(lx, &t);
		if (rc < 0)
			return rc;
		switch (t.type) {
		case TOK_EOL:
			break;
		case TOK_EOF:
			return 0;
		case TOK_RBRACE:
			if (my_depth > 0)
				return close_block(lx, &t);
			extra_brace(lx, &t);
			break;
		case TOK_LBRACE:
			if (last != NULL && !last->has_block && t.first) {
				/* "vrrp_instance VI_1" then "{" on the next line */
				last->has_block = true;
				rc = open_block(lx, &t, &last->child);
				if (rc < 0)
					return rc;
				break;
			}
			lb_cfg_error(lx->d, src_file(lx, t.line), src_line(lx, t.line), "'{' with no keyword before it");
			lx->n_brace_err++;
			junk = NULL;
			rc = open_block(lx, &t, &junk);
			lb_cfg_stmt_free(junk);
			if (rc < 0)
				return rc;
			break;
		case TOK_WORD:
			last = new_stmt(lx, &t);
			if (last == NULL)
				return -ENOMEM;
			*tail = last;
			tail = &last->next;
			rc = parse_values(lx, last);
			if (rc < 0)
				return rc;
			break;
		}
	}
}

int
lb_cfg_lex(struct lb_cfg_diag *d, const char *file, const char *text, size_t len,
		const struct lb_cfg_linemap *map, unsigned int n_map,
		struct lb_cfg_stmt **tree, bool *structure_ok)
{
	struct lexer lx;
	int rc;

	memset(&lx, 0, sizeof(lx));
	lx.d = d;
	lx.file = file;
	lx.map = map;
	lx.n_map = n_map;
	lx.p = text;
	lx.end = text + len;
	lx.line = 1;
	lx.at_bol = true;
	*tree = NULL;
	rc = parse_list(&lx, tree);
	if (lx.has_peek)
		free(lx.peek.str);
	if (rc < 0 || lx.oom) {
		lb_cfg_stmt_free(*tree);
		*tree = NULL;
		free(lx.mm);
		return -ENOMEM;
	}
	if (lx.depth > 0 && !lx.fatal)
		report_unclosed(&lx);
	free(lx.mm);
	*structure_ok = lx.n_brace_err == 0;
	return 0;
}
