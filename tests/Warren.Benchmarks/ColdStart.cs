using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Warren.ColdStart;

namespace Warren.Benchmarks;

/// <summary>One app of tests/Warren.ColdStart, published once, then started again and again.</summary>
/// <param name="Name">The name shown in the results.</param>
/// <param name="Folder">Its folder under tests/Warren.ColdStart, which names its queues too (lower-cased).</param>
/// <param name="Aot">Published with NativeAOT (<c>-p:WarrenAot=true</c>) rather than as a framework-dependent JIT app.</param>
internal sealed record ColdApp(string Name, string Folder, bool Aot)
{
    public const string WarrenAotName = "Warren (NativeAOT)";

    public string Project => $"Warren.ColdStart.{Folder}";

    /// <summary>The queues it consumes; the Warren app's are the same for both builds.</summary>
    public IEnumerable<string> Queues => Enumerable.Range(0, 10).Select(i => $"coldstart.{Folder.ToLowerInvariant()}.{i}");
}

/// <summary>What one publish left: where the program is and how big it is.</summary>
internal sealed record PublishedApp(ColdApp App, string Executable, long Bytes, long ExecutableBytes, int Warnings);

/// <summary>One start of a published app: from <c>Process.Start</c> to its "first" and "all" lines and to its exit.</summary>
internal sealed record ColdSample(string Target, double FirstMilliseconds, double AllMilliseconds, double ExitMilliseconds);

/// <summary>
/// The cold-start scenario: each app of tests/Warren.ColdStart is published with <c>dotnet publish -c Release</c> (the Warren
/// app a second time with NativeAOT for the "aot" scenario), started once untimed (the OS file cache), then started
/// <c>runs</c> times in an order that rotates each run, from a purged set of queues each time.
/// </summary>
internal static class ColdStart
{
    public static readonly ColdApp[] Apps =
    [
        new(RawClientTarget.DisplayName, "Raw", Aot: false),
        new(WarrenTarget.DisplayName, "Warren", Aot: false),
        new(ColdApp.WarrenAotName, "Warren", Aot: true),
        new(MassTransitTarget.DisplayName, "MassTransit", Aot: false),
        new(WolverineTarget.DisplayName, "Wolverine", Aot: false),
    ];

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>The apps the options ask for: "coldstart" runs the selected implementations, "aot" Warren's two builds.</summary>
    public static ColdApp[] Selected(BenchOptions options)
    {
        bool coldStart = options.Scenarios.Contains("coldstart"), aot = options.Scenarios.Contains("aot");
        return
        [
            .. Apps.Where(app => app switch
            {
                { Aot: true } => aot,
                { Folder: "Warren" } => aot || (coldStart && options.Only.Contains("warren")),
                { Folder: "Raw" } => coldStart && options.Only.Contains("raw"),
                _ => coldStart && options.Only.Contains(app.Folder.ToLowerInvariant()),
            }),
        ];
    }

    public static async Task<(List<ColdSample> Samples, List<PublishedApp> Published)> RunAsync(
        ColdApp[] apps, BenchOptions options, BrokerAdmin admin, CancellationToken cancellationToken)
    {
        var published = new List<PublishedApp>();
        foreach (ColdApp app in apps)
        {
            PublishedApp result = await PublishAsync(app, options.ReadyToRun, cancellationToken);
            published.Add(result);
            Console.WriteLine($"published {app.Name,-32} {result.Bytes / 1e6,7:0.0} MB ({result.ExecutableBytes / 1e6:0.0} MB executable), " +
                $"{result.Warnings} IL/AOT warning(s): {result.Executable}");
        }

        var samples = new List<ColdSample>();
        PublishedApp[] order = [.. published];
        try
        {
            // One untimed start each: the first start after a publish reads every file from disk.
            foreach (PublishedApp app in order)
            {
                await StartOnceAsync(app, options.Uri, admin, cancellationToken);
            }

            for (int run = 0; run < options.ColdStartRuns; run++)
            {
                foreach (PublishedApp app in order.Skip(run % order.Length).Concat(order.Take(run % order.Length)))
                {
                    ColdSample sample = await StartOnceAsync(app, options.Uri, admin, cancellationToken);
                    samples.Add(sample);
                    Console.WriteLine($"run {run + 1}/{options.ColdStartRuns}  {sample.Target,-32} first message {sample.FirstMilliseconds,7:0.0} ms  " +
                        $"all 10 {sample.AllMilliseconds,7:0.0} ms  exit {sample.ExitMilliseconds,7:0.0} ms");
                }
            }
        }
        finally
        {
            await DeleteTopologyAsync(apps, admin);
        }

        return (samples, published);
    }

    private static async Task<PublishedApp> PublishAsync(ColdApp app, bool readyToRun, CancellationToken cancellationToken)
    {
        Publication publication = await ColdStartProcess.PublishAsync(app.Folder, app.Aot, cancellationToken, readyToRun: readyToRun && !app.Aot);
        return new PublishedApp(app, publication.Executable, publication.Bytes, publication.ExecutableBytes, publication.Warnings.Length);
    }

    private static async Task<ColdSample> StartOnceAsync(PublishedApp app, Uri uri, BrokerAdmin admin, CancellationToken cancellationToken)
    {
        // From empty queues: a message left by a failed start would be "consumed" before the app has sent its own.
        foreach (string queue in app.App.Queues)
        {
            await admin.PurgeAsync(queue);
        }

        GC.Collect();
        await Task.Delay(TimeSpan.FromMilliseconds(300), cancellationToken);
        StartTimes times = await ColdStartProcess.StartAsync(app.Executable, uri, Timeout, cancellationToken);
        return new ColdSample(app.App.Name, times.FirstMilliseconds, times.AllMilliseconds, times.ExitMilliseconds);
    }

    private static async Task DeleteTopologyAsync(IEnumerable<ColdApp> apps, BrokerAdmin admin)
    {
        foreach (ColdApp app in apps.DistinctBy(a => a.Folder))
        {
            int i = 0;
            foreach (string queue in app.Queues)
            {
                await Try(() => admin.DeleteQueueAsync(queue));
                if (app.Folder == "Warren")
                {
                    await Try(() => admin.DeleteQueueAsync(ErrorQueues.NameFor(queue)));
                }
                else if (app.Folder == "MassTransit")
                {
                    // MassTransit binds each queue behind an exchange of its name, and that behind the message type's.
                    await Try(() => admin.DeleteExchangeAsync(queue));
                    await Try(() => admin.DeleteExchangeAsync($"Warren.ColdStart:Cold{i}"));
                }

                i++;
            }

            if (app.Folder == "MassTransit")
            {
                await Try(() => admin.DeleteExchangeAsync("Warren.ColdStart:IColdMessage"));
            }
            else if (app.Folder == "Wolverine")
            {
                await Try(() => WolverineHosts.DeleteSharedTopologyAsync(admin));
            }
        }

        static async Task Try(Func<Task> delete)
        {
            try
            {
                await delete();
            }
            catch (Exception ex)
            {
                Console.Error.WriteLine($"Cleaning up the cold-start topology: {ex.Message}");
            }
        }
    }
}
