using System;
using System.Globalization;
using RabbitMQ.Client;

namespace Warren;

/// <summary>
/// Where a consumer of a stream queue starts reading (the <c>x-stream-offset</c> consume argument): <see cref="First"/>,
/// <see cref="Last"/>, <see cref="Next"/>, a point in time (<see cref="At"/>) or an offset (<see cref="Offset"/>). Set it
/// with <see cref="SubscribeOptions.StreamOffset"/>, <see cref="ConsumerAttribute.StreamOffset"/> or the configuration
/// key <c>Warren:Consumers:&lt;class&gt;:StreamOffset</c>. A consumer that tracks its offset (see
/// <see cref="SubscribeOptions.StreamConsumerName"/>) starts here only when no offset is stored for it yet.
/// </summary>
public sealed class StreamOffset : IEquatable<StreamOffset>
{
    private const string FirstText = "first";
    private const string LastText = "last";
    private const string NextText = "next";

    private readonly Kind _kind;
    private readonly long _value;

    private StreamOffset(Kind kind, long value)
    {
        _kind = kind;
        _value = value;
    }

    private enum Kind
    {
        First,
        Last,
        Next,
        Offset,
        Timestamp,
    }

    /// <summary>The first message the stream still holds (retention may have removed older ones).</summary>
    public static StreamOffset First { get; } = new(Kind.First, 0);

    /// <summary>The last chunk of the stream: its messages, then every new one (a chunk is a batch the broker wrote together).</summary>
    public static StreamOffset Last { get; } = new(Kind.Last, 0);

    /// <summary>Only messages published after the subscription starts (the broker's default).</summary>
    public static StreamOffset Next { get; } = new(Kind.Next, 0);

    /// <summary>
    /// Messages stored at or after <paramref name="time"/>, to the second. The broker finds them by chunk, so a few messages
    /// from the second before may come too.
    /// </summary>
    public static StreamOffset At(DateTimeOffset time) => new(Kind.Timestamp, time.ToUnixTimeSeconds());

    /// <summary>The message at <paramref name="offset"/> (0 is the first message ever written) and every one after it.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="offset"/> is negative.</exception>
    public static StreamOffset Offset(long offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        return new StreamOffset(Kind.Offset, offset);
    }

    /// <summary>The offset of <see cref="Offset"/>, or null for the other kinds.</summary>
    public long? NumericOffset => _kind == Kind.Offset ? _value : null;

    /// <summary>The time of <see cref="At"/>, or null for the other kinds.</summary>
    public DateTimeOffset? Timestamp => _kind == Kind.Timestamp ? DateTimeOffset.FromUnixTimeSeconds(_value) : null;

    /// <summary>
    /// Reads <c>first</c>, <c>last</c>, <c>next</c> (any case), a whole number (an offset) or an ISO 8601 date and time
    /// (<c>2024-05-01T12:00:00Z</c>; without a zone, UTC).
    /// </summary>
    /// <returns>False, with <paramref name="offset"/> null, when the text is none of those.</returns>
    public static bool TryParse(string? text, out StreamOffset? offset)
    {
        offset = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        string trimmed = text.Trim();
        if (trimmed.Equals(FirstText, StringComparison.OrdinalIgnoreCase))
        {
            offset = First;
        }
        else if (trimmed.Equals(LastText, StringComparison.OrdinalIgnoreCase))
        {
            offset = Last;
        }
        else if (trimmed.Equals(NextText, StringComparison.OrdinalIgnoreCase))
        {
            offset = Next;
        }
        else if (long.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out long number))
        {
            offset = new StreamOffset(Kind.Offset, number);
        }
        else if (trimmed.Length >= 10 && char.IsDigit(trimmed[0])
            && DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset time))
        {
            offset = At(time);
        }

        return offset is not null;
    }

    /// <summary>Reads the text as <see cref="TryParse"/> does.</summary>
    /// <exception cref="FormatException">The text is not a stream offset.</exception>
    public static StreamOffset Parse(string text) => TryParse(text, out StreamOffset? offset)
        ? offset!
        : throw new FormatException($"'{text}' is not a stream offset: use first, last, next, a whole number (an offset) or an ISO 8601 time such as 2024-05-01T12:00:00Z.");

    /// <summary>The value of the <c>x-stream-offset</c> consume argument.</summary>
    internal object ToArgument() => _kind switch
    {
        Kind.First => FirstText,
        Kind.Last => LastText,
        Kind.Next => NextText,
        Kind.Offset => _value,
        _ => new AmqpTimestamp(_value),
    };

    /// <summary><c>first</c>, <c>last</c>, <c>next</c>, the offset, or the time in ISO 8601: text <see cref="Parse"/> reads back.</summary>
    public override string ToString() => _kind switch
    {
        Kind.First => FirstText,
        Kind.Last => LastText,
        Kind.Next => NextText,
        Kind.Offset => _value.ToString(CultureInfo.InvariantCulture),
        _ => DateTimeOffset.FromUnixTimeSeconds(_value).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
    };

    /// <inheritdoc/>
    public bool Equals(StreamOffset? other) => other is not null && other._kind == _kind && other._value == _value;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as StreamOffset);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_kind, _value);
}
