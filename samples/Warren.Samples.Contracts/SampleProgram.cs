using System;
using System.Threading;
using System.Threading.Tasks;
using RabbitMQ.Client.Exceptions;

namespace Warren.Samples;

/// <summary>What a sample program does once connected; <paramref name="stopping"/> fires on Ctrl+C.</summary>
public delegate Task SampleAction(Bus bus, CancellationToken stopping);

/// <summary>The shape every tutorial program shares: parse the command line, connect, run, stop on Ctrl+C.</summary>
public static class SampleProgram
{
    /// <summary>The exit code for a command line the program does not understand.</summary>
    public const int UsageExitCode = 2;

    /// <summary>
    /// Runs what <paramref name="parse"/> makes of the command line, or prints <paramref name="usage"/> and returns
    /// <see cref="UsageExitCode"/> when it returns null. Parsing comes first, so bad arguments never wait for a broker.
    /// </summary>
    /// <returns>The exit code: 0, 1 on a <see cref="IsBrokerFailure">broker failure</see>, or 2.</returns>
    public static async Task<int> RunAsync(string[] args, string usage, Func<string[], SampleAction?> parse)
    {
        if (args is ["-h" or "--help"])
        {
            Console.WriteLine(usage);
            return 0;
        }

        if (parse(args) is not { } action)
        {
            Console.Error.WriteLine(usage);
            return UsageExitCode;
        }

        try
        {
            await using SampleHost host = await SampleHost.StartAsync(AppDomain.CurrentDomain.FriendlyName);
            await action(host.Bus, host.Stopping);
            return 0;
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C before the action finished (while connecting or publishing): stopping is what the user asked for.
            return 0;
        }
        catch (Exception ex) when (IsBrokerFailure(ex))
        {
            Console.Error.WriteLine(ex.Message);
            return 1;
        }
    }

    /// <summary>
    /// Failures that deserve one line on standard error rather than a stack trace: no broker, a refused login or
    /// declaration, a connection or channel the broker closed, an RPC call that failed on its server
    /// (<see cref="RpcException"/>, a <see cref="WarrenException"/>) or that no server answered in time.
    /// </summary>
    public static bool IsBrokerFailure(Exception exception) =>
        exception is BrokerUnavailableException or WarrenException or OperationInterruptedException or TimeoutException;

    /// <summary>The words joined by spaces, or <paramref name="fallback"/> when there are none, as the tutorials'
    /// <c>' '.join(sys.argv[1:]) or "Hello World!"</c>.</summary>
    public static string TextOf(string[] words, string fallback = "Hello World!") =>
        words.Length > 0 ? string.Join(' ', words) : fallback;

    /// <summary>
    /// A receiver: starts the subscription <paramref name="subscribe"/> makes and keeps it running until Ctrl+C, then
    /// disposes it, which lets the message in hand finish and be acknowledged before the channel closes.
    /// </summary>
    public static SampleAction Receive(Func<Bus, Task<Subscription>> subscribe) => async (bus, stopping) =>
    {
        // Printed first because messages already waiting in the queue arrive as soon as the subscription starts.
        Console.WriteLine(" [*] Waiting for messages. To exit press CTRL+C");
        await using Subscription subscription = await subscribe(bus);
        try
        {
            await Task.Delay(Timeout.Infinite, stopping);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C: the normal way for a receiver to end.
        }
    };
}
