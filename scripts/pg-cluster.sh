#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for tests.
#
#   scripts/pg-cluster.sh start DIR   # prints postgresql://cairn@127.0.0.1:PORT/cairn
#   scripts/pg-cluster.sh stop DIR    # stops the server and removes DIR
#
# The server listens on 127.0.0.1 only (socket directory inside DIR), trusts every local
# connection and runs without fsync: for tests, never for data that matters. When run as root,
# the cluster belongs to the system user cairn-pg (created if missing), as PostgreSQL refuses root.
set -euo pipefail

usage() {
    echo "usage: $0 start DIR | stop DIR" >&2
    exit 2
}

[ $# -eq 2 ] || usage
command=$1
dir=$2
pg_user=cairn-pg

log() { echo "pg-cluster: $*" >&2; }

# The directory holding initdb and pg_ctl: PATH first, then Debian's versioned directories (newest first).
find_bin_dir() {
    if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        dirname "$(readlink -f "$(command -v pg_ctl)")"
        return 0
    fi
    local candidate
    for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4,4 -rn); do
        if [ -x "$candidate/initdb" ] && [ -x "$candidate/pg_ctl" ]; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

# Runs a command as the cluster's owner.
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u "$pg_user" -- "$@"
    else
        "$@"
    fi
}

free_port() {
    if command -v python3 >/dev/null 2>&1; then
        python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
        return 0
    fi
    local port
    for port in $(seq 54320 54999); do
        if ! ss -ltnH "sport = :$port" 2>/dev/null | grep -q .; then
            echo "$port"
            return 0
        fi
    done
    return 1
}

# Closes descriptors inherited from the caller beyond stdin, stdout and stderr, so that the server
# (a daemon) does not hold the caller's pipes open after this script exits.
close_inherited_fds() {
    local path fd
    for path in /proc/$$/fd/*; do
        fd=${path##*/}
        case $fd in 0 | 1 | 2 | 255) continue ;; esac
        eval "exec $fd>&-" 2>/dev/null || true
    done
}

start() {
    local bin
    close_inherited_fds
    if ! bin=$(find_bin_dir); then
        log "installing PostgreSQL with apt-get"
        if [ "$(id -u)" -ne 0 ]; then
            log "initdb and pg_ctl are missing and installing them needs root"
            exit 1
        fi
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
        bin=$(find_bin_dir) || {
            log "initdb and pg_ctl not found after installing postgresql"
            exit 1
        }
    fi
    if [ -e "$dir" ] && [ -n "$(ls -A "$dir" 2>/dev/null)" ]; then
        log "$dir exists and is not empty; stop the old cluster first ($0 stop $dir)"
        exit 1
    fi
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    if [ "$(id -u)" -eq 0 ]; then
        id -u "$pg_user" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$pg_user"
        chown "$pg_user" "$dir"
        # The owner must be able to reach DIR through its parents.
        local parent
        parent=$(dirname "$dir")
        while [ "$parent" != "/" ]; do
            if ! runuser -u "$pg_user" -- test -x "$parent"; then
                log "$pg_user cannot enter $parent; choose a directory under /tmp"
                exit 1
            fi
            parent=$(dirname "$parent")
        done
    fi
    local locale=C.UTF-8
    locale -a 2>/dev/null | grep -qix 'c.utf-\?8' || locale=C
    as_owner "$bin/initdb" -D "$dir/data" --auth=trust -U cairn --locale="$locale" -E UTF8 >"$dir/initdb.log" 2>&1 || {
        cat "$dir/initdb.log" >&2
        exit 1
    }
    local port
    port=$(free_port) || {
        log "no free port found"
        exit 1
    }
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir -c fsync=off" \
        -o "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >&2 || {
        cat "$dir/server.log" >&2
        exit 1
    }
    local tries=0
    until "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -U cairn; do
        tries=$((tries + 1))
        if [ $tries -gt 100 ]; then
            log "server did not become ready"
            cat "$dir/server.log" >&2
            exit 1
        fi
        sleep 0.1
    done
    as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U cairn cairn >&2
    echo "postgresql://cairn@127.0.0.1:$port/cairn"
}

stop() {
    if [ -d "$dir/data" ]; then
        local bin
        bin=$(find_bin_dir) || {
            log "pg_ctl not found"
            exit 1
        }
        as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >&2 || log "server was not running"
    fi
    rm -rf "$dir"
}

case $command in
    start) start ;;
    stop) stop ;;
    *) usage ;;
esac
