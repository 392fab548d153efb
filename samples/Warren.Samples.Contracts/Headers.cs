using System;
using System.Threading;
using System.Threading.Tasks;

namespace Warren.Samples;

/// <summary>
/// The headers exchange: routed by the AMQP headers <c>color</c> and <c>size</c>, not by a routing key. The properties
/// marked [Header] are sent as headers as well as in the body.
/// </summary>
[Headers(ExchangeName)]
public sealed record Shape([property: Header("color")] string? Color, [property: Header("size")] string? Size, string Text)
{
    /// <summary>The headers exchange the shapes are published to.</summary>
    public const string ExchangeName = "shapes";

    /// <summary>The headers as the command line writes them, such as <c>color=blue size=big</c>.</summary>
    public string DescribeHeaders() => (Color, Size) switch
    {
        (null, null) => "no headers",
        (_, null) => $"color={Color}",
        (null, _) => $"size={Size}",
        _ => $"color={Color} size={Size}",
    };
}

/// <summary>
/// Prints the shapes whose headers match its bindings: an exclusive server-named queue bound with
/// <see cref="SubscribeOptions.HeaderBindings"/> (x-match all or any), taken from the command line.
/// </summary>
[Consumer]
public sealed class ShapeReceiver(Action<string>? output = null) : IConsumer<Shape>
{
    private readonly Action<string> _output = output ?? Console.WriteLine;

    /// <inheritdoc/>
    public ValueTask HandleAsync(Shape message, MessageContext context, CancellationToken cancellationToken)
    {
        _output($" [x] {message.DescribeHeaders()}: {message.Text}");
        return ValueTask.CompletedTask;
    }
}
