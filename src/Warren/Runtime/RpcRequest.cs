using System;
using System.ComponentModel;
using System.Text.Json;

namespace Warren.Runtime;

/// <summary>One request as the generated dispatcher reads it: the body and the serializer.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct RpcRequest
{
    private readonly ReadOnlyMemory<byte> _body;
    private readonly RpcJson _json;

    internal RpcRequest(ReadOnlyMemory<byte> body, RpcJson json)
    {
        _body = body;
        _json = json;
    }

    /// <summary>The single argument of a one-parameter method: the whole body is its JSON value.</summary>
    public T Single<T>()
    {
        try
        {
            return _json.Read<T>(_body.Span);
        }
        catch (JsonException ex)
        {
            throw new RpcMalformedRequestException($"The request body is not a JSON {typeof(T).Name}: {ex.Message}", ex);
        }
    }

    /// <summary>The arguments object of a method with several parameters.</summary>
    public RpcArguments Arguments()
    {
        try
        {
            var document = JsonDocument.Parse(_body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                throw new RpcMalformedRequestException("The request body must be a JSON object keyed by parameter name.", null);
            }

            return new RpcArguments(document, _json);
        }
        catch (JsonException ex)
        {
            throw new RpcMalformedRequestException($"The request body is not JSON: {ex.Message}", ex);
        }
    }

    /// <summary>Writes a method's result as the reply body.</summary>
    public void WriteResult<T>(Utf8JsonWriter reply, T result) => _json.Write(reply, result);
}

/// <summary>The parsed arguments object of a request with several parameters.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct RpcArguments : IDisposable
{
    private readonly JsonDocument _document;
    private readonly RpcJson _json;

    internal RpcArguments(JsonDocument document, RpcJson json)
    {
        _document = document;
        _json = json;
    }

    /// <summary>The argument named like the parameter.</summary>
    public T Get<T>(string name)
    {
        if (!_document.RootElement.TryGetProperty(name, out JsonElement element))
        {
            throw new RpcMalformedRequestException($"The request has no argument '{name}'.", null);
        }

        try
        {
            return _json.Read<T>(element);
        }
        catch (JsonException ex)
        {
            throw new RpcMalformedRequestException($"The argument '{name}' is not a JSON {typeof(T).Name}: {ex.Message}", ex);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _document.Dispose();
}

/// <summary>A request the server cannot read; answered with a <see cref="RpcException.MalformedRequest"/> error reply.</summary>
internal sealed class RpcMalformedRequestException(string message, Exception? innerException) : Exception(message, innerException);
