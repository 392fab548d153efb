using System;
using System.Threading;
using System.Threading.Tasks;

namespace Warren.Samples;

/// <summary>
/// Tutorial six: remote procedure call. The client sends <c>n</c> to the queue 'rpc_queue' with a reply-to and a
/// correlation id; a server computes fib(n) and replies. The generator turns this interface into the client proxy that
/// <see cref="Bus.CreateClient{TService}"/> returns and the dispatcher that <see cref="Bus.ServeAsync{TService}"/> runs.
/// On the wire the request body is the bare number (<c>30</c>) and the reply the bare result (<c>832040</c>), as the
/// tutorial's <c>str(n)</c> and <c>str(fib(n))</c>, so the tutorial's Python client and server work with it too.
/// </summary>
[RpcService(FibonacciService.QueueName)]
public interface IFibonacci
{
    /// <summary>The n-th Fibonacci number; the method is called <c>Fib</c> on the wire.</summary>
    [RpcMethod]
    Task<long> FibAsync(int n, CancellationToken cancellationToken = default);
}

/// <summary>
/// The tutorial's rpc_server.py: prints <c> [.] fib(n)</c> for each request and computes it with the tutorial's
/// recursive function, "probably the slowest recursive implementation possible", which is fine up to n = 30 or so.
/// </summary>
public sealed class FibonacciService(Action<string>? output = null) : IFibonacci
{
    /// <summary>The queue the tutorial's rpc_server.py consumes and rpc_client.py sends to.</summary>
    public const string QueueName = "rpc_queue";

    private readonly Action<string> _output = output ?? Console.WriteLine;

    /// <inheritdoc/>
    public Task<long> FibAsync(int n, CancellationToken cancellationToken = default)
    {
        // The tutorial assumes valid input; a negative n would recurse until the stack overflows and take the server down.
        // Throwing instead sends the caller an error reply (an RpcException on a Warren client).
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        _output($" [.] fib({n})");
        return Task.FromResult(Fib(n));
    }

    /// <summary>The tutorial's <c>fib</c>.</summary>
    public static long Fib(int n) => n switch
    {
        0 => 0,
        1 => 1,
        _ => Fib(n - 1) + Fib(n - 2),
    };
}
