// The headers exchange: emit publishes a shape whose color and size travel as AMQP headers on exchange 'shapes';
// a receiver binds with header values that must all (x-match all) or any (x-match any) match.
using System;
using System.Collections.Generic;
using System.Linq;
using Warren;
using Warren.Samples;

const string Usage = """
    Usage:
      Headers emit [color=<c>] [size=<s>] [text...]   publish one shape on headers exchange 'shapes' (default text "Hello World!")
      Headers receive all|any <name>=<value>...       print the shapes whose headers match all (or any) of the pairs, until Ctrl+C
    Example:
      Headers receive all color=blue size=big
      Headers emit color=blue size=big "A big blue shape"
    The broker is $WARREN_AMQP_URI, else amqp://guest:guest@localhost:5672/.
    """;

return await SampleProgram.RunAsync(args, Usage, static args => args switch
{
    ["emit", .. var rest] => Emit(rest),
    ["receive", var match, _, ..] => Receive(match, args[2..]),
    _ => null,
});

// Leading name=value arguments are headers, the rest is the text. Only color and size are headers of Shape.
static SampleAction? Emit(string[] args)
{
    string[] pairs = [.. args.TakeWhile(arg => arg.Contains('=', StringComparison.Ordinal))];
    if (ParsePairs(pairs) is not { } headers || headers.Keys.Any(name => name is not ("color" or "size")))
    {
        return null;
    }

    var shape = new Shape(headers.GetValueOrDefault("color"), headers.GetValueOrDefault("size"), SampleProgram.TextOf(args[pairs.Length..]));
    return async (bus, stopping) =>
    {
        await bus.PublishAsync(shape, cancellationToken: stopping);
        Console.WriteLine($" [x] Sent {shape.DescribeHeaders()}: {shape.Text}");
    };
}

static SampleAction? Receive(string match, string[] pairs)
{
    HeadersMatch? kind = match switch { "all" => HeadersMatch.All, "any" => HeadersMatch.Any, _ => null };
    if (kind is null || ParsePairs(pairs) is not { } headers)
    {
        return null;
    }

    var options = new SubscribeOptions { HeaderBindings = [new HeadersBinding(kind.Value, headers)] };
    return SampleProgram.Receive(bus => bus.SubscribeAsync(new ShapeReceiver(), options));
}

// "color=blue" pairs to a dictionary; null when one has no name.
static Dictionary<string, string>? ParsePairs(string[] pairs)
{
    var headers = new Dictionary<string, string>(StringComparer.Ordinal);
    foreach (string pair in pairs)
    {
        int equals = pair.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            return null;
        }

        headers[pair[..equals]] = pair[(equals + 1)..];
    }

    return headers;
}
