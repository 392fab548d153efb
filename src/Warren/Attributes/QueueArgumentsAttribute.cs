using System;

namespace Warren;

/// <summary>What a queue with a length limit does when a message arrives while it is full (<c>x-overflow</c>).</summary>
public enum QueueOverflow
{
    /// <summary>Not set: the broker's default, <see cref="DropHead"/>.</summary>
    Default = 0,

    /// <summary><c>drop-head</c>: the oldest messages are dropped (or dead-lettered) to make room.</summary>
    DropHead = 1,

    /// <summary>
    /// <c>reject-publish</c>: the new message is refused; with publisher confirms (Warren's default) the publish throws
    /// <see cref="PublishNackedException"/>.
    /// </summary>
    RejectPublish = 2,

    /// <summary>
    /// <c>reject-publish-dlx</c>: as <see cref="RejectPublish"/>, and the refused message is also dead-lettered. Classic
    /// queues only: quorum queues support <see cref="DropHead"/> and <see cref="RejectPublish"/> (error WARREN014).
    /// </summary>
    RejectPublishDlx = 3,
}

/// <summary>
/// The <c>queue.declare</c> arguments of the named queue Warren declares for the type: on a <see cref="QueueAttribute"/>
/// message its queue, on a consumer class its named queue (<see cref="ConsumerAttribute.Queue"/>), on an
/// <see cref="RpcServiceAttribute"/> interface its request queue. Every declaration of one queue must agree on them, or
/// RabbitMQ refuses the later one with PRECONDITION_FAILED (error WARREN004). On a message published to an exchange, or
/// on a consumer without a named queue, they have no effect (warning WARREN015). Durations are strings in
/// <see cref="TimeSpan"/> format (<c>"00:05:00"</c> is five minutes, <c>"1.00:00:00"</c> a day), checked at build time
/// (error WARREN014). Unset properties (null, 0, false) add no argument. <see cref="SubscribeOptions"/> sets the same
/// arguments at run time.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Interface, AllowMultiple = false, Inherited = false)]
public sealed class QueueArgumentsAttribute : Attribute
{
    /// <summary>
    /// How long a message may wait in the queue before it expires and is dropped, or dead-lettered to
    /// <see cref="DeadLetterExchange"/> (<c>x-message-ttl</c>, in milliseconds on the wire). From zero to about 49 days.
    /// Not on stream queues.
    /// </summary>
    public string? MessageTtl { get; set; }

    /// <summary>
    /// How long the queue may go unused (no consumers, no <c>basic.get</c>, no redeclaration) before the broker deletes it
    /// (<c>x-expires</c>, in milliseconds on the wire). At least one millisecond. Not on stream queues.
    /// </summary>
    public string? Expires { get; set; }

    /// <summary>The most messages the queue holds (<c>x-max-length</c>); what happens beyond is <see cref="Overflow"/>. 0 is no limit. Not on stream queues.</summary>
    public long MaxLength { get; set; }

    /// <summary>
    /// The most bytes of message bodies the queue holds (<c>x-max-length-bytes</c>); 0 is no limit. On a classic or quorum
    /// queue what happens beyond is <see cref="Overflow"/>; on a stream queue it is the retention limit, beyond which the
    /// oldest segments are deleted.
    /// </summary>
    public long MaxLengthBytes { get; set; }

    /// <summary>What a full queue (<see cref="MaxLength"/>, <see cref="MaxLengthBytes"/>) does with a new message (<c>x-overflow</c>). Not on stream queues.</summary>
    public QueueOverflow Overflow { get; set; }

    /// <summary>
    /// The exchange expired, dropped or rejected messages are republished to (<c>x-dead-letter-exchange</c>); an empty
    /// string is the default exchange, which routes by queue name (<see cref="DeadLetterRoutingKey"/>). On a quorum queue
    /// it replaces Warren's dead-lettering to the error queue, so messages over the delivery limit go here too. Not on
    /// stream queues.
    /// </summary>
    public string? DeadLetterExchange { get; set; }

    /// <summary>
    /// The routing key dead-lettered messages are republished with (<c>x-dead-letter-routing-key</c>); by default their
    /// own. Needs <see cref="DeadLetterExchange"/> (error WARREN014 without).
    /// </summary>
    public string? DeadLetterRoutingKey { get; set; }

    /// <summary>
    /// Makes a priority queue with priorities 1 to this (<c>x-max-priority</c>): a message published with a higher
    /// <see cref="PublishOptions.Priority"/> is delivered first. 0 is no priorities; RabbitMQ recommends at most 10.
    /// Classic queues only: quorum and stream queues refuse it (error WARREN014).
    /// </summary>
    public byte MaxPriority { get; set; }

    /// <summary>
    /// Single active consumer (<c>x-single-active-consumer</c>): the broker delivers to one subscription of the queue at a
    /// time and fails over to the next when it goes away, so messages are handled in order. Not on stream queues before
    /// RabbitMQ 3.11 (error WARREN014).
    /// </summary>
    public bool SingleActiveConsumer { get; set; }

    /// <summary>
    /// For a stream queue, how long it keeps messages (<c>x-max-age</c>, whole seconds on the wire such as <c>3600s</c>):
    /// older segments are deleted. Stream queues only.
    /// </summary>
    public string? MaxAge { get; set; }

    /// <summary>For a stream queue, the size of its segment files on disk (<c>x-stream-max-segment-size-bytes</c>); retention deletes whole segments. 0 is the broker's default (500 MB). Stream queues only.</summary>
    public long MaxSegmentSizeBytes { get; set; }
}
