using System;
using System.Collections.Generic;
using Warren.Internal;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Warren;

/// <summary>
/// How a <see cref="Bus"/> connects and behaves. Every setting but the serializer options, the logger factory and the
/// certificates can come from configuration (<c>services.AddWarren(configuration.GetSection("Warren"))</c>): durations as
/// <c>hh:mm:ss</c>, the URI as text, the retry policy as a nested <c>Retry</c> section.
/// </summary>
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

    /// <summary>
    /// How long a publish may take in all before it throws <see cref="PublishTimeoutException"/>: waiting for the
    /// connection to recover, for the broker to stop blocking publishers (resource alarm), for a free confirm slot, and for
    /// the confirm itself. A publish interrupted by a connection or channel loss is sent again within this time, so a
    /// message may arrive twice (at most <see cref="MaxOutstandingConfirms"/> per outage), never zero times after a
    /// successful publish. 30 s by default; <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> waits forever.
    /// </summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The largest message body, in bytes, the bus sends or accepts: a larger publish (or RPC request or reply) throws
    /// <see cref="MessageLimitException"/> before anything is sent, and a larger delivery goes to the error queue.
    /// 16 MiB by default, RabbitMQ 4's default <c>max_message_size</c>; keep it no higher than the broker's.
    /// </summary>
    public int MaxMessageSize { get; set; } = 16 * 1024 * 1024;

    /// <summary>
    /// Certificates to trust for an <c>amqps://</c> broker besides the system's trusted roots: a private CA, or the
    /// broker's own self-signed certificate. The broker's certificate must chain to one of them (or be one of them) and
    /// name the host of <see cref="Uri"/>; no other certificate errors are ever accepted. Null by default: only the system's roots.
    /// </summary>
    public X509Certificate2Collection? TrustedCertificates { get; set; }

    /// <summary>A certificate (with its private key) to present to an <c>amqps://</c> broker that asks for one (mutual TLS); none by default.</summary>
    public X509Certificate2? ClientCertificate { get; set; }

    /// <summary>The AMQP heartbeat, so that a silent network stall is detected.</summary>
    public TimeSpan Heartbeat { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long to wait between attempts to reconnect after the connection was lost.</summary>
    public TimeSpan NetworkRecoveryInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long one attempt to open a TCP connection to one endpoint may take, on connect
    /// and on every recovery. A host that drops packets rather than refusing costs this much before the next endpoint of
    /// <see cref="Endpoints"/> is tried, so keep it short for a cluster. 10 s by default.
    /// </summary>
    public TimeSpan ConnectionTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long disposing a subscription or the bus waits for in-flight handlers before cancelling them.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How many unacknowledged messages the broker sends each subscription at once (<c>basic.qos</c>) when neither its
    /// consumer's <see cref="ConsumerAttribute.Prefetch"/> nor its <see cref="SubscribeOptions.Prefetch"/> says; 32 by
    /// default. At least 1: RabbitMQ reads 0 as no limit at all.
    /// </summary>
    public ushort Prefetch { get; set; } = SubscribeOptions.DefaultPrefetch;

    /// <summary>
    /// How a handler that throws is retried (held unacknowledged, with back-off) before its message goes to the error
    /// queue; 3 retries by default. <see cref="SubscribeOptions.Retry"/> overrides it for one subscription.
    /// </summary>
    public RetryPolicy Retry { get; set; } = new();

    /// <summary>
    /// Whether the bus declares the exchanges, queues, bindings and error queues it uses (<see cref="DeclareMode.Declare"/>,
    /// the default), only checks that they exist as it would declare them (<see cref="DeclareMode.Verify"/>), or assumes the
    /// operator made them (<see cref="DeclareMode.None"/>, for a user without configure permission). Configuration key
    /// <c>DeclareMode</c>: <c>Declare</c>, <c>Verify</c> or <c>None</c>.
    /// </summary>
    public DeclareMode DeclareMode { get; set; } = DeclareMode.Declare;

    /// <summary>
    /// What cannot work in these options, each as the setting (its configuration path under the options' section, such as
    /// <c>Retry:MaxRetries</c>) and what is wrong with it. Empty when the options are usable.
    /// </summary>
    internal IEnumerable<(string Setting, string Problem)> Problems()
    {
        if (Uri is null)
        {
            yield return (nameof(Uri), "is required: the broker's amqp:// or amqps:// URI");
        }
        else if (!Uri.IsAbsoluteUri || (Uri.Scheme != "amqp" && Uri.Scheme != "amqps"))
        {
            yield return (nameof(Uri), $"must be an amqp:// or amqps:// URI, not '{Redact(Uri)}'");
        }

        if (MaxOutstandingConfirms < 1)
        {
            yield return (nameof(MaxOutstandingConfirms), $"must be at least 1 (is {MaxOutstandingConfirms})");
        }

        if (PublishTimeout <= TimeSpan.Zero && PublishTimeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            yield return (nameof(PublishTimeout), $"must be positive, or infinite (-00:00:00.001) to wait forever (is {PublishTimeout})");
        }

        if (MaxMessageSize <= 0)
        {
            yield return (nameof(MaxMessageSize), $"must be positive (is {MaxMessageSize})");
        }

        if (Heartbeat < TimeSpan.Zero)
        {
            yield return (nameof(Heartbeat), $"cannot be negative (is {Heartbeat}); 00:00:00 turns heartbeats off");
        }

        if (ConnectionTimeout <= TimeSpan.Zero || ConnectionTimeout.TotalMilliseconds > int.MaxValue)
        {
            yield return (nameof(ConnectionTimeout), $"must be positive and under 24 days (is {ConnectionTimeout})");
        }

        if (NetworkRecoveryInterval <= TimeSpan.Zero)
        {
            yield return (nameof(NetworkRecoveryInterval), $"must be positive (is {NetworkRecoveryInterval})");
        }

        if (ShutdownTimeout < TimeSpan.Zero)
        {
            yield return (nameof(ShutdownTimeout), $"cannot be negative (is {ShutdownTimeout})");
        }

        if (Prefetch == 0)
        {
            yield return (nameof(Prefetch), OptionProblems.ZeroPrefetch);
        }

        if (!Enum.IsDefined(DeclareMode))
        {
            yield return (nameof(DeclareMode), $"must be Declare, Verify or None (is {(int)DeclareMode})");
        }

        foreach ((string Setting, string Problem) problem in EndpointProblems())
        {
            yield return problem;
        }
    }

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

    /// <summary>
    /// The nodes of a cluster to connect to, as <c>amqp://host:port</c> URIs (<c>amqps://</c> for TLS), tried in
    /// <see cref="EndpointOrder"/> when the bus connects and again on every recovery after a connection loss, so that the
    /// bus fails over to another node when its node goes down. Only their hosts and ports count: the user, password,
    /// virtual host and TLS settings are <see cref="Uri"/>'s for every node (an endpoint may repeat them, but not differ),
    /// and <see cref="Uri"/>'s own host is not tried unless it is listed. Empty by default: the bus connects to
    /// <see cref="Uri"/> alone. In configuration, <c>Warren:Endpoints</c> is an array of URIs or of <c>host:port</c>, or one
    /// string of them separated by commas (<c>"rabbit1:5672,rabbit2:5672"</c>).
    /// </summary>
    public IList<Uri> Endpoints { get; set; } = new List<Uri>();

    /// <summary>
    /// In which order the nodes of <see cref="Endpoints"/> are tried, on connect and on every recovery:
    /// <see cref="EndpointOrder.Shuffle"/> by default. Either way, a recovery tries the node whose connection was just lost last.
    /// </summary>
    public EndpointOrder EndpointOrder { get; set; } = EndpointOrder.Shuffle;

    /// <summary>What cannot work in <see cref="Endpoints"/>: a node that is not an AMQP URI, or that disagrees with <see cref="Uri"/>.</summary>
    private IEnumerable<(string Setting, string Problem)> EndpointProblems()
    {
        if (Endpoints is null)
        {
            yield return (nameof(Endpoints), "cannot be null; leave it empty to connect to Uri alone");
            yield break;
        }

        if (!System.Enum.IsDefined(EndpointOrder))
        {
            yield return (nameof(EndpointOrder), $"must be {nameof(EndpointOrder.Shuffle)} or {nameof(EndpointOrder.InOrder)} (is {(int)EndpointOrder})");
        }

        bool uriUsable = Uri is { IsAbsoluteUri: true } && (Uri.Scheme == "amqp" || Uri.Scheme == "amqps");
        for (int i = 0; i < Endpoints.Count; i++)
        {
            string setting = $"{nameof(Endpoints)}:{i}";
            Uri? endpoint = Endpoints[i];
            if (endpoint is null)
            {
                yield return (setting, "is null: each endpoint must be an amqp:// or amqps:// URI such as amqp://rabbit1:5672");
                continue;
            }

            if (!endpoint.IsAbsoluteUri || (endpoint.Scheme != "amqp" && endpoint.Scheme != "amqps") || endpoint.Host.Length == 0)
            {
                yield return (setting, $"must be an amqp:// or amqps:// URI with a host, such as amqp://rabbit1:5672, not '{(endpoint.IsAbsoluteUri ? Redact(endpoint) : endpoint.OriginalString)}'");
                continue;
            }

            if (!uriUsable)
            {
                continue;
            }

            if (endpoint.Scheme != Uri!.Scheme)
            {
                yield return (setting, $"is {endpoint.Scheme}:// but Uri is {Uri.Scheme}://: TLS comes from Uri, the same for every node; use one scheme");
            }

            if (endpoint.UserInfo.Length > 0 && endpoint.UserInfo != Uri.UserInfo)
            {
                yield return (setting, $"names the user '{endpoint.UserInfo.Split(':')[0]}' or a password that Uri does not ('{Uri.UserInfo.Split(':')[0]}'): credentials come from Uri, the same for every node; leave them out of the endpoint");
            }

            string vhost = endpoint.AbsolutePath;
            if (vhost.Length > 1 && vhost != Uri.AbsolutePath)
            {
                yield return (setting, $"names the virtual host '{System.Uri.UnescapeDataString(vhost[1..])}' but Uri names '{(Uri.AbsolutePath.Length > 1 ? System.Uri.UnescapeDataString(Uri.AbsolutePath[1..]) : "/")}': the virtual host comes from Uri, the same for every node; leave it out of the endpoint");
            }
        }
    }

    /// <summary>
    /// One endpoint as configuration gives it: an <c>amqp://</c> or <c>amqps://</c> URI, or <c>host[:port]</c> (then with
    /// <paramref name="scheme"/>, <see cref="Uri"/>'s). Null when it is neither.
    /// </summary>
    internal static Uri? ParseEndpoint(string text, string scheme)
    {
        text = text.Trim();
        if (text.Length == 0)
        {
            return null;
        }

        if (text.StartsWith("amqp://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("amqps://", StringComparison.OrdinalIgnoreCase))
        {
            return System.Uri.TryCreate(text, UriKind.Absolute, out Uri? uri) ? uri : null;
        }

        // host, host:port or [v6]:port; nothing else (no user, no path) without a scheme.
        return text.IndexOfAny(['/', '@', '?', '#']) < 0 && System.Uri.TryCreate($"{scheme}://{text}", UriKind.Absolute, out Uri? hostPort) && hostPort.Host.Length > 0
            ? hostPort
            : null;
    }
}
