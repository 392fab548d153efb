using System;

namespace Warren;

/// <summary>
/// Marks a class implementing <see cref="IConsumer{TMessage}"/> so the generator emits its queue, bindings and consume loop.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ConsumerAttribute : Attribute
{
    /// <summary>
    /// The queue to consume. Several processes consuming one named queue share its messages (competing consumers).
    /// Without a name each subscription gets its own exclusive, auto-delete, server-named queue.
    /// Ignored for messages marked <see cref="QueueAttribute"/>, whose queue is fixed.
    /// </summary>
    public string? Queue { get; set; }

    /// <summary>How many unacknowledged messages the broker sends at once (<c>basic.qos</c>); 0 keeps the default of <see cref="SubscribeOptions.DefaultPrefetch"/>.</summary>
    public ushort Prefetch { get; set; }

    /// <summary>
    /// Declares the named queue with single active consumer (<c>x-single-active-consumer</c>): of all the subscriptions on
    /// the queue, in every process, the broker delivers to one at a time, and when it goes away to the next, so messages
    /// are handled in order. The same as <see cref="QueueArgumentsAttribute.SingleActiveConsumer"/> on the consumer; needs
    /// a named queue (<see cref="Queue"/>, warning WARREN015 otherwise) that is not a stream queue.
    /// </summary>
    public bool SingleActive { get; set; }

    /// <summary>
    /// For a consumer of a stream queue (<c>[Durable(QueueType.Stream)]</c>): where it starts reading, as
    /// <see cref="Warren.StreamOffset.Parse"/> reads it: <c>"first"</c>, <c>"last"</c>, <c>"next"</c> (the default), an
    /// offset (<c>"1000"</c>) or an ISO 8601 time (<c>"2024-05-01T12:00:00Z"</c>). The generator checks the text
    /// (error WARREN016). When the consumer tracks its offset (<see cref="TrackStreamOffset"/>), it starts here only until
    /// an offset is stored for it.
    /// </summary>
    public string? StreamOffset { get; set; }

    /// <summary>
    /// For a consumer of a stream queue: the name its processed offset is stored under (see
    /// <see cref="SubscribeOptions.StreamConsumerName"/>); by default the class's name.
    /// </summary>
    public string? StreamConsumerName { get; set; }

    /// <summary>
    /// For a consumer of a stream queue: whether it stores its processed offset and resumes from it after a restart
    /// (true, the default) or starts from <see cref="StreamOffset"/> every time (false).
    /// </summary>
    public bool TrackStreamOffset { get; set; } = true;
}

/// <summary>Binds the consumer's queue to the message's direct or topic exchange with a binding key. Repeat for several keys.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class BindAttribute : Attribute
{
    /// <param name="bindingKey">The binding key; on a topic exchange <c>*</c> matches one word and <c>#</c> zero or more.</param>
    public BindAttribute(string bindingKey) => BindingKey = bindingKey;

    /// <summary>The binding key.</summary>
    public string BindingKey { get; }
}

/// <summary>
/// Binds the consumer's queue to the message's headers exchange, matching header names and values given in pairs:
/// <c>[BindHeaders(HeadersMatch.All, "color", "blue", "size", "big")]</c>. Repeat for several bindings.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class BindHeadersAttribute : Attribute
{
    /// <param name="match">Whether all or any of the pairs must match.</param>
    /// <param name="namesAndValues">Header names and values, alternating.</param>
    public BindHeadersAttribute(HeadersMatch match, params string[] namesAndValues)
    {
        MatchKind = match;
        NamesAndValues = namesAndValues;
    }

    /// <summary>Whether all or any of the pairs must match.</summary>
    public HeadersMatch MatchKind { get; }

    /// <summary>Header names and values, alternating.</summary>
    public string[] NamesAndValues { get; }
}
