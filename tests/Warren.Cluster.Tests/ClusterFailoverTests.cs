using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Warren.Reliability;
using Xunit;
using Xunit.Abstractions;

namespace Warren.Cluster.Tests;

/// <summary>
/// What lives only as long as its connection, on the node that dies: a private RPC reply queue and a server-named
/// subscription queue (both exclusive). The bus fails over to another node of its endpoints and declares them there.
/// </summary>
[Collection(ClusterSuite.Name)]
public sealed class ClusterFailoverTests(ClusterFixture fixture, ITestOutputHelper output)
{
    [Theory]
    [InlineData(RpcReplyQueue.Private)]
    [InlineData(RpcReplyQueue.DirectReplyTo)]
    public async Task Rpc_calls_and_a_server_named_subscription_work_again_after_their_node_is_killed(RpcReplyQueue replyQueue)
    {
        fixture.EnsureAllUp();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        CancellationToken cancellationToken = deadline.Token;
        string run = Guid.NewGuid().ToString("N")[..8];
        var clock = Stopwatch.StartNew();
        var events = new ConcurrentQueue<string>();

        // The server and the tick publisher on node 3; the client and the subscriber on node 1, which dies.
        await using Bus server = await Bus.ConnectAsync(fixture.Options("cluster-rpc-server", 3, 2, 1), cancellationToken);
        await using Subscription serving = await server.ServeAsync<IClusterEcho>(new ClusterEcho(), cancellationToken: cancellationToken);
        await using Bus client = await Bus.ConnectAsync(fixture.Options("cluster-rpc-client", 1, 2, 3), cancellationToken);
        Assert.Equal(1, fixture.NodeOf(client));
        client.ConnectionLost += (_, e) => events.Enqueue($"lost {e.Node?.Endpoint}");
        client.ConnectionRecovered += (_, e) => events.Enqueue($"recovered on {e.Node?.Endpoint}");
        IClusterEcho echo = client.CreateClient<IClusterEcho>(new RpcClientOptions { ReplyQueue = replyQueue, Timeout = TimeSpan.FromSeconds(2) });
        var ticks = new ConcurrentQueue<(int Id, TimeSpan At)>();
        await using Subscription subscription = await client.SubscribeAsync<ClusterTick>(
            (tick, _, _) =>
            {
                if (tick.Run == run)
                {
                    ticks.Enqueue((tick.Id, clock.Elapsed));
                }

                return ValueTask.CompletedTask;
            },
            cancellationToken: cancellationToken);

        var calls = new ConcurrentQueue<(TimeSpan At, bool Ok, string Outcome)>();
        using var stop = new CancellationTokenSource();
        Task calling = Task.Run(async () =>
        {
            for (int i = 0; !stop.IsCancellationRequested; i++)
            {
                TimeSpan at = clock.Elapsed;
                // The call's own timeout is 2 s; this bounds a call that would outlive it, so the loop goes on and says so.
                using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                patience.CancelAfter(TimeSpan.FromSeconds(5));
                try
                {
                    int answer = await echo.EchoAsync(i, patience.Token);
                    calls.Enqueue((at, answer == i, answer == i ? "ok" : $"wrong answer {answer}"));
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    calls.Enqueue((at, false, "outlived its 2 s timeout (cancelled after 5 s)"));
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    calls.Enqueue((at, false, ex is WarrenException or TimeoutException ? ex.GetType().Name : $"untyped {ex.GetType().Name}: {ex.Message}"));
                }

                await Task.Delay(100, CancellationToken.None);
            }
        }, CancellationToken.None);
        Task ticking = Task.Run(async () =>
        {
            for (int i = 0; !stop.IsCancellationRequested; i++)
            {
                try
                {
                    await server.PublishAsync(new ClusterTick(run, i), cancellationToken: cancellationToken);
                }
                catch (Exception) when (!cancellationToken.IsCancellationRequested)
                {
                    // A tick lost in the outage: the subscription's queue is transient anyway.
                }

                await Task.Delay(50, CancellationToken.None);
            }
        }, CancellationToken.None);

        try
        {
            Assert.True(await Wait.UntilAsync(() => calls.Count(c => c.Ok) >= 5 && ticks.Count >= 5, TimeSpan.FromSeconds(20), cancellationToken), "no RPC calls or ticks before the kill");
            TimeSpan killedAt = clock.Elapsed;
            fixture.Cluster.Kill(1);

            // Calls during the outage may time out; once the client is back on another node, they succeed again, and the
            // subscription's new queue (another name, on another node) gets the ticks published after that.
            bool back = await Wait.UntilAsync(
                () => calls.Any(c => c.Ok && c.At > killedAt) && ticks.Any(t => t.At > killedAt) && fixture.NodeOf(client) is int node && node != 1,
                TimeSpan.FromSeconds(60),
                cancellationToken);
            Assert.True(back, $"RPC or subscription did not resume after node 1 was killed: calls {string.Join(", ", calls.Where(c => c.At > killedAt).Select(c => c.Outcome).Distinct())}; ticks after the kill {ticks.Count(t => t.At > killedAt)}; client on node {fixture.NodeOf(client)}; events {string.Join("; ", events)}; calling {calling.Status}, ticking {ticking.Status} {calling.Exception?.InnerException?.Message}");
            TimeSpan firstCall = calls.Where(c => c.Ok && c.At > killedAt).Min(c => c.At) - killedAt;
            TimeSpan firstTick = ticks.Where(t => t.At > killedAt).Min(t => t.At) - killedAt;
            TimeSpan resumedAt = clock.Elapsed;
            await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
            stop.Cancel();
            await Task.WhenAll(calling, ticking);

            var after = calls.Where(c => c.At > resumedAt).ToArray();
            var during = calls.Where(c => c.At > killedAt && c.At <= resumedAt).ToArray();
            string row = string.Create(
                CultureInfo.InvariantCulture,
                $"| {replyQueue} | node 1 → node {fixture.NodeOf(client)} | {calls.Count(c => c.At < killedAt && c.Ok)} | {during.Count(c => c.Ok)} ok, {during.Count(c => !c.Ok)} failed | {after.Count(c => c.Ok)} of {after.Length} | {Report.Seconds(firstCall)} | {Report.Seconds(firstTick)} | {ticks.Count(t => t.At > resumedAt)} |");
            lock (fixture.Tables)
            {
                if (fixture.Tables.Count == 0)
                {
                    fixture.Tables.Add("| RPC reply queue | client failed over | calls ok before | calls in the outage | calls ok after | first call ok after the kill | first tick after the kill (server-named queue) | ticks after |");
                    fixture.Tables.Add("| --- | --- | ---: | --- | ---: | ---: | ---: | ---: |");
                }

                fixture.Tables.Add(row);
            }

            output.WriteLine(row);
            output.WriteLine("events: " + string.Join("; ", events));
            output.WriteLine("calls in the outage: " + string.Join("; ", during.GroupBy(c => c.Outcome).Select(g => $"{g.Key} ×{g.Count()}")));
            Assert.NotEmpty(after);
            Assert.All(after, c => Assert.True(c.Ok, $"a call after the failover failed: {c.Outcome}"));
            Assert.Contains(events, e => e == $"lost {fixture.UriOf(1).Authority}");
            Assert.Contains(events, e => e.StartsWith("recovered on", StringComparison.Ordinal) && !e.EndsWith(fixture.UriOf(1).Authority, StringComparison.Ordinal));
        }
        finally
        {
            stop.Cancel();
            fixture.EnsureAllUp();
        }
    }
}
