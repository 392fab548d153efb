using System;
using System.Runtime.InteropServices;

namespace Warren.Benchmarks;

/// <summary>
/// The process's context switches so far, voluntary (a thread waited: a hop between threads, a wake-up) and involuntary
/// (preempted), summed over all its threads by getrusage(RUSAGE_SELF). Steadier than msgs/s on a busy machine, and what a
/// thread hop per message shows up in. -1 where getrusage is not available.
/// </summary>
internal static class ContextSwitches
{
    private const int RusageSelf = 0;

    public static long Read()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return -1;
        }

        return getrusage(RusageSelf, out Rusage usage) == 0 ? usage.VoluntarySwitches + usage.InvoluntarySwitches : -1;
    }

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
