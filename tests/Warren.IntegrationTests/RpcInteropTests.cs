using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Warren.IntegrationTests.Infrastructure;
using Xunit;

namespace Warren.IntegrationTests;

/// <summary>Tutorial six's service, on the tutorial's queue: the request body is the bare n, the reply the bare fib(n).</summary>
[RpcService("rpc_queue")]
public interface IInteropFibonacci
{
    [RpcMethod] Task<long> FibAsync(int n, CancellationToken cancellationToken = default);
}

public sealed class InteropFibonacci : IInteropFibonacci
{
    public ConcurrentQueue<int> Requests { get; } = new();

    public Task<long> FibAsync(int n, CancellationToken cancellationToken = default)
    {
        Requests.Enqueue(n);
        long a = 0, b = 1;
        for (int i = 0; i < n; i++)
        {
            (a, b) = (b, a + b);
        }

        return Task.FromResult(a);
    }
}

/// <summary>
/// Warren's RPC against the official tutorial six programs (Interop/rpc_client.py and rpc_server.py, pika 1.x from the
/// OS packages), both ways. One class, so its tests never run at the same time on the tutorial's queue 'rpc_queue'.
/// </summary>
public sealed class RpcInteropTests
{
    private const string Python = "/usr/bin/python3";
    private const string Queue = "rpc_queue";
    private static readonly TimeSpan PythonTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_tutorial_python_client_gets_fib_30_from_a_Warren_server()
    {
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [Queue]);
        await using Bus bus = await Broker.ConnectAsync("rpc-interop-server");
        var service = new InteropFibonacci();
        await using (Subscription server = await bus.ServeAsync<IInteropFibonacci>(service, new ServeOptions { Prefetch = 1 }))
        {
            // The client sends body "30" with no type property and no content type; the service has one method, so Fib is called.
            string output = Infrastructure.Process.Run(
                Python, [ScriptPath("rpc_client.py"), "30"], PythonTimeout, new Dictionary<string, string> { ["WARREN_AMQP_URI"] = Broker.Uri.ToString() });

            Assert.Equal([" [x] Requesting fib(30)", " [.] Got 832040"], Lines(output));
        }

        Assert.Equal([30], service.Requests);
        Assert.Equal(0u, await raw.MessageCountAsync(Queue));   // acknowledged once the reply was out
    }

    [Theory]
    [InlineData(RpcReplyQueue.DirectReplyTo)]
    [InlineData(RpcReplyQueue.Private)]
    public async Task A_Warren_client_gets_fib_30_from_the_tutorial_python_server(RpcReplyQueue replyQueue)
    {
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [Queue]);

        using System.Diagnostics.Process server = StartPython("rpc_server.py");
        Task<string> errors = server.StandardError.ReadToEndAsync();
        try
        {
            // The server declares 'rpc_queue' non-durable, as the Warren client does for a service without [Durable].
            string? ready = await server.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20));
            Assert.True(ready == " [x] Awaiting RPC requests", $"rpc_server.py printed '{ready}': {await ErrorsOf(server, errors)}");

            await using (Bus bus = await Broker.ConnectAsync("rpc-interop-client"))
            {
                IInteropFibonacci client = bus.CreateClient<IInteropFibonacci>(new RpcClientOptions { Timeout = TimeSpan.FromSeconds(20), ReplyQueue = replyQueue });

                // The server does int(body) on Warren's "30" and replies str(fib(30)), "832040", which reads as a JSON number.
                Assert.Equal(832040L, await client.FibAsync(30));
            }

            Assert.Equal(" [.] fib(30)", await server.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.True(server.WaitForExit(TimeSpan.FromSeconds(10)), "rpc_server.py did not exit after its one request");
            Assert.True(server.ExitCode == 0, $"rpc_server.py exited with {server.ExitCode}: {await ErrorsOf(server, errors)}");
        }
        finally
        {
            if (!server.HasExited)
            {
                server.Kill(entireProcessTree: true);
            }
        }

        Assert.Equal(0u, await raw.MessageCountAsync(Queue));
    }

    private static string[] Lines(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.TrimEnd('\r')).ToArray();

    private static async Task<string> ErrorsOf(System.Diagnostics.Process process, Task<string> errors)
    {
        if (!process.HasExited)
        {
            return "(still running)";
        }

        return await errors.WaitAsync(TimeSpan.FromSeconds(5));
    }

    private static System.Diagnostics.Process StartPython(string script)
    {
        var info = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // Unbuffered, so that " [x] Awaiting RPC requests" reaches the test as soon as it is printed.
        info.ArgumentList.Add("-u");
        info.ArgumentList.Add(ScriptPath(script));
        info.Environment["WARREN_AMQP_URI"] = Broker.Uri.ToString();
        return System.Diagnostics.Process.Start(info)!;
    }

    private static string ScriptPath(string script) => Path.Combine(AppContext.BaseDirectory, "Interop", script);
}
