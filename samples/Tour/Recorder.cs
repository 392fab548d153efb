using System.Collections.Concurrent;
using System.Collections.Generic;

namespace Warren.Samples.Tour;

/// <summary>Collects the lines one consumer prints, so the tour can wait for them and show them afterwards.</summary>
internal sealed class Recorder(string name)
{
    private readonly ConcurrentQueue<string> _lines = new();

    /// <summary>How the tour names the consumer, usually as its command line would.</summary>
    public string Name { get; } = name;

    public int Count => _lines.Count;

    public IReadOnlyList<string> Lines => [.. _lines];

    /// <summary>Handed to the consumer in place of Console.WriteLine.</summary>
    public void Write(string line) => _lines.Enqueue(line);
}
