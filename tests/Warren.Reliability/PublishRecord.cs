using System;

namespace Warren.Reliability;

/// <summary>One publish of a fault run, as the publisher saw it: when it started, how and when it ended.</summary>
internal sealed class PublishRecord(TimeSpan startedAt)
{
    public TimeSpan StartedAt { get; } = startedAt;

    public PublishOutcome Outcome { get; private set; } = PublishOutcome.Pending;

    public TimeSpan CompletedAt { get; private set; }

    public string? Error { get; private set; }

    public void Complete(PublishOutcome outcome, TimeSpan completedAt, string? error)
    {
        CompletedAt = completedAt;
        Error = error;
        Outcome = outcome;
    }
}
