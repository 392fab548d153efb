using System;
using System.Collections.Generic;
using Warren.Internal;

namespace Warren.Runtime;

/// <summary>
/// The queue, bindings and prefetch of one subscription: the consumer's attributes, overridden by <see cref="SubscribeOptions"/>,
/// checked against what the message's exchange kind can do.
/// </summary>
internal sealed class SubscriptionPlan
{
    private SubscriptionPlan(
        string? queue, QueueSettings queueSettings, bool exclusive, ushort prefetch, ushort concurrency,
        IReadOnlyList<string> bindingKeys, IReadOnlyList<HeadersBinding> headerBindings)
    {
        Queue = queue;
        QueueSettings = queueSettings;
        Exclusive = exclusive;
        Prefetch = prefetch;
        Concurrency = concurrency;
        BindingKeys = bindingKeys;
        HeaderBindings = headerBindings;
    }

    /// <summary>The queue name, or null for a server-named queue.</summary>
    public string? Queue { get; }

    public bool Durable => QueueSettings.Durable;

    /// <summary>How the queue is declared: durability, queue type and delivery limit.</summary>
    public QueueSettings QueueSettings { get; }

    /// <summary>Exclusive and auto-delete: the per-subscription queue of the publish/subscribe tutorial.</summary>
    public bool Exclusive { get; }

    public ushort Prefetch { get; }

    public ushort Concurrency { get; }

    public IReadOnlyList<string> BindingKeys { get; }

    public IReadOnlyList<HeadersBinding> HeaderBindings { get; }

    /// <summary>The retry policy of <see cref="SubscribeOptions.Retry"/>, or null for the bus's.</summary>
    public RetryPolicy? Retry { get; private init; }

    /// <summary>The error queue of <see cref="SubscribeOptions.ErrorQueue"/>, or null for the default.</summary>
    public string? ErrorQueue { get; private init; }

    /// <summary>How a stream queue is read: where from, and where the offset is stored; null for other queues.</summary>
    public StreamPlan? Stream { get; private init; }

    /// <summary>The subscription, for messages: <c>the subscription of OrderPlaced to queue 'billing'</c>.</summary>
    public string Describe(MessageDescriptor message) =>
        $"the subscription of {message.MessageType} to {(message.Kind == ExchangeKind.Queue ? $"queue '{message.Name}'" : Queue is null ? $"a server-named queue bound to '{message.Exchange}'" : $"queue '{Queue}'")}";

    /// <summary>
    /// Where the messages this subscription fails to handle go: the configured error queue, else <c>&lt;queue&gt;.error</c>,
    /// or <c>&lt;exchange&gt;.error</c> for a server-named queue, whose name is different in every subscription.
    /// </summary>
    public string ErrorQueueFor(MessageDescriptor message)
    {
        string errorQueue = ErrorQueue ?? ErrorQueues.NameFor(Queue ?? message.Exchange);
        if (string.Equals(errorQueue, Queue, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The error queue of '{Queue}' cannot be the queue itself: failed messages would come straight back.");
        }

        return errorQueue;
    }

    /// <param name="message">The message consumed.</param>
    /// <param name="consumer">The consumer class's attributes, or null for a handler delegate.</param>
    /// <param name="options">The subscription's overrides.</param>
    /// <param name="defaultPrefetch">The prefetch when neither the consumer nor the options set one (<see cref="BusOptions.Prefetch"/>).</param>
    /// <exception cref="ArgumentException">The options ask for what the message's exchange or queue cannot do, or are out of range.</exception>
    public static SubscriptionPlan Create(MessageDescriptor message, ConsumerDescriptor? consumer, SubscribeOptions? options, ushort defaultPrefetch)
    {
        if (options?.Prefetch == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), 0, $"SubscribeOptions.Prefetch {OptionProblems.ZeroPrefetch}.");
        }

        if (options?.ConcurrentHandlers == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), 0, "SubscribeOptions.ConcurrentHandlers must be at least 1.");
        }

        ushort prefetch = options?.Prefetch ?? (consumer is { Prefetch: > 0 } ? consumer.Prefetch : Math.Max((ushort)1, defaultPrefetch));
        ushort concurrency = options?.ConcurrentHandlers ?? 1;

        if (message.Kind == ExchangeKind.Queue)
        {
            // The message names its queue; consumers must declare it exactly as publishers do.
            return new SubscriptionPlan(message.Name, message.QueueSettings, exclusive: false, prefetch, concurrency, [], [])
            {
                Retry = options?.Retry,
                ErrorQueue = ValidErrorQueue(options?.ErrorQueue),
                Stream = StreamPlan.Create(message.Name, message.QueueSettings, consumer, options),
            };
        }

        string? queue = options?.Queue ?? consumer?.Queue;
        QueueSettings queueSettings = NamedQueueSettings(queue, consumer, options);
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

        return new SubscriptionPlan(queue, queueSettings, exclusive: queue is null, prefetch, concurrency, keys, headerBindings)
        {
            Retry = options?.Retry,
            ErrorQueue = ValidErrorQueue(options?.ErrorQueue),
            Stream = StreamPlan.Create(queue, queueSettings, consumer, options),
        };
    }

    /// <summary>
    /// The consumer's <see cref="DurableAttribute"/> and <see cref="QueueArgumentsAttribute"/>, overridden by the options; a
    /// server-named queue is a plain classic one.
    /// </summary>
    private static QueueSettings NamedQueueSettings(string? queue, ConsumerDescriptor? consumer, SubscribeOptions? options)
    {
        if (options?.DeliveryLimit is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.DeliveryLimit, "SubscribeOptions.DeliveryLimit cannot be negative.");
        }

        if (queue is null)
        {
            if (options?.QueueType is QueueType.Quorum or QueueType.Stream)
            {
                throw new ArgumentException($"A subscription without a queue name gets an exclusive, server-named queue, which cannot be a {options.QueueType.Value.ToString().ToLowerInvariant()} queue; name the queue (SubscribeOptions.Queue or [Consumer(Queue = ...)]).");
            }

            return options is not null && QueueArgumentValues.AnyIn(options)
                ? throw new ArgumentException("A subscription without a queue name gets an exclusive, server-named queue, declared without queue arguments; name the queue (SubscribeOptions.Queue or [Consumer(Queue = ...)]) or remove the queue arguments from SubscribeOptions.")
                : QueueSettings.Classic(durable: false);
        }

        if (options?.QueueType is QueueType.Quorum or QueueType.Stream && options.Durable == false)
        {
            throw new ArgumentException($"Queue '{queue}': a {options.QueueType.Value.ToString().ToLowerInvariant()} queue is always durable; remove SubscribeOptions.Durable = false or the queue type.");
        }

        // Durable = false on the options turns the consumer's queue, whatever its type, into a transient classic one.
        QueueType type = options?.QueueType ?? (options?.Durable == false ? QueueType.Classic : consumer?.QueueType ?? QueueType.Classic);
        QueueArgumentValues arguments = consumer?.QueueSettings.Arguments ?? QueueArgumentValues.Empty;
        if (options is not null)
        {
            arguments = arguments.With(options);
        }

        QueueSettings settings;
        if (type != QueueType.Quorum)
        {
            settings = options?.DeliveryLimit is not null
                ? throw new ArgumentException($"Queue '{queue}': SubscribeOptions.DeliveryLimit applies to quorum queues only; set SubscribeOptions.QueueType = QueueType.Quorum, or remove it.")
                : QueueSettings.Of(options?.Durable ?? consumer?.Durable ?? false, type, 0, arguments);
        }
        else
        {
            int limit = options?.DeliveryLimit
                ?? (consumer is { QueueType: QueueType.Quorum } ? consumer.DeliveryLimit : DurableAttribute.DefaultDeliveryLimit);
            settings = QueueSettings.Of(durable: true, QueueType.Quorum, limit, arguments);
        }

        return settings.Problem() is { } problem
            ? throw new ArgumentException($"Queue '{queue}' as a {settings}: {problem}.")
            : settings;
    }

    private static string? ValidErrorQueue(string? errorQueue)
    {
        if (errorQueue is null)
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(errorQueue) || errorQueue.StartsWith("amq.", StringComparison.Ordinal))
        {
            throw new ArgumentException($"SubscribeOptions.ErrorQueue '{errorQueue}' is not a queue name Warren can declare: give a name that is not empty and does not start with 'amq.'.");
        }

        return errorQueue;
    }
}
