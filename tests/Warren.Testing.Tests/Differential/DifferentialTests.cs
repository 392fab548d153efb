using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Warren.Testing.Tests.Differential;

/// <summary>
/// The differential suite: every scenario runs on the harness and on a real bus against the broker, and the two outcomes
/// must be identical. The summary runs last and reports how many scenarios were.
/// </summary>
[TestCaseOrderer("Warren.Testing.Tests.Differential.SummaryLast", "Warren.Testing.Tests")]
public sealed class DifferentialTests(VirtualHostFixture host, ITestOutputHelper output) : IClassFixture<VirtualHostFixture>
{
    private static readonly ConcurrentDictionary<string, int> s_identical = new(StringComparer.Ordinal);
    private static int s_run;

    public static TheoryData<string> ScenarioNames()
    {
        var names = new TheoryData<string>();
        foreach (Scenario scenario in Scenarios.All)
        {
            names.Add(scenario.Name);
        }

        return names;
    }

    [Theory]
    [MemberData(nameof(ScenarioNames))]
    public async Task Scenario_is_identical_on_harness_and_broker(string name)
    {
        Scenario scenario = Scenarios.Named(name);
        int run = Interlocked.Increment(ref s_run);
        string tag = Guid.NewGuid().ToString("N")[..8];

        Outcome onHarness;
        await using (var harness = new HarnessDriver($"h{run}-{tag}."))
        {
            onHarness = await RunAsync(harness, scenario, expected: null);
        }

        Outcome onBroker;
        await using (BrokerDriver broker = await BrokerDriver.ConnectAsync(host.Uri, $"b{run}-{tag}."))
        {
            onBroker = await RunAsync(broker, scenario, onHarness);
        }

        output.WriteLine($"{name}: {onHarness.Lines} observations");
        output.WriteLine(onHarness.Render());
        Assert.Equal(onHarness.Render(), onBroker.Render());
        // Every scenario observes something: a scenario whose outcome is empty on both sides would prove nothing.
        Assert.True(onHarness.Lines > 0, "The scenario observed nothing.");
        s_identical[name] = onHarness.Lines;
    }

    [Fact]
    public void Summary_every_scenario_was_identical_on_harness_and_broker()
    {
        int count = Scenarios.All.Count;
        output.WriteLine($"{s_identical.Count} scenarios, identical on harness and broker ({s_identical.Values.Sum()} observations); {count} defined.");
        Assert.True(count >= 40, $"Only {count} scenarios.");
        Assert.Equal(Scenarios.All.Select(s => s.Name).Order(StringComparer.Ordinal), s_identical.Keys.Order(StringComparer.Ordinal));
    }

    private static async Task<Outcome> RunAsync(ScenarioDriver driver, Scenario scenario, Outcome? expected)
    {
        await scenario.Run(driver);
        await driver.SettleAsync(expected);
        return await driver.CaptureAsync();
    }
}

/// <summary>Runs the scenarios in the order they are defined and the summary after them.</summary>
public sealed class SummaryLast : ITestCaseOrderer
{
    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases)
        where TTestCase : ITestCase =>
        testCases.OrderBy(t => t.TestMethod.Method.Name.StartsWith("Summary", StringComparison.Ordinal) ? 1 : 0);
}
