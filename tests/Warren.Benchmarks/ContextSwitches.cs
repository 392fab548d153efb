using System;
using System.Runtime.InteropServices;

namespace Warren.Benchmarks;

/// <summary>
/// The process's context switches so far, summed over all its threads by getrusage(RUSAGE_SELF), in its two kinds:
/// voluntary, where a thread waited (a hop to another thread, a wake-up after a wait: what an extra await or timer
/// shows up in), and involuntary, where the kernel preempted a runnable thread. On this 2-core machine the involuntary
/// ones are most of the total and follow the broker's scheduling, not the client's work, so the voluntary ones are the
/// figure to compare. Both -1 where getrusage is not available.
/// </summary>
internal readonly record struct ContextSwitches(long Voluntary, long Involuntary)
{
    private const int RusageSelf = 0;

    public static ContextSwitches Read()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return new(-1, -1);
        }

        return getrusage(RusageSelf, out Rusage usage) == 0 ? new(usage.VoluntarySwitches, usage.InvoluntarySwitches) : new(-1, -1);
    }

    /// <summary>The switches since <paramref name="before"/>; unknown (-1) stays unknown.</summary>
    public ContextSwitches Since(ContextSwitches before) =>
        Voluntary < 0 || before.Voluntary < 0 ? new(-1, -1) : new(Voluntary - before.Voluntary, Involuntary - before.Involuntary);

    [DllImport("libc", SetLastError = true)]
    private static extern int getrusage(int who, out Rusage usage);

    /// <summary>struct rusage on 64-bit Unix: two timevals, then fourteen longs.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Rusage
    {
        public long UserSeconds, UserMicroseconds, SystemSeconds, SystemMicroseconds;
        public long MaxResidentSet, SharedMemory, UnsharedData, UnsharedStack, MinorFaults, MajorFaults, Swaps;
        public long BlockInputs, BlockOutputs, MessagesSent, MessagesReceived, Signals;
        public long VoluntarySwitches, InvoluntarySwitches;
    }
}
