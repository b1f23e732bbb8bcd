/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer harness for the lb.conf parser: preprocessor, lexer, semantic
 * pass, validation and the dump of whatever is accepted. include is off (the
 * input must not reach the file system); diagnostics go to /dev/null.
 * Seed with tests/configs (scripts/test.sh does).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lb_cfg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	struct lb_cfg_opts opts = { .config_id = "lb1", .no_include = true };
	struct lb_config *cfg;
	char *text;

	if (devnull == NULL)
		devnull = fopen("/dev/null", "w");
	if (devnull == NULL)
		abort();
	text = malloc(size + 1);
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	cfg = lb_cfg_parse_string_opts(text, "fuzz.conf", &opts, devnull);
	if (cfg != NULL) {
		lb_cfg_dump(cfg, devnull);
		lb_cfg_free(cfg);
	}
	free(text);
	return 0;
}
