#!/usr/bin/env bash
# A three-node RabbitMQ cluster on this one machine, for the tests that need a cluster (quorum queue leader fail-over,
# a node crashing under a client). It never touches the shared broker (rabbit@<host>, port 5672).
#
#   scripts/cluster.sh start           fresh cluster: wipes the base dir, starts c1, joins c2 and c3 to it, prints the URIs
#   scripts/cluster.sh stop            stops the three nodes and removes the base dir
#   scripts/cluster.sh kill NODE       SIGKILL of that node's Erlang VM, as a crash would (NODE: 1|2|3 or c1|c2|c3)
#   scripts/cluster.sh restart NODE    starts a killed or stopped node on its data dir; it rejoins the cluster
#   scripts/cluster.sh status          which nodes run, and their AMQP ports
#
# Nodes are warren-c1@localhost, warren-c2@localhost and warren-c3@localhost. Environment:
#   WARREN_CLUSTER_PORTS  the three AMQP ports, default "5681 5682 5683"; each node's distribution port is its AMQP port + 20000
#   WARREN_CLUSTER_DIR    base dir of the nodes' data and logs, default /tmp/warren-cluster
#   WARREN_CLUSTER_TIMEOUT seconds any wait may take before failing, default 90
# The nodes share the Erlang cookie of the 'rabbitmq' user (/var/lib/rabbitmq/.erlang.cookie), which all of them and
# rabbitmqctl run as, and the machine's epmd (port 4369).
set -euo pipefail

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

read -r -a PORTS <<<"${WARREN_CLUSTER_PORTS:-5681 5682 5683}"
if [ "${#PORTS[@]}" -ne 3 ]; then
  echo "cluster: WARREN_CLUSTER_PORTS must name three ports, not '${WARREN_CLUSTER_PORTS:-}'" >&2
  exit 2
fi
BASE="${WARREN_CLUSTER_DIR:-/tmp/warren-cluster}"
TIMEOUT="${WARREN_CLUSTER_TIMEOUT:-90}"
HOST=localhost
NODES=(1 2 3)

say() { echo "cluster: $*"; }
fail() { echo "cluster: $*" >&2; exit 1; }

node_name() { echo "warren-c$1@$HOST"; }
node_port() { echo "${PORTS[$(($1 - 1))]}"; }
node_dir() { echo "$BASE/c$1"; }
node_uri() { echo "amqp://guest:guest@127.0.0.1:$(node_port "$1")/"; }

# NODE argument: 1, 2, 3, c1, c2, c3 or the full node name.
parse_node() {
  case "${1:-}" in
    1|c1|warren-c1|"warren-c1@$HOST") echo 1 ;;
    2|c2|warren-c2|"warren-c2@$HOST") echo 2 ;;
    3|c3|warren-c3|"warren-c3@$HOST") echo 3 ;;
    *) fail "unknown node '${1:-}': use 1, 2, 3 or c1, c2, c3" ;;
  esac
}

# The environment that makes rabbitmq-server and rabbitmqctl see node $1 rather than the shared one. sudo drops the
# caller's environment, so it goes on the command line through env; the Debian wrapper's 'su rabbitmq' keeps it.
node_env() {
  local n=$1 dir port
  dir=$(node_dir "$n")
  port=$(node_port "$n")
  echo RABBITMQ_NODENAME="$(node_name "$n")" \
    RABBITMQ_USE_LONGNAME=false \
    RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
    RABBITMQ_NODE_PORT="$port" \
    RABBITMQ_DIST_PORT=$((port + 20000)) \
    RABBITMQ_MNESIA_BASE="$dir/mnesia" \
    RABBITMQ_LOG_BASE="$dir/log" \
    RABBITMQ_PID_FILE="$dir/node.pid" \
    RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" \
    RABBITMQ_CONFIG_FILE="$dir/rabbitmq"
}

# The VM's command line carries no node name (3.10 starts distribution from inside), so a marker argument lets pgrep
# tell this cluster's VMs apart from the shared node and other private nodes.
marker() { echo "-warren_cluster_node warren-c$1"; }

ctl() {
  local n=$1
  shift
  # shellcheck disable=SC2046
  as_root env $(node_env "$n") timeout "$TIMEOUT" rabbitmqctl -n "$(node_name "$n")" "$@"
}

# ctl that shows its output only when it fails: start_app logs harmless errors while the node is coming up.
quiet_ctl() {
  local n=$1 output
  shift
  output=$(ctl "$n" -q "$@" 2>&1) || fail "rabbitmqctl -n $(node_name "$n") $* failed: $output"
}

# Pids of node $1's Erlang VM (beam.smp), if it runs.
vm_pids() { pgrep -f -- "beam.smp.*$(marker "$1")( |\$)" || true; }

is_up() { [ -n "$(vm_pids "$1")" ]; }

ensure_installed() {
  if command -v rabbitmq-server >/dev/null 2>&1 || [ -x /usr/sbin/rabbitmq-server ]; then
    return
  fi
  say "installing rabbitmq-server from the OS packages"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q rabbitmq-server >/dev/null
  # The package's service starts the shared node; the cluster does not need it, but other tests do, so it stays.
}

# Nodes cluster only with the same Erlang cookie: all run as 'rabbitmq' with HOME /var/lib/rabbitmq, so they share
# its cookie file. On a fresh install no node has written it yet, and three booting side by side would each write
# their own: write it once first.
ensure_cookie() {
  local cookie=/var/lib/rabbitmq/.erlang.cookie
  as_root test -s "$cookie" && return
  say "writing the Erlang cookie $cookie"
  as_root sh -c "umask 077; head -c 48 /dev/urandom | base64 | tr -dc A-Za-z0-9 | head -c 20 > '$cookie'"
  as_root chown rabbitmq:rabbitmq "$cookie"
  as_root chmod 400 "$cookie"
}

# Starts node $1's VM on its data dir and waits until the broker application runs.
boot_node() {
  local n=$1 dir
  dir=$(node_dir "$n")
  # A killed node leaves its pid file behind; 'rabbitmqctl wait' would then watch the dead process.
  as_root rm -f "$dir/node.pid"
  # shellcheck disable=SC2046
  as_root env $(node_env "$n") \
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="$(marker "$n") -kernel inet_dist_use_interface {127,0,0,1}" \
    timeout "$TIMEOUT" rabbitmq-server -detached >/dev/null 2>&1 || true
  # 'wait' blocks until the pid file appears and the node has booted; await_startup alone returns early while the
  # node has not yet registered with epmd.
  if ! ctl "$n" -q wait "$dir/node.pid" --timeout "$TIMEOUT" >/dev/null 2>&1 \
    || ! ctl "$n" -q await_startup --timeout "$TIMEOUT" >/dev/null 2>&1; then
    fail "$(node_name "$n") did not start within ${TIMEOUT} s; see $dir/log/"
  fi
}

# Running nodes of the cluster as node $1 sees them, one a line.
running_nodes() {
  ctl "$1" -q cluster_status --formatter json 2>/dev/null | jq -r '.running_nodes[]' 2>/dev/null || true
}

# Waits until node $1 sees node $2 (or all three, without $2) running in the cluster.
await_running() {
  local seen=$1 wanted=${2:-} deadline=$((SECONDS + TIMEOUT)) running
  while :; do
    running=$(running_nodes "$seen")
    if [ -n "$wanted" ]; then
      grep -qx "$(node_name "$wanted")" <<<"$running" && return 0
    elif [ "$(grep -c '^warren-c[123]@' <<<"$running")" = 3 ]; then
      return 0
    fi
    [ "$SECONDS" -ge "$deadline" ] && fail "cluster_status on $(node_name "$seen") did not show ${wanted:+$(node_name "$wanted") }running within ${TIMEOUT} s; it shows: $(echo $running)"
    sleep 1
  done
}

# SIGKILL of node $1's VM and its children (erl_child_setup, inet_gethost); epmd is shared and stays.
kill_vm() {
  local n=$1 pids pid deadline=$((SECONDS + TIMEOUT))
  pids=$(vm_pids "$n")
  [ -z "$pids" ] && return 0
  for pid in $pids; do
    as_root pkill -KILL -P "$pid" 2>/dev/null || true
    as_root kill -KILL "$pid" 2>/dev/null || true
  done
  while is_up "$n"; do
    [ "$SECONDS" -ge "$deadline" ] && fail "$(node_name "$n") survived SIGKILL for ${TIMEOUT} s"
    sleep 0.1
  done
}

print_uris() {
  local n
  for n in "${NODES[@]}"; do
    echo "$(node_name "$n") $(node_uri "$n")"
  done
}

cmd_start() {
  local n started=$SECONDS up=0
  ensure_installed
  for n in "${NODES[@]}"; do is_up "$n" && up=$((up + 1)); done
  if [ "$up" = 3 ] && [ "$(running_nodes 1 | grep -c '^warren-c[123]@')" = 3 ]; then
    say "already running"
    print_uris
    return
  fi
  [ "$up" != 0 ] && { say "$up of 3 nodes up but not a whole cluster; starting afresh"; cmd_stop >/dev/null; }

  as_root rm -rf "$BASE"
  for n in "${NODES[@]}"; do
    local dir
    dir=$(node_dir "$n")
    as_root mkdir -p "$dir/mnesia" "$dir/log"
    echo "[]." | as_root tee "$dir/enabled_plugins" >/dev/null
    # No rabbitmq.conf lines needed: a quorum queue gets a member on every cluster node by default (3.10 has no
    # rabbitmq.conf key for the initial group size, only x-quorum-initial-group-size per queue).
    as_root touch "$dir/rabbitmq.conf"
  done
  # The server runs as the 'rabbitmq' user, which must own its data dir and reach it.
  as_root chown -R rabbitmq:rabbitmq "$BASE"
  as_root chmod 755 "$BASE"
  ensure_cookie

  # The three VMs boot side by side; c2 and c3 then leave their fresh one-node cluster for c1's.
  boot_node 1 &
  local p1=$!
  boot_node 2 &
  local p2=$!
  boot_node 3 &
  local p3=$!
  wait "$p1" && wait "$p2" && wait "$p3" || fail "a node did not start"
  say "3 nodes booted in $((SECONDS - started)) s; joining c2 and c3 to c1"
  for n in 2 3; do
    quiet_ctl "$n" stop_app
    quiet_ctl "$n" join_cluster "$(node_name 1)"
    quiet_ctl "$n" start_app
  done
  await_running 1
  say "started 3 nodes in $((SECONDS - started)) s"
  print_uris
}

cmd_stop() {
  local n deadline
  for n in "${NODES[@]}"; do
    if is_up "$n"; then
      ctl "$n" -q stop >/dev/null 2>&1 &
    fi
  done
  wait || true
  deadline=$((SECONDS + TIMEOUT))
  for n in "${NODES[@]}"; do
    while is_up "$n" && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.2; done
    # A node that ignored 'stop' (or hangs) goes the hard way: nothing of this cluster may stay behind.
    kill_vm "$n"
  done
  as_root rm -rf "$BASE"
  say "stopped"
}

cmd_kill() {
  local n
  n=$(parse_node "${1:-}")
  is_up "$n" || fail "$(node_name "$n") is not running"
  kill_vm "$n"
  say "killed $(node_name "$n")"
}

cmd_restart() {
  local n started=$SECONDS other
  n=$(parse_node "${1:-}")
  is_up "$n" && fail "$(node_name "$n") is running; kill it first"
  [ -d "$(node_dir "$n")/mnesia" ] || fail "$(node_name "$n") has no data dir; start the cluster first"
  boot_node "$n"
  # Asks a peer that runs when there is one: the cluster, not just the node, must see it back.
  other=$n
  for o in "${NODES[@]}"; do
    if [ "$o" != "$n" ] && is_up "$o"; then other=$o; break; fi
  done
  await_running "$other" "$n"
  say "restarted $(node_name "$n") in $((SECONDS - started)) s"
}

cmd_status() {
  local n running="" state
  for n in "${NODES[@]}"; do
    if is_up "$n"; then running=$(running_nodes "$n"); break; fi
  done
  for n in "${NODES[@]}"; do
    if ! is_up "$n"; then
      state=down
    elif grep -qx "$(node_name "$n")" <<<"$running"; then
      state=running
    else
      state="up (not running in the cluster)"
    fi
    echo "$(node_name "$n") port $(node_port "$n") $state"
  done
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  kill) cmd_kill "${2:-}" ;;
  restart) cmd_restart "${2:-}" ;;
  status) cmd_status ;;
  *) echo "usage: $0 start|stop|kill NODE|restart NODE|status   (NODE: 1|2|3 or c1|c2|c3)" >&2; exit 2 ;;
esac
