using System;
using System.Threading;
using System.Threading.Tasks;

namespace Warren.Reliability;

/// <summary>Polling with a deadline, never a fixed sleep standing in for a condition.</summary>
internal static class Wait
{
    /// <summary>True as soon as <paramref name="condition"/> holds; false when <paramref name="timeout"/> passed first.</summary>
    public static async Task<bool> UntilAsync(Func<bool> condition, TimeSpan timeout, CancellationToken cancellationToken)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(25, cancellationToken);
        }

        return true;
    }

    /// <summary>The same with a condition that asks the broker.</summary>
    public static async Task<bool> UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, CancellationToken cancellationToken)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(50, cancellationToken);
        }

        return true;
    }
}
