using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using RabbitMQ.Client;
using Warren.Runtime;

namespace Warren.Internal;

/// <summary>The AMQP properties of one publish: Warren's defaults, the message type's headers, the publish's options and what flows from the handled message.</summary>
internal static class PublishProperties
{
    private const string JsonContentType = "application/json";

    /// <summary>Refuses options the broker or the client could not carry, before anything is sent.</summary>
    public static void Validate(PublishOptions options)
    {
        if (options.Expiration is { } expiration && (expiration < TimeSpan.Zero || expiration.TotalMilliseconds > int.MaxValue))
        {
            throw new ArgumentOutOfRangeException(nameof(options), expiration, "PublishOptions.Expiration must be between zero and about 24 days (int.MaxValue milliseconds).");
        }

        if (options.Headers is { } headers)
        {
            foreach (KeyValuePair<string, object?> header in headers)
            {
                if (string.IsNullOrEmpty(header.Key))
                {
                    throw new ArgumentException("PublishOptions.Headers has a header without a name.", nameof(options));
                }

                if (Unwritable(header.Value) is { } value)
                {
                    string what = ReferenceEquals(value, header.Value) ? "is" : "holds";
                    throw new ArgumentException(
                        $"PublishOptions.Headers['{header.Key}'] {what} a {value.GetType().FullName}, which an AMQP header cannot carry: use a string, bool, number (not ulong), byte[], AmqpTimestamp, list or string-keyed dictionary.",
                        nameof(options));
                }
            }
        }
    }

    public static BasicProperties For<TMessage>(MessageDescriptor<TMessage> descriptor, TMessage message, PublishOptions? options, MessageFlow.Handled? flow)
    {
        var properties = new BasicProperties
        {
            ContentType = JsonContentType,
            DeliveryMode = descriptor.Durable ? DeliveryModes.Persistent : DeliveryModes.Transient,
            MessageId = options?.MessageId ?? Guid.NewGuid().ToString(),
            CorrelationId = options?.CorrelationId ?? flow?.CorrelationId,
            Timestamp = new AmqpTimestamp(DateTimeOffset.UtcNow.ToUnixTimeSeconds()),
            Type = descriptor.MessageType,
        };
        if (options?.Expiration is { } expiration)
        {
            properties.Expiration = ((long)Math.Ceiling(expiration.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture);
        }

        if (options?.Priority is { } priority)
        {
            properties.Priority = priority;
        }

        string? causation = flow?.MessageId;
        if (descriptor.HasHeaders || options?.Headers is { Count: > 0 } || causation is not null)
        {
            var headers = new Dictionary<string, object?>(StringComparer.Ordinal);
            if (descriptor.HasHeaders)
            {
                descriptor.WriteHeaders(message, headers);
            }

            if (options?.Headers is { } extra)
            {
                foreach (KeyValuePair<string, object?> header in extra)
                {
                    if (!headers.TryAdd(header.Key, header.Value))
                    {
                        // The message's own header routes it on the headers exchange: a second value would change where it goes.
                        throw new ArgumentException(
                            $"PublishOptions.Headers sets '{header.Key}', which {descriptor.MessageType} sets from its own property to route on the headers exchange '{descriptor.Name}'.",
                            nameof(options));
                    }
                }
            }

            if (causation is not null)
            {
                headers.TryAdd(MessageHeaders.CausationId, causation);
            }

            properties.Headers = headers;
        }

        return properties;
    }

    /// <summary>The first value in <paramref name="value"/> (itself, or one in a list or dictionary) that RabbitMQ.Client cannot write as a field-table value, or null.</summary>
    private static object? Unwritable(object? value) => value switch
    {
        null or string or byte[] or bool or byte or sbyte or short or ushort or int or uint or long or float or double or decimal or AmqpTimestamp => null,
        IDictionary<string, object?> nested => FirstUnwritable(nested.Values),
        IList list => FirstUnwritable(list),
        _ => value,
    };

    private static object? FirstUnwritable(IEnumerable values)
    {
        foreach (object? value in values)
        {
            if (Unwritable(value) is { } unwritable)
            {
                return unwritable;
            }
        }

        return null;
    }
}
