using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Warren.Reliability;

/// <summary>
/// The <c>consume</c> sub-command: a consumer in a process of its own, which the consumer-crash scenario kills with
/// SIGKILL. It prints <c>ready</c> once subscribed, <c>got &lt;id&gt; &lt;redelivered&gt;</c> when its handler starts on a
/// message and <c>done &lt;id&gt;</c> when the handler returns (Warren acks right after).
/// </summary>
internal static class ConsumerProcess
{
    public const string Usage = "consume --uri <amqp uri> --run <run id> [--prefetch <n>] [--delay-ms <ms>]";

    public static async Task<int> RunAsync(string[] args)
    {
        Uri? uri = null;
        string? run = null;
        ushort prefetch = 50;
        int delayMs = 10;
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--uri": uri = new Uri(args[i + 1]); break;
                case "--run": run = args[i + 1]; break;
                case "--prefetch": prefetch = ushort.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture); break;
                case "--delay-ms": delayMs = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture); break;
                default:
                    Console.Error.WriteLine($"unknown option {args[i]}; usage: {Usage}");
                    return 2;
            }
        }

        if (uri is null || run is null)
        {
            Console.Error.WriteLine("usage: " + Usage);
            return 2;
        }

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };

        await using Bus bus = await Bus.ConnectAsync(new BusOptions { Uri = uri, ClientName = "reliability-consumer-process" }, stop.Token);
        await using Subscription subscription = await bus.SubscribeAsync<LedgerEntry>(
            async (entry, context, _) =>
            {
                if (entry.Run != run)
                {
                    Console.Out.WriteLine($"stale {entry.Id}");
                    return;
                }

                Console.Out.WriteLine($"got {entry.Id} {(context.Redelivered ? 1 : 0)}");
                await Task.Delay(delayMs, CancellationToken.None);
                Console.Out.WriteLine($"done {entry.Id}");
            },
            new SubscribeOptions { Prefetch = prefetch },
            stop.Token);
        Console.Out.WriteLine("ready");
        try
        {
            // Until killed; a parent that dies without killing us must not leave us running for long.
            await Task.Delay(TimeSpan.FromMinutes(2), stop.Token);
        }
        catch (OperationCanceledException)
        {
        }

        return 0;
    }
}

/// <summary>The parent's handle on a <see cref="ConsumerProcess"/>: starts it, reads what it prints, kills it.</summary>
internal sealed class ChildConsumer : IDisposable
{
    private readonly System.Diagnostics.Process _process;
    private readonly ConcurrentDictionary<int, bool> _got = new();
    private readonly ConcurrentDictionary<int, bool> _done = new();
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _stale;

    private ChildConsumer(System.Diagnostics.Process process) => _process = process;

    /// <summary>Ids whose handler started in the child.</summary>
    public ICollection<int> Got => _got.Keys;

    /// <summary>Ids whose handler returned in the child.</summary>
    public ICollection<int> Done => _done.Keys;

    public int DoneCount => _done.Count;

    /// <summary>Deliveries of another run's messages.</summary>
    public int Stale => Volatile.Read(ref _stale);

    public static ChildConsumer Start(Uri uri, string run, ushort prefetch, int delayMs)
    {
        string assembly = typeof(ConsumerProcess).Assembly.Location;
        var info = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { assembly, "consume", "--uri", uri.ToString(), "--run", run, "--prefetch", prefetch.ToString(System.Globalization.CultureInfo.InvariantCulture), "--delay-ms", delayMs.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(argument);
        }

        var process = new System.Diagnostics.Process { StartInfo = info };
        var child = new ChildConsumer(process);
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line)
            {
                child._errors.Enqueue(line);
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Waits for <c>ready</c>; throws with the child's stderr when it does not come.</summary>
    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        Task exited = _process.WaitForExitAsync();
        Task first = await Task.WhenAny(_ready.Task, exited, Task.Delay(timeout));
        if (first != _ready.Task)
        {
            throw new InvalidOperationException(
                $"The consumer process did not get ready within {timeout.TotalSeconds:0} s{(first == exited ? $" (it exited with {_process.ExitCode})" : string.Empty)}: {string.Join(" / ", _errors)}");
        }
    }

    /// <summary>SIGKILL: no shutdown, no acks, the TCP connection dies with the process.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        string[] parts = line.Split(' ');
        switch (parts[0])
        {
            case "ready":
                _ready.TrySetResult();
                break;
            case "got" when parts.Length == 3 && int.TryParse(parts[1], out int got):
                _got[got] = parts[2] == "1";
                break;
            case "stale":
                Interlocked.Increment(ref _stale);
                break;
            case "done" when parts.Length == 2 && int.TryParse(parts[1], out int done):
                _done[done] = true;
                break;
        }
    }

    /// <summary>The dotnet host that runs this process (tests run under it too), else the one on the PATH.</summary>
    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }

        string? current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone.
        }

        _process.Dispose();
    }
}
