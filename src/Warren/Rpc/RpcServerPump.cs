using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;
using Warren.Runtime;

namespace Warren.Internal;

/// <summary>
/// The server side of one <see cref="Bus.ServeAsync{TService}"/>: finds the method a request names, lets the generated
/// dispatcher call the implementation, publishes the reply (or an error reply) to the request's reply-to, and only then
/// acks the request (in batches when one request is served at a time, as a consumer does). Nothing a client sends can
/// stop it: unknown methods and unreadable requests get error replies.
/// </summary>
internal sealed class RpcServerPump<TService> : AsyncDefaultBasicConsumer, IBatchedAcks
    where TService : class
{
    private readonly RpcServiceDescriptor<TService> _service;
    private readonly RpcTarget<TService> _target;
    private readonly Subscription _subscription;
    private readonly RpcJson _json;
    private readonly JsonWriterPool _writers;
    private readonly ServeOptions _options;
    private readonly ILogger _logger;
    private readonly int _maxMessageSize;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly AckBatch? _acks;

    public RpcServerPump(IChannel channel, RpcServiceDescriptor<TService> service, RpcTarget<TService> target, Subscription subscription,
        RpcJson json, ServeOptions options, ILogger logger, int maxMessageSize)
        : base(channel)
    {
        _acks = AckBatch.For(channel, options.Prefetch, options.ConcurrentRequests, stream: false);
        _maxMessageSize = maxMessageSize;
        _service = service;
        _target = target;
        _subscription = subscription;
        _json = json;
        _options = options;
        _logger = logger;
        _writers = new JsonWriterPool(Math.Max((int)options.ConcurrentRequests, 1) + 1);
    }

    public override async Task HandleBasicDeliverAsync(
        string consumerTag, ulong deliveryTag, bool redelivered, string exchange, string routingKey,
        IReadOnlyBasicProperties properties, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
    {
        if (!_subscription.TryEnter())
        {
            return;
        }

        WarrenActivities.ForgetStaleAmbient();
        int method = _service.FindMethod(properties.Type);
        RpcTelemetry? telemetry = RpcTelemetry.StartServing(_service, method, properties);
        PooledJsonWriter reply = _writers.Rent();
        try
        {
            (string Type, string Message, string? StackTrace)? error = Refusal(_service, method, properties.Type, body.Length, _maxMessageSize);
            if (error is null)
            {
                try
                {
                    await _target.DispatchAsync(_service, method, new RpcRequest(body, _json), reply.Writer, _subscription.HandlerToken).ConfigureAwait(false);
                    reply.Writer.Flush();
                    if (reply.WrittenMemory.Length > _maxMessageSize)
                    {
                        // Too large to send: the caller gets an error reply saying so instead of waiting for its timeout.
                        throw MessageLimitException.BodyTooLarge(
                            _service.MethodNames[method], $"reply of {_service.Queue}.{_service.MethodNames[method]}", reply.WrittenMemory.Length, _maxMessageSize);
                    }
                }
                catch (OperationCanceledException) when (_subscription.HandlerToken.IsCancellationRequested)
                {
                    // Shutdown outlasted its timeout: give the request back for another server.
                    await Channel.BasicNackAsync(deliveryTag, multiple: false, requeue: true, CancellationToken.None).ConfigureAwait(false);
                    return;
                }
                catch (RpcMalformedRequestException ex)
                {
                    error = (RpcException.MalformedRequest, ex.Message, null);
                }
                catch (Exception ex)
                {
                    Log.RpcHandlerFailed(_logger, _service.Queue, _service.MethodNames[method], properties.CorrelationId, ex);
                    error = (ex.GetType().FullName ?? ex.GetType().Name, ex.Message, _options.IncludeExceptionDetails ? ex.StackTrace : null);
                    telemetry?.Failed(error.Value.Type, ex);
                }
            }

            if (error is { } refused && telemetry is not null && refused.Type is RpcException.MalformedRequest or RpcException.UnknownMethod)
            {
                telemetry.Failed(refused.Type, exception: null, refused.Message);
            }

            Dictionary<string, object?>? headers = null;
            if (error is { } failure)
            {
                WriteError(reply, failure);

                headers = new Dictionary<string, object?> { [RpcWire.ErrorHeader] = failure.Type };
            }

            if (properties.ReplyTo is { Length: > 0 } replyTo)
            {
                var replyProperties = new BasicProperties { ContentType = "application/json", CorrelationId = properties.CorrelationId, Headers = headers };
                await _sendLock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
                try
                {
                    await Channel.BasicPublishAsync(string.Empty, replyTo, mandatory: false, replyProperties, reply.WrittenMemory, CancellationToken.None).ConfigureAwait(false);
                }
                finally
                {
                    _sendLock.Release();
                }
            }
            else
            {
                Log.RpcNoReplyTo(_logger, _service.Queue, properties.CorrelationId);
            }

            // Acked only once the reply is out: on one channel the broker takes the reply before the ack.
            await AckBatch.AckAsync(_acks, Channel, deliveryTag).ConfigureAwait(false);
        }
        catch (AlreadyClosedException)
        {
            // The channel closed under the request; the broker hands it to another server.
        }
        finally
        {
            telemetry?.Stop();
            _writers.Return(reply);
            _subscription.Exit();
        }
    }

    /// <summary>Sends the acks still waiting in the batch: the subscription is about to close the channel.</summary>
    public ValueTask CloseAcksAsync() => _acks?.CloseAsync(send: true) ?? default;

    public override async Task HandleChannelShutdownAsync(object channel, ShutdownEventArgs reason)
    {
        await AckBatch.ChannelClosedAsync(_acks).ConfigureAwait(false);
        await base.HandleChannelShutdownAsync(channel, reason).ConfigureAwait(false);
    }

    /// <summary>
    /// The error reply for a request no method can take: too large to read (what the bus would refuse to send, it refuses
    /// to take), or naming no method of the service; null for a request to dispatch.
    /// </summary>
    internal static (string Type, string Message, string? StackTrace)? Refusal(RpcServiceDescriptor service, int method, string? requested, int length, int maxMessageSize)
    {
        if (length > maxMessageSize)
        {
            return (RpcException.MalformedRequest, $"The request is {length} bytes; the server's BusOptions.MaxMessageSize allows at most {maxMessageSize}.", null);
        }

        if (method < 0)
        {
            return (RpcException.UnknownMethod, requested is { Length: > 0 } name
                ? $"The service '{service.Queue}' has no method '{name}'."
                : $"The request names no method, and the service '{service.Queue}' has {service.MethodNames.Count}.", null);
        }

        return null;
    }

    /// <summary>Replaces whatever the reply holds with the error body <c>{"type","message","stackTrace"}</c>.</summary>
    internal static void WriteError(PooledJsonWriter reply, (string Type, string Message, string? StackTrace) error)
    {
        reply.Reset();
        Utf8JsonWriter writer = reply.Writer;
        writer.WriteStartObject();
        writer.WriteString("type", error.Type);
        writer.WriteString("message", error.Message);
        if (error.StackTrace is not null)
        {
            writer.WriteString("stackTrace", error.StackTrace);
        }

        writer.WriteEndObject();
        writer.Flush();
    }
}
