#!/usr/bin/env python3
"""Publishes a JSON body to a queue with the AMQP type property set, as another team's pika service would.

usage: pika_send_typed.py QUEUE TYPE BODY
"""
import os
import sys

import pika

url = os.environ.get("WARREN_AMQP_URI") or "amqp://guest:guest@localhost:5672/"
queue, message_type, body = sys.argv[1], sys.argv[2], sys.argv[3]
connection = pika.BlockingConnection(pika.URLParameters(url))
channel = connection.channel()
channel.basic_publish(
    exchange="",
    routing_key=queue,
    body=body,
    properties=pika.BasicProperties(content_type="application/json", type=message_type),
)
print(" [x] Sent %r as %r" % (body, message_type))
connection.close()
