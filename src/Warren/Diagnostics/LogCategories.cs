namespace Warren;

/// <summary>
/// The log categories Warren writes under, one per component, so that each can be filtered on its own (for instance
/// <c>"Logging": { "LogLevel": { "Warren.Consumer": "Debug" } }</c> in appsettings.json).
/// </summary>
public static class LogCategories
{
    /// <summary>Connecting, connection loss and recovery, resource alarms, server-named queues renamed by a recovery.</summary>
    public const string Connection = "Warren.Connection";

    /// <summary>Publishing: publishes interrupted by a connection or channel loss and sent again.</summary>
    public const string Publisher = "Warren.Publisher";

    /// <summary>Consumers: handler retries and failures, error-queue moves, unreadable messages, consumers resumed and stopped.</summary>
    public const string Consumer = "Warren.Consumer";

    /// <summary>RPC servers: failed methods, requests without a reply-to, servers resumed and stopped.</summary>
    public const string RpcServer = "Warren.Rpc.Server";

    /// <summary>The hosted service of <c>AddWarren</c>: starting and stopping subscriptions and RPC servers.</summary>
    public const string Hosting = "Warren.Hosting";
}
