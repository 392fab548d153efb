using System;

namespace Warren;

/// <summary>
/// How often a consumer calls its handler again after it throws, and how long it waits in between: exponential back-off
/// (each delay twice the one before, from <see cref="InitialDelay"/> up to <see cref="MaxDelay"/>) with a little jitter so
/// that consumers failing together do not retry in lockstep. The delivery stays unacknowledged while it waits. After
/// <see cref="MaxRetries"/> retries, that is <see cref="MaxRetries"/> + 1 calls, the message goes to the error queue
/// (see <see cref="ErrorQueues"/>). Set it for the whole bus with <see cref="BusOptions.Retry"/> or for one subscription
/// with <see cref="SubscribeOptions.Retry"/>.
/// </summary>
public sealed class RetryPolicy
{
    private const double Multiplier = 2;
    private const double Jitter = 0.1;

    private int _maxRetries = 3;
    private TimeSpan _initialDelay = TimeSpan.FromMilliseconds(200);
    private TimeSpan _maxDelay = TimeSpan.FromSeconds(5);

    /// <summary>No retries: a failing message goes to the error queue after the first call. A new policy each time, so changing one changes no other.</summary>
    public static RetryPolicy None => new() { MaxRetries = 0 };

    /// <summary>How many times the handler is called again after it throws; 3 by default, 0 for no retries.</summary>
    public int MaxRetries
    {
        get => _maxRetries;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(MaxRetries));
            _maxRetries = value;
        }
    }

    /// <summary>The wait before the first retry; 200 ms by default.</summary>
    public TimeSpan InitialDelay
    {
        get => _initialDelay;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero, nameof(InitialDelay));
            _initialDelay = value;
        }
    }

    /// <summary>The longest wait between two calls, however many retries came before; 5 s by default.</summary>
    public TimeSpan MaxDelay
    {
        get => _maxDelay;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero, nameof(MaxDelay));
            _maxDelay = value;
        }
    }

    /// <summary>The wait before retry number <paramref name="retry"/> (1 for the first retry), jitter included.</summary>
    internal TimeSpan DelayBefore(int retry)
    {
        double exponential = _initialDelay.Ticks * Math.Pow(Multiplier, Math.Max(0, retry - 1));
        double capped = Math.Min(exponential, _maxDelay.Ticks);
        double jittered = capped * (1 + (Jitter * ((Random.Shared.NextDouble() * 2) - 1)));
        return TimeSpan.FromTicks((long)Math.Min(jittered, _maxDelay.Ticks));
    }

    /// <inheritdoc/>
    public override string ToString() => $"RetryPolicy {{ MaxRetries = {MaxRetries}, InitialDelay = {InitialDelay}, MaxDelay = {MaxDelay} }}";
}
