using System;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using System.Threading.Tasks.Sources;
using RabbitMQ.Client;
using Warren.Runtime;

namespace Warren.Internal;

/// <summary>One RPC call waiting for its reply, found by correlation id. Completed exactly once: reply, timeout, cancellation or channel loss.</summary>
internal abstract class PendingCall
{
    private int _completed;

    protected PendingCall(string service, string method, long deadline)
    {
        Service = service;
        Method = method;
        Deadline = deadline;
    }

    public string Service { get; }

    public string Method { get; }

    /// <summary>When the call times out, in <see cref="Environment.TickCount64"/> milliseconds.</summary>
    public long Deadline { get; }

    /// <summary>Completes the call from its reply; the body is only valid during this call, so it is read here.</summary>
    public void Complete(ReadOnlySpan<byte> body, IReadOnlyBasicProperties properties)
    {
        if (properties.Headers is { } headers && headers.TryGetValue(RpcWire.ErrorHeader, out object? errorType))
        {
            Fail(ReadError(body, errorType));
            return;
        }

        Exception? error = null;
        try
        {
            if (!TrySetResult(body))
            {
                return;
            }
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            error = new WarrenException($"The reply of {Service}.{Method} is not what the method returns: {ex.Message}", ex);
        }

        if (error is not null)
        {
            Fail(error);
        }
    }

    /// <summary>What the call fails with when its deadline passes without a reply.</summary>
    public TimeoutException TimedOut() => new($"{Service}.{Method} got no reply in time; the request expires unexecuted if no server took it.");

    /// <summary>Whether the call already ended: replied, failed, timed out or cancelled.</summary>
    public bool IsCompleted => Volatile.Read(ref _completed) != 0;

    public void Fail(Exception error)
    {
        if (Interlocked.Exchange(ref _completed, 1) == 0)
        {
            SetException(error);
        }
    }

    /// <summary>Reads and sets the result unless already completed; false when it was.</summary>
    protected bool TryClaim() => Interlocked.Exchange(ref _completed, 1) == 0;

    protected abstract bool TrySetResult(ReadOnlySpan<byte> body);

    protected abstract void SetException(Exception error);

    private RpcException ReadError(ReadOnlySpan<byte> body, object? errorType)
    {
        string type = errorType is byte[] bytes ? Encoding.UTF8.GetString(bytes) : errorType?.ToString() ?? "Unknown";
        string message = string.Empty;
        string? stackTrace = null;
        try
        {
            var reader = new Utf8JsonReader(body);
            using JsonDocument document = JsonDocument.ParseValue(ref reader);
            if (document.RootElement.TryGetProperty("message", out JsonElement m))
            {
                message = m.GetString() ?? string.Empty;
            }

            if (document.RootElement.TryGetProperty("stackTrace", out JsonElement s) && s.ValueKind == JsonValueKind.String)
            {
                stackTrace = s.GetString();
            }
        }
        catch (JsonException)
        {
            message = Encoding.UTF8.GetString(body);
        }

        return new RpcException(Service, Method, type, message, stackTrace);
    }
}

/// <summary>A call whose result is <typeparamref name="TResult"/>; <see cref="NoResult"/> for methods that return nothing.</summary>
internal sealed class PendingCall<TResult> : PendingCall, IValueTaskSource<TResult>, IValueTaskSource
{
    private readonly RpcJson _json;
    private ManualResetValueTaskSourceCore<TResult> _core = new() { RunContinuationsAsynchronously = true };

    public PendingCall(string service, string method, long deadline, RpcJson json)
        : base(service, method, deadline)
    {
        _json = json;
    }

    public ValueTask<TResult> Task => new(this, _core.Version);

    protected override bool TrySetResult(ReadOnlySpan<byte> body)
    {
        // Deserialize before claiming, so that an unreadable reply still fails the call instead of leaving it claimed.
        TResult result = typeof(TResult) == typeof(NoResult) ? default! : _json.Read<TResult>(body);
        if (!TryClaim())
        {
            return false;
        }

        _core.SetResult(result);
        return true;
    }

    protected override void SetException(Exception error) => _core.SetException(error);

    TResult IValueTaskSource<TResult>.GetResult(short token) => _core.GetResult(token);

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<TResult>.GetStatus(short token) => _core.GetStatus(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource<TResult>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}

/// <summary>The result type of calls to methods that return <c>Task</c> or <c>ValueTask</c>.</summary>
internal readonly struct NoResult
{
}

/// <summary>Names on the wire that both sides of a call use.</summary>
internal static class RpcWire
{
    /// <summary>The direct reply-to pseudo-queue.</summary>
    public const string DirectReplyTo = "amq.rabbitmq.reply-to";

    /// <summary>The header of an error reply, holding the remote exception's type name; its body is <c>{"type","message","stackTrace"}</c>.</summary>
    public const string ErrorHeader = "x-warren-error";
}
