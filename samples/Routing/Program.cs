// Tutorial four, "Routing": emit publishes a log line on the direct exchange 'direct_logs' with its severity as the
// routing key; a receiver binds its queue once per severity it wants.
using System;
using Warren;
using Warren.Samples;

const string Usage = """
    Usage:
      Routing emit [severity] [text...]   publish one log line on direct exchange 'direct_logs' (default: info "Hello World!")
      Routing receive <severity>...       print the log lines of the given severities until Ctrl+C
    Example:
      Routing receive warning error
      Routing emit error "Run. Run. Or it will explode."
    The broker is $WARREN_AMQP_URI, else amqp://guest:guest@localhost:5672/.
    """;

return await SampleProgram.RunAsync(args, Usage, static args => args switch
{
    ["emit"] => Emit("info", SampleProgram.TextOf([])),
    ["emit", var severity, .. var words] => Emit(severity, SampleProgram.TextOf(words)),
    ["receive", _, ..] => SampleProgram.Receive(bus => bus.SubscribeAsync(new SeverityLogReceiver(), new SubscribeOptions { Bindings = args[1..] })),
    _ => null,
});

static SampleAction Emit(string severity, string text) => async (bus, stopping) =>
{
    // The routing key comes from the type's template, "{Severity}".
    await bus.PublishAsync(new SeverityLog(severity, text), cancellationToken: stopping);
    Console.WriteLine($" [x] Sent {severity}:{text}");
};
