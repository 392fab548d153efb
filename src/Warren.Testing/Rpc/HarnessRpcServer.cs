using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using RabbitMQ.Client;
using Warren.Internal;
using Warren.Runtime;

namespace Warren.Testing.Rpc;

/// <summary>
/// The server side of one ServeAsync in the harness, as the bus's (RpcServerPump): finds the method the request names,
/// lets the generated dispatcher call the implementation, and replies with its result or the same error reply (unknown
/// method, unreadable request, the handler's exception type and message).
/// </summary>
internal sealed class HarnessRpcServer<TService>(HarnessCore core, HarnessRpcTransport replies, RpcServiceDescriptor<TService> service, TService implementation, ServeOptions options)
    where TService : class
{
    public async Task DeliverAsync(Envelope request)
    {
        IReadOnlyBasicProperties properties = request.Properties;
        int method = service.FindMethod(properties.Type);
        var reply = new PooledJsonWriter();
        (string Type, string Message, string? StackTrace)? error = RpcServerPump<TService>.Refusal(service, method, properties.Type, request.Body.Length, core.MaxMessageSize);
        if (error is null)
        {
            try
            {
                await service.DispatchAsync(implementation, method, new RpcRequest(request.Body, core.RpcJson), reply.Writer, core.Disposing.Token).ConfigureAwait(false);
                reply.Writer.Flush();
                if (reply.WrittenMemory.Length > core.MaxMessageSize)
                {
                    throw MessageLimitException.BodyTooLarge(
                        service.MethodNames[method], $"reply of {service.Queue}.{service.MethodNames[method]}", reply.WrittenMemory.Length, core.MaxMessageSize);
                }
            }
            catch (RpcMalformedRequestException ex)
            {
                error = (RpcException.MalformedRequest, ex.Message, null);
            }
            catch (Exception ex)
            {
                error = (ex.GetType().FullName ?? ex.GetType().Name, ex.Message, options.IncludeExceptionDetails ? ex.StackTrace : null);
            }
        }

        Dictionary<string, object?>? headers = null;
        if (error is { } failure)
        {
            RpcServerPump<TService>.WriteError(reply, failure);
            headers = new Dictionary<string, object?> { [RpcWire.ErrorHeader] = failure.Type };
        }

        var replyProperties = new BasicProperties { ContentType = "application/json", CorrelationId = properties.CorrelationId, Headers = headers };
        if (string.Equals(properties.ReplyTo, RpcWire.DirectReplyTo, StringComparison.Ordinal))
        {
            replies.Deliver(replyProperties, reply.WrittenMemory.Span);
        }
        else if (properties.ReplyTo is { Length: > 0 } replyTo)
        {
            core.Broker.Publish(new Envelope(string.Empty, replyTo, replyProperties, reply.WrittenMemory.ToArray()));
        }
    }
}
