using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;

namespace Warren.Testing.Tests.Differential;

/// <summary>One differential scenario: what to subscribe, publish, serve and call, written once for both backends.</summary>
public sealed record Scenario(string Name, Func<ScenarioDriver, Task> Run)
{
    public override string ToString() => Name;
}

/// <summary>Every scenario of the suite, by area.</summary>
public static partial class Scenarios
{
    private static readonly Lazy<IReadOnlyList<Scenario>> s_all = new(() =>
        [.. DefaultExchange(), .. Publishing(), .. Direct(), .. Fanout(), .. Topic(), .. Headers(), .. Consuming(), .. Rpc()]);

    public static IReadOnlyList<Scenario> All => s_all.Value;

    public static Scenario Named(string name) => All.Single(s => s.Name == name);

    private static Scenario Define(string name, Func<ScenarioDriver, Task> run) => new(name, run);
}
