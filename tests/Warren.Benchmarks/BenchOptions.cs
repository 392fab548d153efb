using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Warren.Benchmarks;

/// <summary>The command line; see <see cref="Usage"/>.</summary>
internal sealed record BenchOptions(int Messages, int Rounds, int WarmupMessages, bool Quick, IReadOnlySet<string> Only, Uri Uri, bool ProfileAllocations)
{
    public const string Usage =
        """
        Usage: dotnet run -c Release --project tests/Warren.Benchmarks -- [options]
          --messages N   messages per measurement (default 20000; 2000 with --quick)
          --rounds R     measured rounds of every implementation and scenario (default 3; 1 with --quick)
          --warmup N     messages per warm-up run of each implementation and scenario (default N)
          --quick        a short smoke run
          --only LIST    comma-separated subset of: warren, raw, masstransit (the baseline is raw)
          --uri URI      the broker (default: WARREN_AMQP_URI, else amqp://guest:guest@localhost:5672/)
          --profile-allocations
                         afterwards, run each implementation once more (untimed) while sampling
                         allocations, and print the types that make up its bytes per message
        """;

    public static readonly string[] AllTargets = ["raw", "warren", "masstransit"];

    /// <summary>Parses the arguments; returns null (after printing why) when they are wrong or help was asked for.</summary>
    public static BenchOptions? Parse(string[] args)
    {
        bool quick = args.Contains("--quick");
        bool profile = false;
        int? messages = null, rounds = null, warmup = null;
        HashSet<string> only = [.. AllTargets];
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
                case "--messages":
                    messages = PositiveInt(arg, Value(args, ref i));
                    break;
                case "--rounds":
                    rounds = PositiveInt(arg, Value(args, ref i));
                    break;
                case "--warmup":
                    warmup = PositiveInt(arg, Value(args, ref i));
                    break;
                case "--only":
                    only = [.. Value(args, ref i).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => s.ToLowerInvariant())];
                    if (only.Count == 0 || only.Except(AllTargets).Any())
                    {
                        throw new ArgumentException($"--only takes a comma-separated subset of {string.Join(", ", AllTargets)}.");
                    }

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
            profile);
    }

    private static string Value(string[] args, ref int i) =>
        ++i < args.Length ? args[i] : throw new ArgumentException($"{args[i - 1]} needs a value.");

    private static int PositiveInt(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0
            ? n
            : throw new ArgumentException($"{name} takes a positive whole number, not '{value}'.");
}
