using System;
using System.Diagnostics;
using RabbitMQ.Client;

namespace Warren.Internal;

/// <summary>
/// The span and measurements of one publish, from the call to the broker's confirm. Only made when someone listens
/// (<see cref="Start"/> returns null otherwise), so an unobserved publish pays for two checks.
/// </summary>
internal sealed class PublishTelemetry
{
    private readonly Activity? _activity;
    private readonly string _destination;
    private readonly long _started;

    private PublishTelemetry(Activity? activity, string destination, long started)
    {
        _activity = activity;
        _destination = destination;
        _started = started;
    }

    /// <summary>Starts the <c>publish {destination}</c> span under the current activity (a request, or the handler of the message being processed).</summary>
    public static PublishTelemetry? Start(string exchange, string routingKey, string messageType)
    {
        bool tracing = WarrenActivities.Source.HasListeners();
        bool measuring = WarrenMetrics.SentMessages.Enabled || WarrenMetrics.PublishDuration.Enabled;
        if (!tracing && !measuring)
        {
            return null;
        }

        string destination = WarrenActivities.Destination(exchange, routingKey);
        Activity? activity = tracing ? WarrenActivities.Source.StartActivity(WarrenActivities.PublishName(destination), ActivityKind.Producer) : null;
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(SemanticConventions.MessagingSystem, SemanticConventions.RabbitMq);
            activity.SetTag(SemanticConventions.OperationType, "send");
            activity.SetTag(SemanticConventions.OperationName, "publish");
            activity.SetTag(SemanticConventions.DestinationName, destination);
            activity.SetTag(SemanticConventions.RoutingKey, routingKey);
            activity.SetTag(SemanticConventions.MessageType, messageType);
        }

        return new PublishTelemetry(activity, destination, measuring ? Stopwatch.GetTimestamp() : 0);
    }

    /// <summary>Describes the message about to go out and writes the span's context into its headers.</summary>
    public void Sending(BasicProperties properties, int bodySize)
    {
        if (_activity is null)
        {
            return;
        }

        if (_activity.IsAllDataRequested)
        {
            _activity.SetTag(SemanticConventions.MessageId, properties.MessageId);
            if (properties.CorrelationId is { } correlationId)
            {
                _activity.SetTag(SemanticConventions.ConversationId, correlationId);
            }

            _activity.SetTag(SemanticConventions.BodySize, bodySize);
        }

        TraceContext.Inject(_activity, properties);
    }

    /// <summary>Ends the span and counts the publish: confirmed when <paramref name="error"/> is null.</summary>
    public void Stop(Exception? error)
    {
        string? errorType = error is null ? null : WarrenActivities.ErrorType(error);
        if (_activity is not null)
        {
            if (error is not null)
            {
                WarrenActivities.Fail(_activity, errorType!, error, description: null);
            }

            _activity.Dispose();
        }

        if (_started == 0)
        {
            return;
        }

        var tags = new TagList
        {
            { SemanticConventions.MessagingSystem, SemanticConventions.RabbitMq },
            { SemanticConventions.OperationName, "publish" },
            { SemanticConventions.DestinationName, _destination },
            { SemanticConventions.Outcome, error is null ? SemanticConventions.OutcomeConfirmed : SemanticConventions.OutcomeFailed },
        };
        if (errorType is not null)
        {
            tags.Add(SemanticConventions.ErrorType, errorType);
        }

        WarrenMetrics.SentMessages.Add(1, tags);
        WarrenMetrics.PublishDuration.Record(Stopwatch.GetElapsedTime(_started).TotalSeconds, tags);
    }
}
