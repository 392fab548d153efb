using System;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Warren;

/// <summary>How a <see cref="Bus"/> connects and behaves.</summary>
public sealed class BusOptions
{
    /// <summary>The URI the tests and samples use unless told otherwise.</summary>
    public const string DefaultUri = "amqp://guest:guest@localhost:5672/";

    /// <summary>
    /// The broker, as <c>amqp://user:password@host:port/vhost</c>. Defaults to the <c>WARREN_AMQP_URI</c> environment
    /// variable, else <see cref="DefaultUri"/>. The password is never logged nor shown by <see cref="ToString"/>.
    /// </summary>
    public Uri Uri { get; set; } = new(Environment.GetEnvironmentVariable("WARREN_AMQP_URI") is { Length: > 0 } uri ? uri : DefaultUri);

    /// <summary>The connection name the broker shows (management UI, <c>rabbitmqctl list_connections</c>).</summary>
    public string ClientName { get; set; } = "warren";

    /// <summary>
    /// Serializer options for message types that no <c>JsonSerializerContext</c> of the compilation covers.
    /// Defaults to the web defaults (camelCase, case-insensitive reading), which is what other languages usually send.
    /// </summary>
    public JsonSerializerOptions? JsonSerializerOptions { get; set; }

    /// <summary>Where the bus logs connection events and rejected messages; none by default.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>How many publishes may await their broker confirmation at once on the bus's publish channel.</summary>
    public int MaxOutstandingConfirms { get; set; } = 256;

    /// <summary>The AMQP heartbeat, so that a silent network stall is detected.</summary>
    public TimeSpan Heartbeat { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long to wait between attempts to reconnect after the connection was lost.</summary>
    public TimeSpan NetworkRecoveryInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long disposing a subscription or the bus waits for in-flight handlers before cancelling them.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The options with the password masked.</summary>
    public override string ToString() => $"BusOptions {{ Uri = {Redact(Uri)}, ClientName = {ClientName} }}";

    /// <summary>The URI with any password replaced by <c>***</c>.</summary>
    internal static string Redact(Uri uri)
    {
        if (string.IsNullOrEmpty(uri.UserInfo))
        {
            return uri.ToString();
        }

        string user = uri.UserInfo.Split(':')[0];
        var builder = new UriBuilder(uri) { UserName = user, Password = "***" };
        return builder.Uri.ToString();
    }
}
