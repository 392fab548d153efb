using System;
using System.Threading;
using System.Threading.Tasks;

namespace Warren.ColdStart;

/// <summary>
/// Writes "first" at the first message consumed and "all" at the tenth: the benchmark and tests/Warren.Aot.Tests time
/// these lines. Linked into every cold-start app.
/// </summary>
internal static class Progress
{
    public const int Queues = 10;
    private static readonly TaskCompletionSource Done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private static int _consumed;

    public static Task All => Done.Task;

    public static void Consumed(int id)
    {
        int count = Interlocked.Increment(ref _consumed);
        if (count == 1)
        {
            Console.WriteLine($"first {id}");
            if (Environment.GetEnvironmentVariable("COLDSTART_JIT_INFO") == "1")
            {
                // Where the start-up time went: the JIT's share, and how many methods it compiled before the first message.
                TimeSpan sinceStart = DateTime.Now - System.Diagnostics.Process.GetCurrentProcess().StartTime;
                Console.Error.WriteLine(
                    $"jit {System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds:0} ms, {System.Runtime.JitInfo.GetCompiledMethodCount()} methods; " +
                    $"{sinceStart.TotalMilliseconds:0} ms since the process started");
            }
        }

        if (count == Queues)
        {
            Console.WriteLine("all");
            Done.TrySetResult();
        }
    }

    /// <summary>Exit code 0 once all 10 arrived, 1 after 30 s without them.</summary>
    public static async Task<bool> WaitAsync() => await Task.WhenAny(All, Task.Delay(TimeSpan.FromSeconds(30))).ConfigureAwait(false) == All;
}
