using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace Warren.Benchmarks;

/// <summary>Turns the samples into the Markdown table the README shows.</summary>
internal static class Report
{
    public static string ScenarioTitle(Scenario scenario) => scenario switch
    {
        Scenario.Publish => "Publish, confirmed",
        Scenario.EndToEnd => "Publish → consume",
        _ => scenario.ToString(),
    };

    public static string Markdown(IReadOnlyList<Sample> samples, IReadOnlyList<string> targets, string baseline)
    {
        var text = new StringBuilder();
        text.AppendLine("| Scenario | Implementation | msgs/s (median) | msgs/s (min – max) | msgs/s vs baseline | allocated B/msg | B/msg vs baseline | client CPU µs/msg | CPU vs baseline |");
        text.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
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
                    $"| {mine.Bytes:N0} | {Ratio(mine.Bytes, reference?.Bytes)} | {mine.Cpu:N1} | {Ratio(mine.Cpu, reference?.Cpu)} |");
            }
        }

        return text.ToString();
    }

    /// <summary>Whether Warren met the goal in each scenario: at least 0.95× the baseline's msgs/s and no more bytes per message.</summary>
    public static IEnumerable<string> Verdicts(IReadOnlyList<Sample> samples, string warren, string baseline)
    {
        foreach (Scenario scenario in Enum.GetValues<Scenario>())
        {
            if (Summarize(samples, scenario, warren) is not { } mine || Summarize(samples, scenario, baseline) is not { } reference)
            {
                continue;
            }

            double rate = mine.Rate / reference.Rate;
            double bytes = mine.Bytes / reference.Bytes;
            bool met = rate >= 0.95 && bytes <= 1.0;
            yield return string.Create(CultureInfo.InvariantCulture,
                $"{ScenarioTitle(scenario)}: Warren at {rate:0.00}× the baseline's msgs/s and {bytes:0.00}× its B/msg — goal (≥ 0.95×, ≤ 1.00×) {(met ? "met" : "NOT met")}");
        }
    }

    public static string Row(Sample sample) => string.Create(CultureInfo.InvariantCulture,
        $"{ScenarioTitle(sample.Scenario),-20} {sample.Target,-32} {sample.MessagesPerSecond,8:N0} msgs/s {sample.BytesPerMessage,7:N0} B/msg " +
        $"{sample.CpuMicrosecondsPerMessage,6:N1} µs CPU/msg {sample.Elapsed.TotalSeconds,6:0.00} s {sample.Gen0Collections,3} gen0 GCs");

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
                Median(mine.Select(s => s.CpuMicrosecondsPerMessage)));
    }

    private static string Ratio(double value, double? baseline) =>
        baseline is > 0 ? string.Create(CultureInfo.InvariantCulture, $"{value / baseline.Value:0.00}×") : "–";

    private static double Median(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Order()];
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /// <summary>The medians (and the rate's range) of one implementation's samples in one scenario.</summary>
    private sealed record Summary(double Rate, double MinRate, double MaxRate, double Bytes, double Cpu);
}
