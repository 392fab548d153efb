using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Warren.IntegrationTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Warren.Samples.Tests;

/// <summary>
/// The definitions.json the build writes for the samples, imported with <c>rabbitmqctl import_definitions</c> into a
/// fresh virtual host, is all the tutorial programs need: each of them, run as its own process, works end to end with
/// declaring turned off (WARREN_DECLARE_MODE=None) and with the topology verified instead (Verify), and the virtual host
/// holds exactly what was imported afterwards.
/// </summary>
public sealed class DefinitionsImportTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Delivery = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_tutorials_run_against_their_imported_definitions_without_declaring_and_with_verifying()
    {
        using TemporaryVirtualHost host = Broker.TemporaryVirtualHost("definitions");

        // Without the import, verifying fails: the queue 'hello' is not there, and the receiver says so.
        using (SampleProcess receiver = SampleProcess.Start("HelloWorld", Environment(host, DeclareMode.Verify), "receive"))
        {
            int exitCode = await receiver.WaitForExitAsync(Startup);
            output.WriteLine(receiver.ToString());
            Assert.True(exitCode == 1, $"Expected the receiver to fail verifying an empty virtual host:\n{receiver}");
            Assert.Contains("hello", receiver.ToString(), StringComparison.Ordinal);
        }

        JsonObject definitions = ForVirtualHost(SampleOutput.File("Warren.Samples.Contracts", "Warren.Samples.Contracts.definitions.json"), host.Name);
        string file = Path.Combine(Path.GetTempPath(), $"{host.Name}.definitions.json");
        File.WriteAllText(file, definitions.ToJsonString());
        try
        {
            Broker.Ctl("import_definitions", file);
        }
        finally
        {
            File.Delete(file);
        }

        string[] imported = Topology(host.Name);
        AssertImported(definitions, imported);
        output.WriteLine($"imported {definitions["exchanges"]!.AsArray().Count} exchanges, {definitions["queues"]!.AsArray().Count} queues, {definitions["bindings"]!.AsArray().Count} bindings");

        foreach (DeclareMode mode in new[] { DeclareMode.None, DeclareMode.Verify })
        {
            await RunTutorialsAsync(host, mode);

            // The receivers' own server-named queues go when their connections close; then nothing is left that was not imported.
            string[] after = Topology(host.Name);
            for (int attempt = 0; attempt < 20 && !after.SequenceEqual(imported); attempt++)
            {
                await Task.Delay(500);
                after = Topology(host.Name);
            }

            Assert.True(after.SequenceEqual(imported),
                $"With DeclareMode.{mode} the virtual host changed.\nAdded:\n{string.Join('\n', after.Except(imported))}\nRemoved:\n{string.Join('\n', imported.Except(after))}");
        }
    }

    /// <summary>Every receiver and server of the tutorials at once, then each sender, then Ctrl+C for the receivers.</summary>
    private async Task RunTutorialsAsync(TemporaryVirtualHost host, DeclareMode mode)
    {
        Dictionary<string, string> environment = Environment(host, mode);
        string tag = mode.ToString();
        var receivers = new List<SampleProcess>();
        try
        {
            SampleProcess hello = Add(SampleProcess.Start("HelloWorld", environment, "receive"));
            SampleProcess worker = Add(SampleProcess.Start("WorkQueues", environment, "worker"));
            SampleProcess logs = Add(SampleProcess.Start("PublishSubscribe", environment, "receive"));
            SampleProcess routing = Add(SampleProcess.Start("Routing", environment, "receive", "error"));
            SampleProcess topics = Add(SampleProcess.Start("Topics", environment, "receive", "kern.*"));
            SampleProcess shapes = Add(SampleProcess.Start("Headers", environment, "receive", "all", "color=blue"));
            SampleProcess server = Add(SampleProcess.Start("Rpc", environment, "server"));

            // The receivers print that they wait before they subscribe; a fanout, direct, topic or headers message sent
            // before a receiver's queue is bound would go nowhere. Each of them has one consumer once it is ready.
            await WaitForConsumersAsync(host, receivers);

            await SendAsync(environment, "HelloWorld", ["send", $"hello {tag}"], hello, $" [x] Received 'hello {tag}'");
            await SendAsync(environment, "WorkQueues", ["new_task", $"task {tag}."], worker, $" [x] Received task {tag}.");
            await worker.WaitForLineAsync(" [x] Done", Delivery);
            await SendAsync(environment, "PublishSubscribe", ["emit", $"log {tag}"], logs, $" [x] log {tag}");
            await SendAsync(environment, "Routing", ["emit", "error", $"routed {tag}"], routing, $" [x] error:routed {tag}");
            await SendAsync(environment, "Topics", ["emit", "kern.critical", $"topic {tag}"], topics, $" [x] kern.critical:topic {tag}");
            await SendAsync(environment, "Headers", ["emit", "color=blue", "size=big", $"shape {tag}"], shapes, $" [x] color=blue size=big: shape {tag}");
            using (SampleProcess client = SampleProcess.Start("Rpc", environment, "client", "10"))
            {
                Assert.True(await client.WaitForExitAsync(Delivery) == 0, client.ToString());
                Assert.True(client.HasPrinted(" [.] Got 55"), client.ToString());
            }
            await server.WaitForLineAsync(" [.] fib(10)", Delivery);

            foreach (SampleProcess receiver in receivers)
            {
                Assert.True(await receiver.InterruptAsync(Delivery) == 0, $"DeclareMode.{mode}: the receiver did not stop cleanly:\n{receiver}");
                output.WriteLine(receiver.ToString());
            }
        }
        finally
        {
            receivers.ForEach(r => r.Dispose());
        }

        SampleProcess Add(SampleProcess receiver)
        {
            receivers.Add(receiver);
            return receiver;
        }
    }

    /// <summary>Runs a sender to its end (exit code 0), then waits for the receiver to print what it got.</summary>
    private async Task SendAsync(Dictionary<string, string> environment, string sample, string[] arguments, SampleProcess receiver, string received)
    {
        using SampleProcess sender = SampleProcess.Start(sample, environment, arguments);
        int exitCode = await sender.WaitForExitAsync(Startup);
        output.WriteLine(sender.ToString());
        Assert.True(exitCode == 0, $"The sender failed:\n{sender}");
        await receiver.WaitForLineAsync(received, Delivery);
    }

    private static async Task WaitForConsumersAsync(TemporaryVirtualHost host, List<SampleProcess> receivers)
    {
        DateTime deadline = DateTime.UtcNow + Startup;
        while (JsonDocument.Parse(Broker.Ctl("list_consumers", "--quiet", "-p", host.Name, "--formatter", "json")).RootElement.GetArrayLength() < receivers.Count)
        {
            SampleProcess? ended = receivers.FirstOrDefault(r => r.HasExited);
            if (ended is not null || DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Not every receiver started consuming within {Startup.TotalSeconds:F0} s:\n{string.Join("\n\n", receivers)}");
            }

            await Task.Delay(500);
        }
    }

    private static Dictionary<string, string> Environment(TemporaryVirtualHost host, DeclareMode mode) => new()
    {
        ["WARREN_AMQP_URI"] = host.Uri.ToString(),
        [SampleHost.DeclareModeVariable] = mode.ToString(),
    };

    /// <summary>The definitions as the build wrote them (for virtual host '/'), moved to <paramref name="virtualHost"/>.</summary>
    private static JsonObject ForVirtualHost(string path, string virtualHost)
    {
        JsonObject definitions = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        foreach (JsonNode? vhost in definitions["vhosts"]?.AsArray() ?? [])
        {
            vhost!["name"] = virtualHost;
        }

        foreach (string section in new[] { "exchanges", "queues", "bindings" })
        {
            foreach (JsonNode? item in definitions[section]!.AsArray())
            {
                item!["vhost"] = virtualHost;
            }
        }

        return definitions;
    }

    /// <summary>Everything the imported definitions list is in the virtual host.</summary>
    private static void AssertImported(JsonObject definitions, string[] topology)
    {
        foreach (JsonNode? exchange in definitions["exchanges"]!.AsArray())
        {
            Assert.Contains(Row("exchange", exchange!["name"], exchange["type"], exchange["durable"]), topology);
        }

        foreach (JsonNode? queue in definitions["queues"]!.AsArray())
        {
            Assert.Contains(topology, row => row.StartsWith(Row("queue", queue!["name"], queue["durable"]), StringComparison.Ordinal));
        }

        foreach (JsonNode? binding in definitions["bindings"]!.AsArray())
        {
            Assert.Contains(topology, row => row.StartsWith(Row("binding", binding!["source"], binding["destination"], binding["routing_key"]), StringComparison.Ordinal));
        }

        // The tutorials' receivers bind server-named queues of their own, so the samples' definitions may have no bindings.
        Assert.True(definitions["queues"]!.AsArray().Count > 0 && definitions["exchanges"]!.AsArray().Count > 0, "The samples' definitions are empty.");
    }

    /// <summary>The virtual host's exchanges, queues (with their arguments) and bindings, one sorted line each.</summary>
    private static string[] Topology(string virtualHost)
    {
        IEnumerable<string> exchanges = List("list_exchanges", virtualHost, "name", "type", "durable")
            .Select(e => Row("exchange", e["name"], e["type"], e["durable"]));
        IEnumerable<string> queues = List("list_queues", virtualHost, "name", "durable", "arguments")
            .Select(q => Row("queue", q["name"], q["durable"], q["arguments"]));
        IEnumerable<string> bindings = List("list_bindings", virtualHost, "source_name", "destination_name", "routing_key", "arguments")
            .Select(b => Row("binding", b["source_name"], b["destination_name"], b["routing_key"], b["arguments"]));
        return [.. exchanges.Concat(queues).Concat(bindings).Order(StringComparer.Ordinal)];
    }

    private static IEnumerable<JsonObject> List(string command, string virtualHost, params string[] columns) =>
        JsonNode.Parse(Broker.Ctl([command, "--quiet", "-p", virtualHost, "--formatter", "json", .. columns]))!.AsArray().Select(row => row!.AsObject());

    private static string Row(string kind, params JsonNode?[] values) =>
        kind + " " + string.Join(" ", values.Select(v => v?.ToJsonString() ?? "null"));
}
