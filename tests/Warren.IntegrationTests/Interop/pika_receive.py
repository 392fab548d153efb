#!/usr/bin/env python3
"""Receives like the tutorials' receive.py and prints what it got as one JSON line.

usage: pika_receive.py NAME    (declares the queue as receive.py does, waits up to 20 s for one message)
"""
import json
import os
import sys

import pika

url = os.environ.get("WARREN_AMQP_URI") or "amqp://guest:guest@localhost:5672/"
connection = pika.BlockingConnection(pika.URLParameters(url))
channel = connection.channel()
queue = sys.argv[1]
channel.queue_declare(queue=queue)
print(" [*] Waiting for messages.", flush=True)

for method, properties, body in channel.consume(queue, inactivity_timeout=20):
    if method is None:
        print(json.dumps({"error": "timeout"}), flush=True)
        sys.exit(1)
    channel.basic_ack(method.delivery_tag)
    headers = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in (properties.headers or {}).items()}
    print(json.dumps({
        "body": body.decode("utf-8"),
        "routing_key": method.routing_key,
        "content_type": properties.content_type,
        "delivery_mode": properties.delivery_mode,
        "type": properties.type,
        "message_id": properties.message_id,
        "timestamp": properties.timestamp,
        "headers": headers,
    }), flush=True)
    break

channel.cancel()
connection.close()
