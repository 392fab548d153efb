using System.Collections.Generic;
using Microsoft.Extensions.Configuration;

namespace Warren.Hosting;

/// <summary>
/// Which configuration key sets which option, for every option type Warren reads from configuration. Each Bind reads one
/// section into an options object and adds to <c>problems</c> what it could not read; validation binds a scratch object
/// the same way to report those problems at start.
/// </summary>
internal static class OptionsBinding
{
    /// <summary>Warren's section: the bus's settings, and the named sections of consumers, RPC servers and RPC clients.</summary>
    public const string Consumers = "Consumers";
    public const string RpcServers = "RpcServers";
    public const string RpcClients = "RpcClients";

    public static void Bind(IConfiguration section, BusOptions options, List<string> problems)
    {
        var read = new SettingsReader(section, problems);
        read.Uri(nameof(BusOptions.Uri), value => options.Uri = value);
        read.String(nameof(BusOptions.ClientName), value => options.ClientName = value);
        read.Int(nameof(BusOptions.MaxOutstandingConfirms), value => options.MaxOutstandingConfirms = value);
        read.TimeSpan(nameof(BusOptions.PublishTimeout), value => options.PublishTimeout = value);
        read.Int(nameof(BusOptions.MaxMessageSize), value => options.MaxMessageSize = value);
        read.TimeSpan(nameof(BusOptions.Heartbeat), value => options.Heartbeat = value);
        read.TimeSpan(nameof(BusOptions.NetworkRecoveryInterval), value => options.NetworkRecoveryInterval = value);
        read.TimeSpan(nameof(BusOptions.ConnectionTimeout), value => options.ConnectionTimeout = value);
        read.TimeSpan(nameof(BusOptions.ShutdownTimeout), value => options.ShutdownTimeout = value);
        read.UShort(nameof(BusOptions.Prefetch), value => options.Prefetch = value);
        read.Section(nameof(BusOptions.Retry), retry => Bind(retry, options.Retry ??= new RetryPolicy()));
        read.Enum<DeclareMode>(nameof(BusOptions.DeclareMode), value => options.DeclareMode = value);
        // After Uri, whose scheme a bare host:port takes.
        read.SplitList(
            nameof(BusOptions.Endpoints),
            text => BusOptions.ParseEndpoint(text, options.Uri?.Scheme ?? "amqp"),
            "an amqp:// or amqps:// URI, or host:port",
            value => options.Endpoints = [.. value]);
        read.Enum<EndpointOrder>(nameof(BusOptions.EndpointOrder), value => options.EndpointOrder = value);
        read.Skip(Consumers);
        read.Skip(RpcServers);
        read.Skip(RpcClients);
        read.RejectUnknown();
    }

    public static void Bind(IConfiguration section, SubscribeOptions options, List<string> problems)
    {
        var read = new SettingsReader(section, problems);
        read.String(nameof(SubscribeOptions.Queue), value => options.Queue = value);
        read.Bool(nameof(SubscribeOptions.Durable), value => options.Durable = value);
        read.Enum<QueueType>(nameof(SubscribeOptions.QueueType), value => options.QueueType = value);
        read.Int(nameof(SubscribeOptions.DeliveryLimit), value => options.DeliveryLimit = value);
        read.TimeSpan(nameof(SubscribeOptions.MessageTtl), value => options.MessageTtl = value);
        read.TimeSpan(nameof(SubscribeOptions.Expires), value => options.Expires = value);
        read.Long(nameof(SubscribeOptions.MaxLength), value => options.MaxLength = value);
        read.Long(nameof(SubscribeOptions.MaxLengthBytes), value => options.MaxLengthBytes = value);
        read.Enum<QueueOverflow>(nameof(SubscribeOptions.Overflow), value => options.Overflow = value);
        read.String(nameof(SubscribeOptions.DeadLetterExchange), value => options.DeadLetterExchange = value);
        read.String(nameof(SubscribeOptions.DeadLetterRoutingKey), value => options.DeadLetterRoutingKey = value);
        read.Byte(nameof(SubscribeOptions.MaxPriority), value => options.MaxPriority = value);
        read.Bool(nameof(SubscribeOptions.SingleActiveConsumer), value => options.SingleActiveConsumer = value);
        read.TimeSpan(nameof(SubscribeOptions.MaxAge), value => options.MaxAge = value);
        read.Long(nameof(SubscribeOptions.MaxSegmentSizeBytes), value => options.MaxSegmentSizeBytes = value);
        read.StreamOffset(nameof(SubscribeOptions.StreamOffset), value => options.StreamOffset = value);
        read.String(nameof(SubscribeOptions.StreamConsumerName), value => options.StreamConsumerName = value);
        read.Bool(nameof(SubscribeOptions.TrackStreamOffset), value => options.TrackStreamOffset = value);
        read.Int(nameof(SubscribeOptions.StreamOffsetCommitEvery), value => options.StreamOffsetCommitEvery = value);
        read.TimeSpan(nameof(SubscribeOptions.StreamOffsetCommitInterval), value => options.StreamOffsetCommitInterval = value);
        read.UShort(nameof(SubscribeOptions.Prefetch), value => options.Prefetch = value);
        read.StringList(nameof(SubscribeOptions.Bindings), value => options.Bindings = value);
        read.SectionList(nameof(SubscribeOptions.HeaderBindings), ReadHeadersBinding, value => options.HeaderBindings = value);
        read.UShort(nameof(SubscribeOptions.ConcurrentHandlers), value => options.ConcurrentHandlers = value);
        read.Section(nameof(SubscribeOptions.Retry), retry => Bind(retry, options.Retry ??= new RetryPolicy()));
        read.String(nameof(SubscribeOptions.ErrorQueue), value => options.ErrorQueue = value);
        read.RejectUnknown();
    }

    public static void Bind(IConfiguration section, ServeOptions options, List<string> problems)
    {
        var read = new SettingsReader(section, problems);
        read.UShort(nameof(ServeOptions.Prefetch), value => options.Prefetch = value);
        read.UShort(nameof(ServeOptions.ConcurrentRequests), value => options.ConcurrentRequests = value);
        read.Bool(nameof(ServeOptions.IncludeExceptionDetails), value => options.IncludeExceptionDetails = value);
        read.RejectUnknown();
    }

    public static void Bind(IConfiguration section, RpcClientOptions options, List<string> problems)
    {
        var read = new SettingsReader(section, problems);
        read.TimeSpan(nameof(RpcClientOptions.Timeout), value => options.Timeout = value);
        read.Enum<RpcReplyQueue>(nameof(RpcClientOptions.ReplyQueue), value => options.ReplyQueue = value);
        read.RejectUnknown();
    }

    private static void Bind(SettingsReader read, RetryPolicy retry)
    {
        read.Int(nameof(RetryPolicy.MaxRetries), value => retry.MaxRetries = value);
        read.TimeSpan(nameof(RetryPolicy.InitialDelay), value => retry.InitialDelay = value);
        read.TimeSpan(nameof(RetryPolicy.MaxDelay), value => retry.MaxDelay = value);
    }

    /// <summary><c>{ "Match": "Any", "Headers": { "color": "blue" } }</c>; all must match unless Match says any.</summary>
    private static HeadersBinding? ReadHeadersBinding(SettingsReader read)
    {
        HeadersMatch match = HeadersMatch.All;
        read.Enum<HeadersMatch>(nameof(HeadersBinding.Match), value => match = value);
        IReadOnlyDictionary<string, string> headers = read.Pairs(nameof(HeadersBinding.Headers));
        return new HeadersBinding(match, headers);
    }
}
