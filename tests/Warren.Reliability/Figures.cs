using System;
using System.Collections.Generic;
using System.Text;

namespace Warren.Reliability;

/// <summary>What became of one publish, as the publisher saw it.</summary>
public enum PublishOutcome
{
    /// <summary>Not finished yet.</summary>
    Pending,

    /// <summary><c>PublishAsync</c> returned: the broker confirmed the message.</summary>
    Confirmed,

    /// <summary><c>PublishAsync</c> threw a definite failure: the broker did not take the message (nack, return, refused, never sent).</summary>
    Failed,

    /// <summary><c>PublishAsync</c> threw without knowing: sent but not confirmed, or interrupted.</summary>
    Unknown,
}

/// <summary>The figures of one broker or client fault, the way RabbitMQ's Jepsen suite reports them.</summary>
public sealed class FaultFigures
{
    /// <summary>The scenario's name, as the table and the tests show it.</summary>
    public required string Scenario { get; init; }

    /// <summary>What the suite did to the broker or the client.</summary>
    public required string Fault { get; init; }

    /// <summary>Publishes started (each with a unique id).</summary>
    public int Sent { get; set; }

    /// <summary>Publishes the broker confirmed.</summary>
    public int Confirmed { get; set; }

    /// <summary>Publishes that failed definitely (the broker did not take the message).</summary>
    public int Failed { get; set; }

    /// <summary>Publishes whose outcome the publisher could not know.</summary>
    public int Unknown { get; set; }

    /// <summary>Of the unknown publishes, how many were delivered nevertheless.</summary>
    public int UnknownDelivered { get; set; }

    /// <summary>Distinct ids delivered: to a consumer, or found when the queues were drained (error queue included).</summary>
    public int Delivered { get; set; }

    /// <summary>Confirmed but never delivered. Must be 0.</summary>
    public int Lost { get; set; }

    /// <summary>Delivered but never sent, sent by another run, or reported failed by the publisher. Must be 0.</summary>
    public int Unexpected { get; set; }

    /// <summary>Deliveries beyond the first of an id.</summary>
    public int Duplicates { get; set; }

    /// <summary>The most duplicates the scenario allows.</summary>
    public int DuplicateBound { get; set; }

    /// <summary>Where <see cref="DuplicateBound"/> comes from: publishes in flight (the confirm window) and the prefetch.</summary>
    public string DuplicateBasis { get; set; } = string.Empty;

    /// <summary>From the fault healing to the first publish confirmed after it; null when it never came.</summary>
    public TimeSpan? ConfirmRecovery { get; set; }

    /// <summary>False when nothing is published during the fault (the batch was confirmed before it), so there is no confirm recovery.</summary>
    public bool PublishesDuringFault { get; set; } = true;

    /// <summary>From the fault healing to the first delivery after it.</summary>
    public TimeSpan? DeliveryRecovery { get; set; }

    /// <summary>Observations worth reading beside the figures.</summary>
    public List<string> Notes { get; } = [];

    /// <summary>Every way the scenario broke a promise; empty when it passed.</summary>
    public List<string> Violations { get; } = [];

    /// <summary>True when nothing was violated.</summary>
    public bool Passed => Violations.Count == 0;

    /// <summary>The row, the violations and the notes, for a failing test's message.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.AppendLine($"{Scenario} ({Fault}): sent {Sent}, confirmed {Confirmed}, failed {Failed}, unknown {Unknown} ({UnknownDelivered} delivered), " +
                        $"delivered {Delivered}, lost {Lost}, unexpected {Unexpected}, duplicates {Duplicates} (bound {DuplicateBound}: {DuplicateBasis}), " +
                        $"recovery {Report.Recovery(this)}");
        foreach (string violation in Violations)
        {
            text.AppendLine("  VIOLATION: " + violation);
        }

        foreach (string note in Notes)
        {
            text.AppendLine("  note: " + note);
        }

        return text.ToString();
    }
}

/// <summary>One kind of bad input sent to a running consumer, or a message the publisher must refuse.</summary>
public sealed class BadInputFigures
{
    /// <summary>The kind of input.</summary>
    public required string Input { get; init; }

    /// <summary>Messages of this kind sent (or attempted, for the publisher-side limits).</summary>
    public int Sent { get; set; }

    /// <summary>Calls of the consumer's handler with this input.</summary>
    public int HandlerCalls { get; set; }

    /// <summary>Copies found in the error queue.</summary>
    public int InErrorQueue { get; set; }

    /// <summary>Sent (and not refused by the publisher) but neither handled nor in the error queue. Must be 0.</summary>
    public int Lost { get; set; }

    /// <summary>What happened: the error queue's reason header, or the publisher's exception.</summary>
    public string Outcome { get; set; } = string.Empty;

    /// <summary>Every way the row broke a promise; empty when it passed.</summary>
    public List<string> Violations { get; } = [];

    /// <summary>True when nothing was violated.</summary>
    public bool Passed => Violations.Count == 0;

    /// <summary>The row and its violations, for a failing test's message.</summary>
    public string Describe()
    {
        var text = new StringBuilder($"{Input}: sent {Sent}, handler calls {HandlerCalls}, in error queue {InErrorQueue}, lost {Lost}; {Outcome}");
        foreach (string violation in Violations)
        {
            text.AppendLine().Append("  VIOLATION: ").Append(violation);
        }

        return text.ToString();
    }
}

/// <summary>A credentials or permission case: what the application sees, how fast, and whether the password leaked.</summary>
public sealed class AccessFigures
{
    /// <summary>The case.</summary>
    public required string Case { get; init; }

    /// <summary>The exception type and reply code the application got.</summary>
    public string Error { get; set; } = "(none)";

    /// <summary>What the error names: the virtual host and the resource.</summary>
    public string Names { get; set; } = string.Empty;

    /// <summary>From the call to the error.</summary>
    public TimeSpan TimeToFail { get; set; }

    /// <summary>Attempts the broker saw (connections accepted, or channel errors for the publish case): 1 means no retry storm.</summary>
    public int BrokerAttempts { get; set; }

    /// <summary>Whether the password showed up in a log line, an exception or a ToString().</summary>
    public bool PasswordLeaked { get; set; }

    /// <summary>Every way the case broke a promise; empty when it passed.</summary>
    public List<string> Violations { get; } = [];

    /// <summary>True when nothing was violated.</summary>
    public bool Passed => Violations.Count == 0;

    /// <summary>The row and its violations, for a failing test's message.</summary>
    public string Describe()
    {
        var text = new StringBuilder($"{Case}: {Error} naming {Names}; failed after {Report.Seconds(TimeToFail)}, broker attempts {BrokerAttempts}, password leaked: {PasswordLeaked}");
        foreach (string violation in Violations)
        {
            text.AppendLine().Append("  VIOLATION: ").Append(violation);
        }

        return text.ToString();
    }
}
