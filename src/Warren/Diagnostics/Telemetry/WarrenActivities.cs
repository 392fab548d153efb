using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;

namespace Warren.Internal;

/// <summary>The <see cref="WarrenInstrumentation.ActivitySourceName"/> source, and what every Warren span shares.</summary>
internal static class WarrenActivities
{
    /// <summary>RabbitMQ.Client's consumer-side source: its deliver span, when someone listens to it, is a fitting parent.</summary>
    private const string ClientSubscriberSource = "RabbitMQ.Client.Subscriber";

    /// <summary>Span names are made once per destination; past this many (server-named queues come and go) they are not kept.</summary>
    private const int MaxCachedNames = 1024;

    private static readonly ConcurrentDictionary<string, string> s_publishNames = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, string> s_processNames = new(StringComparer.Ordinal);

    public static readonly string Version =
        typeof(WarrenActivities).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? string.Empty;

    public static readonly ActivitySource Source = new(WarrenInstrumentation.ActivitySourceName, Version);

    /// <summary><c>publish {destination}</c>.</summary>
    public static string PublishName(string destination) => Named(s_publishNames, "publish ", destination);

    /// <summary><c>process {queue}</c>.</summary>
    public static string ProcessName(string queue) => Named(s_processNames, "process ", queue);

    /// <summary>
    /// The exchange a message went to, or for the default exchange the queue it named: <c>amq.default</c> alone says
    /// nothing about where a message went, and Warren's queue messages all go through it.
    /// </summary>
    public static string Destination(string exchange, string routingKey) => exchange.Length == 0 ? routingKey : exchange;

    /// <summary>
    /// Forgets an ambient activity a delivery must not run under. RabbitMQ.Client runs consumers on a loop that captured
    /// whatever activity was current when the channel opened (an HTTP request that happened to open it, say); a handler's
    /// spans and publishes must not join that request's trace. Its own deliver span is kept: that one is about this message.
    /// </summary>
    public static void ForgetStaleAmbient()
    {
        if (Activity.Current is { } current && !string.Equals(current.Source.Name, ClientSubscriberSource, StringComparison.Ordinal))
        {
            Activity.Current = null;
        }
    }

    /// <summary>Marks a span failed, per the conventions: error status, <c>error.type</c>, and the exception as an event.</summary>
    public static void Fail(Activity activity, string errorType, Exception? exception, string? description)
    {
        activity.SetStatus(ActivityStatusCode.Error, description ?? exception?.Message);
        if (activity.IsAllDataRequested)
        {
            activity.SetTag(SemanticConventions.ErrorType, errorType);
            if (exception is not null)
            {
                activity.AddException(exception);
            }
        }
    }

    /// <summary>What <c>error.type</c> says about an exception: its full type name, a value from a small fixed set.</summary>
    public static string ErrorType(Exception exception) => exception.GetType().FullName ?? exception.GetType().Name;

    private static string Named(ConcurrentDictionary<string, string> names, string operation, string destination)
    {
        if (names.TryGetValue(destination, out string? name))
        {
            return name;
        }

        name = operation + destination;
        if (names.Count < MaxCachedNames)
        {
            names.TryAdd(destination, name);
        }

        return name;
    }
}
