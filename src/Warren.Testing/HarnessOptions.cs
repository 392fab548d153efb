using System;

namespace Warren.Testing;

/// <summary>How a <see cref="WarrenTestHarness"/> behaves.</summary>
public sealed class HarnessOptions
{
    /// <summary>
    /// The options the harness stands for, as a bus would take them: <see cref="BusOptions.Retry"/>,
    /// <see cref="BusOptions.Prefetch"/>, <see cref="BusOptions.MaxMessageSize"/> and
    /// <see cref="BusOptions.JsonSerializerOptions"/> apply; the connection settings are ignored.
    /// </summary>
    public BusOptions Bus { get; set; } = new();

    /// <summary>
    /// Wait between retries as the retry policy says. Off by default: a failing handler is called again at once, so a
    /// test of retries does not wait for back-off; the number of calls and the outcome are the same.
    /// </summary>
    public bool UseRetryDelays { get; set; }

    /// <summary>How long <see cref="WarrenTestHarness.DrainAsync"/> and the waiting helpers wait by default; 10 s.</summary>
    public TimeSpan DefaultTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
