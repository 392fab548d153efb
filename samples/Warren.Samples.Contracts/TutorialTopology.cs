using System.Collections.Generic;

namespace Warren.Samples;

/// <summary>
/// The named queues and exchanges the tutorials declare, for whoever has to remove them again (the tour does).
/// Server-named queues are not listed: they are exclusive and vanish with their subscription.
/// </summary>
public static class TutorialTopology
{
    /// <summary>The named queues.</summary>
    public static IReadOnlyList<string> Queues { get; } = [Hello.QueueName, WorkItem.QueueName, FibonacciService.QueueName];

    /// <summary>The exchanges.</summary>
    public static IReadOnlyList<string> Exchanges { get; } =
        [LogLine.ExchangeName, SeverityLog.ExchangeName, TopicLog.ExchangeName, Shape.ExchangeName];
}
