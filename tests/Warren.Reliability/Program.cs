using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace Warren.Reliability;

/// <summary>
/// Runs the fault-injection suite against a private RabbitMQ node and prints its tables as markdown; exits with 1 when
/// any scenario broke a promise. <c>consume</c> is the consumer process that the consumer-crash scenario kills.
/// </summary>
internal static class Program
{
    private const string Usage =
        "usage: Warren.Reliability [--only <scenario>[,<scenario>...]]\n" +
        "       Warren.Reliability " + ConsumerProcess.Usage + "\n" +
        "scenarios: close, restart, kill, freeze, timeout, consumer-kill, channel-error, alarm, start-down, bad-input, access";

    private static readonly Dictionary<string, string> ShortNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["close"] = ReliabilitySuite.CloseAllConnections,
        ["restart"] = ReliabilitySuite.GracefulRestart,
        ["kill"] = ReliabilitySuite.KillAndRestart,
        ["freeze"] = ReliabilitySuite.BrokerFrozen,
        ["timeout"] = ReliabilitySuite.OutageBeyondPublishTimeout,
        ["consumer-kill"] = ReliabilitySuite.ConsumerProcessKilled,
        ["channel-error"] = ReliabilitySuite.ConsumerChannelError,
        ["alarm"] = ReliabilitySuite.ResourceAlarm,
        ["start-down"] = ReliabilitySuite.StartWhileBrokerDown,
        ["bad-input"] = "bad input",
        ["access"] = "access",
    };

    private static async Task<int> Main(string[] args)
    {
        // The same number formats on every machine, so that tables from different runs line up.
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        if (args is ["consume", .. var consumeArgs])
        {
            return await ConsumerProcess.RunAsync(consumeArgs);
        }

        HashSet<string>? only = null;
        switch (args)
        {
            case []:
                break;
            case ["--help" or "-h"]:
                Console.WriteLine(Usage);
                return 0;
            case ["--only", var list]:
                only = [];
                foreach (string name in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    if (!ShortNames.TryGetValue(name, out string? scenario))
                    {
                        Console.Error.WriteLine($"unknown scenario '{name}'\n{Usage}");
                        return 2;
                    }

                    only.Add(scenario);
                }

                break;
            default:
                Console.Error.WriteLine(Usage);
                return 2;
        }

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            // Unwind, so that the private node is stopped and its directory removed.
            e.Cancel = true;
            stop.Cancel();
        };

        var clock = Stopwatch.StartNew();
        void Progress(string line) => Console.Error.WriteLine($"[{clock.Elapsed.TotalSeconds,6:0.0}s] {line.TrimEnd()}");
        try
        {
            Report report;
            await using (ReliabilitySuite suite = await ReliabilitySuite.StartAsync(Progress))
            {
                report = await suite.RunAllAsync(scenario => only is null || only.Contains(scenario), stop.Token);
            }

            Console.WriteLine(report.ToMarkdown());
            Console.WriteLine($"{(report.Passed ? "All scenarios passed" : "Some scenarios FAILED")} in {clock.Elapsed.TotalSeconds:0} s " +
                              $"({report.Faults.Count} faults, {report.BadInput.Count} bad-input rows, {report.Access.Count} access cases).");
            return report.Passed ? 0 : 1;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            Console.Error.WriteLine("Cancelled.");
            return 130;
        }
    }
}
