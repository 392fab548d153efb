// Traces and metrics with OpenTelemetry: one checkout, followed through RabbitMQ in one trace. The program starts a
// 'checkout' activity of its own and publishes an order; a consumer handles the order, reserves its stock over RPC and
// publishes a follow-up; a second consumer handles the follow-up. The console exporter prints every span as it ends
// (all with the checkout's TraceId), then Warren's metrics, and the program deletes its queues and exits.
using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using RabbitMQ.Client;
using Warren;
using Warren.Samples;
using Warren.Samples.Observability;

if (args.Length > 0)
{
    Console.Error.WriteLine("Usage: Observability   (no arguments; the broker is $WARREN_AMQP_URI, else amqp://guest:guest@localhost:5672/)");
    return SampleProgram.UsageExitCode;
}

// The app's own spans come from its own source; AddWarrenInstrumentation() adds Warren's. Nothing else is needed: the
// trace context travels in each message's 'traceparent' header.
using var checkoutSource = new ActivitySource("Shop.Checkout");
TracerProvider tracing = Sdk.CreateTracerProviderBuilder()
    .ConfigureResource(resource => resource.AddService("observability-sample"))
    .AddSource(checkoutSource.Name)
    .AddWarrenInstrumentation()
    .AddConsoleExporter()
    .Build();
// Metrics are printed once, when the provider is disposed at the end (the interval is longer than the program runs).
// The view drops the duration histograms' buckets so that each prints as one line of count, sum, min and max.
MeterProvider metrics = Sdk.CreateMeterProviderBuilder()
    .ConfigureResource(resource => resource.AddService("observability-sample"))
    .AddWarrenInstrumentation()
    .AddView(instrument => instrument.Unit == "s" ? new ExplicitBucketHistogramConfiguration { Boundaries = [] } : null)
    .AddConsoleExporter((_, reader) => reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = 60_000)
    .Build();

try
{
    await using SampleHost host = await SampleHost.StartAsync("warren-observability");
    Bus bus = host.Bus;
    await DeleteQueuesAsync(bus.Options.Uri);
    try
    {
        var confirmations = new ConfirmationHandler();
        await using (Subscription stockServer = await bus.ServeAsync<IStock>(new Stock(), cancellationToken: host.Stopping))
        await using (Subscription orders = await bus.SubscribeAsync(new OrderHandler(bus.CreateClient<IStock>(), bus), cancellationToken: host.Stopping))
        await using (Subscription followUps = await bus.SubscribeAsync(confirmations, cancellationToken: host.Stopping))
        {
            using (Activity? checkout = checkoutSource.StartActivity("checkout"))
            {
                Console.WriteLine($" [checkout] placing order 1001, trace {checkout?.TraceId}");
                await bus.PublishAsync(new OrderSubmitted("1001", "SKU-42", 2), cancellationToken: host.Stopping);
            }

            await confirmations.Handled.WaitAsync(TimeSpan.FromSeconds(30), host.Stopping);
            // Leaving the block disposes the subscriptions, which lets every handler in flight finish: all spans have ended.
        }
    }
    finally
    {
        await DeleteQueuesAsync(bus.Options.Uri);
    }

    return 0;
}
catch (OperationCanceledException)
{
    return 1;
}
catch (Exception ex) when (SampleProgram.IsBrokerFailure(ex))
{
    Console.Error.WriteLine(ex.Message);
    return 1;
}
finally
{
    // Disposing flushes: the tracer provider exports what it still holds, the meter provider collects and prints once.
    tracing.Dispose();
    metrics.Dispose();
}

// Warren declares queues but never deletes them: the sample removes its own, so it leaves a shared broker as it found it.
static async Task DeleteQueuesAsync(Uri uri)
{
    await using IConnection connection = await new ConnectionFactory { Uri = uri, ClientProvidedName = "warren-observability-cleanup" }.CreateConnectionAsync();
    await using IChannel channel = await connection.CreateChannelAsync();
    foreach (string queue in new[] { OrderSubmitted.QueueName, OrderConfirmed.QueueName, IStock.QueueName })
    {
        await channel.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false);
        await channel.QueueDeleteAsync(ErrorQueues.NameFor(queue), ifUnused: false, ifEmpty: false);
    }
}
