using System;
using RabbitMQ.Client;

namespace Warren.Testing;

/// <summary>One message as the in-process broker holds it: where it was published, its properties and its body bytes.</summary>
/// <param name="Exchange">The exchange it was published to; empty for the default exchange.</param>
/// <param name="RoutingKey">The routing key it was published with.</param>
/// <param name="Properties">Its AMQP properties and headers.</param>
/// <param name="Body">Its body, exactly as serialized.</param>
public sealed record Envelope(string Exchange, string RoutingKey, IReadOnlyBasicProperties Properties, ReadOnlyMemory<byte> Body)
{
    /// <summary>When the message expires in its queue (<see cref="Environment.TickCount64"/>), or null for never.</summary>
    internal long? ExpiresAt { get; init; }

    /// <summary>A copy for one queue, with the expiration the properties ask for counted from now.</summary>
    internal Envelope ForQueue() =>
        Properties.Expiration is { Length: > 0 } expiration && long.TryParse(expiration, out long milliseconds)
            ? this with { ExpiresAt = Environment.TickCount64 + milliseconds }
            : this;

    internal bool IsExpired(long now) => ExpiresAt is { } at && at <= now;
}
