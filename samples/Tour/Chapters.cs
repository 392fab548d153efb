using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace Warren.Samples.Tour;

/// <summary>The tutorials, one chapter each, with the tutorials' consumers, bindings and messages.</summary>
internal static class Chapters
{
    /// <summary>The workers' pretend work per '.', shorter than the tutorial's second to keep the tour quick.</summary>
    private static readonly TimeSpan TimePerDot = TimeSpan.FromMilliseconds(50);

    private static readonly (string Title, Func<Chapter, Task> Run)[] All =
    [
        ("1. Hello World: queue 'hello'", HelloWorldAsync),
        ("2a. Work queues, round-robin: two workers share durable queue 'task_queue'", RoundRobinAsync),
        ("2b. Work queues, fair dispatch: prefetch 1 gives no new task to a busy worker", FairDispatchAsync),
        ("3. Publish/Subscribe: fanout exchange 'logs', one exclusive queue per receiver", PublishSubscribeAsync),
        ("4. Routing: direct exchange 'direct_logs', bound by severity", RoutingAsync),
        ("5. Topics: topic exchange 'topic_logs', '*' matches one word and '#' any", TopicsAsync),
        ("6. Headers: headers exchange 'shapes', x-match all or any", HeadersAsync),
        ("7. RPC: a server answers fib(n) from queue 'rpc_queue', the client waits for the reply", RpcAsync),
    ];

    /// <summary>Runs every chapter, even after one failed; true when all passed.</summary>
    public static async Task<bool> RunAllAsync(Bus bus, CancellationToken stopping)
    {
        int failed = 0;
        foreach ((string title, Func<Chapter, Task> run) in All)
        {
            Console.WriteLine();
            Console.WriteLine(title);
            await using var chapter = new Chapter(bus, stopping);
            await run(chapter);
            chapter.Report();
            failed += chapter.Passed ? 0 : 1;
        }

        Console.WriteLine();
        Console.WriteLine(failed == 0 ? "Every consumer got what the tutorials say it should." : $"{failed} of {All.Length} chapters FAILED.");
        return failed == 0;
    }

    private static async Task HelloWorldAsync(Chapter chapter)
    {
        Recorder receiver = await chapter.StartAsync("receive", output => new HelloReceiver(output));
        await chapter.PublishAsync(new Hello("Hello World!"));
        await chapter.ExpectAsync(receiver, " [x] Received 'Hello World!'");
    }

    private static async Task RoundRobinAsync(Chapter chapter)
    {
        Recorder[] workers = await StartWorkersAsync(chapter);
        string[] tasks = ["First message.", "Second message..", "Third message...", "Fourth message....", "Fifth message....."];
        foreach (string task in tasks)
        {
            await chapter.PublishAsync(new WorkItem(task));
        }

        await chapter.ExpectAsync("all five tasks done", () => workers.Sum(CountDone) == tasks.Length);
        chapter.Check("each task received once", workers.SelectMany(TasksOf).Order(StringComparer.Ordinal).SequenceEqual(tasks.Order(StringComparer.Ordinal)));
        chapter.Check("both workers got tasks", workers.All(worker => TasksOf(worker).Any()));
    }

    private static async Task FairDispatchAsync(Chapter chapter)
    {
        Recorder[] workers = await StartWorkersAsync(chapter);
        // One task twenty times longer than the others: while a worker is on it, the other does all the short ones.
        string heavy = "Heavy task" + new string('.', 20);
        string[] tasks = [heavy, "Light task 1.", "Light task 2.", "Light task 3.", "Light task 4."];
        foreach (string task in tasks)
        {
            await chapter.PublishAsync(new WorkItem(task));
        }

        await chapter.ExpectAsync("all five tasks done", () => workers.Sum(CountDone) == tasks.Length);
        chapter.Check(
            "the worker busy with the heavy task got no other task",
            workers.Any(worker => TasksOf(worker).SequenceEqual([heavy])));
    }

    private static async Task PublishSubscribeAsync(Chapter chapter)
    {
        Recorder first = await chapter.StartAsync("receive (1)", output => new LogReceiver(output));
        Recorder second = await chapter.StartAsync("receive (2)", output => new LogReceiver(output));
        await chapter.PublishAsync(new LogLine("info: Hello World!"));
        await chapter.PublishAsync(new LogLine("warning: Disk almost full."));
        foreach (Recorder receiver in new[] { first, second })
        {
            await chapter.ExpectAsync(receiver, " [x] info: Hello World!", " [x] warning: Disk almost full.");
        }
    }

    private static async Task RoutingAsync(Chapter chapter)
    {
        Recorder severe = await chapter.StartAsync("receive warning error", output => new SeverityLogReceiver(output), Bindings("warning", "error"));
        Recorder all = await chapter.StartAsync("receive info warning error", output => new SeverityLogReceiver(output), Bindings("info", "warning", "error"));
        await chapter.PublishAsync(new SeverityLog("info", "Hello World!"));
        await chapter.PublishAsync(new SeverityLog("warning", "Disk almost full."));
        // Last, and for every receiver: anything misrouted before it would already be in the lines compared below.
        await chapter.PublishAsync(new SeverityLog("error", "Run. Run. Or it will explode."));
        await chapter.ExpectAsync(severe, " [x] warning:Disk almost full.", " [x] error:Run. Run. Or it will explode.");
        await chapter.ExpectAsync(all, " [x] info:Hello World!", " [x] warning:Disk almost full.", " [x] error:Run. Run. Or it will explode.");
    }

    private static async Task TopicsAsync(Chapter chapter)
    {
        Recorder everything = await chapter.StartAsync("receive \"#\"", output => new TopicLogReceiver(output), Bindings("#"));
        Recorder kernel = await chapter.StartAsync("receive \"kern.*\"", output => new TopicLogReceiver(output), Bindings("kern.*"));
        Recorder critical = await chapter.StartAsync("receive \"*.critical\"", output => new TopicLogReceiver(output), Bindings("*.critical"));
        // The same two keys as attributes: one queue with two bindings gets a message matching both only once.
        Recorder watch = await chapter.StartAsync("KernelWatch, [Bind(\"kern.*\"), Bind(\"*.critical\")]", output => new KernelWatch(output));
        await chapter.PublishAsync(new TopicLog("anonymous", "info", "Hello World!"));
        await chapter.PublishAsync(new TopicLog("kern", "info", "Kernel booted."));
        await chapter.PublishAsync(new TopicLog("cron", "critical", "Cron daemon died."));
        // Last, and for every receiver, like the error in chapter 4.
        await chapter.PublishAsync(new TopicLog("kern", "critical", "A critical kernel error"));
        await chapter.ExpectAsync(
            everything,
            " [x] anonymous.info:Hello World!", " [x] kern.info:Kernel booted.", " [x] cron.critical:Cron daemon died.", " [x] kern.critical:A critical kernel error");
        await chapter.ExpectAsync(kernel, " [x] kern.info:Kernel booted.", " [x] kern.critical:A critical kernel error");
        await chapter.ExpectAsync(critical, " [x] cron.critical:Cron daemon died.", " [x] kern.critical:A critical kernel error");
        await chapter.ExpectAsync(watch, " [x] kern.info:Kernel booted.", " [x] cron.critical:Cron daemon died.", " [x] kern.critical:A critical kernel error");
    }

    private static async Task HeadersAsync(Chapter chapter)
    {
        Recorder all = await chapter.StartAsync("receive all color=blue size=big", output => new ShapeReceiver(output), HeaderBinding(HeadersMatch.All));
        Recorder any = await chapter.StartAsync("receive any color=blue size=big", output => new ShapeReceiver(output), HeaderBinding(HeadersMatch.Any));
        await chapter.PublishAsync(new Shape("red", "small", "A small red shape"));
        await chapter.PublishAsync(new Shape("blue", "small", "A small blue shape"));
        await chapter.PublishAsync(new Shape("red", "big", "A big red shape"));
        // Last, and for every receiver, like the error in chapter 4.
        await chapter.PublishAsync(new Shape("blue", "big", "A big blue shape"));
        await chapter.ExpectAsync(all, " [x] color=blue size=big: A big blue shape");
        await chapter.ExpectAsync(
            any, " [x] color=blue size=small: A small blue shape", " [x] color=red size=big: A big red shape", " [x] color=blue size=big: A big blue shape");

        static SubscribeOptions HeaderBinding(HeadersMatch match) =>
            new() { HeaderBindings = [HeadersBinding.FromPairs(match, "color", "blue", "size", "big")] };
    }

    private static async Task RpcAsync(Chapter chapter)
    {
        // Prefetch 1 as in the tutorial's rpc_server.py; the recorder gets the server's " [.] fib(n)" lines.
        Recorder server = await chapter.ServeAsync<IFibonacci>("server", output => new FibonacciService(output), new ServeOptions { Prefetch = 1 });
        IFibonacci fibonacci = chapter.CreateClient<IFibonacci>();
        Recorder client = chapter.Record("client");
        (int N, long Fib)[] calls = [(0, 0), (1, 1), (10, 55), (30, 832040)];
        foreach ((int n, long expected) in calls)
        {
            client.Write($" [x] Requesting fib({n})");
            try
            {
                long response = await fibonacci.FibAsync(n, chapter.Stopping);
                client.Write($" [.] Got {response}");
                chapter.Check($"fib({n}) to be {expected}, got {response}", response == expected);
            }
            catch (Exception ex) when (ex is TimeoutException or RpcException)
            {
                client.Write($" [!] {ex.Message}");
                chapter.Check($"fib({n}) to be {expected}, got {ex.GetType().Name}", holds: false);
            }
        }

        // One request at a time, so the server handled them in the order they were sent.
        await chapter.ExpectAsync(server, [.. calls.Select(call => $" [.] fib({call.N})")]);
    }

    private static async Task<Recorder[]> StartWorkersAsync(Chapter chapter) =>
    [
        await chapter.StartAsync("worker (1)", output => new Worker(output, TimePerDot)),
        await chapter.StartAsync("worker (2)", output => new Worker(output, TimePerDot)),
    ];

    private static SubscribeOptions Bindings(params string[] keys) => new() { Bindings = keys };

    // A worker prints " [x] Received <task>" when it starts a task and " [x] Done" when it has finished it.
    private static int CountDone(Recorder worker) => worker.Lines.Count(line => line == " [x] Done");

    private static IEnumerable<string> TasksOf(Recorder worker) =>
        worker.Lines.Where(line => line.StartsWith(" [x] Received ", StringComparison.Ordinal)).Select(line => line[" [x] Received ".Length..]);
}
