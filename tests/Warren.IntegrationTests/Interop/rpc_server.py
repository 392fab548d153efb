#!/usr/bin/env python
# rpc_server.py of RabbitMQ tutorial six, "Remote procedure call (RPC)", as the official tutorial writes it for pika 1.x
# (https://www.rabbitmq.com/tutorials/tutorial-six-python, source
# https://github.com/rabbitmq/rabbitmq-tutorials/blob/main/python/rpc_server.py, Apache License 2.0).
#
# Changed for Warren's interop tests (tests/Warren.IntegrationTests/RpcInteropTests.cs), and only so; every change is
# marked "changed":
#  - The broker is $WARREN_AMQP_URI when set (pika.URLParameters), else localhost as in the tutorial, so that the
#    tests can run against any broker.
#  - The server exits by itself: after it has answered one request (stop_consuming in on_request), or with exit code 1
#    after TIMEOUT seconds without one (call_later), so that a test never leaves it running, even when it fails.
import os  # changed
import sys  # changed

import pika

TIMEOUT = 30  # changed: seconds to wait for a request

url = os.environ.get('WARREN_AMQP_URI')  # changed
connection = pika.BlockingConnection(
    pika.URLParameters(url) if url else  # changed
    pika.ConnectionParameters(host='localhost'))

channel = connection.channel()

channel.queue_declare(queue='rpc_queue')

def fib(n):
    if n == 0:
        return 0
    elif n == 1:
        return 1
    else:
        return fib(n - 1) + fib(n - 2)

def on_request(ch, method, props, body):
    n = int(body)

    print(f" [.] fib({n})")
    response = fib(n)

    ch.basic_publish(exchange='',
                     routing_key=props.reply_to,
                     properties=pika.BasicProperties(correlation_id = \
                                                         props.correlation_id),
                     body=str(response))
    ch.basic_ack(delivery_tag=method.delivery_tag)
    ch.stop_consuming()  # changed: one request is all a test sends

timed_out = False  # changed

def on_timeout():  # changed
    global timed_out
    timed_out = True
    print(f" [!] No request within {TIMEOUT} s")
    channel.stop_consuming()

channel.basic_qos(prefetch_count=1)
channel.basic_consume(queue='rpc_queue', on_message_callback=on_request)
connection.call_later(TIMEOUT, on_timeout)  # changed

print(" [x] Awaiting RPC requests")
channel.start_consuming()
connection.close()  # changed
sys.exit(1 if timed_out else 0)  # changed
