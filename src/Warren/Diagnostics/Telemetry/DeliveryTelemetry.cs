using System;
using System.Diagnostics;
using RabbitMQ.Client;

namespace Warren.Internal;

/// <summary>
/// The <c>process {queue}</c> span and measurements of one delivery to a consumer: a child of the producer's span (and
/// linked to it, as the conventions ask of consumers), with every retry as an event and an error-queue move as an error.
/// Only made when someone listens.
/// </summary>
internal sealed class DeliveryTelemetry
{
    private readonly Activity? _activity;
    private readonly string _destination;
    private readonly string _queue;
    private readonly long _started;
    private string _outcome = SemanticConventions.OutcomeAbandoned;
    private string? _errorType;

    private DeliveryTelemetry(Activity? activity, string destination, string queue, long started)
    {
        _activity = activity;
        _destination = destination;
        _queue = queue;
        _started = started;
    }

    /// <summary>Starts the span, which is the current activity for the rest of the calling async method (the handler included).</summary>
    public static DeliveryTelemetry? Start(
        string queue, string exchange, string routingKey, ulong deliveryTag, IReadOnlyBasicProperties properties, int bodySize)
    {
        bool tracing = WarrenActivities.Source.HasListeners();
        bool measuring = WarrenMetrics.ConsumedMessages.Enabled || WarrenMetrics.ProcessDuration.Enabled
            || WarrenMetrics.Retries.Enabled || WarrenMetrics.ErrorQueueMoves.Enabled;
        if (!tracing && !measuring)
        {
            return null;
        }

        string destination = WarrenActivities.Destination(exchange, routingKey);
        Activity? activity = null;
        if (tracing)
        {
            ActivityContext producer = TraceContext.Extract(properties);
            activity = WarrenActivities.Source.CreateActivity(
                WarrenActivities.ProcessName(queue), ActivityKind.Consumer, producer, tags: null,
                links: producer == default ? null : [new ActivityLink(producer)])?.Start();
        }

        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(SemanticConventions.MessagingSystem, SemanticConventions.RabbitMq);
            activity.SetTag(SemanticConventions.OperationType, "process");
            activity.SetTag(SemanticConventions.OperationName, "process");
            activity.SetTag(SemanticConventions.DestinationName, destination);
            activity.SetTag(SemanticConventions.SubscriptionName, queue);
            activity.SetTag(SemanticConventions.RoutingKey, routingKey);
            activity.SetTag(SemanticConventions.DeliveryTag, (long)deliveryTag);
            activity.SetTag(SemanticConventions.BodySize, bodySize);
            if (properties.MessageId is { } messageId)
            {
                activity.SetTag(SemanticConventions.MessageId, messageId);
            }

            if (properties.CorrelationId is { } correlationId)
            {
                activity.SetTag(SemanticConventions.ConversationId, correlationId);
            }

            if (properties.Type is { } type)
            {
                activity.SetTag(SemanticConventions.MessageType, type);
            }
        }

        return new DeliveryTelemetry(activity, destination, queue, measuring ? Stopwatch.GetTimestamp() : 0);
    }

    /// <summary>A failed attempt that will be tried again after <paramref name="delay"/>: an event on the span, and a count.</summary>
    public void Retrying(int attempt, TimeSpan delay, Exception error)
    {
        if (_activity is { IsAllDataRequested: true })
        {
            _activity.AddEvent(new ActivityEvent(SemanticConventions.RetryEvent, tags: new ActivityTagsCollection
            {
                { SemanticConventions.Attempt, attempt },
                { SemanticConventions.RetryDelay, (long)delay.TotalMilliseconds },
                { "exception.type", WarrenActivities.ErrorType(error) },
                { "exception.message", error.Message },
            }));
        }

        if (WarrenMetrics.Retries.Enabled)
        {
            WarrenMetrics.Retries.Add(1, Tags());
        }
    }

    public void Acked() => _outcome = SemanticConventions.OutcomeAcked;

    /// <summary>Given back to the queue (shutdown, or an error queue that would not take the copy).</summary>
    public void Requeued() => _outcome = SemanticConventions.OutcomeRequeued;

    /// <summary>Moved to the error queue: the span fails with the handler's exception, or the reason the message could not be read.</summary>
    public void MovedToErrorQueue(string errorQueue, string errorType, string reason, Exception? cause)
    {
        _outcome = SemanticConventions.OutcomeErrorQueue;
        _errorType = errorType;
        if (_activity is not null)
        {
            _activity.SetTag(SemanticConventions.ErrorQueue, errorQueue);
            WarrenActivities.Fail(_activity, errorType, cause, $"Moved to {errorQueue}: {reason}");
        }

        if (WarrenMetrics.ErrorQueueMoves.Enabled)
        {
            TagList tags = Tags();
            tags.Add(SemanticConventions.ErrorType, errorType);
            WarrenMetrics.ErrorQueueMoves.Add(1, tags);
        }
    }

    /// <summary>Ends the span and counts the delivery with its outcome (abandoned when nothing else was said: the channel closed under it).</summary>
    public void Stop()
    {
        if (_activity is not null)
        {
            if (_activity.IsAllDataRequested)
            {
                _activity.SetTag(SemanticConventions.Outcome, _outcome);
            }

            _activity.Dispose();
        }

        if (_started == 0)
        {
            return;
        }

        TagList tags = Tags();
        tags.Add(SemanticConventions.Outcome, _outcome);
        if (_errorType is not null)
        {
            tags.Add(SemanticConventions.ErrorType, _errorType);
        }

        WarrenMetrics.ConsumedMessages.Add(1, tags);
        WarrenMetrics.ProcessDuration.Record(Stopwatch.GetElapsedTime(_started).TotalSeconds, tags);
    }

    private TagList Tags() => new()
    {
        { SemanticConventions.MessagingSystem, SemanticConventions.RabbitMq },
        { SemanticConventions.DestinationName, _destination },
        { SemanticConventions.SubscriptionName, _queue },
    };
}
