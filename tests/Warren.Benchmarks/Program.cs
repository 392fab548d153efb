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
/// confirmed publish throughput, publish → consume throughput, and RPC latency and throughput. See README.md beside this file.
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
        const string baseline = RawClientTarget.DisplayName;

        Console.WriteLine($"Command: {command}");
        Console.WriteLine($"Broker: {admin.BrokerVersion} at {options.Uri.Host}:{(options.Uri.IsDefaultPort ? 5672 : options.Uri.Port)}");
        Console.WriteLine($"Runtime: {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, {Environment.ProcessorCount} cores, " +
            $"{(GCSettings.IsServerGC ? "server" : "workstation")} GC");
        if (options.RunsMessaging)
        {
            Console.WriteLine($"Messages: {options.Messages:N0} per measurement, {options.Rounds} round(s), warm-up {options.WarmupMessages:N0}; " +
                $"{Harness.PublishWindow} publishes in flight, prefetch {Harness.Prefetch}; " +
                $"JSON body {JsonSerializer.SerializeToUtf8Bytes(BenchMessages.Create(options.Messages - 1), new JsonSerializerOptions(JsonSerializerDefaults.Web)).Length} bytes " +
                "(MassTransit and Wolverine add their envelope headers)");
        }

        if (options.RunsColdStart)
        {
            Console.WriteLine($"Cold start: {options.ColdStartRuns} timed start(s) of each published app of tests/Warren.ColdStart, after one untimed start, " +
                "in an order that rotates each run; each app starts 10 consumers on 10 queues, publishes one message to each, and is timed " +
                "from Process.Start to its first message consumed (and to all 10, and to its exit)" +
                (options.ReadyToRun ? "; every JIT app published with ReadyToRun (--ready-to-run)" : "; all apps with InvariantGlobalization, none with ReadyToRun"));
        }

        if (options.RunsRpc)
        {
            Console.WriteLine($"RPC: fib({RpcHarness.Argument}) per call; " +
                string.Join(", ", RpcHarness.CallerCounts.Select(c => $"{options.RpcCallsFor(c):N0} calls with {(c == 1 ? "1 caller" : $"{c} callers")}")) +
                $" per measurement, {options.Rounds} round(s), warm-up as many; server prefetch {RpcHarness.ServerPrefetch}; " +
                "non-persistent requests to a non-durable queue, no publisher confirms; replies by direct reply-to " +
                "(MassTransit: its bus endpoint, a temporary queue; Wolverine: its node's reply queue)");
        }

        if (options.Tracing)
        {
            Console.WriteLine($"Tracing: \"{TracedWarrenTarget.DisplayName}\" is the same Warren bus measured while an OpenTelemetry SDK tracer provider " +
                "(AlwaysOnSampler, a processor that receives every span and discards it) and meter provider (a reader every second) listen; " +
                "built before and disposed after each of its measurements, and every other measurement checks that nothing listens");
        }

        Console.WriteLine();

        List<Sample> samples = options.RunsMessaging ? await RunMessagingAsync(options, admin, cancellationToken) : [];
        List<RpcSample> rpcSamples = options.RunsRpc ? await RunRpcAsync(options, admin, cancellationToken) : [];
        (List<ColdSample> coldSamples, List<PublishedApp> published) = options.RunsColdStart
            ? await ColdStart.RunAsync(ColdStart.Selected(options), options, admin, cancellationToken)
            : ([], []);

        Console.WriteLine();
        if (samples.Count > 0)
        {
            // The first round ran the implementations in their given order.
            Console.WriteLine(Report.Markdown(samples, [.. samples.Select(s => s.Target).Distinct()], baseline));
        }

        if (rpcSamples.Count > 0)
        {
            Console.WriteLine(Report.RpcMarkdown(rpcSamples, [.. rpcSamples.Select(s => s.Target).Distinct()], baseline));
        }

        if (coldSamples.Count > 0)
        {
            Console.WriteLine(ColdStartReport.Markdown(coldSamples, published, baseline));
        }

        if (options.Tracing)
        {
            Console.WriteLine(Report.TracingMarkdown(samples, rpcSamples, WarrenTarget.DisplayName, TracedWarrenTarget.DisplayName));
        }

        Console.WriteLine($"Command: `{command}`");
        foreach (string verdict in Report.Verdicts(samples, WarrenTarget.DisplayName, baseline).Concat(Report.RpcVerdicts(rpcSamples, WarrenTarget.DisplayName, baseline)))
        {
            Console.WriteLine(verdict);
        }

        foreach (string verdict in ColdStartReport.Verdicts(coldSamples, published))
        {
            Console.WriteLine(verdict);
        }

        if (options.Tracing)
        {
            foreach (string line in Report.TracingRatios(samples, rpcSamples, WarrenTarget.DisplayName, TracedWarrenTarget.DisplayName))
            {
                Console.WriteLine(line);
            }

            PrintNoListenerCost(samples, rpcSamples);
        }
    }

    /// <summary>The instrumentation's checks with nothing listening, per message, against Warren's CPU per message in this run.</summary>
    private static void PrintNoListenerCost(IReadOnlyList<Sample> samples, IReadOnlyList<RpcSample> rpcSamples)
    {
        IReadOnlyList<(string Path, double Nanoseconds)> costs = NoListenerCost.Measure();
        foreach ((string path, double nanoseconds) in costs)
        {
            Console.WriteLine($"No listener, {path}: {nanoseconds:0.0} ns per message");
        }

        double publish = costs[0].Nanoseconds, consume = costs[1].Nanoseconds, call = costs[2].Nanoseconds;
        Share("Publish, confirmed", publish, samples.Where(s => s.Target == WarrenTarget.DisplayName && s.Scenario == Scenario.Publish).Select(s => s.CpuMicrosecondsPerMessage));
        Share("Publish → consume", publish + consume, samples.Where(s => s.Target == WarrenTarget.DisplayName && s.Scenario == Scenario.EndToEnd).Select(s => s.CpuMicrosecondsPerMessage));
        Share("Consume a backlog", consume, samples.Where(s => s.Target == WarrenTarget.DisplayName && s.Scenario == Scenario.Backlog).Select(s => s.CpuMicrosecondsPerMessage));
        // A call is sent and served by the same process here: the client's checks and the server's delivery checks.
        Share("RPC", call + consume, rpcSamples.Where(s => s.Target == WarrenTarget.DisplayName).Select(s => s.CpuMicrosecondsPerCall));

        static void Share(string scenario, double nanoseconds, IEnumerable<double> cpuMicroseconds)
        {
            double[] figures = [.. cpuMicroseconds.Order()];
            if (figures.Length > 0)
            {
                double median = figures[figures.Length / 2];
                Console.WriteLine($"No listener, {scenario}: {nanoseconds:0.0} ns of Warren's {median:0.0} µs CPU per message ({nanoseconds / 10 / median:0.000}%)");
            }
        }
    }

    /// <summary>The messaging scenarios (publish, publish → consume, a backlog): warm-up, then the rounds, then the optional allocation profile.</summary>
    private static async Task<List<Sample>> RunMessagingAsync(BenchOptions options, BrokerAdmin admin, CancellationToken cancellationToken)
    {
        IBenchTarget[] targets = CreateTargets(options);
        Scenario[] scenarios = [.. options.MessagingScenarios];
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
                foreach (Scenario scenario in scenarios)
                {
                    await Harness.MeasureAsync(target, scenario, options.WarmupMessages, admin, cancellationToken);
                }
            }

            Console.WriteLine("Warm-up done.");
            for (int round = 0; round < options.Rounds; round++)
            {
                foreach (Scenario scenario in scenarios)
                {
                    foreach (IBenchTarget target in Rotate(targets, round))
                    {
                        Sample sample = await Harness.MeasureAsync(target, scenario, options.Messages, admin, cancellationToken);
                        samples.Add(sample);
                        Console.WriteLine($"round {round + 1}/{options.Rounds}  {Report.Row(sample)}");
                    }
                }
            }

            if (options.ProfileAllocations)
            {
                await ProfileAllocationsAsync(targets, scenarios, options, admin, cancellationToken);
            }
        }
        finally
        {
            foreach (IBenchTarget target in targets)
            {
                await CleanUpAsync(target.Name, target, target.DeleteTopologyAsync, admin);
            }
        }

        return samples;
    }

    /// <summary>The RPC scenarios, 1 and 16 callers: warm-up, then the rounds, then the optional allocation profile.</summary>
    private static async Task<List<RpcSample>> RunRpcAsync(BenchOptions options, BrokerAdmin admin, CancellationToken cancellationToken)
    {
        IRpcTarget[] targets = CreateRpcTargets(options);
        var samples = new List<RpcSample>();
        try
        {
            foreach (IRpcTarget target in targets)
            {
                await target.StartAsync(cancellationToken);
            }

            // Warm-up at full size: JIT tiering, the clients' pools and the broker's queue and channel processes.
            foreach (IRpcTarget target in targets)
            {
                foreach (int callers in RpcHarness.CallerCounts)
                {
                    await RpcHarness.MeasureAsync(target, callers, options.RpcCallsFor(callers), cancellationToken);
                }
            }

            Console.WriteLine("RPC warm-up done.");
            for (int round = 0; round < options.Rounds; round++)
            {
                foreach (int callers in RpcHarness.CallerCounts)
                {
                    foreach (IRpcTarget target in Rotate(targets, round))
                    {
                        RpcSample sample = await RpcHarness.MeasureAsync(target, callers, options.RpcCallsFor(callers), cancellationToken);
                        samples.Add(sample);
                        Console.WriteLine($"round {round + 1}/{options.Rounds}  {Report.RpcRow(sample)}");
                    }
                }
            }

            if (options.ProfileAllocations)
            {
                await ProfileRpcAllocationsAsync(targets, options, cancellationToken);
            }
        }
        finally
        {
            foreach (IRpcTarget target in targets)
            {
                await CleanUpAsync(target.Name, target, target.DeleteTopologyAsync, admin);
            }
        }

        return samples;
    }

    /// <summary>Rotates the order each round so that no implementation always runs right after the same one.</summary>
    private static T[] Rotate<T>(T[] targets, int round) => [.. targets.Skip(round % targets.Length), .. targets.Take(round % targets.Length)];

    private static async Task CleanUpAsync(string name, IAsyncDisposable target, Func<BrokerAdmin, Task> deleteTopology, BrokerAdmin admin)
    {
        try
        {
            await target.DisposeAsync();
            await deleteTopology(admin);
        }
        catch (Exception ex)
        {
            // Keep cleaning up the others; a failure of the run itself is already on its way out.
            Console.Error.WriteLine($"Cleaning up {name} failed: {ex.Message}");
        }
    }

    /// <summary>Extra runs, kept out of the table because sampling costs a little time, that show what each implementation allocates.</summary>
    private static async Task ProfileAllocationsAsync(
        IBenchTarget[] targets, Scenario[] scenarios, BenchOptions options, BrokerAdmin admin, CancellationToken cancellationToken)
    {
        using var sampler = new AllocationSampler();
        foreach (Scenario scenario in scenarios)
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

    private static async Task ProfileRpcAllocationsAsync(IRpcTarget[] targets, BenchOptions options, CancellationToken cancellationToken)
    {
        using var sampler = new AllocationSampler();
        foreach (int callers in RpcHarness.CallerCounts)
        {
            foreach (IRpcTarget target in targets)
            {
                RpcSample sample = await RpcHarness.MeasureAsync(target, callers, options.RpcCallsFor(callers), cancellationToken, sampler);
                Console.WriteLine();
                Console.WriteLine($"Allocations of {target.Name}, {Report.RpcTitle(callers)} (sampled; {sample.BytesPerCall:N0} B/call measured):");
                foreach ((string type, long bytes) in sample.AllocationsByType.Take(15))
                {
                    Console.WriteLine($"{(double)bytes / sample.Calls,8:N0} B/call  {type}");
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
            var warren = new WarrenTarget(options.Uri);
            targets.Add(warren);
            if (options.Tracing)
            {
                // The same bus, measured again with OpenTelemetry listening: the rounds alternate the two like any others.
                targets.Add(new TracedWarrenTarget(warren));
            }
        }

        if (options.Only.Contains("masstransit"))
        {
            targets.Add(new MassTransitTarget(options.Uri));
        }

        if (options.Only.Contains("wolverine"))
        {
            targets.Add(new WolverineTarget(options.Uri));
        }

        return [.. targets];
    }

    /// <summary>The RPC implementations of the same <c>--only</c> selection, in the same order.</summary>
    private static IRpcTarget[] CreateRpcTargets(BenchOptions options)
    {
        var targets = new List<IRpcTarget>();
        if (options.Only.Contains("raw"))
        {
            targets.Add(new RawRpcTarget(options.Uri));
        }

        if (options.Only.Contains("warren"))
        {
            var warren = new WarrenRpcTarget(options.Uri);
            targets.Add(warren);
            if (options.Tracing)
            {
                targets.Add(new TracedWarrenRpcTarget(warren));
            }
        }

        if (options.Only.Contains("masstransit"))
        {
            targets.Add(new MassTransitRpcTarget(options.Uri));
        }

        if (options.Only.Contains("wolverine"))
        {
            targets.Add(new WolverineRpcTarget(options.Uri));
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
