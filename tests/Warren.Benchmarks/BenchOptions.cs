using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Warren.Benchmarks;

/// <summary>The command line; see <see cref="Usage"/>.</summary>
internal sealed record BenchOptions(
    int Messages, int Rounds, int WarmupMessages, bool Quick, IReadOnlySet<string> Only, Uri Uri, bool ProfileAllocations,
    IReadOnlySet<string> Scenarios, int RpcCalls, bool Tracing, int ColdStartRuns, bool ReadyToRun)
{
    public const string Usage =
        """
        Usage: dotnet run -c Release --project tests/Warren.Benchmarks -- [options]
          --messages N   messages per messaging measurement (default 20000; 2000 with --quick)
          --rounds R     measured rounds of every implementation and scenario (default 3; 1 with --quick)
          --warmup N     messages per warm-up run of each implementation and messaging scenario (default N)
          --rpc-calls N  calls per RPC measurement with 16 callers; one caller makes a quarter as many
                         (default 20000; 2000 with --quick); each RPC warm-up run makes as many
          --scenarios LIST
                         comma-separated subset of: publish, consume, backlog, rpc, coldstart, aot
                         (default all); backlog times a consumer draining N messages published beforehand;
                         coldstart publishes the apps of tests/Warren.ColdStart and times each from process
                         start to its first message; aot does so for Warren's app published with NativeAOT
                         beside its JIT build
          --coldstart-runs N
                         timed starts of each cold-start app (default 10; 3 with --quick)
          --ready-to-run publish every JIT cold-start app with ReadyToRun (PublishReadyToRun, the
                         machine's RID): the same option for all four apps
          --rpc-only     the same as --scenarios rpc
          --quick        a short smoke run
          --only LIST    comma-separated subset of: warren, raw, masstransit, wolverine (the baseline is raw)
          --uri URI      the broker (default: WARREN_AMQP_URI, else amqp://guest:guest@localhost:5672/)
          --no-tracing   leave out "Warren (traced)": Warren again, measured while an OpenTelemetry SDK
                         tracer provider (AlwaysOnSampler) and meter provider listen to it (on by default
                         whenever Warren runs)
          --profile-allocations
                         afterwards, run each implementation once more (untimed) while sampling
                         allocations, and print the types that make up its bytes per message (or call)
        """;

    public static readonly string[] AllTargets = ["raw", "warren", "masstransit", "wolverine"];

    /// <summary>Publish (confirmed), publish → consume, RPC with 1 and with 16 callers, cold start, and cold start with NativeAOT.</summary>
    public static readonly string[] AllScenarios = ["publish", "consume", "backlog", "rpc", "coldstart", "aot"];

    /// <summary>The messaging scenarios to run, in table order.</summary>
    public IEnumerable<Scenario> MessagingScenarios => Enum.GetValues<Scenario>().Where(s => Scenarios.Contains(OptionName(s)));

    public bool RunsMessaging => MessagingScenarios.Any();

    public bool RunsRpc => Scenarios.Contains("rpc");

    public bool RunsColdStart => Scenarios.Contains("coldstart") || Scenarios.Contains("aot");

    /// <summary>The calls per RPC measurement with <paramref name="callers"/> callers: a quarter of <see cref="RpcCalls"/> for one caller.</summary>
    public int RpcCallsFor(int callers) => callers == 1 ? Math.Max(1, RpcCalls / 4) : RpcCalls;

    /// <summary>Parses the arguments; returns null (after printing why) when they are wrong or help was asked for.</summary>
    public static BenchOptions? Parse(string[] args)
    {
        bool quick = args.Contains("--quick");
        bool profile = false;
        bool tracing = true;
        bool readyToRun = false;
        int? messages = null, rounds = null, warmup = null, rpcCalls = null, coldStartRuns = null;
        HashSet<string> only = [.. AllTargets];
        HashSet<string> scenarios = [.. AllScenarios];
        Uri uri = new BusOptions().Uri;

        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            switch (arg)
            {
                case "--quick":
                    break;
                case "--profile-allocations":
                    profile = true;
                    break;
                case "--no-tracing":
                    tracing = false;
                    break;
                case "--ready-to-run":
                    readyToRun = true;
                    break;
                case "--messages":
                    messages = PositiveInt(arg, Value(args, ref i));
                    break;
                case "--rounds":
                    rounds = PositiveInt(arg, Value(args, ref i));
                    break;
                case "--warmup":
                    warmup = PositiveInt(arg, Value(args, ref i));
                    break;
                case "--coldstart-runs":
                    coldStartRuns = PositiveInt(arg, Value(args, ref i));
                    break;
                case "--rpc-calls":
                    rpcCalls = PositiveInt(arg, Value(args, ref i));
                    break;
                case "--only":
                    only = Subset(arg, Value(args, ref i), AllTargets);
                    break;
                case "--scenarios":
                    scenarios = Subset(arg, Value(args, ref i), AllScenarios);
                    break;
                case "--rpc-only":
                    scenarios = ["rpc"];
                    break;
                case "--uri":
                    uri = new Uri(Value(args, ref i));
                    break;
                case "-h" or "--help":
                    Console.WriteLine(Usage);
                    return null;
                default:
                    throw new ArgumentException($"Unknown argument '{arg}'.");
            }
        }

        int count = messages ?? (quick ? 2_000 : 20_000);
        return new BenchOptions(
            count,
            rounds ?? (quick ? 1 : 3),
            // JIT tiering (tier 1, dynamic PGO) keeps recompiling for a while; a full-size warm-up lets it finish.
            warmup ?? count,
            quick,
            only,
            uri,
            profile,
            scenarios,
            rpcCalls ?? (quick ? 2_000 : 20_000),
            // The traced variant is a bus target: the cold-start apps have none.
            tracing && only.Contains("warren") && scenarios.Overlaps(["publish", "consume", "backlog", "rpc"]),
            coldStartRuns ?? (quick ? 3 : 10),
            readyToRun);
    }

    private static string OptionName(Scenario scenario) => scenario switch
    {
        Scenario.Publish => "publish",
        Scenario.EndToEnd => "consume",
        Scenario.Backlog => "backlog",
        _ => throw new ArgumentOutOfRangeException(nameof(scenario), scenario, null),
    };

    private static HashSet<string> Subset(string name, string value, string[] all)
    {
        HashSet<string> chosen = [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => s.ToLowerInvariant())];
        return chosen.Count == 0 || chosen.Except(all).Any()
            ? throw new ArgumentException($"{name} takes a comma-separated subset of {string.Join(", ", all)}.")
            : chosen;
    }

    private static string Value(string[] args, ref int i) =>
        ++i < args.Length ? args[i] : throw new ArgumentException($"{args[i - 1]} needs a value.");

    private static int PositiveInt(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0
            ? n
            : throw new ArgumentException($"{name} takes a positive whole number, not '{value}'.");
}
