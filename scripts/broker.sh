#!/usr/bin/env bash
# Makes sure a RabbitMQ broker answers on localhost:5672, installing it from the OS packages when it is missing.
# Also installs python3-pika, which the interop tests run with /usr/bin/python3 as the tutorials do.
# With WARREN_AMQP_URI pointing at another host, no local broker is started.
set -euo pipefail

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v rabbitmq-server >/dev/null 2>&1 || ! /usr/bin/python3 -c 'import pika' >/dev/null 2>&1; then
  echo "broker: installing rabbitmq-server and python3-pika from the OS packages"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q rabbitmq-server python3-pika >/dev/null
fi

case "${WARREN_AMQP_URI:-}" in
  ""|*@localhost*|*@127.0.0.1*|amqp://localhost*|amqp://127.0.0.1*) ;;
  *) echo "broker: using WARREN_AMQP_URI (not starting a local broker)"; exit 0 ;;
esac

if as_root rabbitmqctl -q await_startup --timeout 5 >/dev/null 2>&1; then
  echo "broker: running"
  exit 0
fi

echo "broker: starting rabbitmq-server"
as_root rabbitmq-server -detached >/dev/null 2>&1 || true
# await_startup returns at once while the node has not yet registered, so poll until it answers.
for _ in $(seq 1 90); do
  if as_root rabbitmqctl -q await_startup --timeout 5 >/dev/null 2>&1; then
    echo "broker: started"
    exit 0
  fi
  sleep 1
done
echo "broker: rabbitmq-server did not start; see /var/log/rabbitmq/" >&2
exit 1
