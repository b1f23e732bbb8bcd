/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lbapp: a keepalived + LVS style L4 load balancer on DPDK.
 *
 *   lbapp [EAL options] -- -f lb.conf [-c dpdk.conf] [--stats-period SEC]
 *   lbapp -t -f lb.conf [-c dpdk.conf] [-i ID]     (config test, no EAL)
 *   lbapp --dump-config -f lb.conf [-i ID]
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_timer.h>

#include "cfgtest.h"
#include "lb_cfg.h"
#include "lb_ctrl.h"
#include "lb_ctl.h"
#include "lb_svc.h"
#include "lb_sysconf.h"

#define DEFAULT_LB_CONF "/etc/lbapp/lb.conf"
#define DEFAULT_DPDK_CONF "/etc/lbapp/dpdk.conf"
#define MAX_STATS_PERIOD 3600

static volatile bool force_quit;
static volatile bool reload_req;

struct app_args {
	const char *lb_conf;
	const char *dpdk_conf;
	unsigned int stats_period;
	const char *config_id;	/* -i: for @ID lines */
	bool dpdk_conf_given;
	bool config_test;	/* -t */
	bool dump_config;	/* --dump-config */
	const char *ctl_socket;
	struct lb_log log;
	bool console;
};

static void
signal_handler(int signum)
{
	if (signum == SIGINT || signum == SIGTERM)
		force_quit = true;
	if (signum == SIGHUP)
		reload_req = true;
}

static void
usage(const char *prog)
{
	printf("Usage: %s [EAL options] -- [-f lb.conf] [-c dpdk.conf] [--stats-period SEC]\n"
	       "  -f, --config FILE     keepalived-style config (default " DEFAULT_LB_CONF ")\n"
	       "  -c, --dpdk-config FILE  ports, memory, tables (default " DEFAULT_DPDK_CONF ")\n"
	       "  --stats-period SEC    print port and datapath counters every SEC seconds\n"
	       "  -i, --config-id ID    keep lb.conf's @ID lines (default: short hostname)\n"
	       "  -t, --config-test     check the configuration and exit (no EAL): exit 0 OK,\n"
	       "                        4 cannot run, 5 errors, 6 script-security violation\n"
	       "  --dump-config         print the normalised, fully defaulted lb.conf and exit\n"
	       "  --ctl-socket PATH     lbctl socket (default " LB_CTL_DEFAULT_PATH ")\n"
	       "  -S, --syslog          log to syslog (daemon); the console only with -l\n"
	       "  -l, --log-console     log to the console (the default without -S)\n"
	       "  -D, --log-detail      detailed logging (lbctl requests, debug lines)\n"
	       "  -h, --help            this text\n"
	       "EAL options default to dpdk.conf's eal_args when none are given.\n", prog);
}

/* 0 on success, 1 for help, -1 on a bad argument (already reported). */
static int
parse_args(int argc, char **argv, struct app_args *a)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'f' },
		{ "dpdk-config", required_argument, NULL, 'c' },
		{ "stats-period", required_argument, NULL, 's' },
		{ "ctl-socket", required_argument, NULL, 'C' },
		{ "syslog", no_argument, NULL, 'S' },
		{ "log-console", no_argument, NULL, 'l' },
		{ "log-detail", no_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ "config-id", required_argument, NULL, 'i' },
		{ "config-test", no_argument, NULL, 't' },
		{ "dump-config", no_argument, NULL, 'd' },	/* long only */
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	long v;
	int opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "f:c:hi:tSlD", longopts, NULL)) != -1) {
		switch (opt) {
		case 'f':
			a->lb_conf = optarg;
			break;
		case 'c':
			a->dpdk_conf = optarg;
			a->dpdk_conf_given = true;
			break;
		case 'i':
			a->config_id = optarg;
			break;
		case 't':
			a->config_test = true;
			break;
		case 'd':
			a->dump_config = true;
			break;
		case 's':
			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || v < 0 || v > MAX_STATS_PERIOD) {
				fprintf(stderr, "lbapp: --stats-period: '%s' is not 0..%d seconds\n",
					optarg, MAX_STATS_PERIOD);
				return -1;
			}
			a->stats_period = (unsigned int)v;
			break;
		case 'C':
			a->ctl_socket = optarg;
			break;
		case 'S':
			a->log.syslog = true;
			break;
		case 'l':
			a->console = true;
			break;
		case 'D':
			a->log.detailed = true;
			break;
		case 'h':
			usage(argv[0]);
			return 1;
		default:
			usage(argv[0]);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "lbapp: unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	return 0;
}

/* Index of "--" in argv, or -1. */
static int
find_dashdash(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--") == 0)
			return i;
	return -1;
}

int
main(int argc, char **argv)
{
	struct app_args args = {
		.lb_conf = DEFAULT_LB_CONF, .dpdk_conf = DEFAULT_DPDK_CONF,
	};
	unsigned int lcores[LB_MAX_WORKERS], n_workers = 0, lcore;
	char *eal_argv[LB_SYSCONF_EAL_MAX + 2];
	struct lb_config *cfg;
	struct lb_sysconf sc;
	struct lb_ctx ctx;
	int dd, app_argc, eal_argc, ret;
	char **app_argv;
	unsigned int i;

	/* Application arguments come after "--"; with none before it, EAL gets dpdk.conf's. */
	dd = find_dashdash(argc, argv);
	if (dd < 0 && argc > 1 && (strcmp(argv[1], "-t") == 0 ||
			strcmp(argv[1], "--config-test") == 0 ||
			strcmp(argv[1], "--dump-config") == 0)) {
		/* config test: no EAL, every argument is ours */
		app_argc = argc;
		app_argv = argv;
		eal_argc = 0;
	} else if (dd < 0) {
		/* No "--": everything is EAL's, unless it looks like our options only. */
		app_argc = 1;
		app_argv = argv;
		eal_argc = argc;
	} else {
		app_argc = argc - dd;
		app_argv = &argv[dd];
		eal_argc = dd;
	}
	app_argv[0] = argv[0];
	ret = parse_args(app_argc, app_argv, &args);
	if (ret != 0)
		return ret > 0 ? 0 : 2;
	if (args.config_test || args.dump_config)
		return lbapp_config_test(args.lb_conf, args.dpdk_conf_given ? args.dpdk_conf : NULL,
					 args.config_id, args.dump_config);

	/* Configuration errors are reported before any device is touched. */
	cfg = lb_cfg_load_opts(args.lb_conf, &(struct lb_cfg_opts){ .config_id = args.config_id },
			       stderr);
	if (cfg == NULL) {
		fprintf(stderr, "lbapp: %s: configuration refused%s%s\n", args.lb_conf,
			errno == EINVAL ? "" : ": ", errno == EINVAL ? "" : strerror(errno));
		return 1;
	}
	if (cfg->script_security_violation) {
		/* The warnings above name each script; keepalived -t exits 6 on them. */
		fprintf(stderr, "lbapp: %s: configuration refused: a script would run as root "
			"from a path others can write (enable_script_security)\n", args.lb_conf);
		lb_cfg_free(cfg);
		return 1;
	}
	ret = lb_sysconf_load(args.dpdk_conf, &sc, stderr);
	if (ret != 0) {
		fprintf(stderr, "lbapp: %s: configuration refused\n", args.dpdk_conf);
		lb_cfg_free(cfg);
		return 1;
	}
	if (lb_svc_check(cfg, &sc, stderr) != 0) {
		fprintf(stderr, "lbapp: %s does not fit %s\n", args.lb_conf, args.dpdk_conf);
		lb_sysconf_free(&sc);
		lb_cfg_free(cfg);
		return 1;
	}

	/* -S/-l/-D apply to DPDK's own lines from the first EAL message on. */
	args.log.no_console = args.log.syslog && !args.console;
	lb_log_open(&args.log);
	if (lb_log_dpdk_redirect(&args.log) != 0)
		fprintf(stderr, "lbapp: warning: DPDK log lines keep DPDK's default stream\n");

	if (eal_argc <= 1 && sc.n_eal_args > 0) {
		eal_argv[0] = argv[0];
		for (i = 0; i < sc.n_eal_args; i++)
			eal_argv[i + 1] = sc.eal_args[i];
		eal_argv[sc.n_eal_args + 1] = NULL;
		ret = rte_eal_init((int)sc.n_eal_args + 1, eal_argv);
	} else {
		ret = rte_eal_init(eal_argc, argv);
	}
	if (ret < 0)
		rte_exit(EXIT_FAILURE, "EAL init failed: %s\n", rte_strerror(rte_errno));

	signal(SIGINT, signal_handler);
	signal(SIGTERM, signal_handler);
	signal(SIGHUP, signal_handler);
	if (rte_timer_subsystem_init() != 0)
		rte_exit(EXIT_FAILURE, "timer subsystem init failed\n");

	RTE_LCORE_FOREACH_WORKER(lcore) {
		if (n_workers == LB_MAX_WORKERS)
			rte_exit(EXIT_FAILURE, "at most %d worker lcores\n", LB_MAX_WORKERS);
		lcores[n_workers++] = lcore;
	}

	memset(&ctx, 0, sizeof(ctx));
	ctx.log = stdout;
	ctx.stats_period = args.stats_period;
	ctx.force_quit = &force_quit;
	ctx.reload_req = &reload_req;
	ctx.cfg_path = args.lb_conf;
	ctx.logopt = args.log;
	ret = lb_ctrl_init(&ctx, cfg, &sc, lcores, n_workers, stderr);
	if (ret != 0) {
		lb_ctrl_fini(&ctx);
		rte_eal_cleanup();
		rte_exit(EXIT_FAILURE, "startup failed: %s\n", strerror(-ret));
	}

	ctx.ctl = lb_ctl_open(&ctx, args.ctl_socket, stderr);
	if (ctx.ctl == NULL && (args.ctl_socket != NULL || errno != EADDRINUSE)) {
		ret = errno;
		lb_ctrl_fini(&ctx);
		rte_eal_cleanup();
		rte_exit(EXIT_FAILURE, "cannot open the control socket: %s\n", strerror(ret));
	}
	if (ctx.ctl == NULL)
		lb_log_msg(&ctx.logopt, stderr, LB_LOG_WARNING,
			   "running without a control socket (lbctl)");

	for (i = 0; i < ctx.n_workers; i++) {
		ret = rte_eal_remote_launch(lb_worker_main, ctx.workers[i],
					    ctx.workers[i]->lcore_id);
		if (ret != 0)
			rte_exit(EXIT_FAILURE, "cannot launch worker on lcore %u\n",
				 ctx.workers[i]->lcore_id);
	}
	lb_log_msg(&ctx.logopt, stdout, LB_LOG_NOTICE,
		   "ready: %u worker%s, %u port%s, %u virtual server%s", ctx.n_workers,
		   ctx.n_workers == 1 ? "" : "s", ctx.n_ports, ctx.n_ports == 1 ? "" : "s",
		   cfg->n_vs, cfg->n_vs == 1 ? "" : "s");

	lb_ctrl_loop(&ctx);
	rte_eal_mp_wait_lcore();
	lb_log_msg(&ctx.logopt, stdout, LB_LOG_NOTICE, "stopping");
	lb_ctrl_stats_print(&ctx, stdout);
	lb_ctrl_fini(&ctx);
	rte_timer_subsystem_finalize();
	/* args.log: lb_ctrl_fini() has cleared ctx. Before rte_eal_cleanup(). */
	lb_log_msg(&args.log, stdout, LB_LOG_NOTICE, "stopped");
	lb_log_close(&args.log);
	rte_eal_cleanup();
	return 0;
}
