// Tutorial five, "Topics": emit publishes a log line on the topic exchange 'topic_logs' with routing key
// <facility>.<severity>; a receiver binds with patterns where '*' is one word and '#' any number of words.
using System;
using Warren;
using Warren.Samples;

const string Usage = """
    Usage:
      Topics emit [facility.severity] [text...]   publish one log line on topic exchange 'topic_logs' (default: anonymous.info "Hello World!")
      Topics receive <binding key>...             print the log lines matching any of the keys until Ctrl+C
    Example:
      Topics receive "kern.*" "*.critical"
      Topics emit kern.critical "A critical kernel error"
    The broker is $WARREN_AMQP_URI, else amqp://guest:guest@localhost:5672/.
    """;

return await SampleProgram.RunAsync(args, Usage, static args => args switch
{
    ["emit"] => Emit("anonymous.info", SampleProgram.TextOf([])),
    ["emit", var routingKey, .. var words] => Emit(routingKey, SampleProgram.TextOf(words)),
    ["receive", _, ..] => SampleProgram.Receive(bus => bus.SubscribeAsync(new TopicLogReceiver(), new SubscribeOptions { Bindings = args[1..] })),
    _ => null,
});

// The type's routing key template is "{Facility}.{Severity}": split the key at its first dot, which it must have.
static SampleAction? Emit(string routingKey, string text)
{
    int dot = routingKey.IndexOf('.', StringComparison.Ordinal);
    if (dot <= 0)
    {
        return null;
    }

    var log = new TopicLog(routingKey[..dot], routingKey[(dot + 1)..], text);
    return async (bus, stopping) =>
    {
        await bus.PublishAsync(log, cancellationToken: stopping);
        Console.WriteLine($" [x] Sent {routingKey}:{text}");
    };
}
