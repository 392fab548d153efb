using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;
using Warren.Runtime;

namespace Warren.Internal;

/// <summary>
/// The client side of RPC for one bus and one kind of reply queue: one channel that consumes the replies and sends the
/// requests (direct reply-to requires both on the same channel), shared by every proxy and every concurrent call.
/// Replies are matched by correlation id; a reply nobody waits for (late, after a timeout, or unknown) is dropped and counted.
/// </summary>
internal sealed class RpcReplyChannel : IRpcTransport, IAsyncDisposable
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>How often a request held up by a connection outage tries again.</summary>
    private static readonly TimeSpan ResendPause = TimeSpan.FromMilliseconds(100);

    private readonly TopologyDeclarations _topology;
    private readonly int _maxMessageSize;
    private readonly RpcReplyQueue _mode;
    private readonly RpcJson _json;
    private readonly JsonWriterPool _writers = new(64);
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ConcurrentDictionary<string, PendingCall> _pending = new(StringComparer.Ordinal);
    private readonly string _idPrefix = Guid.NewGuid().ToString("N")[..12] + "-";
    private readonly Timer _sweeper;
    private readonly ChannelSlot _channel;
    private string _replyTo = RpcWire.DirectReplyTo;
    private long _nextId;
    private long _droppedReplies;

    public RpcReplyChannel(IConnection connection, TopologyDeclarations topology, int maxMessageSize, RpcReplyQueue mode, RpcJson json)
    {
        _topology = topology;
        _maxMessageSize = maxMessageSize;
        _mode = mode;
        _json = json;
        _channel = new ChannelSlot(connection, new CreateChannelOptions(publisherConfirmationsEnabled: false, publisherConfirmationTrackingEnabled: false), StartConsumingAsync);
        _sweeper = new Timer(static state => ((RpcReplyChannel)state!).FailExpired(), this, SweepInterval, SweepInterval);
    }

    /// <summary>Replies that arrived for no waiting call: late ones after a timeout or cancellation, or unknown ones.</summary>
    public long DroppedReplies => Interlocked.Read(ref _droppedReplies);

    /// <summary>Sends one call and waits for its reply. Observed, the client span covers it all and the request carries its context.</summary>
    public ValueTask<TResult> CallAsync<TArguments, TResult>(
        RpcServiceDescriptor service, int method, TArguments arguments, RpcCallSettings settings, CancellationToken cancellationToken)
        where TArguments : IRpcArguments =>
        RpcTelemetry.IsCallObserved
            ? CallObservedAsync<TArguments, TResult>(service, method, arguments, settings, cancellationToken)
            : SendAndWaitAsync<TArguments, TResult>(service, method, arguments, settings, telemetry: null, cancellationToken);

    /// <remarks>The span starts in here, an async method, so it is current only for this call, not for the caller after it.</remarks>
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<TResult> CallObservedAsync<TArguments, TResult>(
        RpcServiceDescriptor service, int method, TArguments arguments, RpcCallSettings settings, CancellationToken cancellationToken)
        where TArguments : IRpcArguments
    {
        RpcTelemetry? telemetry = RpcTelemetry.StartCall(service, method);
        try
        {
            return await SendAndWaitAsync<TArguments, TResult>(service, method, arguments, settings, telemetry, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (telemetry is not null)
        {
            telemetry.Failed(ex is RpcException rpc ? rpc.RemoteType : WarrenActivities.ErrorType(ex), ex);
            throw;
        }
        finally
        {
            telemetry?.Stop();
        }
    }

    /// <summary>
    /// Registers the call, sends its request and waits for the reply. The call's deadline bounds all of it: the request is
    /// sent apart from the wait, so a send held up by a connection outage (or a channel the client never answers on) still
    /// ends in <see cref="TimeoutException"/> when the sweeper expires the call.
    /// </summary>
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<TResult> SendAndWaitAsync<TArguments, TResult>(
        RpcServiceDescriptor service, int method, TArguments arguments, RpcCallSettings settings, RpcTelemetry? telemetry, CancellationToken cancellationToken)
        where TArguments : IRpcArguments
    {
        string methodName = service.MethodNames[method];
        PooledJsonWriter body = _writers.Rent();
        try
        {
            arguments.Write(body.Writer, _json);
            body.Writer.Flush();
            if (body.WrittenMemory.Length > _maxMessageSize)
            {
                throw MessageLimitException.BodyTooLarge(methodName, $"request to {service.Queue}.{methodName}", body.WrittenMemory.Length, _maxMessageSize);
            }
        }
        catch
        {
            _writers.Return(body);
            throw;
        }

        string correlationId = NextCorrelationId();
        var pending = new PendingCall<TResult>(service.Queue, methodName, Environment.TickCount64 + settings.TimeoutMilliseconds, _json);
        _pending[correlationId] = pending;
        ValueTask sent = SendAsync(service, methodName, correlationId, body, settings, telemetry, pending, cancellationToken);
        if (sent.IsCompletedSuccessfully)
        {
            sent.GetAwaiter().GetResult();
        }
        else
        {
            _ = FailIfNotSentAsync(sent, correlationId);
        }

        using (cancellationToken.CanBeCanceled ? cancellationToken.UnsafeRegister(static (state, token) => ((RpcCancellation)state!).Cancel(token), new RpcCancellation(this, correlationId)) : default)
        {
            return await pending.Task.ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Publishes the request; while the connection is down, waits for it and sends again, until the call ends (its reply,
    /// timeout or cancellation). Nothing is sent twice unless a connection died while the request was being written.
    /// </summary>
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendAsync(
        RpcServiceDescriptor service, string method, string correlationId, PooledJsonWriter body, RpcCallSettings settings, RpcTelemetry? telemetry,
        PendingCall call, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                try
                {
                    IChannel channel = await _channel.GetAsync(cancellationToken).ConfigureAwait(false);
                    if (!settings.QueueDeclared)
                    {
                        await _topology.EnsureQueueDeclaredAsync(service.Queue, service.QueueSettings).WaitAsync(cancellationToken).ConfigureAwait(false);
                        settings.QueueDeclared = true;
                    }

                    // Built once the channel is there: the first call's channel is what sets the reply queue.
                    var properties = new BasicProperties
                    {
                        ContentType = "application/json",
                        CorrelationId = correlationId,
                        ReplyTo = _replyTo,
                        Type = method,
                        // An abandoned request expires in the queue instead of running after its caller gave up.
                        Expiration = settings.Expiration,
                        DeliveryMode = service.Durable ? DeliveryModes.Persistent : DeliveryModes.Transient,
                    };
                    telemetry?.Sending(properties, body.WrittenMemory.Length);
                    TraceContext.InjectCurrent(properties);
                    await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
                    try
                    {
                        await channel.BasicPublishAsync(string.Empty, service.Queue, mandatory: false, properties, body.WrittenMemory, CancellationToken.None)
                            .ConfigureAwait(false);
                    }
                    finally
                    {
                        _sendLock.Release();
                    }

                    return;
                }
                catch (Exception ex) when (Errors.IsConnectionFault(ex) && !call.IsCompleted)
                {
                    // The connection is down, so nothing went out: wait for it to come back, until the call ends.
                    await Task.Delay(ResendPause, cancellationToken).ConfigureAwait(false);
                    if (call.IsCompleted)
                    {
                        return;
                    }
                }
            }
        }
        finally
        {
            _writers.Return(body);
        }
    }

    /// <summary>A request that could not be sent (a declaration refused, the bus disposed, the caller cancelled) fails its call.</summary>
    private async Task FailIfNotSentAsync(ValueTask sent, string correlationId)
    {
        try
        {
            await sent.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            if (_pending.TryRemove(correlationId, out PendingCall? call))
            {
                call.Fail(ex);
            }
        }
    }

    /// <summary>This channel's random prefix and a counter: unique, and one small string per call.</summary>
    private string NextCorrelationId()
    {
        long id = Interlocked.Increment(ref _nextId);
        int digits = 1;
        for (long rest = id / 10; rest > 0; rest /= 10)
        {
            digits++;
        }

        return string.Create(_idPrefix.Length + digits, (_idPrefix, id), static (span, state) =>
        {
            state._idPrefix.AsSpan().CopyTo(span);
            state.id.TryFormat(span[state._idPrefix.Length..], out _, default, CultureInfo.InvariantCulture);
        });
    }

    /// <summary>Prepares each new reply channel: fails what waits on it when it closes, and starts the reply consumer.</summary>
    private async Task StartConsumingAsync(IChannel channel, CancellationToken cancellationToken)
    {
        channel.ChannelShutdownAsync += (_, reason) =>
        {
            FailAll(new WarrenException($"The RPC reply channel closed before the reply came: {Errors.Describe(reason)}"));
            return Task.CompletedTask;
        };
        string queue = RpcWire.DirectReplyTo;
        if (_mode == RpcReplyQueue.Private)
        {
            // Named here, not by the server: after a connection recovery the client declares the queue again under the
            // same name, so the reply-to of later requests still reaches this consumer.
            queue = $"warren.rpc.reply.{Guid.NewGuid():N}";
            await channel.QueueDeclareAsync(queue, durable: false, exclusive: true, autoDelete: true, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
        }

        // Direct reply-to needs auto-ack and the consumer registered before the first request goes out.
        await channel.BasicConsumeAsync(queue, autoAck: true, consumerTag: string.Empty, noLocal: false, exclusive: false, arguments: null,
            new ReplyConsumer(channel, this), cancellationToken).ConfigureAwait(false);
        _replyTo = queue;
    }

    private void Deliver(IReadOnlyBasicProperties properties, ReadOnlySpan<byte> body)
    {
        if (properties.CorrelationId is { } id && _pending.TryRemove(id, out PendingCall? pending))
        {
            pending.Complete(body, properties);
        }
        else
        {
            Interlocked.Increment(ref _droppedReplies);
            if (WarrenMetrics.DroppedReplies.Enabled)
            {
                WarrenMetrics.DroppedReplies.Add(1, new KeyValuePair<string, object?>(SemanticConventions.RpcSystem, SemanticConventions.RabbitMq));
            }
        }
    }

    private void FailExpired()
    {
        if (_pending.IsEmpty)
        {
            return;
        }

        long now = Environment.TickCount64;
        foreach (KeyValuePair<string, PendingCall> entry in _pending)
        {
            if (entry.Value.Deadline <= now && _pending.TryRemove(entry.Key, out PendingCall? expired))
            {
                expired.Fail(expired.TimedOut());
            }
        }
    }

    private void FailAll(Exception error)
    {
        foreach (KeyValuePair<string, PendingCall> entry in _pending)
        {
            if (_pending.TryRemove(entry.Key, out PendingCall? pending))
            {
                pending.Fail(error);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _sweeper.DisposeAsync().ConfigureAwait(false);
        FailAll(new ObjectDisposedException(nameof(Bus), "The bus was disposed before the reply came."));
        await _channel.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Cancels one waiting call; allocated only for calls whose token can be cancelled.</summary>
    private sealed class RpcCancellation(RpcReplyChannel owner, string correlationId)
    {
        public void Cancel(CancellationToken token)
        {
            if (owner._pending.TryRemove(correlationId, out PendingCall? pending))
            {
                pending.Fail(new OperationCanceledException("The call was cancelled; its request expires unexecuted if no server took it.", token));
            }
        }
    }

    private sealed class ReplyConsumer(IChannel channel, RpcReplyChannel owner) : AsyncDefaultBasicConsumer(channel)
    {
        public override Task HandleBasicDeliverAsync(
            string consumerTag, ulong deliveryTag, bool redelivered, string exchange, string routingKey,
            IReadOnlyBasicProperties properties, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
        {
            owner.Deliver(properties, body.Span);
            return Task.CompletedTask;
        }
    }
}

/// <summary>
/// What one client computes once rather than per call: its timeout and the request expiration text, and whether the
/// service queue is known to be declared on this connection.
/// </summary>
internal sealed class RpcCallSettings
{
    /// <param name="timeout">Positive: <see cref="RpcClientOptions"/> checked it.</param>
    public RpcCallSettings(TimeSpan timeout)
    {
        TimeoutMilliseconds = (long)Math.Ceiling(timeout.TotalMilliseconds);
        Expiration = TimeoutMilliseconds.ToString(CultureInfo.InvariantCulture);
    }

    public long TimeoutMilliseconds { get; }

    public string Expiration { get; }

    /// <summary>Set after the first successful declaration; the bus keeps the declaration itself once per connection.</summary>
    public bool QueueDeclared { get; set; }
}
