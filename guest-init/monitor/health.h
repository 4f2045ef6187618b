/* krunbox-monitor's health checks: one probe through guest-init's exec protocol, and the
 * box's health as Docker keeps it (starting, healthy, unhealthy; the last five results). */
#ifndef KRUNBOX_MONITOR_HEALTH_H
#define KRUNBOX_MONITOR_HEALTH_H

#include <sys/types.h>

#define HEALTH_OUTPUT_MAX 4096 /* what Docker keeps of a probe's output */
#define HEALTH_RESULTS 5

struct health_result {
    long long start_ms, end_ms; /* wall clock, ms since the epoch */
    int exit_code;              /* -1: timed out or the box could not be reached */
    char output[HEALTH_OUTPUT_MAX + 1];
};

struct health {
    const char *request;  /* file with the exec request (JSON), as the host wrote it */
    const char *socket;   /* the box's exec socket */
    const char *status;   /* the file the health is written to, replaced whole each time */
    long long interval_ms, timeout_ms, start_period_ms, start_interval_ms;
    int retries;
    /* state */
    int healthy_seen, streak, nresults;
    const char *word;
    long long started_ms, next_ms, deadline_ms, probe_start_ms;
    pid_t probe;
    struct health_result results[HEALTH_RESULTS];
};

/* Starts watching: "starting", the first probe planned (times in CLOCK_MONOTONIC ms). */
void health_begin(struct health *h, long long now);

/* When the next thing is due: a probe to start, or a running one's deadline; -1 if none. */
long long health_due(const struct health *h);

/* Starts a probe if one is due, kills one past its timeout (and records that). */
void health_tick(struct health *h, long long now);

/* A child ended: if it was the probe, its result is recorded. Returns 1 if it was. */
int health_reaped(struct health *h, pid_t pid, int status, long long now);

/* Runs the check at once, unless a probe is running already. */
void health_now(struct health *h, long long now);

/* Kills a running probe (the box has ended). */
void health_end(struct health *h);

#endif
