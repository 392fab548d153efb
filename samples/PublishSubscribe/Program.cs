// Tutorial three, "Publish/Subscribe": emit broadcasts a log line on the fanout exchange 'logs'; every running
// receiver has its own exclusive queue bound to it, so each one gets every line.
using System;
using Warren;
using Warren.Samples;

const string Usage = """
    Usage:
      PublishSubscribe emit [text...]   broadcast one log line on fanout exchange 'logs' (default "info: Hello World!")
      PublishSubscribe receive          print every log line broadcast from now on, until Ctrl+C
    The broker is $WARREN_AMQP_URI, else amqp://guest:guest@localhost:5672/.
    """;

return await SampleProgram.RunAsync(args, Usage, static args => args switch
{
    ["emit", .. var words] => Emit(SampleProgram.TextOf(words, "info: Hello World!")),
    ["receive"] => SampleProgram.Receive(bus => bus.SubscribeAsync(new LogReceiver())),
    _ => null,
});

static SampleAction Emit(string text) => async (bus, stopping) =>
{
    // With no receiver running the exchange has no queue to route to and drops the line, as in the tutorial.
    await bus.PublishAsync(new LogLine(text), cancellationToken: stopping);
    Console.WriteLine($" [x] Sent {text}");
};
