/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_CTL_INT_H
#define LB_CTL_INT_H

/* Internals of lib/ctl shared by its files. */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/un.h>

#include <rte_timer.h>

#include "lb_ctrl.h"
#include "lb_ctrl_view.h"
#include "lb_ctl.h"

#define CTL_MAX_CLIENTS 8
#define CTL_REQ_MAX 4096
#define CTL_MAX_ARGS 64

/* A command's result. */
enum {
	CTL_OK = 0,
	CTL_ERR = -1,
	CTL_PENDING = 1,	/* answered later by lb_ctl_poll */
};

enum ctl_client_state {
	CL_FREE = 0,
	CL_READ,
	CL_WAIT,	/* conn sample or capture in progress */
	CL_WRITE,
};

struct ctl_client {
	int fd;
	enum ctl_client_state st;
	char in[CTL_REQ_MAX];
	size_t in_len;
	char *out;
	size_t out_len;
	size_t out_off;
};

/* Rate estimator state per real server id (2 s samples, as IPVS). */
struct ctl_rate {
	uint64_t conns, pkts, bytes;
	double cps, pps, bps;
};

struct ctl_capture;
struct ctl_metrics;

struct lb_ctl {
	struct lb_ctx *ctx;
	int lfd;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct ctl_client cl[CTL_MAX_CLIENTS];
	/* lbctl conn */
	int conn_client;			/* index of the waiting client, -1 */
	bool conn_stale;			/* a timed-out request is still out */
	uint64_t conn_deadline;			/* tsc */
	struct lb_conn_sample_req *req;		/* [n_workers] */
	struct lb_conn *req_out;		/* [n_workers * max] */
	uint32_t req_max;
	bool conn_json;
	/* lbctl capture */
	struct ctl_capture *cap;
	int cap_client;				/* -1 when none */
	/* lbctl list --rate */
	struct ctl_rate *rate;			/* [LB_MAX_RS] */
	struct rte_timer rate_timer;
	/* Prometheus and rte_telemetry */
	struct ctl_metrics *metrics;
};

/* lb_ctl_cmd.c */
int ctl_dispatch(struct lb_ctl *ctl, int client, int argc, char **argv, FILE *out);
void ctl_conn_poll(struct lb_ctl *ctl);
void ctl_rate_cb(struct rte_timer *t, void *arg);
void ctl_finish(struct lb_ctl *ctl, int client, int status, char *text, size_t len);

/* lb_ctl_cap.c */
int ctl_capture_start(struct lb_ctl *ctl, int client, int argc, char **argv, FILE *out);
void ctl_capture_poll(struct lb_ctl *ctl);
void ctl_capture_stop(struct lb_ctl *ctl, FILE *out);
void ctl_capture_free(struct lb_ctl *ctl);

/* lb_ctl_metrics.c */
int ctl_metrics_open(struct lb_ctl *ctl);
void ctl_metrics_poll(struct lb_ctl *ctl);
void ctl_metrics_close(struct lb_ctl *ctl);

/* Parsing helpers (lb_ctl_cmd.c). */
int ctl_parse_u32(const char *s, uint32_t max, uint32_t *v);
int ctl_parse_ipport(const char *s, uint32_t *ip, uint16_t *port, uint8_t *proto);

#endif /* LB_CTL_INT_H */
