using System;
using System.Collections.Generic;

namespace Warren;

/// <summary>
/// Overrides, for one subscription, what the consumer's attributes say. In a host, each consumer's options can also come
/// from configuration, under <c>Consumers:&lt;consumer class name&gt;</c> of Warren's section.
/// </summary>
public sealed class SubscribeOptions
{
    /// <summary>The prefetch used when neither the consumer nor the options set one.</summary>
    public const ushort DefaultPrefetch = 32;

    /// <summary>The queue to consume; replaces <see cref="ConsumerAttribute.Queue"/>. Ignored for queue messages.</summary>
    public string? Queue { get; set; }

    /// <summary>Whether a named queue is durable; replaces <see cref="DurableAttribute"/> on the consumer.</summary>
    public bool? Durable { get; set; }

    /// <summary>
    /// The type of a named queue; replaces the consumer's <see cref="DurableAttribute.QueueType"/>. A quorum or stream
    /// queue is always durable and needs a queue name. Ignored for queue messages, whose own <see cref="DurableAttribute"/> decides.
    /// </summary>
    public QueueType? QueueType { get; set; }

    /// <summary>
    /// The delivery limit of a named quorum queue; replaces the consumer's <see cref="DurableAttribute.DeliveryLimit"/>.
    /// Every declaration of one queue must agree on it, or the broker refuses the later one.
    /// </summary>
    public int? DeliveryLimit { get; set; }

    /// <summary>
    /// The message TTL of a named queue (<c>x-message-ttl</c>); replaces the consumer's
    /// <see cref="QueueArgumentsAttribute.MessageTtl"/>, as do the other queue arguments below theirs. Like
    /// <see cref="QueueType"/>, the queue arguments are ignored for queue messages, whose own attributes decide, and need
    /// a queue name: a server-named queue takes none. Every declaration of one queue must agree on them.
    /// </summary>
    public TimeSpan? MessageTtl { get; set; }

    /// <summary>How long the named queue may go unused before the broker deletes it (<c>x-expires</c>); replaces <see cref="QueueArgumentsAttribute.Expires"/>.</summary>
    public TimeSpan? Expires { get; set; }

    /// <summary>The most messages the named queue holds (<c>x-max-length</c>); replaces <see cref="QueueArgumentsAttribute.MaxLength"/>.</summary>
    public long? MaxLength { get; set; }

    /// <summary>The most bytes the named queue holds (<c>x-max-length-bytes</c>, a stream's retention); replaces <see cref="QueueArgumentsAttribute.MaxLengthBytes"/>.</summary>
    public long? MaxLengthBytes { get; set; }

    /// <summary>What the full named queue does with a new message (<c>x-overflow</c>); replaces <see cref="QueueArgumentsAttribute.Overflow"/>.</summary>
    public QueueOverflow? Overflow { get; set; }

    /// <summary>Where the named queue dead-letters (<c>x-dead-letter-exchange</c>, empty for the default exchange); replaces <see cref="QueueArgumentsAttribute.DeadLetterExchange"/>.</summary>
    public string? DeadLetterExchange { get; set; }

    /// <summary>The routing key of dead-lettered messages (<c>x-dead-letter-routing-key</c>); replaces <see cref="QueueArgumentsAttribute.DeadLetterRoutingKey"/>.</summary>
    public string? DeadLetterRoutingKey { get; set; }

    /// <summary>The highest priority of the named classic queue (<c>x-max-priority</c>); replaces <see cref="QueueArgumentsAttribute.MaxPriority"/>.</summary>
    public byte? MaxPriority { get; set; }

    /// <summary>Whether the named queue has a single active consumer (<c>x-single-active-consumer</c>); replaces <see cref="QueueArgumentsAttribute.SingleActiveConsumer"/> and <see cref="ConsumerAttribute.SingleActive"/>.</summary>
    public bool? SingleActiveConsumer { get; set; }

    /// <summary>A stream queue's retention by age (<c>x-max-age</c>, rounded up to whole seconds); replaces <see cref="QueueArgumentsAttribute.MaxAge"/>.</summary>
    public TimeSpan? MaxAge { get; set; }

    /// <summary>A stream queue's segment size (<c>x-stream-max-segment-size-bytes</c>); replaces <see cref="QueueArgumentsAttribute.MaxSegmentSizeBytes"/>.</summary>
    public long? MaxSegmentSizeBytes { get; set; }

    /// <summary>
    /// Where a consumer of a stream queue starts reading; replaces <see cref="ConsumerAttribute.StreamOffset"/>. By default
    /// <see cref="Warren.StreamOffset.Next"/>. A consumer that tracks its offset (<see cref="TrackStreamOffset"/>) starts
    /// here only the first time: once an offset is stored for its name, it resumes after that one. Only for stream queues.
    /// </summary>
    public StreamOffset? StreamOffset { get; set; }

    /// <summary>
    /// The name under which a consumer of a stream queue stores the offset it has processed up to, so that it resumes there
    /// after a restart; replaces <see cref="ConsumerAttribute.StreamConsumerName"/>. By default the consumer class's name;
    /// a handler delegate tracks no offset unless it is given a name. Every subscription with the same name on the same
    /// stream shares the stored offset. The offset is kept in the durable queue <c>&lt;stream&gt;.offsets.&lt;name&gt;</c>.
    /// </summary>
    public string? StreamConsumerName { get; set; }

    /// <summary>
    /// Whether a consumer of a stream queue stores its offset under <see cref="StreamConsumerName"/> and resumes from it;
    /// replaces <see cref="ConsumerAttribute.TrackStreamOffset"/>. False reads from <see cref="StreamOffset"/> every time.
    /// </summary>
    public bool? TrackStreamOffset { get; set; }

    /// <summary>
    /// A stream consumer that tracks its offset stores it after this many processed messages (default
    /// <see cref="DefaultStreamOffsetCommitEvery"/>), after <see cref="StreamOffsetCommitInterval"/>, and when it stops. A
    /// process that dies reprocesses at most the messages since the last store.
    /// </summary>
    public int? StreamOffsetCommitEvery { get; set; }

    /// <summary>How long a stream consumer that tracks its offset waits at most before it stores a new one (default 1 second).</summary>
    public TimeSpan? StreamOffsetCommitInterval { get; set; }

    /// <summary>The default of <see cref="StreamOffsetCommitEvery"/>.</summary>
    public const int DefaultStreamOffsetCommitEvery = 100;

    /// <summary>How many unacknowledged messages the broker sends at once; replaces <see cref="ConsumerAttribute.Prefetch"/> and <see cref="BusOptions.Prefetch"/>. At least 1.</summary>
    public ushort? Prefetch { get; set; }

    /// <summary>Binding keys for a direct or topic exchange; replace the consumer's <see cref="BindAttribute"/> keys,
    /// as the tutorials' receivers take them from the command line.</summary>
    public IReadOnlyList<string>? Bindings { get; set; }

    /// <summary>Bindings for a headers exchange; replace the consumer's <see cref="BindHeadersAttribute"/>s.</summary>
    public IReadOnlyList<HeadersBinding>? HeaderBindings { get; set; }

    /// <summary>How many messages this subscription handles at once (1, the default, handles them in order).</summary>
    public ushort? ConcurrentHandlers { get; set; }

    /// <summary>How a failing handler is retried before its message goes to the error queue; replaces <see cref="BusOptions.Retry"/>.</summary>
    public RetryPolicy? Retry { get; set; }

    /// <summary>
    /// The queue that takes the messages this subscription cannot handle. By default <c>&lt;queue&gt;.error</c>
    /// (<see cref="ErrorQueues.NameFor"/>), or <c>&lt;exchange&gt;.error</c> for a server-named queue, whose name changes
    /// with every subscription. Declared durable when the subscription starts.
    /// </summary>
    public string? ErrorQueue { get; set; }
}
