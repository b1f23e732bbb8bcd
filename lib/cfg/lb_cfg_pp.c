/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lb.conf preprocessor: the line-level part of keepalived's language, done
 * before the lexer sees the text.
 *
 * - "include PATTERN": glob(3), relative to the including file's directory,
 *   spliced in as text (as keepalived does); a file already being included
 *   is a loop, reported with the whole chain;
 * - "$NAME=value" defines a parameter (a value ending in '\' continues on
 *   the next line), used later as $NAME or ${NAME}; an unknown name is left
 *   as it is (scripts use $1, $(...));
 * - "@ID line" keeps the line only when ID is the config-id, "@^ID line"
 *   only when it is not.
 *
 * The output text comes with a line map, so every diagnostic after this
 * still names the file and line the text came from.
 */

#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lb_cfg.h"
#include "lb_cfg_int.h"

#define PP_MAX_DEPTH 16
#define PP_FILE_MAX (16u << 20)
#define PP_OUT_MAX (8u << 20)

struct param {
	char *name;
	char *value;
};

struct incl {
	char *real;		/* realpath, for loop detection */
	const char *name;	/* as shown in diagnostics */
};

struct pp {
	struct lb_cfg_diag *d;
	struct lb_config *cfg;
	const struct lb_cfg_opts *opts;
	char id[LB_CFG_NAME_MAX];
	struct param *params;
	unsigned int n_params;
	struct incl stack[PP_MAX_DEPTH];
	unsigned int depth;
	char *out;
	size_t len, cap;
	struct lb_cfg_linemap *map;
	unsigned int n_map, cap_map;
	bool too_big;
};

static int
out_add(struct pp *pp, const char *s, size_t n)
{
	char *nb;

	if (pp->len + n + 1 > PP_OUT_MAX) {
		pp->too_big = true;
		return 0;
	}
	if (pp->len + n + 1 > pp->cap) {
		size_t cap = pp->cap == 0 ? 4096 : pp->cap;

		while (cap < pp->len + n + 1)
			cap *= 2;
		nb = realloc(pp->out, cap);
		if (nb == NULL)
			return -ENOMEM;
		pp->out = nb;
		pp->cap = cap;
	}
	memcpy(pp->out + pp->len, s, n);
	pp->len += n;
	pp->out[pp->len] = '\0';
	return 0;
}

/* Emit text (which may hold several lines) for file:line, ending with '\n'. */
static int
emit(struct pp *pp, const char *file, unsigned int line, const char *s, size_t n)
{
	struct lb_cfg_linemap *m;
	size_t i;
	int rc;

	if (pp->too_big)
		return 0;
	rc = out_add(pp, s, n);
	if (rc == 0)
		rc = out_add(pp, "\n", 1);
	if (rc < 0 || pp->too_big)
		return rc;
	for (i = 0; i <= n; i++) {
		if (i < n && s[i] != '\n')
			continue;
		if (pp->n_map == pp->cap_map) {
			unsigned int cap = pp->cap_map == 0 ? 256 : pp->cap_map * 2;

			m = realloc(pp->map, cap * sizeof(*m));
			if (m == NULL)
				return -ENOMEM;
			pp->map = m;
			pp->cap_map = cap;
		}
		pp->map[pp->n_map].file = file;
		pp->map[pp->n_map].line = line;
		pp->n_map++;
	}
	return 0;
}

static bool
is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		c == '_';
}

static const struct param *
find_param(const struct pp *pp, const char *name, size_t n)
{
	unsigned int i;

	for (i = 0; i < pp->n_params; i++)
		if (strlen(pp->params[i].name) == n && memcmp(pp->params[i].name, name, n) == 0)
			return &pp->params[i];
	return NULL;
}

#define PP_SUBST_DEPTH 8

/*
 * Substitute parameters in s[0..n); *res is malloc'd. Comments are copied
 * as they are. A value is expanded again where it is used (up to
 * PP_SUBST_DEPTH levels), so a definition may name a parameter defined later.
 */
static int
substitute_d(struct pp *pp, const char *s, size_t n, char **res, size_t *res_len,
		unsigned int depth)
{
	char *sub = NULL;
	size_t cap = n + 1, len = 0, i = 0, k;
	bool quoted = false;
	char *o = malloc(cap), *no;

	if (o == NULL)
		return -ENOMEM;
	while (i < n) {
		const struct param *p = NULL;
		const char *piece = s + i;
		size_t plen = 1, skip = 1;

		if (s[i] == '"' && (i == 0 || s[i - 1] != '\\')) {
			quoted = !quoted;
		} else if (!quoted && (s[i] == '#' || s[i] == '!')) {
			plen = n - i;
			skip = plen;
		} else if (s[i] == '$' && i + 1 < n && s[i + 1] == '{') {
			for (k = i + 2; k < n && is_name_char(s[k]); k++)
				;
			if (k < n && s[k] == '}' && k > i + 2)
				p = find_param(pp, s + i + 2, k - i - 2);
			if (p != NULL)
				skip = k + 1 - i;
		} else if (s[i] == '$') {
			for (k = i + 1; k < n && is_name_char(s[k]); k++)
				;
			if (k > i + 1)
				p = find_param(pp, s + i + 1, k - i - 1);
			if (p != NULL)
				skip = k - i;
		}
		if (p != NULL) {
			piece = p->value;
			plen = strlen(p->value);
			if (depth < PP_SUBST_DEPTH && strchr(piece, '$') != NULL) {
				free(sub);
				sub = NULL;
				if (substitute_d(pp, piece, plen, &sub, &plen, depth + 1) < 0) {
					free(o);
					return -ENOMEM;
				}
				piece = sub;
			}
		}
		if (len + plen + 1 > cap) {
			if (len + plen + 1 > PP_OUT_MAX) {
				pp->too_big = true;
				break;
			}
			while (len + plen + 1 > cap)
				cap *= 2;
			no = realloc(o, cap);
			if (no == NULL) {
				free(o);
				free(sub);
				return -ENOMEM;
			}
			o = no;
		}
		memcpy(o + len, piece, plen);
		len += plen;
		i += skip;
	}
	free(sub);
	o[len] = '\0';
	*res = o;
	*res_len = len;
	return 0;
}

static int
substitute(struct pp *pp, const char *s, size_t n, char **res, size_t *res_len)
{
	return substitute_d(pp, s, n, res, res_len, 0);
}

static int
set_param(struct pp *pp, const char *name, size_t nlen, char *value)
{
	struct param *p = (struct param *)(uintptr_t)find_param(pp, name, nlen);
	struct param *np;

	if (p != NULL) {
		free(p->value);
		p->value = value;
		return 0;
	}
	np = realloc(pp->params, (pp->n_params + 1) * sizeof(*np));
	if (np == NULL) {
		free(value);
		return -ENOMEM;
	}
	pp->params = np;
	np[pp->n_params].name = strndup(name, nlen);
	if (np[pp->n_params].name == NULL) {
		free(value);
		return -ENOMEM;
	}
	np[pp->n_params].value = value;
	pp->n_params++;
	return 0;
}

static const char *
add_file_name(struct pp *pp, const char *name)
{
	struct lb_config *cfg = pp->cfg;
	char **nf;
	unsigned int i;

	for (i = 0; i < cfg->n_files; i++)
		if (strcmp(cfg->files[i], name) == 0)
			return cfg->files[i];
	nf = realloc(cfg->files, (cfg->n_files + 1) * sizeof(*nf));
	if (nf == NULL)
		return NULL;
	cfg->files = nf;
	nf[cfg->n_files] = strdup(name);
	if (nf[cfg->n_files] == NULL)
		return NULL;
	return nf[cfg->n_files++];
}

/* Read a regular file whole; -errno. */
static int
read_file(const char *path, char **buf, size_t *len)
{
	struct stat sb;
	size_t cap = 0, n;
	char *b = NULL, *nb;
	FILE *f;
	int err = 0;

	*len = 0;
	f = fopen(path, "r");
	if (f == NULL)
		return -errno;
	if (fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode)) {
		fclose(f);
		return -EINVAL;
	}
	for (;;) {
		if (*len == cap) {
			if (cap >= PP_FILE_MAX) {
				err = -EFBIG;
				break;
			}
			cap = cap == 0 ? 16384 : cap * 2;
			nb = realloc(b, cap);
			if (nb == NULL) {
				err = -ENOMEM;
				break;
			}
			b = nb;
		}
		n = fread(b + *len, 1, cap - *len, f);
		*len += n;
		if (n == 0) {
			if (ferror(f))
				err = -EIO;
			break;
		}
	}
	fclose(f);
	if (err != 0) {
		free(b);
		return err;
	}
	*buf = b;
	return 0;
}

static int pp_text(struct pp *pp, const char *file, const char *dir, const char *text,
		size_t len);

/* Preprocess one file (name as shown) at the include site file:line. */
static int
pp_file(struct pp *pp, const char *path, const char *site_file, unsigned int site_line)
{
	char real[PATH_MAX], chain[1024], *buf = NULL, *dir, *slash;
	const char *name;
	size_t len;
	unsigned int i;
	int rc;

	if (realpath(path, real) == NULL) {
		lb_cfg_error(pp->d, site_file, site_line, "cannot read include file %s: %s",
			path, strerror(errno));
		return 0;
	}
	for (i = 0; i < pp->depth; i++) {
		if (strcmp(pp->stack[i].real, real) != 0)
			continue;
		chain[0] = '\0';
		for (; i < pp->depth; i++)
			snprintf(chain + strlen(chain), sizeof(chain) - strlen(chain), "%s -> ",
				pp->stack[i].name);
		snprintf(chain + strlen(chain), sizeof(chain) - strlen(chain), "%s", path);
		lb_cfg_error(pp->d, site_file, site_line, "include loop: %s", chain);
		return 0;
	}
	if (pp->depth == PP_MAX_DEPTH) {
		lb_cfg_error(pp->d, site_file, site_line, "includes nested more than %d deep",
			PP_MAX_DEPTH);
		return 0;
	}
	rc = read_file(path, &buf, &len);
	if (rc < 0) {
		if (rc == -ENOMEM)
			return rc;
		lb_cfg_error(pp->d, site_file, site_line, "cannot read include file %s: %s",
			path, rc == -EINVAL ? "not a regular file" : strerror(-rc));
		return 0;
	}
	name = add_file_name(pp, path);
	dir = strdup(path);
	pp->stack[pp->depth].real = strdup(real);
	if (name == NULL || dir == NULL || pp->stack[pp->depth].real == NULL) {
		free(pp->stack[pp->depth].real);
		free(dir);
		free(buf);
		return -ENOMEM;
	}
	slash = strrchr(dir, '/');
	if (slash != NULL)
		slash[1] = '\0';
	else
		dir[0] = '\0';
	pp->stack[pp->depth].name = name;
	pp->depth++;
	rc = pp_text(pp, name, dir, buf, len);
	pp->depth--;
	free(pp->stack[pp->depth].real);
	free(dir);
	free(buf);
	return rc;
}

static int
pp_include(struct pp *pp, const char *file, unsigned int line, const char *dir,
		const char *arg)
{
	char pat[PATH_MAX];
	size_t n = strlen(arg);
	glob_t g;
	size_t i;
	int rc = 0, grc;

	if (pp->opts != NULL && pp->opts->no_include) {
		lb_cfg_error(pp->d, file, line, "include is disabled here");
		return 0;
	}
	if (n >= 2 && arg[0] == '"' && arg[n - 1] == '"') {
		arg++;
		n -= 2;
	}
	if (n == 0) {
		lb_cfg_error(pp->d, file, line, "include needs a file name or pattern");
		return 0;
	}
	if (snprintf(pat, sizeof(pat), "%s%.*s", arg[0] == '/' ? "" : dir, (int)n, arg) >=
			(int)sizeof(pat)) {
		lb_cfg_error(pp->d, file, line, "include path too long");
		return 0;
	}
	grc = glob(pat, 0, NULL, &g);
	if (grc == GLOB_NOMATCH || (grc == GLOB_ABORTED && strpbrk(pat, "*?[") != NULL)) {
		if (strpbrk(pat, "*?[") != NULL)
			lb_cfg_warn(pp->d, file, line, "include pattern %s matches no file", pat);
		else
			lb_cfg_error(pp->d, file, line, "cannot read include file %s: %s", pat,
				strerror(ENOENT));
		return 0;
	}
	if (grc != 0) {
		lb_cfg_error(pp->d, file, line, "include %s: cannot expand the pattern", pat);
		return 0;
	}
	for (i = 0; i < g.gl_pathc && rc == 0; i++)
		rc = pp_file(pp, g.gl_pathv[i], file, line);
	globfree(&g);
	return rc;
}

/* A "$NAME=value" line? Fills the name and the start of the value. */
static bool
is_definition(const char *s, size_t n, size_t *nlen, size_t *vstart)
{
	size_t k;

	if (n < 2 || s[0] != '$')
		return false;
	for (k = 1; k < n && is_name_char(s[k]); k++)
		;
	if (k == 1)
		return false;
	*nlen = k - 1;
	while (k < n && (s[k] == ' ' || s[k] == '\t'))
		k++;
	if (k >= n || s[k] != '=')
		return false;
	k++;
	while (k < n && (s[k] == ' ' || s[k] == '\t'))
		k++;
	*vstart = k;
	return true;
}

static size_t
rtrim(const char *s, size_t n)
{
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	return n;
}

static int
pp_text(struct pp *pp, const char *file, const char *dir, const char *text, size_t len)
{
	const char *p = text, *end = text + len, *nl, *s;
	char *val = NULL, *def_name = NULL, *x, *xs;
	size_t n, nlen = 0, vstart, xl, vl = 0, indent;
	unsigned int line = 0, def_line = 0;
	int rc = 0;

	while (p < end && rc == 0 && !pp->too_big) {
		nl = memchr(p, '\n', end - p);
		n = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);
		line++;
		s = p;
		p = nl != NULL ? nl + 1 : end;
		n = rtrim(s, n);
		if (def_name != NULL) {
			/* continuation of a multi-line definition */
			bool more = n > 0 && s[n - 1] == '\\';
			size_t add = more ? n - 1 : n;

			x = realloc(val, vl + add + 2);
			if (x == NULL) {
				rc = -ENOMEM;
				break;
			}
			val = x;
			val[vl++] = '\n';
			memcpy(val + vl, s, add);
			vl += add;
			val[vl] = '\0';
			rc = emit(pp, file, line, "", 0);
			if (!more) {
				rc = rc < 0 ? rc : set_param(pp, def_name, strlen(def_name), val);
				val = NULL;
				free(def_name);
				def_name = NULL;
			}
			continue;
		}
		indent = 0;
		while (n > 0 && (*s == ' ' || *s == '\t')) {
			s++;
			n--;
			indent++;
		}
		if (n > 0 && *s == '@') {
			bool neg = n > 1 && s[1] == '^';
			size_t k = neg ? 2 : 1, id0 = k;
			bool match;

			while (k < n && s[k] != ' ' && s[k] != '\t')
				k++;
			match = k - id0 == strlen(pp->id) && memcmp(s + id0, pp->id, k - id0) == 0;
			if (k == id0)
				lb_cfg_error(pp->d, file, line, "'@' without a config-id");
			if (match == neg || k == id0) {
				rc = emit(pp, file, line, "", 0);
				continue;
			}
			while (k < n && (s[k] == ' ' || s[k] == '\t'))
				k++;
			s += k;
			n -= k;
			indent = 0;
		}
		if (is_definition(s, n, &nlen, &vstart)) {
			bool more = n > vstart && s[n - 1] == '\\';

			vl = n - vstart - (more ? 1 : 0);
			val = strndup(s + vstart, vl);
			if (val == NULL) {
				rc = -ENOMEM;
				break;
			}
			if (more) {
				def_line = line;
				def_name = strndup(s + 1, nlen);
				if (def_name == NULL)
					rc = -ENOMEM;
			} else {
				rc = set_param(pp, s + 1, nlen, val);
				val = NULL;
			}
			if (rc == 0)
				rc = emit(pp, file, line, "", 0);
			continue;
		}
		/* keep the indentation: the lexer uses it to place brace errors */
		rc = substitute(pp, s - indent, n + indent, &x, &xl);
		if (rc < 0)
			break;
		xs = x + indent;
		xl -= indent;
		if (xl >= 7 && strncmp(xs, "include", 7) == 0 &&
				(xl == 7 || xs[7] == ' ' || xs[7] == '\t')) {
			const char *a = xs + 7;
			size_t al;

			while (*a == ' ' || *a == '\t')
				a++;
			al = strcspn(a, "#!");
			((char *)(uintptr_t)a)[rtrim(a, al)] = '\0';
			rc = emit(pp, file, line, "", 0);
			if (rc == 0)
				rc = pp_include(pp, file, line, dir, a);
		} else {
			rc = emit(pp, file, line, x, xl + indent);
		}
		free(x);
	}
	if (def_name != NULL) {
		lb_cfg_error(pp->d, file, def_line,
			"parameter $%s: the definition continues past the end of the file",
			def_name);
		free(def_name);
	}
	free(val);
	return rc;
}

int
lb_cfg_pp(struct lb_cfg_diag *d, struct lb_config *cfg, const struct lb_cfg_opts *opts,
		const char *text, size_t len, struct lb_cfg_pp_out *out)
{
	struct pp pp;
	char real[PATH_MAX], *dir = NULL, *slash;
	unsigned int i;
	int rc;

	memset(&pp, 0, sizeof(pp));
	memset(out, 0, sizeof(*out));
	pp.d = d;
	pp.cfg = cfg;
	pp.opts = opts;
	if (opts != NULL && opts->config_id != NULL) {
		snprintf(pp.id, sizeof(pp.id), "%s", opts->config_id);
	} else {
		if (gethostname(pp.id, sizeof(pp.id) - 1) != 0)
			pp.id[0] = '\0';
		pp.id[sizeof(pp.id) - 1] = '\0';
		pp.id[strcspn(pp.id, ".")] = '\0';
	}
	dir = strdup(cfg->files[0]);
	if (dir == NULL)
		return -ENOMEM;
	slash = strrchr(dir, '/');
	if (slash != NULL)
		slash[1] = '\0';
	else
		dir[0] = '\0';
	if (realpath(cfg->files[0], real) != NULL) {
		pp.stack[0].real = strdup(real);
		pp.stack[0].name = cfg->files[0];
		if (pp.stack[0].real != NULL)
			pp.depth = 1;
	}
	rc = pp_text(&pp, cfg->files[0], dir, text, len);
	if (pp.depth == 1)
		free(pp.stack[0].real);
	free(dir);
	for (i = 0; i < pp.n_params; i++) {
		free(pp.params[i].name);
		free(pp.params[i].value);
	}
	free(pp.params);
	if (rc == 0 && pp.too_big) {
		lb_cfg_error(d, cfg->files[0], 1,
			"the configuration is over %u MiB once includes and parameters are "
			"expanded", PP_OUT_MAX >> 20);
	}
	if (rc < 0 || pp.out == NULL) {
		free(pp.out);
		free(pp.map);
		if (rc < 0)
			return rc;
		pp.out = strdup("");
		if (pp.out == NULL)
			return -ENOMEM;
		pp.map = NULL;
		pp.n_map = 0;
	}
	out->text = pp.out;
	out->len = pp.len;
	out->map = pp.map;
	out->n_map = pp.n_map;
	return 0;
}
