using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Globalization;
using System.Text;

namespace Warren.Runtime;

/// <summary>
/// The optional <c>queue.declare</c> arguments of one named queue, in the broker's units: what
/// <see cref="QueueArgumentsAttribute"/> says (the generator converts its durations), overridden by
/// <see cref="SubscribeOptions"/>. Compared by value, as every declaration of one queue must agree. Generated code
/// creates it; users set <see cref="QueueArgumentsAttribute"/> or <see cref="SubscribeOptions"/> instead.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed record QueueArgumentValues
{
    internal const string MessageTtlArgument = "x-message-ttl";
    internal const string ExpiresArgument = "x-expires";
    internal const string MaxLengthArgument = "x-max-length";
    internal const string MaxLengthBytesArgument = "x-max-length-bytes";
    internal const string OverflowArgument = "x-overflow";
    internal const string MaxPriorityArgument = "x-max-priority";
    internal const string SingleActiveConsumerArgument = "x-single-active-consumer";
    internal const string MaxAgeArgument = "x-max-age";
    internal const string MaxSegmentSizeBytesArgument = "x-stream-max-segment-size-bytes";

    /// <summary><c>x-message-ttl</c> in milliseconds, or null.</summary>
    public long? MessageTtlMilliseconds { get; init; }

    /// <summary><c>x-expires</c> in milliseconds, or null.</summary>
    public long? ExpiresMilliseconds { get; init; }

    /// <summary><c>x-max-length</c>, or null.</summary>
    public long? MaxLength { get; init; }

    /// <summary><c>x-max-length-bytes</c>, or null.</summary>
    public long? MaxLengthBytes { get; init; }

    /// <summary><c>x-overflow</c>; <see cref="QueueOverflow.Default"/> adds none.</summary>
    public QueueOverflow Overflow { get; init; }

    /// <summary><c>x-dead-letter-exchange</c> (empty for the default exchange), or null.</summary>
    public string? DeadLetterExchange { get; init; }

    /// <summary><c>x-dead-letter-routing-key</c>, or null.</summary>
    public string? DeadLetterRoutingKey { get; init; }

    /// <summary><c>x-max-priority</c>; 0 adds none.</summary>
    public byte MaxPriority { get; init; }

    /// <summary><c>x-single-active-consumer</c>; false adds none.</summary>
    public bool SingleActiveConsumer { get; init; }

    /// <summary>A stream queue's <c>x-max-age</c> in seconds, or null.</summary>
    public long? MaxAgeSeconds { get; init; }

    /// <summary>A stream queue's <c>x-stream-max-segment-size-bytes</c>, or null.</summary>
    public long? MaxSegmentSizeBytes { get; init; }

    /// <summary>True when no argument is set.</summary>
    internal bool IsEmpty => Equals(Empty);

    /// <summary>True when the queue dead-letters to an exchange of the user's (which replaces a quorum queue's error queue).</summary>
    internal bool DeadLetters => DeadLetterExchange is not null || DeadLetterRoutingKey is not null;

    internal static readonly QueueArgumentValues Empty = new();

    /// <summary>These arguments with what <paramref name="options"/> sets in their place.</summary>
    internal QueueArgumentValues With(SubscribeOptions options) => this with
    {
        MessageTtlMilliseconds = Milliseconds(options.MessageTtl) ?? MessageTtlMilliseconds,
        ExpiresMilliseconds = Milliseconds(options.Expires) ?? ExpiresMilliseconds,
        MaxLength = options.MaxLength ?? MaxLength,
        MaxLengthBytes = options.MaxLengthBytes ?? MaxLengthBytes,
        Overflow = options.Overflow ?? Overflow,
        DeadLetterExchange = options.DeadLetterExchange ?? DeadLetterExchange,
        DeadLetterRoutingKey = options.DeadLetterRoutingKey ?? DeadLetterRoutingKey,
        MaxPriority = options.MaxPriority ?? MaxPriority,
        SingleActiveConsumer = options.SingleActiveConsumer ?? SingleActiveConsumer,
        MaxAgeSeconds = options.MaxAge is { } age ? (long)Math.Ceiling(age.TotalSeconds) : MaxAgeSeconds,
        MaxSegmentSizeBytes = options.MaxSegmentSizeBytes ?? MaxSegmentSizeBytes,
    };

    /// <summary>True when <paramref name="options"/> sets any queue argument.</summary>
    internal static bool AnyIn(SubscribeOptions options) =>
        options.MessageTtl is not null || options.Expires is not null || options.MaxLength is not null || options.MaxLengthBytes is not null
        || options.Overflow is not null || options.DeadLetterExchange is not null || options.DeadLetterRoutingKey is not null
        || options.MaxPriority is not null || options.SingleActiveConsumer is not null || options.MaxAge is not null
        || options.MaxSegmentSizeBytes is not null;

    private static long? Milliseconds(TimeSpan? duration) => duration is { } d ? (long)Math.Ceiling(d.TotalMilliseconds) : null;

    /// <summary>Each argument that is set, with its name and its value as the broker gets it.</summary>
    internal IEnumerable<KeyValuePair<string, object>> Entries()
    {
        if (MessageTtlMilliseconds is { } ttl)
        {
            yield return new(MessageTtlArgument, ttl);
        }

        if (ExpiresMilliseconds is { } expires)
        {
            yield return new(ExpiresArgument, expires);
        }

        if (MaxLength is { } maxLength)
        {
            yield return new(MaxLengthArgument, maxLength);
        }

        if (MaxLengthBytes is { } maxBytes)
        {
            yield return new(MaxLengthBytesArgument, maxBytes);
        }

        if (Overflow != QueueOverflow.Default)
        {
            yield return new(OverflowArgument, OverflowName(Overflow));
        }

        if (DeadLetterExchange is { } exchange)
        {
            yield return new(QueueSettings.DeadLetterExchangeArgument, exchange);
        }

        if (DeadLetterRoutingKey is { } key)
        {
            yield return new(QueueSettings.DeadLetterRoutingKeyArgument, key);
        }

        if (MaxPriority > 0)
        {
            yield return new(MaxPriorityArgument, (int)MaxPriority);
        }

        if (SingleActiveConsumer)
        {
            yield return new(SingleActiveConsumerArgument, true);
        }

        if (MaxAgeSeconds is { } age)
        {
            yield return new(MaxAgeArgument, age.ToString(CultureInfo.InvariantCulture) + "s");
        }

        if (MaxSegmentSizeBytes is { } segment)
        {
            yield return new(MaxSegmentSizeBytesArgument, segment);
        }
    }

    /// <summary>The broker's name of an overflow mode.</summary>
    internal static string OverflowName(QueueOverflow overflow) => overflow switch
    {
        QueueOverflow.DropHead => "drop-head",
        QueueOverflow.RejectPublish => "reject-publish",
        QueueOverflow.RejectPublishDlx => "reject-publish-dlx",
        _ => "default",
    };

    /// <summary>
    /// What a queue of type <paramref name="type"/> cannot take among these arguments, as the broker (RabbitMQ 3.10 to
    /// 3.13) sees it, or null when it takes them all.
    /// </summary>
    internal string? Problem(QueueType type)
    {
        if (MessageTtlMilliseconds is < 0 or > uint.MaxValue)
        {
            return $"the message TTL ({MessageTtlArgument}) must be from 0 to {uint.MaxValue} ms";
        }

        if (ExpiresMilliseconds is < 1 or > uint.MaxValue)
        {
            return $"the queue expiry ({ExpiresArgument}) must be from 1 to {uint.MaxValue} ms";
        }

        if (MaxLength is < 0 || MaxLengthBytes is < 0 || MaxSegmentSizeBytes is < 1 || MaxAgeSeconds is < 1)
        {
            return "lengths and sizes cannot be negative, and a stream's max age and segment size must be positive";
        }

        if (DeadLetterRoutingKey is not null && DeadLetterExchange is null)
        {
            return $"a dead-letter routing key ({QueueSettings.DeadLetterRoutingKeyArgument}) needs a dead-letter exchange (empty for the default exchange)";
        }

        if (type == QueueType.Stream)
        {
            foreach (KeyValuePair<string, object> entry in Entries())
            {
                if (entry.Key is not (MaxLengthBytesArgument or MaxAgeArgument or MaxSegmentSizeBytesArgument))
                {
                    return $"a stream queue takes {MaxAgeArgument}, {MaxLengthBytesArgument} and {MaxSegmentSizeBytesArgument} only, not {entry.Key}";
                }
            }

            return null;
        }

        if (MaxAgeSeconds is not null || MaxSegmentSizeBytes is not null)
        {
            return $"{MaxAgeArgument} and {MaxSegmentSizeBytesArgument} apply to stream queues only";
        }

        if (type == QueueType.Quorum && MaxPriority > 0)
        {
            return $"a quorum queue has no priorities ({MaxPriorityArgument}); use a classic queue";
        }

        if (type == QueueType.Quorum && Overflow == QueueOverflow.RejectPublishDlx)
        {
            return $"a quorum queue's overflow ({OverflowArgument}) is drop-head or reject-publish, not reject-publish-dlx";
        }

        return null;
    }

    /// <summary>The arguments that are set, as <c>x-message-ttl=300000, x-max-length=10</c>; empty when none is.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (KeyValuePair<string, object> entry in Entries())
        {
            text.Append(text.Length == 0 ? string.Empty : ", ").Append(entry.Key).Append('=');
            text.Append(entry.Value switch
            {
                bool b => b ? "true" : "false",
                string s => "'" + s + "'",
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                var other => other.ToString(),
            });
        }

        return text.ToString();
    }
}
