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

                if (!IsAmqpValue(header.Value))
                {
                    throw new ArgumentException(
                        $"PublishOptions.Headers['{header.Key}'] is a {header.Value!.GetType().FullName}, which an AMQP header cannot carry: use a string, bool, number, byte[], AmqpTimestamp, list or string-keyed dictionary.",
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

    /// <summary>What RabbitMQ.Client can write as a field-table value.</summary>
    private static bool IsAmqpValue(object? value) => value switch
    {
        null or string or byte[] or bool or byte or sbyte or short or ushort or int or uint or long or ulong or float or double or decimal or AmqpTimestamp => true,
        IDictionary<string, object?> nested => AllAmqpValues(nested.Values),
        IList list => AllAmqpValues(list),
        _ => false,
    };

    private static bool AllAmqpValues(IEnumerable values)
    {
        foreach (object? value in values)
        {
            if (!IsAmqpValue(value))
            {
                return false;
            }
        }

        return true;
    }
}
