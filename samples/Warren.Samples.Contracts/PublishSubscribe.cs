using System;
using System.Threading;
using System.Threading.Tasks;

namespace Warren.Samples;

/// <summary>Tutorial three: a log line broadcast by the fanout exchange 'logs' to every bound queue.</summary>
[Fanout(ExchangeName)]
public sealed record LogLine(string Text)
{
    /// <summary>The exchange emit_log.py publishes to.</summary>
    public const string ExchangeName = "logs";
}

/// <summary>
/// The tutorial's receive_logs.py. Its [Consumer] names no queue, so every subscription gets its own exclusive,
/// server-named queue bound to 'logs', and every running receiver gets every line.
/// </summary>
[Consumer]
public sealed class LogReceiver(Action<string>? output = null) : IConsumer<LogLine>
{
    private readonly Action<string> _output = output ?? Console.WriteLine;

    /// <inheritdoc/>
    public ValueTask HandleAsync(LogLine message, MessageContext context, CancellationToken cancellationToken)
    {
        _output($" [x] {message.Text}");
        return ValueTask.CompletedTask;
    }
}
