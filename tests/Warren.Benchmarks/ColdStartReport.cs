using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace Warren.Benchmarks;

/// <summary>The cold-start and NativeAOT tables and verdicts.</summary>
internal static class ColdStartReport
{
    /// <summary>The goal of issue 14: Warren's first message at least 5× sooner than MassTransit's.</summary>
    private const double MassTransitGoal = 5.0;

    /// <summary>The goal for the NativeAOT build: its first message within 50 ms of the process start.</summary>
    private const double AotGoalMilliseconds = 50.0;

    public static string Markdown(IReadOnlyList<ColdSample> samples, IReadOnlyList<PublishedApp> published, string baseline)
    {
        double? reference = Median(samples, baseline)?.First;
        double? massTransit = Median(samples, MassTransitTarget.DisplayName)?.First;
        var text = new StringBuilder();
        text.AppendLine("| Implementation | first message ms (median) | min – max | vs baseline | MassTransit / this | all 10 ms (median) | exit ms (median) | published MB | executable MB |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (PublishedApp app in published)
        {
            string name = app.App.Name;
            if (Median(samples, name) is not { } mine)
            {
                continue;
            }

            double[] firsts = [.. samples.Where(s => s.Target == name).Select(s => s.FirstMilliseconds)];
            string speedup = massTransit is > 0 ? string.Create(CultureInfo.InvariantCulture, $"{massTransit.Value / mine.First:0.0}×") : "–";
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {(name == baseline ? $"{name} (baseline)" : name)} | {mine.First:0.0} | {firsts.Min():0.0} – {firsts.Max():0.0} | {Report.Ratio(mine.First, reference)} " +
                $"| {speedup} | {mine.All:0.0} | {mine.Exit:0.0} | {app.Bytes / 1e6:0.0} | {app.ExecutableBytes / 1e6:0.00} |");
        }

        return text.ToString();
    }

    public static IEnumerable<string> Verdicts(IReadOnlyList<ColdSample> samples, IReadOnlyList<PublishedApp> published)
    {
        (double First, double All, double Exit)? massTransit = Median(samples, MassTransitTarget.DisplayName);
        if (Median(samples, WarrenTarget.DisplayName) is { } warren && massTransit is { } mt)
        {
            double speedup = mt.First / warren.First;
            yield return string.Create(CultureInfo.InvariantCulture,
                $"Cold start: Warren's first message after {warren.First:0} ms, MassTransit's after {mt.First:0} ms: {speedup:0.0}× sooner " +
                $"— goal (≥ {MassTransitGoal:0}×) {(speedup >= MassTransitGoal ? "met" : "NOT met")}");
        }

        if (Median(samples, ColdApp.WarrenAotName) is { } aotTimes && massTransit is { } mtForAot)
        {
            double speedup = mtForAot.First / aotTimes.First;
            yield return string.Create(CultureInfo.InvariantCulture,
                $"Cold start, NativeAOT: Warren's first message after {aotTimes.First:0.0} ms, MassTransit's after {mtForAot.First:0} ms: {speedup:0.0}× sooner " +
                $"— goal (≥ {MassTransitGoal:0}×) {(speedup >= MassTransitGoal ? "met" : "NOT met")}");
        }

        if (Median(samples, RawClientTarget.DisplayName) is { } raw && massTransit is { } mtForRaw)
        {
            // What no JIT build can beat: the runtime's start and the JIT of RabbitMQ.Client itself, which every app here pays.
            yield return string.Create(CultureInfo.InvariantCulture,
                $"Cold start, the JIT ceiling: the hand-written client's first message after {raw.First:0} ms, {mtForRaw.First / raw.First:0.0}× sooner " +
                $"than MassTransit's; a JIT app on RabbitMQ.Client starts no sooner than that");
        }

        if (Median(samples, ColdApp.WarrenAotName) is { } aot)
        {
            PublishedApp native = published.First(p => p.App.Aot);
            PublishedApp? jit = published.FirstOrDefault(p => p.App.Name == WarrenTarget.DisplayName);
            string versus = jit is not null && Median(samples, jit.App.Name) is { } jitTimes
                ? string.Create(CultureInfo.InvariantCulture,
                    $" (JIT build: {jitTimes.First:0.0} ms, {jitTimes.First / aot.First:0.0}× slower; {jit.Bytes / 1e6:0.0} MB published, plus the shared .NET runtime)")
                : string.Empty;
            yield return string.Create(CultureInfo.InvariantCulture,
                $"NativeAOT: Warren's first message after {aot.First:0.0} ms{versus}; binary {native.ExecutableBytes / 1e6:0.0} MB, " +
                $"{native.Warnings} IL/AOT warning(s) — goal (< {AotGoalMilliseconds:0} ms, 0 warnings) " +
                $"{(aot.First < AotGoalMilliseconds && native.Warnings == 0 ? "met" : "NOT met")}");
        }
    }

    private static (double First, double All, double Exit)? Median(IReadOnlyList<ColdSample> samples, string target)
    {
        ColdSample[] mine = [.. samples.Where(s => s.Target == target)];
        return mine.Length == 0
            ? null
            : (Report.Median(mine.Select(s => s.FirstMilliseconds)), Report.Median(mine.Select(s => s.AllMilliseconds)), Report.Median(mine.Select(s => s.ExitMilliseconds)));
    }
}
