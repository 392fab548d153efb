using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using RabbitMQ.Client;
using Warren.Runtime;

namespace Warren.Testing.Tests.Differential;

/// <summary>Retries, the error queue and its reasons, and messages a consumer cannot read.</summary>
public static partial class Scenarios
{
    private static IEnumerable<Scenario> Consuming()
    {
        yield return Define("retry: failures within the retries end in success", async d =>
        {
            await d.SubscribeAsync<Work>("worker", Behaviour.Fail("w1", 1).And("w2", 2));
            await PublishWorkAsync(d, 3);
        });
        yield return Define("retry: retries exhausted go to the error queue with the reason", async d =>
        {
            await d.SubscribeAsync<Work>("worker", Behaviour.FailAlways("w2"));
            await PublishWorkAsync(d, 3);
        });
        yield return Define("retry: without retries the first failure goes to the error queue", async d =>
        {
            await d.SubscribeAsync<Work>("worker", Behaviour.Fail("w1", 1), new SubscribeOptions { Retry = ScenarioDriver.Retries(0) });
            await PublishWorkAsync(d, 2);
        });
        yield return Define("retry: one failure too many goes to the error queue", async d =>
        {
            await d.SubscribeAsync<Alert>("c", Behaviour.Fail("alert0", 4), new SubscribeOptions { Queue = d.Queue("alerts"), Bindings = ["error"], Retry = ScenarioDriver.Retries(3) });
            await d.PublishAsync(new Alert("error", "alert0"));
        });
        yield return Define("error queue: a server-named queue's failures go to the exchange's error queue", async d =>
        {
            await d.SubscribeAsync<Broadcast>("fails", Behaviour.FailAlways());
            await d.SubscribeAsync<Broadcast>("succeeds", Behaviour.Succeed);
            await d.PublishAsync(new Broadcast("b1"));
        });
        yield return Define("error queue: SubscribeOptions.ErrorQueue names it", async d =>
        {
            await d.SubscribeAsync<Topical>("c", Behaviour.FailAlways("t0"), new SubscribeOptions { Queue = d.Queue("topics"), Bindings = ["a.#"], ErrorQueue = d.Queue("dead") });
            await PublishTopicsAsync(d);
        });
        yield return Define("error queue: generated consumer class that always fails", async d =>
        {
            await d.SubscribeSinkAsync("sink", Behaviour.FailAlways("alert5"), "sink", retries: 1);
            await PublishAlertsAsync(d);
        });
        yield return Define("flow: what a handler publishes keeps the correlation id and names its cause", async d =>
        {
            await d.SubscribeAsync<Work>("relay", Behaviour.Relay);
            await d.SubscribeAsync<Alert>("relayed", Behaviour.Succeed, new SubscribeOptions { Queue = d.Queue("relayed"), Bindings = ["relay"] });
            await d.PublishAsync(new Work("w1"), new PublishOptions { CorrelationId = "conversation-1" });
            await d.PublishAsync(new Work("w2"));
        });
        yield return Define("concurrency: concurrent handlers on one subscription", async d =>
        {
            await d.SubscribeAsync<Work>("parallel", Behaviour.Fail("w3", 1), new SubscribeOptions { ConcurrentHandlers = 4, Prefetch = 8 });
            await PublishWorkAsync(d, 8);
        });
        yield return Define("unreadable: a body that is not JSON", d => RawWorkAsync(d, "not json", WorkType, "application/json"));
        yield return Define("unreadable: the wrong type header", d => RawWorkAsync(d, "{\"id\":\"r1\"}", "diff.other", "application/json"));
        yield return Define("unreadable: an empty body", d => RawWorkAsync(d, string.Empty, WorkType, "application/json"));
        yield return Define("unreadable: a content type that is not JSON", d => RawWorkAsync(d, "{\"id\":\"r1\"}", WorkType, "text/plain"));
        yield return Define("unreadable: a JSON null body", d => RawWorkAsync(d, "null", WorkType, null));
        yield return Define("unreadable: JSON of the wrong shape", d => RawWorkAsync(d, "[1,2]", WorkType, "application/json"));
        yield return Define("readable: no type header and a JSON content type with parameters", d => RawWorkAsync(d, "{\"id\":\"r1\"}", null, "application/json; charset=utf-8"));
    }

    private static string WorkType => WarrenRegistry.Messages.Single(m => m.ClrType == typeof(Work)).MessageType;

    /// <summary>A raw message on the work queue between two good ones, with a consumer that handles what it can read.</summary>
    private static async Task RawWorkAsync(ScenarioDriver d, string body, string? type, string? contentType)
    {
        await d.SubscribeAsync<Work>("worker", Behaviour.Succeed);
        await d.PublishAsync(new Work("before"));
        await d.PublishRawAsync(string.Empty, "diff.work", Encoding.UTF8.GetBytes(body), new BasicProperties { Type = type, ContentType = contentType, MessageId = "raw" });
        await d.PublishAsync(new Work("after"));
    }
}
