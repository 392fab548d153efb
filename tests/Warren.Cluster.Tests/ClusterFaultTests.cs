using System;
using System.Threading;
using System.Threading.Tasks;
using Warren.Reliability;
using Xunit;
using Xunit.Abstractions;

namespace Warren.Cluster.Tests;

/// <summary>
/// Node failures under a publisher and a consumer of a quorum queue whose buses list the three nodes as endpoints: no
/// confirmed message lost, nothing unexpected, duplicates within the in-flight publishes and the prefetch per kill, and
/// traffic resumes on the surviving nodes. The figures go to the test output and to <c>artifacts/cluster-figures.md</c>.
/// </summary>
[Collection(ClusterSuite.Name)]
public sealed class ClusterFaultTests(ClusterFixture fixture, ITestOutputHelper output)
{
    /// <summary>No scenario may take longer than this; a hang fails the test instead of the whole run.</summary>
    private static CancellationToken Deadline() => new CancellationTokenSource(TimeSpan.FromMinutes(4)).Token;

    [Fact]
    public Task The_node_the_buses_are_connected_to_is_killed() => AssertScenarioAsync(
        "connected node killed",
        "SIGKILL of the node both buses are connected to (the queue's leader is elsewhere); both fail over",
        leaderNode: 3,
        async (run, cancellationToken) =>
        {
            int node = fixture.NodeOf(run.Publisher) ?? throw new InvalidOperationException("The publisher is not connected.");
            Assert.Equal(node, fixture.NodeOf(run.Consumer));
            await run.KillAsync(node, cancellationToken);
            string lost = fixture.UriOf(node).Authority;
            foreach (string bus in new[] { "publisher", "consumer" })
            {
                await run.RequireEventAsync(bus, "lost", lost);
                await run.RequireEventAsync(bus, "recovered on", "127.0.0.1:");
            }

            foreach (Bus bus in new[] { run.Publisher, run.Consumer })
            {
                if (fixture.NodeOf(bus) is not int now || now == node)
                {
                    run.Figures.Violations.Add($"{bus} did not fail over from node {node}: ConnectedNode is {bus.ConnectedNode?.ToString() ?? "null"}");
                }
            }
        });

    [Fact]
    public Task The_queue_leaders_node_is_killed() => AssertScenarioAsync(
        "leader node killed",
        "SIGKILL of the quorum queue leader's node; the buses are connected to another node and keep their connections",
        leaderNode: 2,
        async (run, cancellationToken) =>
        {
            int leader = run.Cluster.LeaderOf(ClusterEntry.QueueName, askedNode: 1);
            Assert.NotEqual(leader, fixture.NodeOf(run.Publisher));
            await run.KillAsync(leader, cancellationToken);
        });

    [Fact]
    public Task Rolling_restart_of_all_three_nodes() => AssertScenarioAsync(
        "rolling restart",
        "each node in turn: SIGKILL, wait for traffic to resume, restart, next (the buses fail over twice or more)",
        leaderNode: 1,
        async (run, cancellationToken) =>
        {
            for (int node = 1; node <= 3; node++)
            {
                await run.KillAsync(node, cancellationToken);
                await run.RestartAsync(node, cancellationToken);
                // The restarted member catches up with the queue's log before the next node goes.
                await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            }
        });

    private async Task AssertScenarioAsync(string scenario, string fault, int leaderNode, Func<ClusterFaultRun, CancellationToken, Task> inject)
    {
        CancellationToken cancellationToken = Deadline();
        FaultFigures figures;
        await using (var run = new ClusterFaultRun(fixture, scenario, fault, Progress))
        {
            try
            {
                figures = await run.RunAsync(leaderNode, [1, 2, 3], r => inject(r, cancellationToken), cancellationToken);
            }
            finally
            {
                fixture.EnsureAllUp();
            }
        }

        fixture.Add(figures);
        string description = figures.Describe();
        output.WriteLine(description);
        output.WriteLine(new Report { Faults = { figures } }.ToMarkdown());
        // A run that confirmed or delivered nothing proves nothing.
        Assert.True(figures.Confirmed > 0 && figures.Delivered > 0, description);
        Assert.True(figures.Lost == 0, description);
        Assert.True(figures.Unexpected == 0, description);
        Assert.True(figures.Duplicates <= figures.DuplicateBound, description);
        Assert.True(figures.Passed, description);
    }

    private void Progress(string line)
    {
        try
        {
            output.WriteLine($"{DateTime.Now:HH:mm:ss.fff} {line}");
        }
        catch (InvalidOperationException)
        {
            // The test has finished.
        }
    }
}
