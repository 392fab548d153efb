using System;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace Warren.Testing.Tests.Differential;

/// <summary>The default exchange, direct, fanout and topic exchanges: who gets which message.</summary>
public static partial class Scenarios
{
    /// <summary>Topic keys with one-word, many-word, empty and empty-word cases.</summary>
    private static readonly string[] TopicKeys = ["a.b.c", "a.b", "a", "", "a..c", "a.", ".", "b.a.c", "a.b.c.d", "x.b.y.z", "A.b"];

    private static readonly string[] Severities = ["error", "warning", "info", "", "ERROR", "critical"];

    private static IEnumerable<Scenario> DefaultExchange()
    {
        yield return Define("queue: one consumer gets every message", async d =>
        {
            await d.SubscribeAsync<Work>("worker", Behaviour.Succeed);
            await PublishWorkAsync(d, 3);
        });
        yield return Define("queue: competing consumers share the messages", async d =>
        {
            await d.SubscribeAsync<Work>("workers", Behaviour.Succeed);
            await d.SubscribeAsync<Work>("workers", Behaviour.Succeed);
            await PublishWorkAsync(d, 10);
        });
        yield return Define("queue: messages published before the consumer wait in the queue", async d =>
        {
            await PublishWorkAsync(d, 3);
            await d.SubscribeAsync<Work>("late", Behaviour.Succeed);
        });
    }

    private static IEnumerable<Scenario> Publishing()
    {
        yield return Define("publish: a message that cannot be serialized fails, the others arrive", async d =>
        {
            await d.SubscribeAsync<Measured>("measures", Behaviour.Succeed);
            await d.PublishAsync(new Measured("m1", 1.5));
            await d.PublishAsync(new Measured("m2", double.NaN));
            await d.PublishAsync(new Measured("m3", double.MaxValue));
        });
        yield return Define("publish: a routing key over 255 bytes is refused", async d =>
        {
            await d.SubscribeAsync<Topical>("all", Behaviour.Succeed);
            await d.PublishAsync(new Topical(new string('k', 256), "long"));
            await d.PublishAsync(new Topical(new string('k', 255), "longest"));
        });
    }

    private static IEnumerable<Scenario> Direct()
    {
        yield return Define("direct: one binding key", d => DirectAsync(d, ("c", ["error"])));
        yield return Define("direct: two binding keys on one queue", d => DirectAsync(d, ("c", ["error", "warning"])));
        yield return Define("direct: two queues with the same key each get a copy", d => DirectAsync(d, ("c1", ["error"]), ("c2", ["error"])));
        yield return Define("direct: the empty binding key takes the empty routing key", d => DirectAsync(d, ("c", [""])));
        yield return Define("direct: a key bound twice to one queue delivers one copy", d => DirectAsync(d, ("c", ["info", "info", "error"])));
        yield return Define("direct: generated consumer class with [Bind] attributes", async d =>
        {
            await d.SubscribeSinkAsync("sink", Behaviour.Succeed, "sink");
            await PublishAlertsAsync(d);
        });
    }

    private static IEnumerable<Scenario> Fanout()
    {
        yield return Define("fanout: every subscriber, named or server-named, gets every message", async d =>
        {
            await d.SubscribeAsync<Broadcast>("s1", Behaviour.Succeed);
            await d.SubscribeAsync<Broadcast>("s2", Behaviour.Succeed);
            await d.SubscribeAsync<Broadcast>("named", Behaviour.Succeed, new SubscribeOptions { Queue = d.Queue("fan") });
            for (int i = 1; i <= 3; i++)
            {
                await d.PublishAsync(new Broadcast($"b{i}"));
            }
        });
        yield return Define("fanout: a message nobody subscribed to is dropped", async d =>
        {
            await d.PublishAsync(new Broadcast("lost"));
            await d.SubscribeAsync<Broadcast>("after", Behaviour.Succeed);
            await d.PublishAsync(new Broadcast("kept"));
        });
    }

    private static IEnumerable<Scenario> Topic()
    {
        foreach (string binding in new[] { "a.*", "a.#", "#", "*.b.#", "*", "a.*.c", "#.c", "a.#.c", "", "*.*", "#.#", "*.#", "a..c" })
        {
            yield return Define($"topic: binding '{binding}'", d => TopicAsync(d, ("c", [binding])));
        }

        yield return Define("topic: empty words ('a.', '.') in bindings", d => TopicAsync(d, ("c", ["a.", ".", "*."])));
        yield return Define("topic: overlapping bindings on one queue deliver one copy", d => TopicAsync(d, ("c", ["a.*", "a.#", "#"])));
        yield return Define("topic: two queues with different bindings", d => TopicAsync(d, ("c1", ["a.*"]), ("c2", ["#.c"])));
        yield return Define("topic: no binding keys subscribes to everything", async d =>
        {
            await d.SubscribeAsync<Topical>("all", Behaviour.Succeed);
            await PublishTopicsAsync(d);
        });
        yield return Define("topic: mandatory message no binding takes is returned", async d =>
        {
            await d.SubscribeAsync<Urgent>("u", Behaviour.Succeed, new SubscribeOptions { Queue = d.Queue("urgent"), Bindings = ["u.*"] });
            await d.PublishAsync(new Urgent("u.1", "routed"));
            await d.PublishAsync(new Urgent("v.1", "unroutable"));
            await d.PublishAsync(new Urgent("u.1.x", "too-deep"));
        });
    }

    private static async Task PublishWorkAsync(ScenarioDriver d, int count)
    {
        for (int i = 1; i <= count; i++)
        {
            await d.PublishAsync(new Work($"w{i}"));
        }
    }

    private static Task DirectAsync(ScenarioDriver d, params (string Consumer, string[] Keys)[] consumers) =>
        BoundAsync<Alert>(d, PublishAlertsAsync, consumers);

    /// <summary>Subscribes each consumer to its own queue with its binding keys, then publishes.</summary>
    private static async Task BoundAsync<TMessage>(ScenarioDriver d, Func<ScenarioDriver, Task> publish, (string Consumer, string[] Keys)[] consumers)
        where TMessage : IIdentified
    {
        foreach ((string consumer, string[] keys) in consumers)
        {
            await d.SubscribeAsync<TMessage>(consumer, Behaviour.Succeed, new SubscribeOptions { Queue = d.Queue(consumer), Bindings = keys });
        }

        await publish(d);
    }

    private static async Task PublishAlertsAsync(ScenarioDriver d)
    {
        for (int i = 0; i < Severities.Length; i++)
        {
            await d.PublishAsync(new Alert(Severities[i], $"alert{i}"));
        }
    }

    private static Task TopicAsync(ScenarioDriver d, params (string Consumer, string[] Keys)[] consumers) =>
        BoundAsync<Topical>(d, PublishTopicsAsync, consumers);

    private static async Task PublishTopicsAsync(ScenarioDriver d)
    {
        for (int i = 0; i < TopicKeys.Length; i++)
        {
            await d.PublishAsync(new Topical(TopicKeys[i], $"t{i}"));
        }
    }
}
