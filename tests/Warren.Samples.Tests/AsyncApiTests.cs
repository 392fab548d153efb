using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using Xunit;
using Xunit.Abstractions;

namespace Warren.Samples.Tests;

/// <summary>
/// The AsyncAPI documents the build writes for the samples validate with the official AsyncAPI parser: no error
/// diagnostic, and every channel, operation and message the document declares is there once parsed.
/// </summary>
public sealed class AsyncApiTests(ITestOutputHelper output)
{
    /// <summary>The sample projects that declare contracts, so have a document; a document missing from the build output fails the test.</summary>
    private static readonly string[] SamplesWithContracts = ["Warren.Samples.Contracts", "WorkerService", "Observability"];

    [Fact]
    public void The_samples_AsyncAPI_documents_validate_with_the_official_parser()
    {
        string[] documents = [.. SamplesWithContracts.Select(sample => SampleOutput.File(sample, sample + ".asyncapi.json"))];

        IReadOnlyList<AsyncApiResult> results = AsyncApiValidator.Validate(documents);

        Assert.Equal(documents.Length, results.Count);
        foreach (AsyncApiResult result in results)
        {
            output.WriteLine($"{Path.GetFileName(result.File)}: {result.Channels} channels, {result.Operations} operations, {result.Messages} messages; " +
                $"{result.Diagnostics.Count} diagnostics{string.Concat(result.Diagnostics.Select(d => "\n  " + d))}");
            AsyncApiDiagnostic[] errors = [.. result.Diagnostics.Where(d => d.Severity == "error")];
            Assert.True(result.Parsed && errors.Length == 0, $"{result.File} is not a valid AsyncAPI document:\n{string.Join('\n', errors.AsEnumerable())}");

            // What the document declares is what the parser found.
            JsonNode document = JsonNode.Parse(File.ReadAllText(result.File))!;
            Assert.Equal("3.0.0", (string?)document["asyncapi"]);
            Assert.Equal(document["channels"]!.AsObject().Count, result.Channels);
            Assert.Equal(document["operations"]!.AsObject().Count, result.Operations);
            Assert.Equal(document["components"]!["messages"]!.AsObject().Count, result.Messages);
            Assert.True(result.Operations > 0, $"{result.File} has no operations.");
        }

        output.WriteLine($"validated {results.Count} documents: {results.Sum(r => r.Channels)} channels, {results.Sum(r => r.Operations)} operations, {results.Sum(r => r.Messages)} messages");
    }

    [Fact]
    public void The_parser_reports_an_operation_whose_channel_is_missing()
    {
        // The validation above can fail: a sample's document with one operation pointing at a channel that is not there.
        JsonNode document = JsonNode.Parse(File.ReadAllText(SampleOutput.File("Warren.Samples.Contracts", "Warren.Samples.Contracts.asyncapi.json")))!;
        JsonObject operation = document["operations"]!.AsObject().First().Value!.AsObject();
        operation["channel"] = new JsonObject { ["$ref"] = "#/channels/no-such-channel" };
        string broken = Path.Combine(Path.GetTempPath(), $"warren-broken-{Guid.NewGuid():N}.asyncapi.json");
        File.WriteAllText(broken, document.ToJsonString());
        try
        {
            AsyncApiResult result = Assert.Single(AsyncApiValidator.Validate([broken]));

            output.WriteLine(string.Join('\n', result.Diagnostics));
            Assert.Contains(result.Diagnostics, d => d.Severity == "error");
        }
        finally
        {
            File.Delete(broken);
        }
    }
}
