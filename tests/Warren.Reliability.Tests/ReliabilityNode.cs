using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace Warren.Reliability.Tests;

/// <summary>
/// The suite's private RabbitMQ node, shared by every test of the class (starting a node takes seconds); stopped and its
/// directory removed when the class is done, whatever the tests did to it. The bad-input and access runs each cover
/// several rows, so they run once and each row is its own test.
/// </summary>
public sealed class ReliabilityNode : IAsyncLifetime
{
    private readonly object _gate = new();
    private Action<string> _output = _ => { };
    private Task<IReadOnlyList<BadInputFigures>>? _badInput;
    private Task<IReadOnlyList<AccessFigures>>? _access;

    public ReliabilitySuite Suite { get; private set; } = null!;

    /// <summary>Sends the suite's progress to the running test's output.</summary>
    public void WriteTo(Action<string> output) => _output = output;

    public Task<IReadOnlyList<BadInputFigures>> BadInputAsync()
    {
        lock (_gate)
        {
            return _badInput ??= Suite.BadInputAsync(Deadline());
        }
    }

    public Task<IReadOnlyList<AccessFigures>> AccessAsync()
    {
        lock (_gate)
        {
            return _access ??= Suite.AccessAsync(Deadline());
        }
    }

    /// <summary>No scenario may take longer than this; a hang fails the test instead of the whole run.</summary>
    public static CancellationToken Deadline() => new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token;

    public async Task InitializeAsync() => Suite = await ReliabilitySuite.StartAsync(Progress);

    public async Task DisposeAsync()
    {
        if (Suite is not null)
        {
            await Suite.DisposeAsync();
        }
    }

    private void Progress(string line)
    {
        try
        {
            _output(line);
        }
        catch (InvalidOperationException)
        {
            // The test that was listening has finished.
        }
    }
}
