using System;
using System.Diagnostics;
using RabbitMQ.Client;
using Warren.Runtime;

namespace Warren.Internal;

/// <summary>
/// The span and duration of one RPC call, on either side: a client span whose context travels in the request's headers,
/// and a server span under it. Only made when someone listens.
/// </summary>
internal sealed class RpcTelemetry
{
    /// <summary>What the conventions call a method the server does not know: a client's wire name is not a tag value.</summary>
    private const string UnknownMethod = "_OTHER";

    private readonly Activity? _activity;
    private readonly string _service;
    private readonly string _method;
    private readonly long _started;
    private readonly bool _server;
    private string? _errorType;

    private RpcTelemetry(Activity? activity, string service, string method, long started, bool server)
    {
        _activity = activity;
        _service = service;
        _method = method;
        _started = started;
        _server = server;
    }

    /// <summary>Whether anyone listens to client calls; checked before the async method that starts their span.</summary>
    public static bool IsCallObserved => WarrenActivities.Source.HasListeners() || WarrenMetrics.RpcClientDuration.Enabled;

    /// <summary>Starts the client span of a call, under the current activity; called inside the call's own async method.</summary>
    public static RpcTelemetry? StartCall(RpcServiceDescriptor service, int method)
    {
        bool tracing = WarrenActivities.Source.HasListeners();
        bool measuring = WarrenMetrics.RpcClientDuration.Enabled;
        if (!tracing && !measuring)
        {
            return null;
        }

        Activity? activity = tracing ? WarrenActivities.Source.StartActivity(service.SpanNames[method], ActivityKind.Client) : null;
        Describe(activity, service, service.MethodNames[method]);
        return new RpcTelemetry(activity, service.ServiceType, service.MethodNames[method], measuring ? Stopwatch.GetTimestamp() : 0, server: false);
    }

    /// <summary>Starts the server span of a request, under the caller's span when the request carries its context.</summary>
    public static RpcTelemetry? StartServing(RpcServiceDescriptor service, int method, IReadOnlyBasicProperties request)
    {
        bool tracing = WarrenActivities.Source.HasListeners();
        bool measuring = WarrenMetrics.RpcServerDuration.Enabled;
        if (!tracing && !measuring)
        {
            return null;
        }

        string methodName = method < 0 ? UnknownMethod : service.MethodNames[method];
        Activity? activity = null;
        if (tracing)
        {
            string name = method < 0 ? service.ServiceType + "/" + UnknownMethod : service.SpanNames[method];
            activity = WarrenActivities.Source.CreateActivity(name, ActivityKind.Server, TraceContext.Extract(request))?.Start();
        }

        Describe(activity, service, methodName);
        if (activity is { IsAllDataRequested: true } && request.CorrelationId is { } correlationId)
        {
            activity.SetTag(SemanticConventions.ConversationId, correlationId);
        }

        return new RpcTelemetry(activity, service.ServiceType, methodName, measuring ? Stopwatch.GetTimestamp() : 0, server: true);
    }

    /// <summary>Describes the request about to go out and writes the client span's context into its headers.</summary>
    public void Sending(BasicProperties request, int bodySize)
    {
        if (_activity is null)
        {
            return;
        }

        if (_activity.IsAllDataRequested)
        {
            _activity.SetTag(SemanticConventions.ConversationId, request.CorrelationId);
            _activity.SetTag(SemanticConventions.BodySize, bodySize);
        }

        TraceContext.Inject(_activity, request);
    }

    /// <summary>The call failed: an error reply, a timeout, a cancellation, or the method threw on the server.</summary>
    public void Failed(string errorType, Exception? exception, string? description = null)
    {
        _errorType = errorType;
        if (_activity is not null)
        {
            WarrenActivities.Fail(_activity, errorType, exception, description);
        }
    }

    /// <summary>Ends the span and records the call's duration.</summary>
    public void Stop()
    {
        _activity?.Dispose();
        if (_started == 0)
        {
            return;
        }

        var tags = new TagList
        {
            { SemanticConventions.RpcSystem, SemanticConventions.RabbitMq },
            { SemanticConventions.RpcService, _service },
            { SemanticConventions.RpcMethod, _method },
        };
        if (_errorType is not null)
        {
            tags.Add(SemanticConventions.ErrorType, _errorType);
        }

        (_server ? WarrenMetrics.RpcServerDuration : WarrenMetrics.RpcClientDuration).Record(Stopwatch.GetElapsedTime(_started).TotalSeconds, tags);
    }

    private static void Describe(Activity? activity, RpcServiceDescriptor service, string method)
    {
        if (activity is not { IsAllDataRequested: true })
        {
            return;
        }

        activity.SetTag(SemanticConventions.RpcSystem, SemanticConventions.RabbitMq);
        activity.SetTag(SemanticConventions.RpcService, service.ServiceType);
        activity.SetTag(SemanticConventions.RpcMethod, method);
        activity.SetTag(SemanticConventions.MessagingSystem, SemanticConventions.RabbitMq);
        activity.SetTag(SemanticConventions.DestinationName, service.Queue);
    }
}
