using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Warren.IntegrationTests.Infrastructure;
using Xunit;

namespace Warren.Samples.Tests;

/// <summary>
/// samples/Observability run as a user runs it, in a process of its own against a virtual host of this test's own: its
/// console exporter prints every span, and they must form one trace, publish → process → RPC → publish → process.
/// </summary>
public sealed class ObservabilityTests
{
    private const string Stock = "Warren.Samples.Observability.IStock/Reserve";

    [Fact]
    public void The_sample_prints_one_trace_from_checkout_through_both_consumers_and_the_rpc_call()
    {
        string output;
        using (TemporaryVirtualHost host = Broker.TemporaryVirtualHost("observability"))
        {
            output = Process.Run(
                "dotnet",
                [SampleOutput.Assembly("Observability")],
                TimeSpan.FromSeconds(90),
                new Dictionary<string, string> { ["WARREN_AMQP_URI"] = host.Uri.ToString() });
        }

        List<Dictionary<string, string>> spans = Spans(output);
        string[] names = [.. spans.Select(s => s["DisplayName"])];
        Assert.True(spans.Count == 7, $"Expected 7 spans, got {spans.Count}: {string.Join(", ", names)}\n{output}");
        Assert.Single(spans.Select(s => s["TraceId"]).Distinct());

        Dictionary<string, string> checkout = Span(spans, "checkout", "Internal");
        Dictionary<string, string> publishOrder = Span(spans, "publish observability.orders", "Producer");
        Dictionary<string, string> processOrder = Span(spans, "process observability.orders", "Consumer");
        Dictionary<string, string> call = Span(spans, Stock, "Client");
        Dictionary<string, string> serve = Span(spans, Stock, "Server");
        Dictionary<string, string> publishConfirmation = Span(spans, "publish observability.confirmations", "Producer");
        Dictionary<string, string> processConfirmation = Span(spans, "process observability.confirmations", "Consumer");

        Assert.False(checkout.ContainsKey("ParentSpanId"), "checkout is the root");
        AssertParent(checkout, publishOrder);
        AssertParent(publishOrder, processOrder);
        AssertParent(processOrder, call);
        AssertParent(call, serve);
        AssertParent(processOrder, publishConfirmation);
        AssertParent(publishConfirmation, processConfirmation);
        Assert.Contains("messaging.client.sent.messages", output, StringComparison.Ordinal);
        Assert.Contains("rpc.client.call.duration", output, StringComparison.Ordinal);
    }

    /// <summary>The console exporter's span records: the <c>Activity.Name: value</c> lines from each <c>Activity.TraceId:</c> on.</summary>
    private static List<Dictionary<string, string>> Spans(string output)
    {
        var spans = new List<Dictionary<string, string>>();
        foreach (string line in output.Split('\n').Select(l => l.TrimEnd('\r')))
        {
            if (!line.StartsWith("Activity.", StringComparison.Ordinal) || line.IndexOf(':', StringComparison.Ordinal) is var colon && colon < 0)
            {
                continue;
            }

            string key = line["Activity.".Length..colon];
            string value = line[(colon + 1)..].Trim();
            if (key == "TraceId")
            {
                spans.Add([]);
            }

            if (spans.Count > 0 && value.Length > 0)
            {
                spans[^1][key] = value;
            }
        }

        return spans;
    }

    private static Dictionary<string, string> Span(List<Dictionary<string, string>> spans, string name, string kind) =>
        Assert.Single(spans, s => s["DisplayName"] == name && s["Kind"] == kind);

    private static void AssertParent(Dictionary<string, string> parent, Dictionary<string, string> child) =>
        Assert.True(
            child.TryGetValue("ParentSpanId", out string? parentId) && parentId == parent["SpanId"],
            $"{child["DisplayName"]} ({child["Kind"]}) should be a child of {parent["DisplayName"]} ({parent["Kind"]})");
}
