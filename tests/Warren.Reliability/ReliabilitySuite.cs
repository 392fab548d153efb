using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Warren.IntegrationTests.Infrastructure;

namespace Warren.Reliability;

/// <summary>
/// The fault-injection suite: one private RabbitMQ node on its own port (never the shared broker), restarted or killed
/// by the scenarios that need it, and one method per scenario returning its figures. Dispose it to stop the node and
/// remove its directory.
/// </summary>
public sealed class ReliabilitySuite : IAsyncDisposable
{
    /// <summary>The fault scenarios, in the order of the table.</summary>
    public static readonly IReadOnlyList<string> FaultScenarios =
    [
        CloseAllConnections, GracefulRestart, KillAndRestart, BrokerFrozen, OutageBeyondPublishTimeout, ConsumerProcessKilled, ConsumerChannelError, ResourceAlarm,
        StartWhileBrokerDown,
    ];

    /// <summary>The bad-input rows, in table order.</summary>
    public static IReadOnlyList<string> BadInputRows => BadInput.RowNames;

    /// <summary>The credentials and permission cases, in table order.</summary>
    public static IReadOnlyList<string> AccessCases => Access.CaseNames;

    /// <summary>Scenario: the broker closes every connection mid-stream.</summary>
    public const string CloseAllConnections = "broker closes all connections";

    /// <summary>Scenario: <c>stop_app</c> then <c>start_app</c>.</summary>
    public const string GracefulRestart = "graceful broker restart";

    /// <summary>Scenario: the broker's VM killed with SIGKILL and started again on its data.</summary>
    public const string KillAndRestart = "broker killed (SIGKILL) and restarted";

    /// <summary>Scenario: the broker frozen (SIGSTOP) with its connections open, so that only heartbeats notice.</summary>
    public const string BrokerFrozen = "broker frozen (SIGSTOP): silent stall";

    /// <summary>Scenario: the broker stays down longer than <see cref="BusOptions.PublishTimeout"/>, so publishes give up.</summary>
    public const string OutageBeyondPublishTimeout = "outage longer than PublishTimeout";

    /// <summary>Scenario: a consumer process killed with SIGKILL while it holds unacknowledged messages.</summary>
    public const string ConsumerProcessKilled = "consumer process killed mid-batch";

    /// <summary>Scenario: the consumer's channel closed by a channel-level error while the connection stays up.</summary>
    public const string ConsumerChannelError = "channel error on the consumer channel";

    /// <summary>Scenario: a disk alarm blocks publishers, then clears.</summary>
    public const string ResourceAlarm = "resource alarm blocks publishers";

    /// <summary>Scenario: the application starts while the broker is down.</summary>
    public const string StartWhileBrokerDown = "app started while the broker is down";

    private readonly PrivateBroker _node;

    private ReliabilitySuite(PrivateBroker node, Action<string> progress)
    {
        _node = node;
        Progress = progress;
    }

    /// <summary>Where the suite says what it is doing (stderr for the command line, the test output in tests).</summary>
    public Action<string> Progress { get; set; }

    /// <summary>The private node's port.</summary>
    public int Port => _node.Port;

    /// <summary>Starts the private node (a few seconds).</summary>
    public static async Task<ReliabilitySuite> StartAsync(Action<string> progress)
    {
        progress("starting a private RabbitMQ node");
        PrivateBroker node = await PrivateBroker.StartAsync();
        progress($"private node {node.NodeName} on port {node.Port}");
        return new ReliabilitySuite(node, progress);
    }

    /// <summary>Runs the named fault scenario.</summary>
    public Task<FaultFigures> RunFaultAsync(string scenario, CancellationToken cancellationToken) => scenario switch
    {
        CloseAllConnections => CloseAllConnectionsAsync(cancellationToken),
        GracefulRestart => GracefulRestartAsync(cancellationToken),
        KillAndRestart => KillAndRestartAsync(cancellationToken),
        BrokerFrozen => BrokerFrozenAsync(cancellationToken),
        OutageBeyondPublishTimeout => OutageBeyondPublishTimeoutAsync(cancellationToken),
        ConsumerProcessKilled => ConsumerProcessKilledAsync(cancellationToken),
        ConsumerChannelError => ConsumerChannelErrorAsync(cancellationToken),
        ResourceAlarm => ResourceAlarmAsync(cancellationToken),
        StartWhileBrokerDown => StartWhileBrokerDownAsync(cancellationToken),
        _ => throw new ArgumentException($"Unknown scenario '{scenario}'; the scenarios are: {string.Join(", ", FaultScenarios)}.", nameof(scenario)),
    };

    /// <summary>Every scenario, bad input and access case, in table order.</summary>
    public async Task<Report> RunAllAsync(Func<string, bool> include, CancellationToken cancellationToken)
    {
        var report = new Report();
        foreach (string scenario in FaultScenarios.Where(include))
        {
            FaultFigures figures = await RunFaultAsync(scenario, cancellationToken);
            Progress(figures.Describe());
            report.Faults.Add(figures);
        }

        if (include("bad input"))
        {
            report.BadInput.AddRange(await BadInputAsync(cancellationToken));
        }

        if (include("access"))
        {
            report.Access.AddRange(await AccessAsync(cancellationToken));
        }

        return report;
    }

    /// <summary><c>rabbitmqctl close_all_connections</c> while publishers and a consumer are busy.</summary>
    public Task<FaultFigures> CloseAllConnectionsAsync(CancellationToken cancellationToken) => RunAsync(
        CloseAllConnections,
        "rabbitmqctl close_all_connections",
        new FaultRunSettings(),
        async (run, ct) =>
        {
            run.MarkFault();
            await Task.Run(() => _node.CloseAllConnections("reliability suite: close_all_connections"), ct);
            run.MarkHealed();
        },
        run =>
        {
            foreach ((CapturingLoggerFactory logs, string bus) in new[] { (run.PublisherLogs, "publisher"), (run.ConsumerLogs, "consumer") })
            {
                run.RequireLog(logs, bus, 3, "connection lost", containing: "CONNECTION_FORCED");
                run.RequireLog(logs, bus, 4, "connection recovered");
                run.RequireEvent($"{bus}: lost", containing: "CONNECTION_FORCED");
                run.RequireEvent($"{bus}: recovered");
            }
        },
        cancellationToken);

    /// <summary><c>rabbitmqctl stop_app</c>, 2 s down, <c>start_app</c>.</summary>
    public Task<FaultFigures> GracefulRestartAsync(CancellationToken cancellationToken) => RunAsync(
        GracefulRestart,
        "rabbitmqctl stop_app; 2 s; start_app",
        new FaultRunSettings(),
        async (run, ct) =>
        {
            run.MarkFault();
            await Task.Run(_node.StopApp, ct);
            await Task.Delay(TimeSpan.FromSeconds(2), ct);
            await StartAndMarkHealedAsync(run, () => Task.Run(_node.StartApp), ct);
        },
        run =>
        {
            run.RequireLog(run.PublisherLogs, "publisher", 3, "connection lost", containing: "shutdown");
            run.RequireLog(run.PublisherLogs, "publisher", 4, "connection recovered");
            run.RequireEvent("publisher: recovered");
            run.RequireEvent("consumer: recovered");
        },
        cancellationToken);

    /// <summary>SIGKILL of the node's VM, 1 s down, then the node started again on the same data directory.</summary>
    public Task<FaultFigures> KillAndRestartAsync(CancellationToken cancellationToken) => RunAsync(
        KillAndRestart,
        "kill -9 <beam pid>; 1 s; rabbitmq-server on the same data",
        new FaultRunSettings(),
        async (run, ct) =>
        {
            run.MarkFault();
            await _node.KillAsync();
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
            await StartAndMarkHealedAsync(run, _node.RestartAsync, ct);
        },
        run =>
        {
            run.RequireLog(run.PublisherLogs, "publisher", 3, "connection lost");
            run.RequireLog(run.PublisherLogs, "publisher", 4, "connection recovered");
            run.RequireEvent("publisher: recovered");
            run.RequireEvent("consumer: recovered");
        },
        cancellationToken);

    /// <summary>
    /// SIGSTOP of the node for 10 s with a 2 s heartbeat: the TCP connections stay open and silent, as behind a stalled
    /// network, so only missed heartbeats reveal the loss (RabbitMQ.Client gives up after three silent heartbeat
    /// intervals). Then SIGCONT. Both buses must notice while the broker is still frozen.
    /// </summary>
    public Task<FaultFigures> BrokerFrozenAsync(CancellationToken cancellationToken) => RunAsync(
        BrokerFrozen,
        "Heartbeat 2 s; kill -STOP <beam pid>; 10 s; kill -CONT",
        new FaultRunSettings { Heartbeat = TimeSpan.FromSeconds(2) },
        async (run, ct) =>
        {
            run.MarkFault();
            _node.Pause();
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(10), ct);
            }
            finally
            {
                _node.Resume();
                run.MarkHealed();
            }
        },
        run =>
        {
            // Noticed by the heartbeat while frozen, not by the broker closing the connection once it runs again.
            // The reason names the missed heartbeat, not just the client's "End of stream".
            run.RequireEvent("publisher: lost", containing: "heartbeat", before: run.HealedAt);
            run.RequireEvent("consumer: lost", containing: "heartbeat", before: run.HealedAt);
            run.RequireEvent("publisher: recovered");
            run.RequireEvent("consumer: recovered");
        },
        cancellationToken);

    /// <summary>
    /// <c>stop_app</c> for 6 s with a publish timeout of 2 s: publishes must give up with a typed
    /// <see cref="PublishTimeoutException"/> saying whether the broker may have the message, none may hang or vanish, and
    /// a publish reported as never sent must never be delivered.
    /// </summary>
    public Task<FaultFigures> OutageBeyondPublishTimeoutAsync(CancellationToken cancellationToken) => RunAsync(
        OutageBeyondPublishTimeout,
        "PublishTimeout 2 s; rabbitmqctl stop_app; 6 s; start_app",
        new FaultRunSettings { PublishTimeout = TimeSpan.FromSeconds(2) },
        async (run, ct) =>
        {
            run.MarkFault();
            await Task.Run(_node.StopApp, ct);
            await Task.Delay(TimeSpan.FromSeconds(6), ct);
            await StartAndMarkHealedAsync(run, () => Task.Run(_node.StartApp), ct);
        },
        run =>
        {
            if (run.Figures.Failed + run.Figures.Unknown == 0)
            {
                run.Figures.Violations.Add("no publish gave up although the broker was down three times longer than PublishTimeout");
            }

            foreach (string error in run.PublishErrors.Where(e => !e.StartsWith(nameof(PublishTimeoutException), StringComparison.Ordinal)))
            {
                run.Figures.Violations.Add($"a publish failed with {error}; expected {nameof(PublishTimeoutException)}");
            }
        },
        cancellationToken);

    /// <summary>A separate consumer process killed with SIGKILL mid-batch; another consumer takes over its messages.</summary>
    public async Task<FaultFigures> ConsumerProcessKilledAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await ConsumerCrash.RunAsync(_node, ConsumerProcessKilled, Progress, cancellationToken);
        }
        finally
        {
            await EnsureNodeRunningAsync();
        }
    }

    /// <summary>
    /// The broker fails the consumer's channel with 406 PRECONDITION_FAILED (an unknown delivery tag acked), the connection
    /// stays up. The handler is slow enough that the channel holds unacknowledged deliveries when it fails.
    /// </summary>
    public Task<FaultFigures> ConsumerChannelErrorAsync(CancellationToken cancellationToken) => RunAsync(
        ConsumerChannelError,
        "rabbitmqctl eval: basic.ack of an unknown tag on every consumer channel",
        new FaultRunSettings { HandlerDelay = TimeSpan.FromMilliseconds(3) },
        async (run, ct) =>
        {
            run.MarkFault();
            int failed = await Task.Run(_node.FailConsumerChannels, ct);
            run.MarkHealed();
            if (failed == 0)
            {
                run.Figures.Violations.Add("the fault did not apply: no channel on the node had a consumer");
            }
        },
        run =>
        {
            TimeSpan fault = run.FaultAt!.Value;
            if (!run.Deliveries.Any(d => d.Source == DeliverySource.Consumer && d.At >= fault && d.Redelivered))
            {
                run.Figures.Violations.Add("no delivery after the channel error was marked redelivered: the failed channel's unacknowledged messages did not come back");
            }

            run.RequireLog(run.ConsumerLogs, "consumer", 12, "consumer channel closed", containing: "PRECONDITION_FAILED");
        },
        cancellationToken);

    /// <summary><c>set_disk_free_limit 1000GB</c> (disk alarm: publishers blocked) for 2 s, then back to 50MB.</summary>
    public Task<FaultFigures> ResourceAlarmAsync(CancellationToken cancellationToken)
    {
        int confirmedWhileBlocked = 0;
        TimeSpan? blockedAt = null;
        return RunAsync(
            ResourceAlarm,
            "rabbitmqctl set_disk_free_limit 1000GB; 2 s; set_disk_free_limit 50MB",
            new FaultRunSettings(),
            async (run, ct) =>
            {
                run.MarkFault();
                try
                {
                    await Task.Run(() => _node.SetDiskFreeLimit("1000GB"), ct);
                    DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
                    while (!run.PublisherLogs.Entries.Any(e => e.EventId.Id == 5) && DateTime.UtcNow < deadline)
                    {
                        await Task.Delay(25, ct);
                    }

                    blockedAt = run.Now;
                    await Task.Delay(TimeSpan.FromSeconds(2), ct);
                    // Confirms of publishes already in flight may still arrive just after the block; later ones must not.
                    confirmedWhileBlocked = run.ConfirmsBetween(blockedAt.Value + TimeSpan.FromMilliseconds(500), run.Now);
                }
                finally
                {
                    await Task.Run(() => _node.SetDiskFreeLimit("50MB"), CancellationToken.None);
                    run.MarkHealed();
                }
            },
            run =>
            {
                run.RequireLog(run.PublisherLogs, "publisher", 5, "connection blocked", containing: "disk");
                run.RequireLog(run.PublisherLogs, "publisher", 6, "connection unblocked");
                run.RequireEvent("publisher: blocked", containing: "disk");
                run.RequireEvent("publisher: unblocked");
                if (confirmedWhileBlocked > 0)
                {
                    run.Figures.Violations.Add($"the alarm did not hold publishes: {confirmedWhileBlocked} were confirmed while the broker was blocking publishers");
                }

                if (run.Figures.Failed + run.Figures.Unknown > 0)
                {
                    run.Figures.Violations.Add($"{run.Figures.Failed + run.Figures.Unknown} publishes failed during a 2 s alarm; they should have waited (PublishTimeout is 20 s)");
                }

                run.Figures.Notes.Add($"publishes confirmed more than 0.5 s into the block: {confirmedWhileBlocked}");
            },
            cancellationToken);
    }

    /// <summary><c>stop_app</c>; the buses connect and start publishing while the broker is down; <c>start_app</c> 3 s later.</summary>
    public Task<FaultFigures> StartWhileBrokerDownAsync(CancellationToken cancellationToken) => RunAsync(
        StartWhileBrokerDown,
        "rabbitmqctl stop_app; Bus.ConnectAsync; 3 s; start_app",
        new FaultRunSettings { ClientsStartedByFault = true },
        async (run, ct) =>
        {
            await Task.Run(_node.StopApp, ct);
            run.MarkFault();
            Task clients = run.StartClientsAsync(ct);
            await Task.Delay(TimeSpan.FromSeconds(3), ct);
            if (clients.IsCompleted)
            {
                run.Figures.Violations.Add($"connecting did not wait for the broker: {clients.Exception?.InnerException?.GetType().Name ?? "it completed"} while the broker was down");
            }

            await StartAndMarkHealedAsync(run, () => Task.Run(_node.StartApp), ct);
            await clients;
        },
        run =>
        {
            // The consumer bus connects first, so it is the one that waits for the broker.
            run.RequireLog(run.ConsumerLogs, "consumer", 2, "connect retry");
            int retries = run.ConsumerLogs.Entries.Count(e => e.EventId.Id == 2);
            run.Figures.Notes.Add($"the consumer bus retried connecting {retries} times while the broker was down");
            if (retries > 30)
            {
                run.Figures.Violations.Add($"{retries} connection attempts in a few seconds: no back-off");
            }
        },
        cancellationToken);

    /// <summary>The bad-input rows: foreign messages the consumer cannot read, a poison message, and the publisher's limits.</summary>
    public async Task<IReadOnlyList<BadInputFigures>> BadInputAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await BadInput.RunAsync(_node, Progress, cancellationToken);
        }
        finally
        {
            await EnsureNodeRunningAsync();
        }
    }

    /// <summary>Wrong password, missing virtual host, no access to the virtual host, no write permission on an exchange.</summary>
    public async Task<IReadOnlyList<AccessFigures>> AccessAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await Access.RunAsync(_node, Progress, cancellationToken);
        }
        finally
        {
            await EnsureNodeRunningAsync();
        }
    }

    /// <summary>
    /// Starts the broker (stopped app, killed node) and marks the fault healed the moment its AMQP port accepts
    /// connections again, which is before <c>start_app</c> or <c>await_startup</c> return: recovery is measured from there.
    /// </summary>
    private async Task StartAndMarkHealedAsync(FaultRun run, Func<Task> start, CancellationToken cancellationToken)
    {
        Task starting = Task.Run(start, cancellationToken);
        while (!starting.IsCompleted && !await AcceptsConnectionsAsync(cancellationToken))
        {
            await Task.Delay(20, cancellationToken);
        }

        run.MarkHealed();
        await starting;
    }

    private async Task<bool> AcceptsConnectionsAsync(CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, _node.Port, cancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(1), cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or TimeoutException)
        {
            return false;
        }
    }

    private async Task<FaultFigures> RunAsync(
        string scenario, string fault, FaultRunSettings settings, Func<FaultRun, CancellationToken, Task> injectAndHeal, Action<FaultRun> verify, CancellationToken cancellationToken)
    {
        Progress($"{scenario}: start");
        await using var run = new FaultRun(_node, scenario, fault, settings, Progress);
        try
        {
            FaultFigures figures = await run.RunAsync(injectAndHeal, cancellationToken);
            verify(run);
            return figures;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            run.Figures.Violations.Add($"the scenario crashed: {ex.GetType().Name}: {ex.Message}");
            return run.Figures;
        }
        finally
        {
            await EnsureNodeRunningAsync();
        }
    }

    /// <summary>Whatever a scenario left behind (a stopped app, a killed node), the next one starts on a running node.</summary>
    private async Task EnsureNodeRunningAsync()
    {
        try
        {
            _node.Ctl("await_startup", "--timeout", "5");
            return;
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
            Progress("the node is not running after the scenario; starting it again");
        }

        try
        {
            _node.StartApp();
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
            await _node.RestartAsync();
        }
    }

    /// <summary>Stops the private node and removes its directory.</summary>
    public ValueTask DisposeAsync() => _node.DisposeAsync();
}
