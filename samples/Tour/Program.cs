// The tour: every tutorial in one process against a real broker. For each one it starts the tutorial's consumers,
// publishes the tutorial's messages, waits until the expected ones arrived and prints what each consumer got.
// It deletes the queues and exchanges it declared, and exits with 1 if any consumer missed a message.
using System;
using System.Diagnostics;
using Warren.Samples;
using Warren.Samples.Tour;

if (args.Length > 0)
{
    Console.Error.WriteLine("Usage: Tour   (no arguments; the broker is $WARREN_AMQP_URI, else amqp://guest:guest@localhost:5672/)");
    return SampleProgram.UsageExitCode;
}

var clock = Stopwatch.StartNew();
try
{
    await using SampleHost host = await SampleHost.StartAsync("warren-tour");
    await using BrokerJanitor janitor = await BrokerJanitor.ConnectAsync(host.Bus.Options.Uri);
    Console.WriteLine($"Touring the RabbitMQ tutorials on {host.Bus.Options.Uri.Host}:{host.Bus.Options.Uri.Port}");
    // Start from nothing: a queue left by the sample programs could hold messages that would skew the counts.
    await janitor.DeleteTutorialTopologyAsync();
    bool passed = await Chapters.RunAllAsync(host.Bus, host.Stopping);
    Console.WriteLine($"The tour took {clock.Elapsed.TotalSeconds:0.0} s. Deleting its queues and exchanges.");
    return passed ? 0 : 1;
}
catch (OperationCanceledException)
{
    Console.WriteLine("Interrupted; the tour's queues and exchanges are deleted.");
    return 1;
}
catch (Exception ex) when (SampleProgram.IsBrokerFailure(ex))
{
    Console.Error.WriteLine(ex.Message);
    return 1;
}
