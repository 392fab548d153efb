using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace Warren.Reliability;

/// <summary>Every table of one run of the suite, as markdown.</summary>
public sealed class Report
{
    /// <summary>The broker and client fault scenarios.</summary>
    public List<FaultFigures> Faults { get; } = [];

    /// <summary>The bad-input rows.</summary>
    public List<BadInputFigures> BadInput { get; } = [];

    /// <summary>The credentials and permission cases.</summary>
    public List<AccessFigures> Access { get; } = [];

    /// <summary>True when every row passed.</summary>
    public bool Passed => Faults.All(f => f.Passed) && BadInput.All(b => b.Passed) && Access.All(a => a.Passed);

    /// <summary>Milliseconds under a second, else seconds with one decimal; "never" when it never happened.</summary>
    public static string Seconds(TimeSpan? time) => time switch
    {
        null => "never",
        { TotalSeconds: < 1 } t => string.Create(CultureInfo.InvariantCulture, $"{t.TotalMilliseconds:0} ms"),
        { } t => string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:0.0} s"),
    };

    /// <summary>The recovery cell: to the first confirm, and to the first delivery, after the fault healed.</summary>
    public static string Recovery(FaultFigures figures) =>
        $"{(figures.PublishesDuringFault ? Seconds(figures.ConfirmRecovery) : "n/a")} / {Seconds(figures.DeliveryRecovery)}";

    /// <summary>The tables, then every violation under them.</summary>
    public string ToMarkdown()
    {
        var text = new StringBuilder();
        if (Faults.Count > 0)
        {
            text.AppendLine("| Scenario | sent | confirmed | failed | unknown (delivered) | delivered | lost | unexpected | duplicates (bound) | recovery: confirm / delivery | result |");
            text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
            foreach (FaultFigures f in Faults)
            {
                text.Append(Invariant($"| {f.Scenario} | {f.Sent:N0} | {f.Confirmed:N0} | {f.Failed:N0} | {f.Unknown:N0} ({f.UnknownDelivered:N0}) | {f.Delivered:N0} | {f.Lost:N0} | "));
                text.AppendLine(Invariant($"{f.Unexpected:N0} | {f.Duplicates:N0} (≤ {f.DuplicateBound:N0}) | {Recovery(f)} | {Result(f.Passed)} |"));
            }

            text.AppendLine();
        }

        if (BadInput.Count > 0)
        {
            text.AppendLine("| Input | sent | handler calls | in error queue | lost | outcome | result |");
            text.AppendLine("| --- | ---: | ---: | ---: | ---: | --- | --- |");
            foreach (BadInputFigures b in BadInput)
            {
                text.AppendLine(Invariant($"| {b.Input} | {b.Sent} | {b.HandlerCalls} | {b.InErrorQueue} | {b.Lost} | {Cell(b.Outcome)} | {Result(b.Passed)} |"));
            }

            text.AppendLine();
        }

        if (Access.Count > 0)
        {
            text.AppendLine("| Case | error | names | fails after | broker attempts | password in logs, exceptions, ToString() | result |");
            text.AppendLine("| --- | --- | --- | ---: | ---: | --- | --- |");
            foreach (AccessFigures a in Access)
            {
                text.AppendLine(Invariant($"| {a.Case} | {Cell(a.Error)} | {Cell(a.Names)} | {Seconds(a.TimeToFail)} | {a.BrokerAttempts} | {(a.PasswordLeaked ? "LEAKED" : "never")} | {Result(a.Passed)} |"));
            }

            text.AppendLine();
        }

        IEnumerable<string> violations = Faults.SelectMany(f => f.Violations.Select(v => $"{f.Scenario}: {v}"))
            .Concat(BadInput.SelectMany(b => b.Violations.Select(v => $"{b.Input}: {v}")))
            .Concat(Access.SelectMany(a => a.Violations.Select(v => $"{a.Case}: {v}")));
        // The notes (events, log lines, publish errors) go with the progress on stderr; here only what failed.
        foreach (string violation in violations)
        {
            text.AppendLine("- VIOLATION " + violation);
        }

        return text.ToString();
    }

    private static string Result(bool passed) => passed ? "pass" : "**FAIL**";

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
