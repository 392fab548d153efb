// Tutorial one, "Hello World!": one program sends a message to queue 'hello', another receives it.
using System;
using Warren;
using Warren.Samples;

const string Usage = """
    Usage:
      HelloWorld send [text...]   send one message to queue 'hello' (default "Hello World!")
      HelloWorld receive          print the messages of queue 'hello' until Ctrl+C
    The broker is $WARREN_AMQP_URI, else amqp://guest:guest@localhost:5672/.
    """;

return await SampleProgram.RunAsync(args, Usage, static args => args switch
{
    ["send", .. var words] => Send(SampleProgram.TextOf(words)),
    ["receive"] => SampleProgram.Receive(bus => bus.SubscribeAsync(new HelloReceiver())),
    _ => null,
});

static SampleAction Send(string text) => async (bus, stopping) =>
{
    await bus.PublishAsync(new Hello(text), cancellationToken: stopping);
    Console.WriteLine($" [x] Sent '{text}'");
};
