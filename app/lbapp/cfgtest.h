/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LBAPP_CFGTEST_H
#define LBAPP_CFGTEST_H

#include <stdbool.h>

/** Exit codes of lbapp -t, as keepalived -t. */
#define LBAPP_CFG_OK 0
#define LBAPP_CFG_CANNOT_RUN 4
#define LBAPP_CFG_ERRORS 5
#define LBAPP_CFG_SCRIPT_SECURITY 6

/**
 * Check lb.conf (and, when given, that it fits dpdk.conf), printing every
 * diagnostic as "file:line: error|warning: message" to stderr; with dump,
 * print the normalised, fully defaulted config to stdout. Needs no EAL.
 *
 * @param lb_conf
 *   lb.conf path.
 * @param dpdk_conf
 *   dpdk.conf path, or NULL not to check the ports.
 * @param config_id
 *   Config-id for @ID lines, or NULL for the short hostname.
 * @param dump
 *   Print the config (lbapp --dump-config).
 * @return
 *   An LBAPP_CFG_* exit code.
 */
int lbapp_config_test(const char *lb_conf, const char *dpdk_conf, const char *config_id,
		      bool dump);

#endif /* LBAPP_CFGTEST_H */
