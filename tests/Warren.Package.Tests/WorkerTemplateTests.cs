using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit;
using Xunit.Abstractions;

namespace Warren.Package.Tests;

/// <summary>
/// Warren in the Generic Host as a user first meets it: a project made by <c>dotnet new worker</c>, the package added,
/// a message, a consumer with constructor dependencies, <c>AddWarren(...).AddWarrenConsumers()</c> in Program.cs and the
/// template's Worker publishing through an injected <see cref="IPublisher"/>; built with warnings as errors and run
/// against the broker until the consumer has handled the message and stopped the host.
/// </summary>
[Collection(PackageCollection.Name)]
public sealed class WorkerTemplateTests(PackedWarren package, ITestOutputHelper output)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);

    /// <summary>The project's name; its namespace, made by the template, is orders_worker.</summary>
    private const string Name = "orders-worker";

    [Fact]
    public void Worker_template_with_the_package_builds_without_warnings_and_consumes_what_its_worker_publishes()
    {
        TemplateProject worker = TemplateProject.Create(package, "worker", Name);
        // The template references Microsoft.Extensions.Hosting at the version this SDK knows (10.0.12 for SDK 10.0.401),
        // which the package mirror serves, so the test keeps it as the template made it. A version the mirror lacked
        // would fail restore with NU1102; the build's output then says so.
        string? hosting = worker.PackageVersion("Microsoft.Extensions.Hosting");
        output.WriteLine($"The template references Microsoft.Extensions.Hosting {hosting}");
        Assert.NotNull(hosting);
        string rootNamespace = worker.Property("RootNamespace") ?? Name;
        Assert.Equal("orders_worker", rootNamespace);

        WriteUserFiles(worker);

        CommandResult build = worker.Build();
        output.WriteLine(build.ToString());
        BuildAssert.Clean(build, $"(The template references Microsoft.Extensions.Hosting {hosting}.)");

        using TemporaryVirtualHost broker = TemporaryVirtualHost.Create("worker");
        // Configuration as a deployed worker gets it: appsettings.json names the client, the environment the broker.
        var environment = new Dictionary<string, string>(package.ProjectEnvironment) { ["Warren__Uri"] = broker.Uri.ToString() };
        CommandResult run = DotNetCli.Run(worker.Directory, RunTimeout, environment, "run", "--no-build");
        output.WriteLine(run.ToString());

        Assert.True(run.ExitCode == 0, "The worker failed, or did not stop itself:\n" + run);
        string[] lines = run.Output.Split('\n').Select(line => line.TrimEnd('\r')).ToArray();
        Assert.True(lines.Contains("consumed: order A-42, 3 items, in book 1"), "The consumer did not print the order:\n" + run);
        // The consumer's scoped service lived in a DI scope of its own, disposed once the message was handled.
        Assert.True(lines.Contains("book 1 closed"), "The consumer's scope was not disposed:\n" + run);
        Assert.Contains("as 'orders-worker'", run.Output, StringComparison.Ordinal);
        // The host stopped only after the handler was done: the message was acknowledged, not left for a redelivery.
        Assert.Equal(0, broker.MessageCount("orders"));
        Assert.Equal(0, broker.MessageCount("orders.error"));
    }

    /// <summary>What a user writes into the new worker: three files of their own, two lines in Program.cs, a new Worker.</summary>
    private static void WriteUserFiles(TemplateProject worker)
    {
        worker.WriteFile("OrderPlaced.cs", """
            using Warren;

            namespace orders_worker;

            [Queue("orders")]
            public sealed record OrderPlaced(string OrderId, int Items);
            """);

        worker.WriteFile("OrderBook.cs", """
            namespace orders_worker;

            /// <summary>A scoped service, as a DbContext is: the host makes one per message.</summary>
            public sealed class OrderBook : IDisposable
            {
                private static int s_opened;

                public int Number { get; } = Interlocked.Increment(ref s_opened);

                public string Record(OrderPlaced order) => $"order {order.OrderId}, {order.Items} items, in book {Number}";

                public void Dispose() => Console.WriteLine($"book {Number} closed");
            }
            """);

        worker.WriteFile("OrderConsumer.cs", """
            using Warren;

            namespace orders_worker;

            [Consumer]
            public sealed class OrderConsumer(OrderBook book, ILogger<OrderConsumer> logger, IHostApplicationLifetime lifetime) : IConsumer<OrderPlaced>
            {
                public ValueTask HandleAsync(OrderPlaced order, MessageContext context, CancellationToken cancellationToken)
                {
                    logger.LogInformation("Received order {OrderId} from queue {Queue}", order.OrderId, context.Queue);
                    Console.WriteLine($"consumed: {book.Record(order)}");

                    // This worker waits for one order only. Stopping the host lets this handler finish first.
                    lifetime.StopApplication();
                    return ValueTask.CompletedTask;
                }
            }
            """);

        worker.WriteFile("Worker.cs", """
            using Warren;

            namespace orders_worker;

            public class Worker(IPublisher publisher, ILogger<Worker> logger) : BackgroundService
            {
                protected override async Task ExecuteAsync(CancellationToken stoppingToken)
                {
                    // Runs before Warren's hosted service has connected: the publish waits for the connection.
                    await publisher.PublishAsync(new OrderPlaced("A-42", 3), cancellationToken: stoppingToken);
                    logger.LogInformation("Published order A-42");
                }
            }
            """);

        const string templateLine = "builder.Services.AddHostedService<Worker>();\n";
        string program = worker.ReadFile("Program.cs").ReplaceLineEndings("\n");
        Assert.Contains(templateLine, program, StringComparison.Ordinal);
        worker.WriteFile("Program.cs", program.Replace(templateLine, templateLine + """
            builder.Services.AddScoped<OrderBook>();
            builder.Services.AddWarren(builder.Configuration.GetSection("Warren")).AddWarrenConsumers();

            """, StringComparison.Ordinal));

        JsonObject settings = JsonNode.Parse(worker.ReadFile("appsettings.json"))!.AsObject();
        settings["Warren"] = new JsonObject { ["ClientName"] = "orders-worker" };
        worker.WriteFile("appsettings.json", settings.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }
}
