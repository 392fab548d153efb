using System;
using System.Collections.Generic;
using System.Linq;

namespace Warren.Testing.Tests.Differential;

/// <summary>
/// What a scenario observably did on one backend: the events (each consumer's receipts with attempt and routing key, each
/// publish's result, each RPC call's result or exception) and the contents of the error queues with their reasons; all
/// sorted, so only multisets are compared, not the order of concurrent deliveries.
/// </summary>
public sealed record Outcome(IReadOnlyList<string> Events, IReadOnlyDictionary<string, IReadOnlyList<string>> ErrorQueues)
{
    public int Lines => Events.Count + ErrorQueues.Values.Sum(q => q.Count);

    /// <summary>How many copies each error queue holds: what the broker run waits for before it reads them.</summary>
    public IReadOnlyDictionary<string, int> ErrorCounts => ErrorQueues.ToDictionary(q => q.Key, q => q.Value.Count, StringComparer.Ordinal);

    public string Render()
    {
        var lines = new List<string>(Events);
        foreach (KeyValuePair<string, IReadOnlyList<string>> queue in ErrorQueues.OrderBy(q => q.Key, StringComparer.Ordinal))
        {
            lines.AddRange(queue.Value.Select(line => $"error-queue {queue.Key}: {line}"));
        }

        return string.Join('\n', lines);
    }
}
