using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Warren.Benchmarks;

/// <summary>
/// Compares Warren with a hand-written RabbitMQ.Client program and with MassTransit on the same broker, in one run:
/// confirmed publish throughput, and publish → consume throughput. See README.md beside this file.
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        // The same number formats on every machine, so that tables from different runs line up.
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        BenchOptions? options;
        try
        {
            options = BenchOptions.Parse(args);
        }
        catch (Exception ex) when (ex is ArgumentException or UriFormatException)
        {
            Console.Error.WriteLine(ex.Message);
            Console.Error.WriteLine(BenchOptions.Usage);
            return 2;
        }

        if (options is null)
        {
            return 0;
        }

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            // Let the run unwind so that the queues are still deleted.
            e.Cancel = true;
            stop.Cancel();
        };

        try
        {
            await RunAsync(options, args, stop.Token);
            return 0;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            Console.Error.WriteLine("Cancelled.");
            return 130;
        }
    }

    private static async Task RunAsync(BenchOptions options, string[] args, CancellationToken cancellationToken)
    {
        string command = "dotnet run -c Release --project tests/Warren.Benchmarks --" + string.Concat(args.Select(a => " " + Quote(a)));
        WarnIfNotOptimized();

        await using BrokerAdmin admin = await BrokerAdmin.ConnectAsync(options.Uri, cancellationToken);
        IBenchTarget[] targets = CreateTargets(options);
        const string baseline = RawClientTarget.DisplayName;

        Console.WriteLine($"Command: {command}");
        Console.WriteLine($"Broker: {admin.BrokerVersion} at {options.Uri.Host}:{(options.Uri.IsDefaultPort ? 5672 : options.Uri.Port)}");
        Console.WriteLine($"Runtime: {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, {Environment.ProcessorCount} cores, " +
            $"{(GCSettings.IsServerGC ? "server" : "workstation")} GC");
        Console.WriteLine($"Messages: {options.Messages:N0} per measurement, {options.Rounds} round(s), warm-up {options.WarmupMessages:N0}; " +
            $"{Harness.PublishWindow} publishes in flight, prefetch {Harness.Prefetch}; " +
            $"JSON body {JsonSerializer.SerializeToUtf8Bytes(BenchMessages.Create(options.Messages - 1), new JsonSerializerOptions(JsonSerializerDefaults.Web)).Length} bytes " +
            "(MassTransit wraps it in its envelope)");
        Console.WriteLine();

        var samples = new List<Sample>();
        try
        {
            foreach (IBenchTarget target in targets)
            {
                await target.StartAsync(cancellationToken);
            }

            // Warm-up: JIT, connection buffers, pools and the broker's queue processes; nothing of it is kept.
            foreach (IBenchTarget target in targets)
            {
                foreach (Scenario scenario in Enum.GetValues<Scenario>())
                {
                    await Harness.MeasureAsync(target, scenario, options.WarmupMessages, admin, cancellationToken);
                }
            }

            Console.WriteLine("Warm-up done.");
            for (int round = 0; round < options.Rounds; round++)
            {
                // Rotate the order so that no implementation always runs right after the same one.
                IBenchTarget[] order = [.. targets.Skip(round % targets.Length), .. targets.Take(round % targets.Length)];
                foreach (Scenario scenario in Enum.GetValues<Scenario>())
                {
                    foreach (IBenchTarget target in order)
                    {
                        Sample sample = await Harness.MeasureAsync(target, scenario, options.Messages, admin, cancellationToken);
                        samples.Add(sample);
                        Console.WriteLine($"round {round + 1}/{options.Rounds}  {Report.Row(sample)}");
                    }
                }
            }

            if (options.ProfileAllocations)
            {
                await ProfileAllocationsAsync(targets, options, admin, cancellationToken);
            }
        }
        finally
        {
            foreach (IBenchTarget target in targets)
            {
                try
                {
                    await target.DisposeAsync();
                    await target.DeleteTopologyAsync(admin);
                }
                catch (Exception ex)
                {
                    // Keep cleaning up the others; a failure of the run itself is already on its way out.
                    Console.Error.WriteLine($"Cleaning up {target.Name} failed: {ex.Message}");
                }
            }
        }

        Console.WriteLine();
        Console.WriteLine(Report.Markdown(samples, [.. targets.Select(t => t.Name)], baseline));
        Console.WriteLine($"Command: `{command}`");
        foreach (string verdict in Report.Verdicts(samples, WarrenTarget.DisplayName, baseline))
        {
            Console.WriteLine(verdict);
        }
    }

    /// <summary>Extra runs, kept out of the table because sampling costs a little time, that show what each implementation allocates.</summary>
    private static async Task ProfileAllocationsAsync(IBenchTarget[] targets, BenchOptions options, BrokerAdmin admin, CancellationToken cancellationToken)
    {
        using var sampler = new AllocationSampler();
        foreach (Scenario scenario in Enum.GetValues<Scenario>())
        {
            foreach (IBenchTarget target in targets)
            {
                Sample sample = await Harness.MeasureAsync(target, scenario, options.Messages, admin, cancellationToken, sampler);
                Console.WriteLine();
                Console.WriteLine($"Allocations of {target.Name}, {Report.ScenarioTitle(scenario)} (sampled; {sample.BytesPerMessage:N0} B/msg measured):");
                foreach ((string type, long bytes) in sample.AllocationsByType.Take(15))
                {
                    Console.WriteLine($"{(double)bytes / sample.Messages,8:N0} B/msg  {type}");
                }
            }
        }
    }

    private static IBenchTarget[] CreateTargets(BenchOptions options)
    {
        var targets = new List<IBenchTarget>();
        if (options.Only.Contains("raw"))
        {
            targets.Add(new RawClientTarget(options.Uri));
        }

        if (options.Only.Contains("warren"))
        {
            targets.Add(new WarrenTarget(options.Uri));
        }

        if (options.Only.Contains("masstransit"))
        {
            targets.Add(new MassTransitTarget(options.Uri));
        }

        return [.. targets];
    }

    private static void WarnIfNotOptimized()
    {
        foreach (Assembly assembly in new[] { typeof(Program).Assembly, typeof(Bus).Assembly })
        {
            if (assembly.GetCustomAttribute<DebuggableAttribute>()?.IsJITOptimizerDisabled == true)
            {
                Console.WriteLine($"WARNING: {assembly.GetName().Name} is a Debug build; run with -c Release for meaningful numbers.");
            }
        }
    }

    private static string Quote(string arg) => arg.Length == 0 || arg.Any(char.IsWhiteSpace) ? $"\"{arg}\"" : arg;
}
