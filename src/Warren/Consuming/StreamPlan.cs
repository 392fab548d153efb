using System;
using System.Text;
using Warren.Internal;

namespace Warren.Runtime;

/// <summary>
/// How a subscription reads a stream queue: where it starts, and, for a consumer that tracks its offset, under which name
/// and how often the offset is stored.
/// </summary>
/// <param name="Stream">The stream queue.</param>
/// <param name="Start">Where to start when no offset is stored (or none is tracked).</param>
/// <param name="ConsumerName">The name the offset is stored under; null when the offset is not tracked.</param>
/// <param name="CommitEvery">Store the offset after this many processed messages.</param>
/// <param name="CommitInterval">Store the offset at least this often while it moves.</param>
internal sealed record StreamPlan(string Stream, StreamOffset Start, string? ConsumerName, int CommitEvery, TimeSpan CommitInterval)
{
    /// <summary>The default of <see cref="SubscribeOptions.StreamOffsetCommitInterval"/>.</summary>
    public static readonly TimeSpan DefaultCommitInterval = TimeSpan.FromSeconds(1);

    /// <summary>The durable classic queue holding the consumer's last processed offset: <c>&lt;stream&gt;.offsets.&lt;name&gt;</c>.</summary>
    public string? OffsetsQueue => ConsumerName is null ? null : OffsetsQueueName(Stream, ConsumerName);

    /// <summary>The queue that stores the offset of consumer <paramref name="consumerName"/> of <paramref name="stream"/>.</summary>
    public static string OffsetsQueueName(string stream, string consumerName) => $"{stream}.offsets.{consumerName}";

    /// <summary>
    /// The stream plan of a subscription to <paramref name="queue"/>; null when it is not a stream queue (and then the
    /// options must not ask for stream settings).
    /// </summary>
    /// <exception cref="ArgumentException">Stream settings for a queue that is not a stream, or settings out of range.</exception>
    public static StreamPlan? Create(string? queue, QueueSettings settings, ConsumerDescriptor? consumer, SubscribeOptions? options)
    {
        if (queue is null || settings.Type != QueueType.Stream)
        {
            if (options is { StreamOffset: not null } or { StreamConsumerName: not null } or { TrackStreamOffset: not null }
                or { StreamOffsetCommitEvery: not null } or { StreamOffsetCommitInterval: not null })
            {
                throw new ArgumentException(
                    $"{(queue is null ? "A server-named queue" : $"Queue '{queue}'")} is not a stream queue: SubscribeOptions.StreamOffset, StreamConsumerName, " +
                    "TrackStreamOffset, StreamOffsetCommitEvery and StreamOffsetCommitInterval apply to stream queues only.");
            }

            return null;
        }

        StreamOffset start = options?.StreamOffset ?? StartOf(consumer) ?? StreamOffset.Next;
        bool track = options?.TrackStreamOffset ?? consumer?.TrackStreamOffset ?? true;
        string? name = options?.StreamConsumerName ?? consumer?.StreamConsumerName ?? consumer?.ConsumerType.Name;
        if (options?.TrackStreamOffset == true && name is null)
        {
            throw new ArgumentException($"Stream '{queue}': SubscribeOptions.TrackStreamOffset needs SubscribeOptions.StreamConsumerName, the name to store the offset under.");
        }

        if (name is not null && (name.Length == 0 || Encoding.UTF8.GetByteCount(OffsetsQueueName(queue, name)) > 255))
        {
            throw new ArgumentException(
                $"Stream '{queue}': the stream consumer name '{name}' cannot name the offsets queue '{OffsetsQueueName(queue, name)}': it must not be empty, and the queue name must fit in 255 bytes.");
        }

        int every = options?.StreamOffsetCommitEvery ?? SubscribeOptions.DefaultStreamOffsetCommitEvery;
        if (every < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), every, "SubscribeOptions.StreamOffsetCommitEvery must be at least 1.");
        }

        TimeSpan interval = options?.StreamOffsetCommitInterval ?? DefaultCommitInterval;
        if (interval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), interval, "SubscribeOptions.StreamOffsetCommitInterval must be positive.");
        }

        return new StreamPlan(queue, start, track ? name : null, every, interval);
    }

    private static StreamOffset? StartOf(ConsumerDescriptor? consumer)
    {
        if (consumer?.StreamOffset is not { } text)
        {
            return null;
        }

        return StreamOffset.TryParse(text, out StreamOffset? offset)
            ? offset
            : throw new ArgumentException($"[Consumer(StreamOffset = \"{text}\")] on {consumer.ConsumerType.Name} is not a stream offset: use first, last, next, a whole number or an ISO 8601 time.");
    }

    /// <summary>How the offsets queue is declared: durable and classic, holding one message, the newest.</summary>
    public static QueueSettings OffsetsQueueSettings { get; } = QueueSettings.Of(
        durable: true, QueueType.Classic, 0, new QueueArgumentValues { MaxLength = 1, Overflow = QueueOverflow.DropHead });
}
