#!/usr/bin/env python3
"""Publishes like the tutorials' send.py / emit_log_topic.py: plain pika, no Warren envelope.

usage: pika_send.py queue NAME BODY             (default exchange, routing key = queue name)
       pika_send.py topic EXCHANGE KEY BODY     (topic exchange)
"""
import os
import sys

import pika

url = os.environ.get("WARREN_AMQP_URI") or "amqp://guest:guest@localhost:5672/"
connection = pika.BlockingConnection(pika.URLParameters(url))
channel = connection.channel()

if sys.argv[1] == "queue":
    queue, body = sys.argv[2], sys.argv[3]
    channel.queue_declare(queue=queue)
    channel.basic_publish(exchange="", routing_key=queue, body=body)
else:
    exchange, key, body = sys.argv[2], sys.argv[3], sys.argv[4]
    channel.exchange_declare(exchange=exchange, exchange_type="topic")
    channel.basic_publish(exchange=exchange, routing_key=key, body=body)

print(" [x] Sent %r" % body)
connection.close()
