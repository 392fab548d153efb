using System;
using System.Threading;
using System.Threading.Tasks;

namespace Warren.Samples;

/// <summary>Tutorial one: a message sent straight to queue 'hello' through the default exchange.</summary>
[Queue(QueueName)]
public sealed record Hello(string Text)
{
    /// <summary>The queue the tutorial sends to and receives from.</summary>
    public const string QueueName = "hello";
}

/// <summary>Prints every <see cref="Hello"/> like the tutorial's receive.py.</summary>
[Consumer]
public sealed class HelloReceiver(Action<string>? output = null) : IConsumer<Hello>
{
    private readonly Action<string> _output = output ?? Console.WriteLine;

    /// <inheritdoc/>
    public ValueTask HandleAsync(Hello message, MessageContext context, CancellationToken cancellationToken)
    {
        _output($" [x] Received '{message.Text}'");
        return ValueTask.CompletedTask;
    }
}
