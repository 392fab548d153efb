using System;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using RabbitMQ.Client;
using Warren.Runtime;

namespace Warren.Internal;

/// <summary>
/// Reads one delivery as its subscription's message, or says why it cannot: the checks every consume loop makes before a
/// handler sees a message (the bus's, and Warren.Testing's in-process one, so both refuse the same deliveries alike).
/// </summary>
internal static class DeliveryReader
{
    /// <param name="descriptor">The subscription's message.</param>
    /// <param name="typeInfo">The message's metadata, or null for a derived message read through its base's.</param>
    /// <param name="json">The bus's serializer options.</param>
    /// <param name="maxMessageSize">The largest body accepted (<see cref="BusOptions.MaxMessageSize"/>).</param>
    /// <param name="properties">The delivery's properties.</param>
    /// <param name="body">The delivery's body.</param>
    /// <param name="message">The message read, when true.</param>
    /// <param name="problem">Why the delivery cannot be read, when false: the error queue's reason.</param>
    /// <param name="error">The exception behind <paramref name="problem"/>, if any.</param>
    public static bool TryRead<TMessage>(
        MessageDescriptor<TMessage> descriptor, JsonTypeInfo<TMessage>? typeInfo, JsonSerializerOptions json, int maxMessageSize,
        IReadOnlyBasicProperties properties, ReadOnlySpan<byte> body, out TMessage message, out string problem, out Exception? error)
    {
        message = default!;
        error = null;
        if (body.Length > maxMessageSize)
        {
            problem = $"the body is {body.Length} bytes, over the limit of {maxMessageSize} bytes (BusOptions.MaxMessageSize)";
            return false;
        }

        if (properties.ContentType is { Length: > 0 } contentType && !IsJson(contentType))
        {
            problem = $"content type '{contentType}' is not JSON";
            return false;
        }

        // Only ever compared as a string: a type name from the wire is never resolved to a .NET type. A message without
        // a type (pika's default) is read as the subscription's message.
        if (properties.Type is { Length: > 0 } type && !descriptor.Accepts(type))
        {
            problem = $"its type header is '{type}', not {descriptor.DescribeAcceptedNames()}";
            return false;
        }

        if (body.IsEmpty)
        {
            problem = "the body is empty";
            return false;
        }

        try
        {
            TMessage? value = typeInfo is not null ? JsonSerializer.Deserialize(body, typeInfo) : descriptor.Deserialize(body, json);
            if (value is null)
            {
                problem = "the body is JSON null";
                return false;
            }

            message = value;
            problem = string.Empty;
            return true;
        }
        catch (JsonException ex)
        {
            problem = $"the body is not a {descriptor.MessageType} in JSON: {ex.Message}";
            error = ex;
            return false;
        }
        catch (NotSupportedException ex)
        {
            problem = ex.Message;
            error = ex;
            return false;
        }
    }

    private static bool IsJson(string contentType)
    {
        ReadOnlySpan<char> mediaType = contentType.AsSpan();
        int parameters = mediaType.IndexOf(';');
        if (parameters >= 0)
        {
            mediaType = mediaType[..parameters];
        }

        mediaType = mediaType.Trim();
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("text/json", StringComparison.OrdinalIgnoreCase)
            || (mediaType.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
    }
}
