using System;
using System.Globalization;

namespace Warren.Generators.Benchmarks;

/// <summary>The command line: the size of the synthetic project and how many runs to time.</summary>
internal sealed record BenchOptions
{
    public const string Usage = """
        Usage: dotnet run -c Release --project tests/Warren.Generators.Benchmarks [-- options]
          --messages N   message types, and as many consumers (default 500)
          --services N   RPC services of 3 methods each (default 50)
          --warmup N     untimed rounds first, for the JIT (default 3)
          --rounds N     timed rounds (default 15); in each, every generator in turn does one cold run (a new driver
                         over a new compilation) and then runs after unrelated edits, each on the previous driver
          --edits N      runs after an unrelated edit per generator and round (default 2)
          --stj PATH     System.Text.Json.SourceGeneration.dll to compare with (default: the SDK's targeting pack)
        Exits 0 when Warren's unrelated-edit run costs under 5% of its cold run and every step is Cached/Unchanged.
        """;

    public int Messages { get; private init; } = 500;

    public int Services { get; private init; } = 50;

    public int Warmup { get; private init; } = 3;

    public int Rounds { get; private init; } = 15;

    public int Edits { get; private init; } = 2;

    public string? SystemTextJsonGeneratorPath { get; private init; }

    public bool Help { get; private init; }

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int Count(int min)
            {
                string name = args[i];
                string text = Value();
                return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= min
                    ? n
                    : throw new ArgumentException($"{name} needs a whole number of at least {min}, not '{text}'.");
            }
            options = args[i] switch
            {
                "--messages" => options with { Messages = Count(5) },
                "--services" => options with { Services = Count(0) },
                "--warmup" => options with { Warmup = Count(0) },
                "--rounds" => options with { Rounds = Count(1) },
                "--edits" => options with { Edits = Count(1) },
                "--stj" => options with { SystemTextJsonGeneratorPath = Value() },
                "-h" or "--help" => options with { Help = true },
                _ => throw new ArgumentException($"Unknown option '{args[i]}'."),
            };
        }
        return options;
    }
}
