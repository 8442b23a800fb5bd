#!/usr/bin/env bash
# Shared helpers of scripts/run, scripts/test and scripts/bench: install, build, start and stop the stack.
# Everything lives under one run directory ($ML_RUN); nothing listens on a public port.

ML_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ML_PG_BIN=/usr/lib/postgresql/15/bin
ML_PACKAGES=(postgresql-15 postgresql-contrib redis-server nginx libhiredis-dev librdkafka-dev libargon2-dev
             libavformat-dev libavcodec-dev libavfilter-dev libswscale-dev libswresample-dev libavutil-dev ffmpeg
             libssl-dev libjansson-dev pkg-config wrk curl procps coturn janus janus-tools
             nodejs node-react node-react-dom node-typescript esbuild chromium fonts-liberation)

ml_log() { printf '\033[1m[mentorlink]\033[0m %s\n' "$*" >&2; }

ml_as_root() { [ "$(id -u)" = 0 ]; }

# Installs the Debian packages that are missing (apt-get, as root).
ml_install() {
    local missing=()
    for p in "${ML_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    ml_log "installing: ${missing[*]}"
    if ! ml_as_root; then ml_log "run as root to install packages"; return 1; fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    # Debian starts the packaged services; ours run privately, so stop theirs if they came up.
    (service nginx stop; service redis-server stop; service postgresql stop; service coturn stop; service janus stop) >/dev/null 2>&1 || true
}

# The Python packages of the test tools (the OpenRPC attack tool; Playwright for the browser tests, which drives
# Debian's chromium through executable_path, so no `playwright install` browser download): pip when missing.
# moto's server mode speaks the S3 wire protocol for the S3 object-store adapter's tests.
ML_PIP=(hypothesis hypothesis-jsonschema jsonschema playwright "moto[server]")
ml_install_python() {
    python3 -c "import hypothesis, hypothesis_jsonschema, jsonschema, playwright, moto.server" 2>/dev/null && return 0
    ml_log "installing Python packages: ${ML_PIP[*]}"
    python3 -m pip install -q "${ML_PIP[@]}" >&2
}

# Builds the binary: ml_build debug|release; sets ML_BIN.
ml_build() {
    local config=${1:-debug}
    ml_log "building ($config)"
    (cd "$ML_ROOT" && swift build -c "$config" >&2)
    ML_BIN="$ML_ROOT/.build/$config/mentorlink"
}

# The unprivileged user nginx and PostgreSQL run as when we are root.
ml_service_user() { echo www-data; }

ml_pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

ml_start_postgres() {
    local data="$ML_RUN/pg/data" sock="$ML_RUN/pg"
    mkdir -p "$sock"
    local run=()
    if ml_as_root; then chown postgres:postgres "$sock"; chmod 0711 "$sock"; run=(runuser -u postgres --); fi
    if [ ! -f "$data/PG_VERSION" ]; then
        ml_log "creating PostgreSQL cluster in $data"
        "${run[@]}" "$ML_PG_BIN/initdb" -D "$data" -U mentorlink --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
        cat >> "$data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$sock'
unix_socket_permissions = 0770
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
shared_buffers = 256MB
CONF
    fi
    if ! "${run[@]}" "$ML_PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
        "${run[@]}" "$ML_PG_BIN/pg_ctl" -D "$data" -l "$sock/postgres.log" -w start >/dev/null
    fi
    "$ML_PG_BIN/psql" -h "$sock" -U mentorlink -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='mentorlink'" | grep -q 1 ||
        "$ML_PG_BIN/createdb" -h "$sock" -U mentorlink mentorlink
}

# Redis keeps an append-only file (fsync each second): the session revocation list must survive a restart, or a
# revoked access token would work again until it expires.
ml_start_redis() {
    mkdir -p "$ML_RUN/redis"
    ml_pid_alive "$ML_RUN/redis.pid" && return 0
    redis-server --port 0 --unixsocket "$ML_RUN/redis.sock" --unixsocketperm 700 --daemonize yes \
        --pidfile "$ML_RUN/redis.pid" --dir "$ML_RUN/redis" --save "" --appendonly yes --appendfsync everysec \
        --logfile "$ML_RUN/logs/redis.log" >/dev/null
    for _ in $(seq 50); do [ -S "$ML_RUN/redis.sock" ] && return 0; sleep 0.1; done
    ml_log "redis did not start"; return 1
}

ml_start_kafka() {
    ml_pid_alive "$ML_RUN/dev-kafka.pid" && [ -f "$ML_RUN/kafka.bootstrap" ] && return 0
    rm -f "$ML_RUN/kafka.bootstrap"
    nohup "$ML_BIN" dev-kafka >>"$ML_RUN/logs/dev-kafka.log" 2>&1 &
    echo $! > "$ML_RUN/dev-kafka.pid"
    for _ in $(seq 100); do [ -s "$ML_RUN/kafka.bootstrap" ] && return 0; sleep 0.1; done
    ml_log "dev-kafka did not start"; return 1
}

ml_migrate() { "$ML_BIN" migrate >&2; }

ml_start_workers() {
    local n=$1
    ml_pid_alive "$ML_RUN/serve.pid" && return 0
    rm -f "$ML_RUN"/worker-*.sock
    # The supervisor runs the workers and the event processes (relay, consumers) and restarts whichever dies;
    # restarts are counted on $ML_RUN/supervisor.sock (GET /metrics).
    nohup "$ML_BIN" serve --workers "$n" --events >>"$ML_RUN/logs/workers.log" 2>&1 &
    echo $! > "$ML_RUN/serve.pid"
    for _ in $(seq 200); do
        local up=0
        # Up means answering /healthz, not only that the socket file exists (it does from bind on, before listen).
        for k in $(seq 0 $((n - 1))); do
            curl -sf -o /dev/null --max-time 1 --unix-socket "$ML_RUN/worker-$k.sock" http://worker/healthz && up=$((up + 1))
        done
        [ "$up" = "$n" ] && return 0
        sleep 0.1
    done
    ml_log "workers did not start (see $ML_RUN/logs/workers.log)"; return 1
}

ml_start_nginx() {
    local n=$1 port=$2 dir="$ML_RUN/nginx"
    mkdir -p "$dir/logs" "$dir/tmp"
    local servers=""
    for k in $(seq 0 $((n - 1))); do servers+="        server unix:$ML_RUN/worker-$k.sock;"$'\n'; done
    # The web app nginx serves at /: MENTORLINK_WEB_ROOT, default web/dist (scripts/web build).
    local web=${MENTORLINK_WEB_ROOT:-$ML_ROOT/web/dist}
    # /sfu: Janus's WebSocket port and the allowed origins (map lines of $sfu_origin_allowed).
    ml_janus_ports "$port"
    local origins="" origin
    local allowed=${MENTORLINK_ALLOWED_ORIGINS:-http://127.0.0.1:$port,http://localhost:$port}
    for origin in ${allowed//,/ }; do origins+="        \"$origin\" 1;"$'\n'; done
    sed -e "s|@HTTP_PORT@|$port|" -e "s|@NGINX_WORKERS@|${MENTORLINK_NGINX_WORKERS:-auto}|" -e "s|@JANUS_WS_PORT@|$ML_JANUS_WS|" -e "s|@RPC_RATE@|${MENTORLINK_RPC_RATE:-20000}|" -e "s|@RPC_BURST@|${MENTORLINK_RPC_BURST:-20000}|" \
        -e "s|@WS_RATE@|${MENTORLINK_WS_RATE:-50}|" -e "s|@WS_BURST@|${MENTORLINK_WS_BURST:-200}|" -e "s|@WEB_ROOT@|$web|" \
        "$ML_ROOT/nginx/nginx.conf.template" |
        awk -v s="$servers" -v d="$(ml_dev_payments_location)" -v m="$(ml_media_location)" -v o="$origins" '{ if ($0 == "@UPSTREAM_SERVERS@") printf "%s", s; else if ($0 == "@DEV_PAYMENTS_LOCATION@") print d; else if ($0 == "@MEDIA_LOCATION@") print m; else if ($0 == "@SFU_ORIGINS@") printf "%s", o; else print }' > "$dir/nginx.conf"
    chmod 0600 "$dir/nginx.conf"
    ml_pid_alive "$dir/nginx.pid" && { ml_nginx -s reload; return 0; }
    ml_nginx
    for _ in $(seq 50); do ml_pid_alive "$dir/nginx.pid" && return 0; sleep 0.1; done
    ml_log "nginx did not start (see $dir/logs/error.log)"; return 1
}

# The nginx location of dev-payments' checkout page (the provider's hosted page, played locally), when it runs here.
ml_dev_payments_location() {
    local pp; pp=$(cat "$ML_RUN/dev-payments.port" 2>/dev/null) || return 0
    ml_pid_alive "$ML_RUN/dev-payments.pid" || return 0
    echo "        location /dev-payments/checkout/ { proxy_pass http://127.0.0.1:$pp/checkout/; }"
}

ml_nginx() {
    local dir="$ML_RUN/nginx" run=()
    if ml_as_root; then chown -R "$(ml_service_user)" "$dir"; run=(runuser -u "$(ml_service_user)" --); fi
    "${run[@]}" nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/logs/error.log" "$@"
}

ml_stop_pidfile() {
    local file=$1
    ml_pid_alive "$file" || { rm -f "$file"; return 0; }
    local pid; pid=$(cat "$file")
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    rm -f "$file"
}

# Stops everything started under $ML_RUN.
ml_stop() {
    [ -d "$ML_RUN" ] || return 0
    ml_pid_alive "$ML_RUN/nginx/nginx.pid" && ml_nginx -s quit 2>/dev/null
    ml_stop_pidfile "$ML_RUN/serve.pid"
    ml_stop_pidfile "$ML_RUN/dev-kafka.pid"
    ml_stop_pidfile "$ML_RUN/dev-payments.pid"
    ml_stop_pidfile "$ML_RUN/relay.pid"
    ml_stop_pidfile "$ML_RUN/consume-notifications.pid"
    ml_stop_pidfile "$ML_RUN/consume-email.pid"
    ml_stop_pidfile "$ML_RUN/redis.pid"
    ml_stop_pidfile "$ML_RUN/coturn/turnserver.pid"
    ml_stop_janus
    if [ -f "$ML_RUN/pg/data/PG_VERSION" ]; then
        local run=(); ml_as_root && run=(runuser -u postgres --)
        "${run[@]}" "$ML_PG_BIN/pg_ctl" -D "$ML_RUN/pg/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
}

# Prepares $ML_RUN and the environment every mentorlink process reads.
ml_prepare_run_dir() {
    mkdir -p "$ML_RUN/logs"
    chmod 0755 "$ML_RUN"
    export MENTORLINK_RUN_DIR="$ML_RUN"
    export MENTORLINK_SCHEMA_DIR="$ML_ROOT/schema"
    export MENTORLINK_GIT_COMMIT; MENTORLINK_GIT_COMMIT=$(git -C "$ML_ROOT" rev-parse --short HEAD 2>/dev/null || true)
    ml_as_root && export MENTORLINK_SOCKET_GROUP="$(ml_service_user)"
    ml_write_secrets
    return 0
}

# Development secrets, made once per run directory (mode 0600); production takes them from the environment.
ml_write_secrets() {
    local file="$ML_RUN/secrets.env"
    touch "$file"; chmod 0600 "$file"
    grep -q '^MENTORLINK_JWT_KEYS=' "$file" ||
        echo "MENTORLINK_JWT_KEYS=k$(date +%s):$(head -c 32 /dev/urandom | base64 -w0)" >> "$file"
    # Dev payment provider keys and webhook secrets (mentorlink dev-payments reads the same file).
    local rnd; rnd() { head -c 18 /dev/urandom | base64 -w0 | tr '+/' 'AB'; }
    grep -q '^STRIPE_SECRET_KEY=' "$file" || echo "STRIPE_SECRET_KEY=sk_test_$(rnd)" >> "$file"
    grep -q '^STRIPE_WEBHOOK_SECRET=' "$file" || echo "STRIPE_WEBHOOK_SECRET=whsec_$(rnd)" >> "$file"
    grep -q '^UPI_KEY_ID=' "$file" || echo "UPI_KEY_ID=rzp_test_$(rnd)" >> "$file"
    grep -q '^UPI_KEY_SECRET=' "$file" || echo "UPI_KEY_SECRET=$(rnd)" >> "$file"
    grep -q '^UPI_WEBHOOK_SECRET=' "$file" || echo "UPI_WEBHOOK_SECRET=$(rnd)" >> "$file"
    grep -q '^TURN_SECRET=' "$file" || echo "TURN_SECRET=$(rnd)" >> "$file"
    grep -q '^MEDIA_SECRET=' "$file" || echo "MEDIA_SECRET=$(rnd)" >> "$file"
    # Janus: the HMAC key of its signed tokens (the backend mints them), the admin API's secret, the VideoRoom
    # plugin's admin_key (room creation).
    grep -q '^JANUS_TOKEN_SECRET=' "$file" || echo "JANUS_TOKEN_SECRET=$(rnd)" >> "$file"
    grep -q '^JANUS_ADMIN_SECRET=' "$file" || echo "JANUS_ADMIN_SECRET=$(rnd)" >> "$file"
    grep -q '^JANUS_ADMIN_KEY=' "$file" || echo "JANUS_ADMIN_KEY=$(rnd)" >> "$file"
    return 0
}

# nginx's location for the directory object store's signed links (none when S3 holds the objects).
ml_media_location() {
    [ -n "${S3_ENDPOINT:-}" ] && return 0
    local secret; secret=$(sed -n 's/^MEDIA_SECRET=//p' "$ML_RUN/secrets.env")
    mkdir -p "$ML_RUN/objects"
    sed -e "s|@RUN_DIR@|$ML_RUN|g" -e "s|@MEDIA_SECRET@|$secret|g" "$ML_ROOT/nginx/media-location.conf.template" | sed 's/^/        /'
}

# The local payment provider server on PORT + 1000, sending webhooks to nginx on PORT; the workers talk to it.
ml_start_dev_payments() {
    local port=$1 pp=$(( $1 + 1000 ))
    export STRIPE_API_BASE="http://127.0.0.1:$pp" UPI_API_BASE="http://127.0.0.1:$pp"
    echo "$pp" > "$ML_RUN/dev-payments.port"
    ml_pid_alive "$ML_RUN/dev-payments.pid" && return 0
    local auto=(); [ "${MENTORLINK_DEV_PAYMENTS_AUTO:-0}" = 1 ] && auto=(--auto-complete)
    nohup "$ML_BIN" dev-payments serve --port "$pp" --webhook-base "http://127.0.0.1:$port" "${auto[@]}" >>"$ML_RUN/logs/dev-payments.log" 2>&1 &
    echo $! > "$ML_RUN/dev-payments.pid"
    for _ in $(seq 100); do
        curl -s -o /dev/null "http://127.0.0.1:$pp/v1/payment_intents/x" && return 0
        sleep 0.1
    done
    ml_log "dev-payments did not start (see $ML_RUN/logs/dev-payments.log)"; return 1
}

# Starts the whole stack: ml_start_stack WORKERS PORT.
ml_start_stack() {
    local n=$1 port=$2
    export MENTORLINK_ALLOWED_ORIGINS="http://127.0.0.1:$port,http://localhost:$port"
    ml_start_postgres
    ml_start_redis
    ml_start_kafka
    ml_migrate
    ml_start_dev_payments "$port"
    ml_start_coturn
    ml_start_janus "$port"
    ml_start_workers "$n"
    ml_start_nginx "$n" "$port"
}

# coturn on loopback with the TURN REST secret (use-auth-secret: rooms.join hands out expiry:roomId:userId credentials
# signed with TURN_SECRET from secrets.env). Peers in private, loopback, link-local and other special ranges are
# refused (denied-peer-ip), so the relay cannot be used to reach the host's or the network's internal services; on one
# machine browsers connect directly, so TURN here serves to test the credentials. Port: MENTORLINK_TURN_PORT (3478),
# relay ports 49160-49200; no TLS, no CLI.
ml_start_coturn() {
    local dir="$ML_RUN/coturn" port=${MENTORLINK_TURN_PORT:-3478} secret
    command -v turnserver >/dev/null || { ml_log "coturn is not installed: no TURN (clients get STUN only)"; return 0; }
    ml_pid_alive "$dir/turnserver.pid" && return 0
    secret=$(sed -n 's/^TURN_SECRET=//p' "$ML_RUN/secrets.env")
    mkdir -p "$dir"
    {
        echo "listening-ip=127.0.0.1"; echo "relay-ip=127.0.0.1"; echo "listening-port=$port"
        echo "min-port=49160"; echo "max-port=49200"
        echo "use-auth-secret"; echo "static-auth-secret=$secret"; echo "realm=mentorlink.local"
        echo "fingerprint"; echo "no-tls"; echo "no-dtls"; echo "no-cli"; echo "no-multicast-peers"; echo "no-software-attribute"
        local range
        for range in 0.0.0.0-0.255.255.255 10.0.0.0-10.255.255.255 100.64.0.0-100.127.255.255 127.0.0.0-127.255.255.255 \
            169.254.0.0-169.254.255.255 172.16.0.0-172.31.255.255 192.0.0.0-192.0.0.255 192.0.2.0-192.0.2.255 \
            192.168.0.0-192.168.255.255 198.18.0.0-198.19.255.255 198.51.100.0-198.51.100.255 203.0.113.0-203.0.113.255 \
            240.0.0.0-255.255.255.255 ::1 64:ff9b::-64:ff9b::ffff:ffff fc00::-fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff \
            fe80::-febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff; do
            echo "denied-peer-ip=$range"
        done
        echo "userdb=$dir/turndb"; echo "pidfile=$dir/turnserver.pid"; echo "log-file=$dir/turnserver.log"; echo "simple-log"; echo "no-stdout-log"
    } > "$dir/turnserver.conf"
    chmod 0600 "$dir/turnserver.conf"
    export MENTORLINK_TURN_URLS=${MENTORLINK_TURN_URLS:-"stun:127.0.0.1:$port,turn:127.0.0.1:$port?transport=udp,turn:127.0.0.1:$port?transport=tcp"}
    local run=()
    if ml_as_root; then chown -R "$(ml_service_user)" "$dir"; run=(runuser -u "$(ml_service_user)" --); fi
    "${run[@]}" turnserver -c "$dir/turnserver.conf" >/dev/null 2>&1 &
    for _ in $(seq 50); do ml_pid_alive "$dir/turnserver.pid" && return 0; sleep 0.1; done
    ml_log "coturn did not start (see $dir/turnserver.log)"; return 1
}

# Janus 1.1.2 (Debian's `janus`), the SFU of group rooms beyond the mesh, from a private configuration generated into
# $ML_RUN/janus (janus -C/-F there, its own log and pid file): only the VideoRoom plugin and the HTTP + WebSocket
# transports, every other plugin, transport, logger and event handler disabled; everything on 127.0.0.1. Ports follow
# the HTTP port unless set (scripts/run on 8080: 8088 HTTP API, 8188 WebSocket, 7088 admin API), so the stack of
# scripts/test never meets the one of scripts/run: MENTORLINK_JANUS_HTTP_PORT (PORT+8), MENTORLINK_JANUS_WS_PORT
# (PORT+108), MENTORLINK_JANUS_ADMIN_PORT (PORT-992); RTP/RTCP on MENTORLINK_JANUS_RTP_PORTS (20000-20999).
# Access: token_auth with token_auth_secret (Janus's signed tokens, HMAC-SHA1 with JANUS_TOKEN_SECRET: the backend mints
# them without asking Janus), the admin API behind JANUS_ADMIN_SECRET, rooms created only with the VideoRoom
# admin_key (JANUS_ADMIN_KEY, which RTP forwarding needs too); no static rooms, string room and participant ids.
# ICE: host candidates of MENTORLINK_JANUS_ICE_INTERFACES (default: the interface of the default route; Janus never
# gathers on loopback), no STUN or TURN server, no IPv6. The endpoints land in $ML_RUN/janus/endpoints.env (and the
# environment) for the workers and the tests. Not installed: logged, and rooms stay on the mesh.
ml_janus_libdir() {
    local d
    for d in /usr/lib/*/janus /usr/lib/janus /opt/janus/lib/janus; do [ -d "$d/plugins" ] && { echo "$d"; return 0; }; done
    return 1
}

# The file names (*.so) in a Janus module folder, except those given, comma-separated: a `disable` list.
ml_janus_disable() {
    local folder=$1; shift
    local f name out=()
    for f in "$folder"/*.so; do
        [ -e "$f" ] || continue
        name=$(basename "$f")
        [[ " $* " == *" $name "* ]] || out+=("$name")
    done
    (IFS=,; echo "${out[*]}")
}

# Janus's ports for the stack on HTTP port PORT: sets ML_JANUS_HTTP, ML_JANUS_WS and ML_JANUS_ADMIN.
ml_janus_ports() {
    ML_JANUS_HTTP=${MENTORLINK_JANUS_HTTP_PORT:-$(($1 + 8))}
    ML_JANUS_WS=${MENTORLINK_JANUS_WS_PORT:-$(($1 + 108))}
    ML_JANUS_ADMIN=${MENTORLINK_JANUS_ADMIN_PORT:-$(($1 - 992))}
}

ml_start_janus() {
    local port=$1 dir="$ML_RUN/janus" lib
    ml_janus_ports "$port"
    local http=$ML_JANUS_HTTP ws=$ML_JANUS_WS admin=$ML_JANUS_ADMIN rtp=${MENTORLINK_JANUS_RTP_PORTS:-20000-20999}
    if ! command -v janus >/dev/null || ! lib=$(ml_janus_libdir); then
        ml_log "janus is not installed: no SFU (group rooms stay on the mesh)"
        rm -f "$dir/endpoints.env"
        return 0
    fi
    mkdir -p "$dir"
    {
        echo "MENTORLINK_JANUS_URL=http://127.0.0.1:$http/janus"
        echo "MENTORLINK_JANUS_ADMIN_URL=http://127.0.0.1:$admin/admin"
        echo "MENTORLINK_JANUS_WS_URL=ws://127.0.0.1:$ws/"
        echo "MENTORLINK_JANUS_RECORDINGS_DIR=$dir/recordings"
    } > "$dir/endpoints.env"
    # Janus's own recordings of SFU rooms (.mjr, while a room's recording runs): the media consumer's fallback for a
    # participant whose upload never completed. It reads them from here (the same host).
    export MENTORLINK_JANUS_URL="http://127.0.0.1:$http/janus" MENTORLINK_JANUS_ADMIN_URL="http://127.0.0.1:$admin/admin"
    export MENTORLINK_JANUS_RECORDINGS_DIR="$dir/recordings"
    ml_pid_alive "$dir/janus.pid" && return 0
    local token admin_secret admin_key
    token=$(sed -n 's/^JANUS_TOKEN_SECRET=//p' "$ML_RUN/secrets.env")
    admin_secret=$(sed -n 's/^JANUS_ADMIN_SECRET=//p' "$ML_RUN/secrets.env")
    admin_key=$(sed -n 's/^JANUS_ADMIN_KEY=//p' "$ML_RUN/secrets.env")
    local ice=${MENTORLINK_JANUS_ICE_INTERFACES-$(ip -o route show default 2>/dev/null | awk '{ for (i = 1; i < NF; i++) if ($i == "dev") { print $(i + 1); exit } }')}
    # Janus reads the ignore list only without an enforce list.
    local interfaces="ice_ignore_list = \"vmnet,docker,veth,virbr,br-\""; [ -n "$ice" ] && interfaces="ice_enforce_list = \"$ice\""
    cat > "$dir/janus.jcfg" <<CONF
general: {
	configs_folder = "$dir"
	plugins_folder = "$lib/plugins"
	transports_folder = "$lib/transports"
	events_folder = "$lib/events"
	loggers_folder = "$lib/loggers"
	log_to_stdout = false
	log_to_file = "$dir/janus.log"
	debug_level = 4
	debug_timestamps = true
	debug_colors = false
	pid_file = "$dir/janus.pid"
	server_name = "MentorLink"
	session_timeout = 60
	reclaim_session_timeout = 0
	token_auth = true
	token_auth_secret = "$token"
	admin_secret = "$admin_secret"
	hide_dependencies = true
	recordings_tmp_ext = "tmp"
	protected_folders = [ "/bin", "/boot", "/dev", "/etc", "/initrd", "/lib", "/lib32", "/lib64", "/proc", "/sbin", "/sys", "/usr", "/var" ]
}
certificates: {
}
media: {
	ipv6 = false
	rtp_port_range = "$rtp"
}
nat: {
	nice_debug = false
	ignore_mdns = false
	$interfaces
}
plugins: {
	disable = "$(ml_janus_disable "$lib/plugins" libjanus_videoroom.so)"
}
transports: {
	disable = "$(ml_janus_disable "$lib/transports" libjanus_http.so libjanus_websockets.so)"
}
loggers: {
	disable = "$(ml_janus_disable "$lib/loggers")"
}
events: {
	broadcast = false
	disable = "$(ml_janus_disable "$lib/events")"
}
CONF
    cat > "$dir/janus.transport.http.jcfg" <<CONF
general: {
	json = "compact"
	base_path = "/janus"
	http = true
	port = $http
	ip = "127.0.0.1"
	https = false
	acl = "127."
}
admin: {
	admin_base_path = "/admin"
	admin_http = true
	admin_port = $admin
	admin_ip = "127.0.0.1"
	admin_https = false
	admin_acl = "127."
}
cors: {
}
CONF
    cat > "$dir/janus.transport.websockets.jcfg" <<CONF
general: {
	json = "compact"
	ws = true
	ws_port = $ws
	ws_ip = "127.0.0.1"
	wss = false
	ws_acl = "127."
	ws_logging = "err,warn"
}
admin: {
	admin_ws = false
	admin_wss = false
}
cors: {
}
CONF
    cat > "$dir/janus.plugin.videoroom.jcfg" <<CONF
general: {
	admin_key = "$admin_key"
	lock_rtp_forward = true
	string_ids = true
	events = false
}
CONF
    chmod 0600 "$dir"/*.jcfg
    mkdir -p "$dir/recordings"
    # Janus's log names the tokens it refuses: the folder is the service user's only.
    chmod 0700 "$dir"
    local run=()
    if ml_as_root; then chown -R "$(ml_service_user)" "$dir"; run=(runuser -u "$(ml_service_user)" --); fi
    rm -f "$dir/janus.pid"
    nohup "${run[@]}" janus -C "$dir/janus.jcfg" -F "$dir" >/dev/null 2>>"$dir/janus.stderr" &
    for _ in $(seq 100); do
        curl -sf -o /dev/null --max-time 1 "http://127.0.0.1:$http/janus/info" && ml_pid_alive "$dir/janus.pid" && return 0
        sleep 0.1
    done
    ml_log "janus did not start (see $dir/janus.log)"; return 1
}

ml_stop_janus() { ml_stop_pidfile "$ML_RUN/janus/janus.pid"; }
