#!/usr/bin/env bash
# replicas.sh: the replicated and multi-primary engines kinglet's scale-out
# tests run on, started on their own localhost ports under a temporary
# directory, beside (never instead of) the machine's own PostgreSQL and
# MariaDB, which it does not touch.
#
#   eval "$(scripts/replicas.sh up)"    start what is not running, print the exports
#   scripts/replicas.sh env             print the exports of what runs
#   scripts/replicas.sh down            stop everything it started, remove its files
#   scripts/replicas.sh stop NODE       stop one node, as a crash would (for tests):
#   scripts/replicas.sh start NODE      NODE is pg-replica or my-replica
#
# up starts, as three groups:
#   - a PostgreSQL primary and a streaming-replication hot standby
#     (initdb, pg_basebackup -R);
#   - a MariaDB primary and a GTID replica (server_id 1 and 2);
#   - a three-node MariaDB Galera cluster (galera-4, rsync SST),
# installing from Debian's packages whatever is missing, and prints, as
# export lines for eval, KINGLET_PG_PRIMARY_URL, KINGLET_PG_REPLICA_URL,
# KINGLET_MY_PRIMARY_URL, KINGLET_MY_REPLICA_URL, KINGLET_GALERA_URLS
# (comma-separated), in the URL form orm.Open takes, and
# KINGLET_REPLICAS_SCRIPT (this script, for the tests' stop and start). up
# is idempotent: a group that answers is left as it is; a group that does
# not is removed and made again.
#
# Runs as root (PostgreSQL's servers run as postgres, MariaDB's as mysql).
# Only the export lines go to stdout; progress goes to stderr.
#
# Environment (all optional):
#   KINGLET_REPLICAS_DIR   where the data lives (default ${TMPDIR:-/tmp}/kinglet-replicas)
#   KINGLET_REPLICAS_PORT  the first of the ports used (default 16400): PostgreSQL
#                          +32 and +33, MariaDB +6 and +7, Galera's SQL +11..+13,
#                          and Galera's group, IST and SST ports +167..+188 and +44..+64
set -Eeuo pipefail

SCRIPT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")
DIR=${KINGLET_REPLICAS_DIR:-${TMPDIR:-/tmp}/kinglet-replicas}
BASE=${KINGLET_REPLICAS_PORT:-16400}
RUN=$DIR/run  # sockets and pid files
LOG=$DIR/log  # the servers' logs

PG_PRIMARY_PORT=$((BASE + 32))
PG_REPLICA_PORT=$((BASE + 33))
MY_PRIMARY_PORT=$((BASE + 6))
MY_REPLICA_PORT=$((BASE + 7))
GALERA_SQL=($((BASE + 11)) $((BASE + 12)) $((BASE + 13)))
GALERA_GCOMM=($((BASE + 167)) $((BASE + 177)) $((BASE + 187)))
GALERA_IST=($((BASE + 168)) $((BASE + 178)) $((BASE + 188)))
GALERA_SST=($((BASE + 44)) $((BASE + 54)) $((BASE + 64)))

export DEBIAN_FRONTEND=noninteractive
T0=$SECONDS
log() { printf 'replicas.sh: %s (+%ds)\n' "$*" "$((SECONDS - T0))" >&2; }
die() {
	printf 'replicas.sh: ERROR: %s\n' "$*" >&2
	exit 1
}

[ "$(id -u)" -eq 0 ] || die "run as root (the servers run as postgres and mysql)"

# ---------------------------------------------------------------------------
# Packages

APT_UPDATED=
apt_install() {
	if [ -z "$APT_UPDATED" ]; then
		log "apt-get update"
		apt-get update -q >&2
		APT_UPDATED=1
	fi
	log "apt-get install $*"
	apt-get install -y -q --no-install-recommends "$@" >&2
}

PGBIN=
find_pgbin() {
	local v
	v=$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -n1)
	[ -n "$v" ] && [ -x "/usr/lib/postgresql/$v/bin/initdb" ] && [ -x "/usr/lib/postgresql/$v/bin/pg_basebackup" ] &&
		PGBIN=/usr/lib/postgresql/$v/bin
}

GALERA_LIB=
find_galera() {
	local f
	for f in /usr/lib/galera/libgalera_smm.so /usr/lib/libgalera_smm.so /usr/lib/galera-4/libgalera_smm.so; do
		if [ -f "$f" ]; then
			GALERA_LIB=$f
			return 0
		fi
	done
	return 1
}

install_missing() {
	local need=()
	find_pgbin || need+=(postgresql postgresql-client)
	{ [ -x /usr/sbin/mariadbd ] && command -v mariadb-install-db >/dev/null && command -v mysql >/dev/null; } ||
		need+=(mariadb-server mariadb-client)
	find_galera || need+=(galera-4)
	command -v rsync >/dev/null || need+=(rsync)
	command -v ss >/dev/null || command -v lsof >/dev/null || need+=(iproute2)
	if [ "${#need[@]}" -gt 0 ]; then
		apt_install "${need[@]}"
		find_pgbin || die "no PostgreSQL binaries after installing them"
		find_galera || die "no libgalera_smm.so after installing galera-4"
	fi
}

# ---------------------------------------------------------------------------
# Helpers

# wait_until SECONDS WHAT CMD...: run CMD every 0.2 s until it succeeds.
wait_until() {
	local secs=$1 what=$2 i
	shift 2
	for ((i = 0; i < secs * 5; i++)); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.2
	done
	return 1
}

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1" 2>/dev/null)" 2>/dev/null; }

# stop_pid PIDFILE...: TERM to each, then KILL what still runs after 30 s.
stop_pid() {
	local f pid pids=() i
	for f in "$@"; do
		[ -f "$f" ] || continue
		pid=$(cat "$f" 2>/dev/null) || continue
		[ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null && pids+=("$pid")
	done
	for ((i = 0; i < 150; i++)); do
		local alive=()
		for pid in "${pids[@]}"; do
			kill -0 "$pid" 2>/dev/null && alive+=("$pid")
		done
		[ "${#alive[@]}" -gt 0 ] || return 0
		pids=("${alive[@]}")
		sleep 0.2
	done
	kill -KILL "${pids[@]}" 2>/dev/null || true
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

mkrun() {
	install -d -m 0755 "$DIR"
	install -d -m 1777 "$RUN" "$LOG"
}

# ---------------------------------------------------------------------------
# PostgreSQL: primary and hot standby

pg_as() { runuser -u postgres -- "$@"; }
pgq() { # pgq PORT SQL: one value
	pg_as "$PGBIN/psql" -X -q -w -A -t -h 127.0.0.1 -p "$1" -U postgres -d postgres -c "$2"
}

pg_healthy() {
	find_pgbin || return 1
	[ "$(pgq "$PG_PRIMARY_PORT" 'SELECT NOT pg_is_in_recovery()' 2>/dev/null)" = t ] &&
		[ "$(pgq "$PG_REPLICA_PORT" 'SELECT pg_is_in_recovery()' 2>/dev/null)" = t ]
}

pg_streaming() {
	[ "$(pgq "$PG_PRIMARY_PORT" "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")" = 1 ]
}

pg_stop_node() { # pg_stop_node NAME [MODE]
	local d=$DIR/$1
	[ -f "$d/postmaster.pid" ] || return 0
	pg_as "$PGBIN/pg_ctl" -D "$d" -m "${2:-fast}" -w -t 60 stop >/dev/null 2>&1 || true
}

pg_start_node() { # pg_start_node NAME
	pg_as "$PGBIN/pg_ctl" -D "$DIR/$1" -l "$LOG/$1.log" -w -t 60 -o "-k $RUN" start >/dev/null ||
		{
			tail -n 30 "$LOG/$1.log" >&2
			die "PostgreSQL $1 did not start"
		}
}

pg_down() {
	if [ -n "$PGBIN" ] || find_pgbin; then
		pg_stop_node pg-replica immediate
		pg_stop_node pg-primary immediate
	fi
	rm -rf "$DIR/pg-primary" "$DIR/pg-replica" "$LOG"/pg-*.log
}

pg_up() {
	if pg_healthy; then
		log "PostgreSQL primary :$PG_PRIMARY_PORT and standby :$PG_REPLICA_PORT are running"
		return
	fi
	pg_down
	port_free "$PG_PRIMARY_PORT" || die "port $PG_PRIMARY_PORT is taken (set KINGLET_REPLICAS_PORT)"
	port_free "$PG_REPLICA_PORT" || die "port $PG_REPLICA_PORT is taken (set KINGLET_REPLICAS_PORT)"
	mkrun
	log "PostgreSQL: initdb"
	install -d -o postgres -g postgres -m 0700 "$DIR/pg-primary"
	pg_as "$PGBIN/initdb" -D "$DIR/pg-primary" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
	cat >>"$DIR/pg-primary/postgresql.conf" <<-EOF
		# kinglet replicas.sh
		listen_addresses = '127.0.0.1'
		port = $PG_PRIMARY_PORT
		unix_socket_directories = '$RUN'
		max_connections = 200
		shared_buffers = 32MB
		wal_level = replica
		max_wal_senders = 5
		wal_keep_size = 256MB
		hot_standby = on
		hot_standby_feedback = on
		max_standby_streaming_delay = -1
		fsync = off
		synchronous_commit = off
		full_page_writes = off
		wal_receiver_status_interval = 1s
		log_min_messages = warning
	EOF
	pg_start_node pg-primary
	pgq "$PG_PRIMARY_PORT" 'CREATE DATABASE test' >/dev/null
	log "PostgreSQL: pg_basebackup -R"
	install -d -o postgres -g postgres -m 0700 "$DIR/pg-replica"
	pg_as "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$PG_PRIMARY_PORT" -U postgres -D "$DIR/pg-replica" \
		-R -X stream --checkpoint=fast --no-sync
	printf 'port = %s\n' "$PG_REPLICA_PORT" >>"$DIR/pg-replica/postgresql.conf"
	pg_start_node pg-replica
	wait_until 60 "standby streaming" pg_streaming ||
		die "the PostgreSQL standby is not streaming after 60 s"
	log "PostgreSQL primary :$PG_PRIMARY_PORT and standby :$PG_REPLICA_PORT are up"
}

# ---------------------------------------------------------------------------
# MariaDB: common

MARIADBD=/usr/sbin/mariadbd

# my_sock NAME: the node's socket; my_cli NAME ARGS...: the client on it.
my_sock() { printf '%s/%s.sock' "$RUN" "$1"; }
my_cli() {
	local n=$1
	shift
	mysql --no-defaults --protocol=SOCKET -S "$(my_sock "$n")" -uroot --connect-timeout=3 "$@"
}
my_ping() { my_cli "$1" -N -e 'SELECT 1' >/dev/null 2>&1; }

# my_init NAME: a fresh data directory.
my_init() {
	local d=$DIR/$1
	install -d -o mysql -g mysql -m 0750 "$d"
	mariadb-install-db --no-defaults --datadir="$d" --user=mysql --auth-root-authentication-method=normal \
		--skip-test-db --skip-name-resolve >"$LOG/$1.install.log" 2>&1 ||
		{
			tail -n 30 "$LOG/$1.install.log" >&2
			die "mariadb-install-db failed for $1"
		}
}

# my_start NAME PORT ARGS...: start mariadbd in the background on its own
# data directory, socket and port.
my_start() {
	local n=$1 port=$2
	shift 2
	port_free "$port" || die "port $port is taken (set KINGLET_REPLICAS_PORT)"
	printf '%s\n' "$port" "$@" >"$DIR/$n.args"
	setsid "$MARIADBD" --no-defaults --user=mysql --datadir="$DIR/$n" --port="$port" --bind-address=127.0.0.1 \
		--socket="$(my_sock "$n")" --pid-file="$RUN/$n.pid" --log-error="$LOG/$n.err" \
		--skip-name-resolve --performance-schema=OFF --innodb-buffer-pool-size=32M --innodb-log-file-size=16M \
		--innodb-flush-log-at-trx-commit=2 --sync-binlog=0 --max-connections=300 --character-set-server=utf8mb4 \
		--collation-server=utf8mb4_unicode_ci --log-warnings=1 \
		"$@" </dev/null >>"$LOG/$n.out" 2>&1 &
}

# my_restart NAME: start a node again with the arguments it was made with.
my_restart() {
	local n=$1 port args
	mapfile -t args <"$DIR/$n.args"
	port=${args[0]}
	my_start "$n" "$port" "${args[@]:1}"
	wait_until 60 "$n" my_ping "$n" || {
		tail -n 30 "$LOG/$n.err" >&2
		die "MariaDB $n did not start"
	}
}

my_wait() { # my_wait NAME SECONDS
	wait_until "$2" "$1" my_ping "$1" || {
		tail -n 40 "$LOG/$1.err" >&2
		die "MariaDB $1 is not answering after $2 s"
	}
}

# my_users NAME: root from 127.0.0.1 with an empty password, as on the
# machine's own server; not written to the binary log.
my_users() {
	my_cli "$1" <<-'SQL'
		SET sql_log_bin = 0;
		CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY '';
		GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;
		SET sql_log_bin = 1;
	SQL
}

my_stop_node() { # my_stop_node NAME...
	local n files=()
	for n in "$@"; do files+=("$RUN/$n.pid"); done
	stop_pid "${files[@]}"
}

# ---------------------------------------------------------------------------
# MariaDB: primary and GTID replica

my_healthy() {
	my_ping my-primary && my_ping my-replica &&
		[ "$(my_cli my-replica -N -e "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'SLAVE_RUNNING'" 2>/dev/null)" = ON ]
}

my_down() {
	my_stop_node my-replica my-primary
	rm -rf "$DIR/my-primary" "$DIR/my-replica" "$DIR"/my-*.args "$LOG"/my-*
}

my_up() {
	if my_healthy; then
		log "MariaDB primary :$MY_PRIMARY_PORT and replica :$MY_REPLICA_PORT are running"
		return
	fi
	my_down
	mkrun
	log "MariaDB: primary and replica"
	my_init my-primary
	my_init my-replica
	my_start my-primary "$MY_PRIMARY_PORT" --server-id=1 --log-bin=mysql-bin --binlog-format=ROW \
		--gtid-domain-id=0
	my_start my-replica "$MY_REPLICA_PORT" --server-id=2 --log-bin=mysql-bin --binlog-format=ROW \
		--gtid-domain-id=0 --relay-log=relay-bin --read-only=ON
	my_wait my-primary 60
	my_wait my-replica 60
	my_users my-primary
	my_users my-replica
	my_cli my-primary <<-'SQL'
		SET sql_log_bin = 0;
		CREATE USER IF NOT EXISTS 'repl'@'127.0.0.1' IDENTIFIED BY 'repl';
		GRANT REPLICATION SLAVE ON *.* TO 'repl'@'127.0.0.1';
		SET sql_log_bin = 1;
		CREATE DATABASE IF NOT EXISTS test;
	SQL
	my_cli my-replica <<-SQL
		CHANGE MASTER TO MASTER_HOST = '127.0.0.1', MASTER_PORT = $MY_PRIMARY_PORT,
			MASTER_USER = 'repl', MASTER_PASSWORD = 'repl', MASTER_USE_GTID = slave_pos,
			MASTER_CONNECT_RETRY = 1;
		START SLAVE;
	SQL
	wait_until 60 "replica running" my_replica_caught_up ||
		die "the MariaDB replica is not replicating after 60 s: $(my_cli my-replica -e 'SHOW SLAVE STATUS\G' 2>&1 | grep -E 'Running|Error' | tr -s ' ' | tr '\n' ';')"
	log "MariaDB primary :$MY_PRIMARY_PORT and replica :$MY_REPLICA_PORT are up"
}

my_replica_caught_up() {
	[ "$(my_cli my-replica -N -e "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'test'")" = 1 ] &&
		[ "$(my_cli my-replica -N -e "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'SLAVE_RUNNING'")" = ON ]
}

# ---------------------------------------------------------------------------
# MariaDB Galera: three nodes

galera_addr() { # the gcomm:// list of every node
	local out="" p
	for p in "${GALERA_GCOMM[@]}"; do out+="${out:+,}127.0.0.1:$p"; done
	printf 'gcomm://%s' "$out"
}

galera_ready() { # galera_ready NAME
	[ "$(my_cli "$1" -N -e "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'WSREP_READY'" 2>/dev/null)" = ON ]
}

galera_size() { # galera_size NAME
	my_cli "$1" -N -e "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'WSREP_CLUSTER_SIZE'" 2>/dev/null
}

galera_full() { [ "$(galera_size galera1)" = 3 ]; }

galera_healthy() {
	local i
	for i in 1 2 3; do
		galera_ready "galera$i" || return 1
		[ "$(galera_size "galera$i")" = 3 ] || return 1
	done
}

galera_down() {
	my_stop_node galera3 galera2 galera1
	rm -rf "$DIR"/galera[123] "$DIR"/galera[123].args "$LOG"/galera*
}

galera_start() { # galera_start INDEX [ARGS...]
	local i=$1 k
	shift
	k=$((i - 1))
	my_start "galera$i" "${GALERA_SQL[$k]}" --server-id=$((10 + i)) --wsrep-on=ON --wsrep-provider="$GALERA_LIB" \
		--wsrep-cluster-name=kinglet --wsrep-cluster-address="$(galera_addr)" --wsrep-node-name="galera$i" \
		--wsrep-node-address="127.0.0.1:${GALERA_GCOMM[$k]}" \
		--wsrep-provider-options="gmcast.listen_addr=tcp://127.0.0.1:${GALERA_GCOMM[$k]};ist.recv_addr=127.0.0.1:${GALERA_IST[$k]};gcache.size=32M;gcs.fc_limit=64;evs.suspect_timeout=PT5S;evs.inactive_timeout=PT10S;pc.wait_prim_timeout=PT30S" \
		--wsrep-sst-method=rsync --wsrep-sst-receive-address="127.0.0.1:${GALERA_SST[$k]}" \
		--wsrep-slave-threads=2 --binlog-format=ROW --default-storage-engine=InnoDB --innodb-autoinc-lock-mode=2 \
		"$@"
}

galera_wait_ready() { # galera_wait_ready NAME SECONDS
	wait_until "$2" "$1" galera_ready "$1" || {
		tail -n 40 "$LOG/$1.err" >&2
		die "Galera node $1 is not ready (wsrep_ready) after $2 s"
	}
}

galera_up() {
	if galera_healthy; then
		log "Galera nodes :${GALERA_SQL[0]} :${GALERA_SQL[1]} :${GALERA_SQL[2]} are running"
		return
	fi
	galera_down
	find_galera || die "no libgalera_smm.so"
	for p in "${GALERA_GCOMM[@]}" "${GALERA_IST[@]}" "${GALERA_SST[@]}"; do
		port_free "$p" || die "port $p is taken (set KINGLET_REPLICAS_PORT)"
	done
	mkrun
	log "Galera: bootstrapping galera1"
	my_init galera1
	install -d -o mysql -g mysql -m 0750 "$DIR/galera2" "$DIR/galera3" # filled by SST
	galera_start 1 --wsrep-new-cluster
	galera_wait_ready galera1 90
	my_users galera1 # replicated to the joiners by their SST
	my_cli galera1 -e 'CREATE DATABASE IF NOT EXISTS test'
	local i
	for i in 2 3; do
		log "Galera: galera$i joins (rsync SST)"
		galera_start "$i"
		galera_wait_ready "galera$i" 120
	done
	wait_until 60 "cluster of 3" galera_full || die "the Galera cluster did not reach 3 nodes"
	# The first node's start argument must not be given again on a restart.
	sed -i '/^--wsrep-new-cluster$/d' "$DIR/galera1.args"
	log "Galera nodes :${GALERA_SQL[0]} :${GALERA_SQL[1]} :${GALERA_SQL[2]} are up"
}

# ---------------------------------------------------------------------------

print_env() {
	local g="" p
	for p in "${GALERA_SQL[@]}"; do g+="${g:+,}mysql://root@127.0.0.1:$p/test"; done
	cat <<-EOF
		export KINGLET_PG_PRIMARY_URL='postgres://postgres@127.0.0.1:$PG_PRIMARY_PORT/test?sslmode=disable'
		export KINGLET_PG_REPLICA_URL='postgres://postgres@127.0.0.1:$PG_REPLICA_PORT/test?sslmode=disable'
		export KINGLET_MY_PRIMARY_URL='mysql://root@127.0.0.1:$MY_PRIMARY_PORT/test'
		export KINGLET_MY_REPLICA_URL='mysql://root@127.0.0.1:$MY_REPLICA_PORT/test'
		export KINGLET_GALERA_URLS='$g'
		export KINGLET_REPLICAS_SCRIPT='$SCRIPT'
	EOF
}

cmd=${1:-}
case $cmd in
up)
	install_missing
	mkrun
	# The three groups start side by side; each says what failed.
	pg_up &
	pids=($!)
	my_up &
	pids+=($!)
	galera_up &
	pids+=($!)
	failed=0
	for pid in "${pids[@]}"; do
		wait "$pid" || failed=1
	done
	[ "$failed" = 0 ] || die "up failed (see above); scripts/replicas.sh down removes what started"
	print_env
	log "ready"
	;;
env)
	find_pgbin || true
	pg_healthy && my_healthy && galera_healthy || die "not running: run $0 up"
	print_env
	;;
down)
	find_pgbin || true
	galera_down &
	my_down &
	pg_down &
	wait
	rm -rf "$RUN" "$LOG"
	rmdir "$DIR" 2>/dev/null || true
	log "stopped and removed"
	;;
stop | start)
	node=${2:-}
	find_pgbin || die "no PostgreSQL binaries"
	case $cmd/$node in
	stop/pg-replica) pg_stop_node pg-replica immediate ;;
	start/pg-replica)
		pg_start_node pg-replica
		;;
	stop/my-replica)
		pid=$(cat "$RUN/my-replica.pid" 2>/dev/null) || die "my-replica is not running"
		kill -KILL "$pid"
		while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
		;;
	start/my-replica) my_restart my-replica ;;
	*) die "usage: $0 $cmd pg-replica|my-replica" ;;
	esac
	;;
*)
	die "usage: $0 up|env|down|stop NODE|start NODE"
	;;
esac
