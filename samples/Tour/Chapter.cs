using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace Warren.Samples.Tour;

/// <summary>
/// One tutorial of the tour: starts its consumers, publishes its messages, waits (until a deadline, never a fixed
/// sleep) for what the consumers should get, then reports what they got. Disposing it stops the consumers.
/// </summary>
internal sealed class Chapter(Bus bus, CancellationToken stopping) : IAsyncDisposable
{
    /// <summary>Far more than a chapter needs (about a second), yet short enough to keep a failing tour brief.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<Subscription> _subscriptions = [];
    private readonly List<Recorder> _consumers = [];
    private readonly List<string> _failures = [];

    public bool Passed => _failures.Count == 0;

    /// <summary>Subscribes a consumer whose printed lines go to a new recorder.</summary>
    public async Task<Recorder> StartAsync<TConsumer>(string name, Func<Action<string>, TConsumer> create, SubscribeOptions? options = null)
        where TConsumer : class
    {
        var recorder = new Recorder(name);
        _subscriptions.Add(await bus.SubscribeAsync(create(recorder.Write), options, stopping));
        _consumers.Add(recorder);
        return recorder;
    }

    /// <summary>Serves an RPC service; what the implementation prints goes to a new recorder.</summary>
    public async Task<Recorder> ServeAsync<TService>(string name, Func<Action<string>, TService> create, ServeOptions? options = null)
        where TService : class
    {
        var recorder = new Recorder(name);
        _subscriptions.Add(await bus.ServeAsync(create(recorder.Write), options, stopping));
        _consumers.Add(recorder);
        return recorder;
    }

    /// <summary>A client proxy of an RPC service, with a timeout within the chapter's deadline.</summary>
    public TService CreateClient<TService>()
        where TService : class =>
        bus.CreateClient<TService>(new RpcClientOptions { Timeout = Deadline });

    /// <summary>A recorder for what the chapter itself prints, such as an RPC client's lines; reported like the consumers'.</summary>
    public Recorder Record(string name)
    {
        var recorder = new Recorder(name);
        _consumers.Add(recorder);
        return recorder;
    }

    /// <summary>Fires when the tour is interrupted.</summary>
    public CancellationToken Stopping => stopping;

    public async Task PublishAsync<TMessage>(TMessage message)
    {
        await bus.PublishAsync(message, cancellationToken: stopping);
        Console.WriteLine($"  published {message}");
    }

    /// <summary>Waits until the consumer printed as many lines as expected, then checks they are these lines.</summary>
    public async Task ExpectAsync(Recorder consumer, params string[] lines)
    {
        await WaitUntilAsync(() => consumer.Count >= lines.Length);
        Check($"{consumer.Name} to print [{string.Join(" | ", lines)}], got [{string.Join(" | ", consumer.Lines)}]", consumer.Lines.SequenceEqual(lines));
    }

    /// <summary>Waits until <paramref name="condition"/> holds; a failure if it still does not at the deadline.</summary>
    public async Task ExpectAsync(string expectation, Func<bool> condition) => Check(expectation, await WaitUntilAsync(condition));

    /// <summary>Records <paramref name="expectation"/> as failed unless <paramref name="holds"/>.</summary>
    public void Check(string expectation, bool holds)
    {
        if (!holds)
        {
            _failures.Add(expectation);
        }
    }

    /// <summary>Prints what each consumer got and which expectations failed.</summary>
    public void Report()
    {
        foreach (Recorder consumer in _consumers)
        {
            Console.WriteLine($"  {consumer.Name} got:");
            foreach (string line in consumer.Lines)
            {
                Console.WriteLine($"    {line}");
            }
        }

        Console.WriteLine(Passed ? $"  ok ({_clock.ElapsedMilliseconds} ms)" : "  FAILED, expected: " + string.Join("; ", _failures));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (Subscription subscription in _subscriptions)
        {
            await subscription.DisposeAsync();
        }
    }

    private async Task<bool> WaitUntilAsync(Func<bool> condition)
    {
        while (!condition())
        {
            if (_clock.Elapsed > Deadline)
            {
                return false;
            }

            await Task.Delay(10, stopping);
        }

        return true;
    }
}
