#!/usr/bin/env python3
"""Declares a quorum queue the way Warren's [Durable(QueueType.Quorum)] does, then publishes one JSON message to it.

RabbitMQ refuses (PRECONDITION_FAILED) a declaration whose arguments differ from the queue's, so this succeeds against a
queue Warren declared only if both declare it alike.

usage: pika_quorum.py QUEUE DELIVERY_LIMIT BODY
"""
import os
import sys

import pika

url = os.environ.get("WARREN_AMQP_URI") or "amqp://guest:guest@localhost:5672/"
queue, delivery_limit, body = sys.argv[1], int(sys.argv[2]), sys.argv[3]
connection = pika.BlockingConnection(pika.URLParameters(url))
channel = connection.channel()

# The error queue first: the broker drops what it dead-letters to a queue that does not exist.
channel.queue_declare(queue=queue + ".error", durable=True)
channel.queue_declare(queue=queue, durable=True, arguments={
    "x-queue-type": "quorum",
    "x-delivery-limit": delivery_limit,
    "x-dead-letter-exchange": "",
    "x-dead-letter-routing-key": queue + ".error",
})
channel.confirm_delivery()
channel.basic_publish(exchange="", routing_key=queue, body=body,
                      properties=pika.BasicProperties(content_type="application/json", delivery_mode=2))

print(" [x] Sent %r" % body)
connection.close()
