#!/usr/bin/env bash
# One fault or its repair on the stack in $ML_RUN (the chaos tool calls it):
#   fault.sh kill-worker K | kill PROCESS | redis-stop | redis-start | postgres-stop | postgres-start | kafka-down | kafka-up
#            | janus-stop | janus-start HTTP_PORT
# kill-worker and kill send SIGKILL to a process the supervisor runs (worker-K, relay, consume-notifications,
# consume-email); the supervisor starts it again by itself. The *-start and kafka-up repairs stand for the dependency
# coming back (an operator or a service manager restarting it); nothing of MentorLink is restarted by hand.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
: "${ML_RUN:?ML_RUN must name the run directory}"

# The pid of the supervisor's child whose command line ends with ARGS (e.g. "worker --index 0 --supervised").
supervised_pid() {
    local want="$1" serve pid
    serve=$(cat "$ML_RUN/serve.pid")
    for pid in $(cat /proc/"$serve"/task/*/children 2>/dev/null); do
        [[ "$(tr '\0' ' ' < /proc/"$pid"/cmdline 2>/dev/null)" == *" $want " ]] && { echo "$pid"; return 0; }
    done
    return 1
}

case "${1:-}" in
    kill-worker) kill -KILL "$(supervised_pid "worker --index $2 --supervised")" ;;
    kill)
        case "$2" in
            relay) kill -KILL "$(supervised_pid "relay --supervised")" ;;
            consume-notifications) kill -KILL "$(supervised_pid "consume notifications --supervised")" ;;
            consume-email) kill -KILL "$(supervised_pid "consume email --supervised")" ;;
            *) echo "unknown process $2" >&2; exit 2 ;;
        esac ;;
    redis-stop) ml_stop_pidfile "$ML_RUN/redis.pid"; rm -f "$ML_RUN/redis.sock" ;;
    redis-start) mkdir -p "$ML_RUN/logs"; ml_start_redis ;;
    postgres-stop)
        run=(); ml_as_root && run=(runuser -u postgres --)
        "${run[@]}" "$ML_PG_BIN/pg_ctl" -D "$ML_RUN/pg/data" -m fast -w stop >/dev/null ;;
    postgres-start)
        run=(); ml_as_root && run=(runuser -u postgres --)
        "${run[@]}" "$ML_PG_BIN/pg_ctl" -D "$ML_RUN/pg/data" -l "$ML_RUN/pg/postgres.log" -w start >/dev/null ;;
    kafka-down) kill -USR1 "$(cat "$ML_RUN/dev-kafka.pid")" ;;
    kafka-up) kill -USR2 "$(cat "$ML_RUN/dev-kafka.pid")" ;;
    # Janus restarted loses every room: the backend recreates a room when someone joins it again.
    janus-stop) ml_stop_janus ;;
    janus-start) ml_start_janus "$2" >/dev/null ;;
    *) sed -n '2,6p' "$0"; exit 2 ;;
esac
