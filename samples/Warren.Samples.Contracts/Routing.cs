using System;
using System.Threading;
using System.Threading.Tasks;

namespace Warren.Samples;

/// <summary>Tutorial four: a log line on the direct exchange 'direct_logs', routed by its severity.</summary>
[Direct(ExchangeName, RoutingKey = "{Severity}")]
public sealed record SeverityLog(string Severity, string Text)
{
    /// <summary>The exchange emit_log_direct.py publishes to.</summary>
    public const string ExchangeName = "direct_logs";
}

/// <summary>
/// The tutorial's receive_logs_direct.py: an exclusive server-named queue bound once per severity. It has no [Bind]
/// attribute because the severities come from the command line, through <see cref="SubscribeOptions.Bindings"/>.
/// </summary>
[Consumer]
public sealed class SeverityLogReceiver(Action<string>? output = null) : IConsumer<SeverityLog>
{
    private readonly Action<string> _output = output ?? Console.WriteLine;

    /// <inheritdoc/>
    public ValueTask HandleAsync(SeverityLog message, MessageContext context, CancellationToken cancellationToken)
    {
        _output($" [x] {context.RoutingKey}:{message.Text}");
        return ValueTask.CompletedTask;
    }
}
