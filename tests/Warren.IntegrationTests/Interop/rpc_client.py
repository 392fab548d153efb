#!/usr/bin/env python
# rpc_client.py of RabbitMQ tutorial six, "Remote procedure call (RPC)", as the official tutorial writes it for pika 1.x
# (https://www.rabbitmq.com/tutorials/tutorial-six-python, source
# https://github.com/rabbitmq/rabbitmq-tutorials/blob/main/python/rpc_client.py, Apache License 2.0).
#
# Changed for Warren's interop tests (tests/Warren.IntegrationTests/RpcInteropTests.cs), and only so; every change is
# marked "changed":
#  - The broker is $WARREN_AMQP_URI when set (pika.URLParameters), else localhost as in the tutorial, so that the
#    tests can run against any broker.
#  - n comes from the command line (python rpc_client.py 30; 30 without one) instead of being fixed at 30. The result
#    is printed on one line, " [.] Got 832040", as in the tutorial; then the client closes its connection and exits.
# Like the tutorial's, it waits for the reply for ever: the test that runs it gives up and kills it after a while.
import os  # changed
import sys  # changed

import pika
import uuid


class FibonacciRpcClient(object):

    def __init__(self):
        url = os.environ.get('WARREN_AMQP_URI')  # changed
        self.connection = pika.BlockingConnection(
            pika.URLParameters(url) if url else  # changed
            pika.ConnectionParameters(host='localhost'))

        self.channel = self.connection.channel()

        result = self.channel.queue_declare(queue='', exclusive=True)
        self.callback_queue = result.method.queue

        self.channel.basic_consume(
            queue=self.callback_queue,
            on_message_callback=self.on_response,
            auto_ack=True)

        self.response = None
        self.corr_id = None

    def on_response(self, ch, method, props, body):
        if self.corr_id == props.correlation_id:
            self.response = body

    def call(self, n):
        self.response = None
        self.corr_id = str(uuid.uuid4())
        self.channel.basic_publish(
            exchange='',
            routing_key='rpc_queue',
            properties=pika.BasicProperties(
                reply_to=self.callback_queue,
                correlation_id=self.corr_id,
            ),
            body=str(n))
        while self.response is None:
            self.connection.process_data_events(time_limit=None)
        return int(self.response)


n = int(sys.argv[1]) if len(sys.argv) > 1 else 30  # changed

fibonacci_rpc = FibonacciRpcClient()

print(f" [x] Requesting fib({n})")  # changed: n instead of 30
response = fibonacci_rpc.call(n)  # changed: n instead of 30
print(f" [.] Got {response}")
fibonacci_rpc.connection.close()  # changed
