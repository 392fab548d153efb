#!/usr/bin/env python3
"""Publishes one JSON message with W3C trace context headers, the way a traced Python service would.

usage: pika_traceparent.py QUEUE TYPE BODY TRACEPARENT [TRACESTATE]
       (default exchange, routing key = queue name; content_type application/json, type TYPE)
"""
import os
import sys

import pika

queue, message_type, body, traceparent = sys.argv[1:5]
headers = {"traceparent": traceparent}
if len(sys.argv) > 5:
    headers["tracestate"] = sys.argv[5]

url = os.environ.get("WARREN_AMQP_URI") or "amqp://guest:guest@localhost:5672/"
connection = pika.BlockingConnection(pika.URLParameters(url))
channel = connection.channel()
channel.basic_publish(
    exchange="",
    routing_key=queue,
    body=body,
    properties=pika.BasicProperties(content_type="application/json", type=message_type, headers=headers),
)
print(" [x] Sent %r with traceparent %r" % (body, traceparent))
connection.close()
