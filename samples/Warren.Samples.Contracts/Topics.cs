using System;
using System.Threading;
using System.Threading.Tasks;

namespace Warren.Samples;

/// <summary>
/// Tutorial five: a log line on the topic exchange 'topic_logs' with routing key <c>&lt;facility&gt;.&lt;severity&gt;</c>,
/// such as <c>kern.critical</c>. The generator turns the template into code that builds the key from the properties.
/// </summary>
[Topic(ExchangeName, RoutingKey = "{Facility}.{Severity}")]
public sealed record TopicLog(string Facility, string Severity, string Text)
{
    /// <summary>The exchange emit_log_topic.py publishes to.</summary>
    public const string ExchangeName = "topic_logs";
}

/// <summary>
/// The tutorial's receive_logs_topic.py: an exclusive server-named queue bound with the binding keys of the command
/// line (<see cref="SubscribeOptions.Bindings"/>); without any it takes every message, like binding key <c>#</c>.
/// </summary>
[Consumer]
public class TopicLogReceiver(Action<string>? output = null) : IConsumer<TopicLog>
{
    private readonly Action<string> _output = output ?? Console.WriteLine;

    /// <inheritdoc/>
    public ValueTask HandleAsync(TopicLog message, MessageContext context, CancellationToken cancellationToken)
    {
        _output($" [x] {context.RoutingKey}:{message.Text}");
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// The tutorial's <c>receive_logs_topic.py "kern.*" "*.critical"</c> with the binding keys written as attributes
/// instead of passed on the command line: everything from the kernel, and everything critical.
/// </summary>
[Consumer, Bind("kern.*"), Bind("*.critical")]
public sealed class KernelWatch(Action<string>? output = null) : TopicLogReceiver(output);
