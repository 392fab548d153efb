// Tutorial six, "Remote procedure call (RPC)": the server answers fib(n) requests from queue 'rpc_queue', one at a time
// (prefetch 1, so that several servers share the load); the client sends one request, waits for its reply and exits.
using System;
using System.Threading;
using System.Threading.Tasks;
using Warren;
using Warren.Samples;

const string Usage = """
    Usage:
      Rpc server       answer fib(n) requests from queue 'rpc_queue' until Ctrl+C; start several to share them
      Rpc client [n]   request fib(n) (default 30), print the answer and exit; gives up after 30 s without a reply
    Example:
      Rpc server
      Rpc client 30
    The broker is $WARREN_AMQP_URI, else amqp://guest:guest@localhost:5672/.
    """;

return await SampleProgram.RunAsync(args, Usage, static args => args switch
{
    ["server"] => Serve(),
    ["client"] => Call(30),
    ["client", var n] when int.TryParse(n, out int number) => Call(number),
    _ => null,
});

// The tutorial's rpc_server.py. Prefetch 1 is its basic_qos(prefetch_count=1): a server busy with a request is not handed
// another, which goes to an idle server instead. Each request is acknowledged once its reply is sent.
static SampleAction Serve() => async (bus, stopping) =>
{
    // Printed first because requests already waiting in the queue arrive as soon as the server starts.
    Console.WriteLine(" [x] Awaiting RPC requests");
    await using Subscription server = await bus.ServeAsync<IFibonacci>(new FibonacciService(), new ServeOptions { Prefetch = 1 }, stopping);
    try
    {
        await Task.Delay(Timeout.Infinite, stopping);
    }
    catch (OperationCanceledException)
    {
        // Ctrl+C: disposing the subscription stops taking requests and finishes the one in hand.
    }
};

// The tutorial's rpc_client.py. The proxy sends the request with a correlation id and a reply-to (RabbitMQ's direct
// reply-to, not a queue of its own) and waits for the matching reply; without one in 30 s it throws TimeoutException,
// and the request expires in the queue instead of being computed for nobody.
static SampleAction Call(int n) => async (bus, stopping) =>
{
    IFibonacci fibonacci = bus.CreateClient<IFibonacci>();
    Console.WriteLine($" [x] Requesting fib({n})");
    long response = await fibonacci.FibAsync(n, stopping);
    Console.WriteLine($" [.] Got {response}");
};
