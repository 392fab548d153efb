using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;

namespace Warren.Reliability.Tests;

/// <summary>
/// Each fault of the reliability suite against a private RabbitMQ node, with concurrent publishers and a consumer:
/// no confirmed message lost, nothing unexpected, duplicates within the confirm window and prefetch, traffic resumes.
/// The same figures as <c>bash scripts/reliability.sh</c> prints.
/// </summary>
public sealed class FaultInjectionTests : IClassFixture<ReliabilityNode>
{
    private readonly ReliabilityNode _node;
    private readonly ITestOutputHelper _output;

    public FaultInjectionTests(ReliabilityNode node, ITestOutputHelper output)
    {
        _node = node;
        _output = output;
        node.WriteTo(output.WriteLine);
    }

    public static IEnumerable<object[]> BadInputRows => ReliabilitySuite.BadInputRows.Select(row => new object[] { row });

    public static IEnumerable<object[]> AccessCases => ReliabilitySuite.AccessCases.Select(name => new object[] { name });

    [Fact]
    public Task Broker_closes_all_connections() => AssertFaultAsync(ReliabilitySuite.CloseAllConnections);

    [Fact]
    public Task Graceful_broker_restart() => AssertFaultAsync(ReliabilitySuite.GracefulRestart);

    [Fact]
    public Task Broker_killed_and_restarted() => AssertFaultAsync(ReliabilitySuite.KillAndRestart);

    [Fact]
    public Task Broker_frozen_silent_stall_detected_by_heartbeats() => AssertFaultAsync(ReliabilitySuite.BrokerFrozen);

    [Fact]
    public Task Outage_longer_than_the_publish_timeout() => AssertFaultAsync(ReliabilitySuite.OutageBeyondPublishTimeout);

    [Fact]
    public Task Consumer_process_killed_mid_batch() => AssertFaultAsync(ReliabilitySuite.ConsumerProcessKilled);

    [Fact]
    public Task Channel_error_on_the_consumer_channel() => AssertFaultAsync(ReliabilitySuite.ConsumerChannelError);

    [Fact]
    public Task Resource_alarm_blocks_publishers() => AssertFaultAsync(ReliabilitySuite.ResourceAlarm);

    [Fact]
    public Task App_started_while_the_broker_is_down() => AssertFaultAsync(ReliabilitySuite.StartWhileBrokerDown);

    [Theory]
    [MemberData(nameof(BadInputRows))]
    public async Task Bad_input(string row)
    {
        BadInputFigures figures = (await _node.BadInputAsync()).Single(r => r.Input == row);
        _output.WriteLine(figures.Describe());
        Assert.True(figures.Lost == 0, figures.Describe());
        Assert.True(figures.Passed, figures.Describe());
    }

    [Theory]
    [MemberData(nameof(AccessCases))]
    public async Task Credentials_and_permissions(string name)
    {
        AccessFigures figures = (await _node.AccessAsync()).Single(c => c.Case == name);
        _output.WriteLine(figures.Describe());
        Assert.False(figures.PasswordLeaked, figures.Describe());
        Assert.True(figures.Passed, figures.Describe());
    }

    private async Task AssertFaultAsync(string scenario)
    {
        FaultFigures figures = await _node.Suite.RunFaultAsync(scenario, ReliabilityNode.Deadline());
        string description = figures.Describe();
        _output.WriteLine(description);
        // A run that confirmed or delivered nothing proves nothing.
        Assert.True(figures.Confirmed > 0 && figures.Delivered > 0, description);
        Assert.True(figures.Lost == 0, description);
        Assert.True(figures.Unexpected == 0, description);
        Assert.True(figures.Duplicates <= figures.DuplicateBound, description);
        Assert.True(figures.Passed, description);
    }
}
