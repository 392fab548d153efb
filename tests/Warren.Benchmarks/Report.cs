using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace Warren.Benchmarks;

/// <summary>Turns the samples into the Markdown tables the README shows.</summary>
internal static class Report
{
    public static string ScenarioTitle(Scenario scenario) => scenario switch
    {
        Scenario.Publish => "Publish, confirmed",
        Scenario.EndToEnd => "Publish → consume",
        Scenario.Backlog => "Consume a backlog",
        _ => scenario.ToString(),
    };

    public static string Markdown(IReadOnlyList<Sample> samples, IReadOnlyList<string> targets, string baseline)
    {
        var text = new StringBuilder();
        text.AppendLine("| Scenario | Implementation | msgs/s (median) | msgs/s (min – max) | msgs/s vs baseline | allocated B/msg | B/msg vs baseline | client CPU µs/msg | CPU vs baseline | voluntary cs/msg | vs baseline | involuntary cs/msg |");
        text.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (Scenario scenario in Enum.GetValues<Scenario>())
        {
            Summary? reference = Summarize(samples, scenario, baseline);
            foreach (string target in targets)
            {
                if (Summarize(samples, scenario, target) is not { } mine)
                {
                    continue;
                }

                string name = target == baseline ? $"{target} (baseline)" : target;
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {ScenarioTitle(scenario)} | {name} | {mine.Rate:N0} | {mine.MinRate:N0} – {mine.MaxRate:N0} | {Ratio(mine.Rate, reference?.Rate)} " +
                    $"| {mine.Bytes:N0} | {Ratio(mine.Bytes, reference?.Bytes)} | {mine.Cpu:N1} | {Ratio(mine.Cpu, reference?.Cpu)} " +
                    $"| {mine.VoluntarySwitches:0.00} | {Ratio(mine.VoluntarySwitches, reference?.VoluntarySwitches)} | {mine.InvoluntarySwitches:0.00} |");
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// Whether Warren met the goal of issue 14 in each scenario: at least the baseline's msgs/s, and no more CPU or bytes
    /// per message.
    /// </summary>
    public static IEnumerable<string> Verdicts(IReadOnlyList<Sample> samples, string warren, string baseline)
    {
        foreach (Scenario scenario in Enum.GetValues<Scenario>())
        {
            if (Summarize(samples, scenario, warren) is not { } mine || Summarize(samples, scenario, baseline) is not { } reference)
            {
                continue;
            }

            double rate = mine.Rate / reference.Rate;
            double cpu = mine.Cpu / reference.Cpu;
            double bytes = mine.Bytes / reference.Bytes;
            bool met = rate >= 1.0 && cpu <= 1.0 && bytes <= 1.0;
            yield return string.Create(CultureInfo.InvariantCulture,
                $"{ScenarioTitle(scenario)}: Warren at {rate:0.00}× the baseline's msgs/s, {cpu:0.00}× its CPU/msg and {bytes:0.00}× its B/msg " +
                $"({mine.VoluntarySwitches / reference.VoluntarySwitches:0.00}× its voluntary context switches/msg) — goal (≥ 1.00×, ≤ 1.00×, ≤ 1.00×) {(met ? "met" : "NOT met")}");
        }
    }

    public static string Row(Sample sample) => string.Create(CultureInfo.InvariantCulture,
        $"{ScenarioTitle(sample.Scenario),-20} {sample.Target,-32} {sample.MessagesPerSecond,8:N0} msgs/s {sample.BytesPerMessage,7:N0} B/msg " +
        $"{sample.CpuMicrosecondsPerMessage,6:N1} µs CPU/msg {sample.VoluntarySwitchesPerMessage,5:0.00} + {sample.InvoluntarySwitchesPerMessage,5:0.00} cs/msg {sample.Elapsed.TotalSeconds,6:0.00} s {sample.Gen0Collections,3} gen0 GCs");

    public static string RpcTitle(int callers) => callers == 1 ? "RPC, 1 caller" : $"RPC, {callers} callers";

    public static string RpcMarkdown(IReadOnlyList<RpcSample> samples, IReadOnlyList<string> targets, string baseline)
    {
        var text = new StringBuilder();
        text.AppendLine("| Scenario | Implementation | p50 ms | p99 ms | p50 vs baseline | calls/s (median) | calls/s (min – max) | calls/s vs baseline " +
            "| allocated B/call | B/call vs baseline | CPU µs/call | CPU vs baseline | voluntary cs/call | vs baseline | involuntary cs/call |");
        text.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (int callers in RpcHarness.CallerCounts)
        {
            RpcSummary? reference = SummarizeRpc(samples, callers, baseline);
            foreach (string target in targets)
            {
                if (SummarizeRpc(samples, callers, target) is not { } mine)
                {
                    continue;
                }

                string name = target == baseline ? $"{target} (baseline)" : target;
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {RpcTitle(callers)} | {name} | {mine.P50:0.000} | {mine.P99:0.000} | {Ratio(mine.P50, reference?.P50)} " +
                    $"| {mine.Rate:N0} | {mine.MinRate:N0} – {mine.MaxRate:N0} | {Ratio(mine.Rate, reference?.Rate)} " +
                    $"| {mine.Bytes:N0} | {Ratio(mine.Bytes, reference?.Bytes)} | {mine.Cpu:N1} | {Ratio(mine.Cpu, reference?.Cpu)} " +
                    $"| {mine.VoluntarySwitches:0.00} | {Ratio(mine.VoluntarySwitches, reference?.VoluntarySwitches)} | {mine.InvoluntarySwitches:0.00} |");
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// Whether Warren met the RPC goal of issue 14 with each number of callers: at least the baseline's calls/s and no
    /// more CPU per call; the p50 latency and the bytes per call are printed beside them.
    /// </summary>
    public static IEnumerable<string> RpcVerdicts(IReadOnlyList<RpcSample> samples, string warren, string baseline)
    {
        foreach (int callers in RpcHarness.CallerCounts)
        {
            if (SummarizeRpc(samples, callers, warren) is not { } mine || SummarizeRpc(samples, callers, baseline) is not { } reference)
            {
                continue;
            }

            double latency = mine.P50 / reference.P50;
            double rate = mine.Rate / reference.Rate;
            double cpu = mine.Cpu / reference.Cpu;
            double bytes = mine.Bytes / reference.Bytes;
            bool met = rate >= 1.0 && cpu <= 1.0;
            yield return string.Create(CultureInfo.InvariantCulture,
                $"{RpcTitle(callers)}: Warren at {rate:0.00}× the baseline's calls/s and {cpu:0.00}× its CPU/call ({latency:0.00}× its p50, " +
                $"{bytes:0.00}× its B/call, {mine.VoluntarySwitches / reference.VoluntarySwitches:0.00}× its voluntary context switches/call) — goal (≥ 1.00×, ≤ 1.00×) {(met ? "met" : "NOT met")}");
        }
    }

    public static string RpcRow(RpcSample sample) => string.Create(CultureInfo.InvariantCulture,
        $"{RpcTitle(sample.Callers),-20} {sample.Target,-32} {sample.CallsPerSecond,8:N0} calls/s p50 {sample.P50Milliseconds,6:0.000} ms " +
        $"p99 {sample.P99Milliseconds,6:0.000} ms {sample.BytesPerCall,7:N0} B/call {sample.CpuMicrosecondsPerCall,6:N1} µs CPU/call " +
        $"{sample.VoluntarySwitchesPerCall,5:0.00} + {sample.InvoluntarySwitchesPerCall,5:0.00} cs/call {sample.Elapsed.TotalSeconds,6:0.00} s {sample.Gen0Collections,3} gen0 GCs");

    /// <summary>
    /// Warren with OpenTelemetry listening beside Warren with nothing listening, scenario by scenario: medians across the
    /// rounds of each, and the ratio traced / untraced. Messages per second for messaging, calls for RPC.
    /// </summary>
    public static string TracingMarkdown(IReadOnlyList<Sample> samples, IReadOnlyList<RpcSample> rpcSamples, string untraced, string traced)
    {
        var text = new StringBuilder();
        text.AppendLine("| Scenario | msgs/s untraced | msgs/s traced | traced / untraced | B/msg untraced | B/msg traced | traced / untraced " +
            "| CPU µs/msg untraced | CPU µs/msg traced | traced / untraced | spans/msg |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (TracingComparison row in TracingComparisons(samples, rpcSamples, untraced, traced))
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {row.Title} | {row.Off.Rate:N0} | {row.On.Rate:N0} | {Ratio(row.On.Rate, row.Off.Rate)} " +
                $"| {row.Off.Bytes:N0} | {row.On.Bytes:N0} | {Ratio(row.On.Bytes, row.Off.Bytes)} " +
                $"| {row.Off.Cpu:N1} | {row.On.Cpu:N1} | {Ratio(row.On.Cpu, row.Off.Cpu)} | {row.SpansPerOperation:0.##} |");
        }

        return text.ToString();
    }

    /// <summary>One line per scenario: the cost of tracing and metrics as traced / untraced ratios.</summary>
    public static IEnumerable<string> TracingRatios(IReadOnlyList<Sample> samples, IReadOnlyList<RpcSample> rpcSamples, string untraced, string traced) =>
        TracingComparisons(samples, rpcSamples, untraced, traced).Select(row =>
        {
            string latency = row.On.P50 is { } p50 && row.Off.P50 is { } offP50
                ? string.Create(CultureInfo.InvariantCulture, $", {p50 / offP50:0.00}× p50")
                : string.Empty;
            return string.Create(CultureInfo.InvariantCulture,
                $"{row.Title}, traced / untraced: {row.On.Rate / row.Off.Rate:0.00}× {row.Unit}s/s, {row.On.Cpu / row.Off.Cpu:0.00}× CPU/{row.Unit}, " +
                $"{row.On.Bytes / row.Off.Bytes:0.00}× B/{row.Unit} ({row.On.Bytes - row.Off.Bytes:+#,0;-#,0;0} B, {row.On.Cpu - row.Off.Cpu:+0.0;-0.0;0.0} µs CPU per {row.Unit}){latency}");
        });

    private static IEnumerable<TracingComparison> TracingComparisons(
        IReadOnlyList<Sample> samples, IReadOnlyList<RpcSample> rpcSamples, string untraced, string traced)
    {
        foreach (Scenario scenario in Enum.GetValues<Scenario>())
        {
            if (Summarize(samples, scenario, untraced) is { } off && Summarize(samples, scenario, traced) is { } on)
            {
                double spans = Median(samples.Where(s => s.Scenario == scenario && s.Target == traced).Select(s => (double)s.Spans / s.Messages));
                yield return new TracingComparison(ScenarioTitle(scenario), "msg", new(off.Rate, off.Bytes, off.Cpu, null), new(on.Rate, on.Bytes, on.Cpu, null), spans);
            }
        }

        foreach (int callers in RpcHarness.CallerCounts)
        {
            if (SummarizeRpc(rpcSamples, callers, untraced) is { } off && SummarizeRpc(rpcSamples, callers, traced) is { } on)
            {
                double spans = Median(rpcSamples.Where(s => s.Callers == callers && s.Target == traced).Select(s => (double)s.Spans / s.Calls));
                yield return new TracingComparison(RpcTitle(callers), "call", new(off.Rate, off.Bytes, off.Cpu, off.P50), new(on.Rate, on.Bytes, on.Cpu, on.P50), spans);
            }
        }
    }

    private static RpcSummary? SummarizeRpc(IReadOnlyList<RpcSample> samples, int callers, string target)
    {
        RpcSample[] mine = [.. samples.Where(s => s.Callers == callers && s.Target == target)];
        return mine.Length == 0
            ? null
            : new RpcSummary(
                Median(mine.Select(s => s.P50Milliseconds)),
                Median(mine.Select(s => s.P99Milliseconds)),
                Median(mine.Select(s => s.CallsPerSecond)),
                mine.Min(s => s.CallsPerSecond),
                mine.Max(s => s.CallsPerSecond),
                Median(mine.Select(s => s.BytesPerCall)),
                Median(mine.Select(s => s.CpuMicrosecondsPerCall)),
                Median(mine.Select(s => s.VoluntarySwitchesPerCall)),
                Median(mine.Select(s => s.InvoluntarySwitchesPerCall)));
    }

    private static Summary? Summarize(IReadOnlyList<Sample> samples, Scenario scenario, string target)
    {
        Sample[] mine = [.. samples.Where(s => s.Scenario == scenario && s.Target == target)];
        return mine.Length == 0
            ? null
            : new Summary(
                Median(mine.Select(s => s.MessagesPerSecond)),
                mine.Min(s => s.MessagesPerSecond),
                mine.Max(s => s.MessagesPerSecond),
                Median(mine.Select(s => s.BytesPerMessage)),
                Median(mine.Select(s => s.CpuMicrosecondsPerMessage)),
                Median(mine.Select(s => s.VoluntarySwitchesPerMessage)),
                Median(mine.Select(s => s.InvoluntarySwitchesPerMessage)));
    }

    internal static string Ratio(double value, double? baseline) =>
        baseline is > 0 ? string.Create(CultureInfo.InvariantCulture, $"{value / baseline.Value:0.00}×") : "–";

    internal static double Median(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Order()];
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /// <summary>One scenario's medians with nothing listening (<see cref="Off"/>) and with OpenTelemetry listening (<see cref="On"/>).</summary>
    private sealed record TracingComparison(string Title, string Unit, Figures Off, Figures On, double SpansPerOperation);

    /// <summary>Medians per message or call; <see cref="P50"/> only for RPC.</summary>
    private sealed record Figures(double Rate, double Bytes, double Cpu, double? P50);

    /// <summary>The medians (and the rate's range) of one implementation's samples in one scenario.</summary>
    private sealed record Summary(double Rate, double MinRate, double MaxRate, double Bytes, double Cpu, double VoluntarySwitches, double InvoluntarySwitches);

    /// <summary>The medians across rounds of one RPC implementation's per-round p50 and p99, rate, bytes and CPU (and the rate's range).</summary>
    private sealed record RpcSummary(double P50, double P99, double Rate, double MinRate, double MaxRate, double Bytes, double Cpu, double VoluntarySwitches, double InvoluntarySwitches);
}
