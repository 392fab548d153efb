using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using RabbitMQ.Client;
using Warren.Internal;
using Warren.Runtime;

namespace Warren.Testing.Rpc;

/// <summary>
/// The client side of RPC in the harness, standing for the bus's reply channel: each call's request goes to the service
/// queue through the in-process broker with the same properties (expiration = timeout, direct reply-to), and its reply
/// completes the runtime's own pending call, so results, <see cref="RpcException"/>s and <see cref="TimeoutException"/>s
/// are those of a real client.
/// </summary>
internal sealed class HarnessRpcTransport(HarnessCore core) : IRpcTransport
{
    private readonly ConcurrentDictionary<string, PendingCall> _pending = new(StringComparer.Ordinal);
    private long _nextId;
    private long _droppedReplies;

    public long DroppedReplies => Interlocked.Read(ref _droppedReplies);

    public async ValueTask<TResult> CallAsync<TArguments, TResult>(
        RpcServiceDescriptor service, int method, TArguments arguments, RpcCallSettings settings, CancellationToken cancellationToken)
        where TArguments : IRpcArguments
    {
        string methodName = service.MethodNames[method];
        var body = new PooledJsonWriter();
        arguments.Write(body.Writer, core.RpcJson);
        body.Writer.Flush();
        if (body.WrittenMemory.Length > core.MaxMessageSize)
        {
            throw MessageLimitException.BodyTooLarge(methodName, $"request to {service.Queue}.{methodName}", body.WrittenMemory.Length, core.MaxMessageSize);
        }

        string correlationId = $"harness-{Interlocked.Increment(ref _nextId)}";
        var pending = new PendingCall<TResult>(service.Queue, methodName, Environment.TickCount64 + settings.TimeoutMilliseconds, core.RpcJson);
        _pending[correlationId] = pending;
        core.Broker.DeclareQueue(service.Queue);
        var properties = new BasicProperties
        {
            ContentType = "application/json",
            CorrelationId = correlationId,
            ReplyTo = RpcWire.DirectReplyTo,
            Type = methodName,
            Expiration = settings.Expiration,
            DeliveryMode = service.Durable ? DeliveryModes.Persistent : DeliveryModes.Transient,
        };

        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(settings.TimeoutMilliseconds));
        using CancellationTokenRegistration expiry = deadline.Token.Register(() => Fail(correlationId, call => call.TimedOut()));
        using CancellationTokenRegistration cancelled = cancellationToken.Register(() =>
            Fail(correlationId, _ => new OperationCanceledException("The call was cancelled; its request expires unexecuted if no server took it.", cancellationToken)));
        core.Broker.Publish(new Envelope(string.Empty, service.Queue, properties, body.WrittenMemory.ToArray()));
        return await pending.Task.ConfigureAwait(false);
    }

    /// <summary>A reply sent to direct reply-to: completes its call, or is dropped and counted when no call waits for it.</summary>
    public void Deliver(IReadOnlyBasicProperties properties, ReadOnlySpan<byte> body)
    {
        if (properties.CorrelationId is { } id && _pending.TryRemove(id, out PendingCall? pending))
        {
            pending.Complete(body, properties);
        }
        else
        {
            Interlocked.Increment(ref _droppedReplies);
        }
    }

    public void FailAll(Exception error)
    {
        foreach (KeyValuePair<string, PendingCall> entry in _pending)
        {
            Fail(entry.Key, _ => error);
        }
    }

    private void Fail(string correlationId, Func<PendingCall, Exception> error)
    {
        if (_pending.TryRemove(correlationId, out PendingCall? call))
        {
            call.Fail(error(call));
        }
    }
}
