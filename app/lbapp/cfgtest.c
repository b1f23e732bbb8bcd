/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lbapp -t (config test) and --dump-config: no EAL, no hugepages, no root.
 * Exit codes follow keepalived -t: 0 OK (warnings alone included), 4 cannot
 * run (a file cannot be read), 5 errors found, 6 script-security violation.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lb_cfg.h"
#include "lb_svc.h"
#include "lb_sysconf.h"
#include "cfgtest.h"

int
lbapp_config_test(const char *lb_conf, const char *dpdk_conf, const char *config_id,
		  bool dump)
{
	struct lb_cfg_opts opts = { .config_id = config_id };
	struct lb_config *cfg;
	struct lb_sysconf sc;
	int rc = LBAPP_CFG_OK;

	cfg = lb_cfg_load_opts(lb_conf, &opts, stderr);
	if (cfg == NULL) {
		if (errno == EINVAL) {
			fprintf(stderr, "lbapp: %s: configuration has errors\n", lb_conf);
			return LBAPP_CFG_ERRORS;
		}
		fprintf(stderr, "lbapp: %s: %s\n", lb_conf, strerror(errno));
		return LBAPP_CFG_CANNOT_RUN;
	}
	if (dpdk_conf != NULL) {
		if (lb_sysconf_load(dpdk_conf, &sc, stderr) != 0) {
			fprintf(stderr, "lbapp: %s: configuration has errors\n", dpdk_conf);
			rc = LBAPP_CFG_ERRORS;
		} else {
			if (lb_svc_check(cfg, &sc, stderr) != 0) {
				fprintf(stderr, "lbapp: %s does not fit %s\n", lb_conf, dpdk_conf);
				rc = LBAPP_CFG_ERRORS;
			}
			lb_sysconf_free(&sc);
		}
	}
	if (rc == LBAPP_CFG_OK && cfg->script_security_violation) {
		fprintf(stderr, "lbapp: %s: script security violation\n", lb_conf);
		rc = LBAPP_CFG_SCRIPT_SECURITY;
	}
	if (dump)
		lb_cfg_dump(cfg, stdout);
	else if (rc == LBAPP_CFG_OK)
		printf("lbapp: %s: configuration OK (%u warning%s)\n", lb_conf, cfg->n_warnings,
		       cfg->n_warnings == 1 ? "" : "s");
	lb_cfg_free(cfg);
	return rc;
}
