using System;
using System.Collections.Generic;

namespace Warren.Runtime;

/// <summary>
/// The queue, bindings and prefetch of one subscription: the consumer's attributes, overridden by <see cref="SubscribeOptions"/>,
/// checked against what the message's exchange kind can do.
/// </summary>
internal sealed class SubscriptionPlan
{
    private SubscriptionPlan(
        string? queue, bool durable, bool exclusive, ushort prefetch, ushort concurrency,
        IReadOnlyList<string> bindingKeys, IReadOnlyList<HeadersBinding> headerBindings)
    {
        Queue = queue;
        Durable = durable;
        Exclusive = exclusive;
        Prefetch = prefetch;
        Concurrency = concurrency;
        BindingKeys = bindingKeys;
        HeaderBindings = headerBindings;
    }

    /// <summary>The queue name, or null for a server-named queue.</summary>
    public string? Queue { get; }

    public bool Durable { get; }

    /// <summary>Exclusive and auto-delete: the per-subscription queue of the publish/subscribe tutorial.</summary>
    public bool Exclusive { get; }

    public ushort Prefetch { get; }

    public ushort Concurrency { get; }

    public IReadOnlyList<string> BindingKeys { get; }

    public IReadOnlyList<HeadersBinding> HeaderBindings { get; }

    public static SubscriptionPlan Create(MessageDescriptor message, ConsumerDescriptor? consumer, SubscribeOptions? options)
    {
        ushort prefetch = options?.Prefetch ?? (consumer is { Prefetch: > 0 } ? consumer.Prefetch : SubscribeOptions.DefaultPrefetch);
        ushort concurrency = Math.Max((ushort)1, options?.ConcurrentHandlers ?? 1);

        if (message.Kind == ExchangeKind.Queue)
        {
            // The message names its queue; consumers must declare it exactly as publishers do.
            return new SubscriptionPlan(message.Name, message.Durable, exclusive: false, prefetch, concurrency, [], []);
        }

        string? queue = options?.Queue ?? consumer?.Queue;
        bool durable = queue is not null && (options?.Durable ?? consumer?.Durable ?? false);
        IReadOnlyList<string> keys = options?.Bindings ?? consumer?.BindingKeys ?? [];
        IReadOnlyList<HeadersBinding> headerBindings = options?.HeaderBindings ?? consumer?.HeaderBindings ?? [];

        switch (message.Kind)
        {
            case ExchangeKind.Fanout:
                if (keys.Count > 0 || headerBindings.Count > 0)
                {
                    throw new ArgumentException($"The fanout exchange '{message.Name}' ignores binding keys and headers; remove them from the subscription.");
                }

                keys = [string.Empty];
                break;
            case ExchangeKind.Direct:
            case ExchangeKind.Topic:
                if (headerBindings.Count > 0)
                {
                    throw new ArgumentException($"Header bindings apply to headers exchanges; '{message.Name}' is a {message.ExchangeType} exchange.");
                }

                if (keys.Count == 0)
                {
                    // A topic subscription without keys takes everything, as binding '#' does; a direct one has nothing sensible to default to.
                    keys = message.Kind == ExchangeKind.Topic
                        ? ["#"]
                        : throw new ArgumentException($"A subscription to the direct exchange '{message.Name}' needs at least one binding key ([Bind] or SubscribeOptions.Bindings).");
                }

                break;
            case ExchangeKind.Headers:
                if (keys.Count > 0)
                {
                    throw new ArgumentException($"The headers exchange '{message.Name}' ignores binding keys; use [BindHeaders] or SubscribeOptions.HeaderBindings.");
                }

                if (headerBindings.Count == 0)
                {
                    // x-match all with no headers matches every message.
                    headerBindings = [new HeadersBinding(HeadersMatch.All, new Dictionary<string, string>())];
                }

                break;
        }

        return new SubscriptionPlan(queue, durable, exclusive: queue is null, prefetch, concurrency, keys, headerBindings);
    }
}
