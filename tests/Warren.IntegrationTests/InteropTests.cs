using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Warren.IntegrationTests.Infrastructure;
using Xunit;

namespace Warren.IntegrationTests;

[Queue("warren.test.interop.from_pika")]
public sealed record PikaGreeting(string Text, int Number);

[Queue("warren.test.interop.to_pika")]
public sealed record WarrenGreeting(string Text, int Number);

[Topic("warren.test.interop.topic_logs", RoutingKey = "{Facility}.{Severity}")]
public sealed record InteropKernelLog(string Facility, string Severity, string Text);

/// <summary>
/// The wire format is ordinary AMQP with a JSON body: the tutorials' pika programs (python3-pika from the OS packages)
/// talk to Warren both ways.
/// </summary>
public sealed class InteropTests
{
    private const string Python = "/usr/bin/python3";

    [Fact]
    public async Task A_plain_pika_publisher_is_consumed_by_a_typed_consumer()
    {
        const string queue = "warren.test.interop.from_pika";
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [queue]);
        await using Bus bus = await Broker.ConnectAsync("interop-from-pika");
        var inbox = new Inbox<PikaGreeting>();
        await using Subscription subscription = await bus.SubscribeAsync<PikaGreeting>((m, c, _) => { inbox.Add(m, c); return default; });

        RunPython("pika_send.py", "queue", queue, """{"text": "Hello World!", "number": 7}""");

        await inbox.WaitForAsync(1);
        (PikaGreeting message, MessageContext context) = Assert.Single(inbox.Items);
        Assert.Equal(new PikaGreeting("Hello World!", 7), message);
        Assert.Null(context.ContentType);   // pika sent no properties at all, and Warren still took it
        Assert.Equal(queue, context.RoutingKey);
    }

    [Fact]
    public async Task A_pika_topic_publisher_reaches_a_typed_consumer_through_its_bindings()
    {
        const string exchange = "warren.test.interop.topic_logs";
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(exchanges: [exchange]);
        await using Bus bus = await Broker.ConnectAsync("interop-topic");
        var inbox = new Inbox<InteropKernelLog>();
        await using Subscription subscription = await bus.SubscribeAsync<InteropKernelLog>(
            (m, c, _) => { inbox.Add(m, c); return default; }, new SubscribeOptions { Bindings = ["kern.*", "*.critical"] });

        RunPython("pika_send.py", "topic", exchange, "kern.critical", """{"facility": "kern", "severity": "critical", "text": "A critical kernel error"}""");
        RunPython("pika_send.py", "topic", exchange, "user.info", """{"facility": "user", "severity": "info", "text": "not bound"}""");

        await inbox.WaitForAsync(1);
        await inbox.AssertQuietAsync(1);
        Assert.Equal(new InteropKernelLog("kern", "critical", "A critical kernel error"), inbox.Messages[0]);
        Assert.Equal("kern.critical", inbox.Items[0].Context.RoutingKey);
    }

    [Fact]
    public async Task A_typed_publish_is_read_by_a_plain_pika_receiver_as_ordinary_json()
    {
        const string queue = "warren.test.interop.to_pika";
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [queue]);

        using System.Diagnostics.Process receiver = StartPython("pika_receive.py", queue);
        string? ready = await receiver.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Contains("Waiting", ready);

        await using (Bus bus = await Broker.ConnectAsync("interop-to-pika"))
        {
            await bus.PublishAsync(new WarrenGreeting("Hello from Warren", 42));
        }

        string? line = await receiver.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(receiver.WaitForExit(TimeSpan.FromSeconds(10)));
        Assert.Equal(0, receiver.ExitCode);

        using JsonDocument received = JsonDocument.Parse(line!);
        JsonElement root = received.RootElement;
        using JsonDocument body = JsonDocument.Parse(root.GetProperty("body").GetString()!);
        Assert.Equal("Hello from Warren", body.RootElement.GetProperty("text").GetString());
        Assert.Equal(42, body.RootElement.GetProperty("number").GetInt32());
        Assert.Equal(2, body.RootElement.EnumerateObject().Count());   // no private envelope around the message
        Assert.Equal("application/json", root.GetProperty("content_type").GetString());
        Assert.Equal(typeof(WarrenGreeting).FullName, root.GetProperty("type").GetString());
        Assert.Equal(queue, root.GetProperty("routing_key").GetString());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("message_id").GetString()));
        Assert.Equal(1, root.GetProperty("delivery_mode").GetInt32());
    }

    internal static void RunPython(string script, params string[] arguments) =>
        Infrastructure.Process.Run(Python, [ScriptPath(script), .. arguments], TimeSpan.FromSeconds(30));

    private static System.Diagnostics.Process StartPython(string script, params string[] arguments)
    {
        var info = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(ScriptPath(script));
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["WARREN_AMQP_URI"] = Broker.Uri.ToString();
        return System.Diagnostics.Process.Start(info)!;
    }

    private static string ScriptPath(string script) => Path.Combine(AppContext.BaseDirectory, "Interop", script);
}
