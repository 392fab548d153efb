using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Warren.Package.Tests;

/// <summary>
/// A new console project that references the Warren package, as <c>dotnet new console</c> and <c>dotnet add package
/// Warren</c> make it, with warnings as errors and nullable reference types on.
/// </summary>
internal sealed class ConsoleProject
{
    private ConsoleProject(string directory, string programPath, int messageAttributeLine, int routingKeyColumn)
    {
        Directory = directory;
        ProgramPath = programPath;
        MessageAttributeLine = messageAttributeLine;
        RoutingKeyColumn = routingKeyColumn;
    }

    public string Directory { get; }

    public string ProgramPath { get; }

    /// <summary>The 1-based line of Program.cs with the message's routing attribute.</summary>
    public int MessageAttributeLine { get; }

    /// <summary>The 1-based column of the <c>RoutingKey</c> template's string literal on that line; 0 when there is none.</summary>
    public int RoutingKeyColumn { get; }

    /// <summary>
    /// Writes the project into a new folder <paramref name="name"/> under the package's temporary folder.
    /// <paramref name="messageAttribute"/> is the routing attribute of the program's message.
    /// </summary>
    public static ConsoleProject Create(PackedWarren package, string name, string messageAttribute, string targetFramework = "net10.0")
    {
        string directory = System.IO.Directory.CreateDirectory(Path.Combine(package.Root, name)).FullName;
        File.WriteAllText(Path.Combine(directory, "nuget.config"), package.NuGetConfig());
        File.WriteAllText(Path.Combine(directory, name + ".csproj"), $$"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>{{targetFramework}}</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Warren" Version="{{package.Version}}" />
              </ItemGroup>
            </Project>
            """);

        string[] lines = Program(package.UniqueName, messageAttribute).Split('\n');
        int index = Array.FindIndex(lines, line => line.StartsWith("[", StringComparison.Ordinal) && line.Contains(messageAttribute, StringComparison.Ordinal));
        int literal = lines[index].IndexOf("\"{", StringComparison.Ordinal);
        string programPath = Path.Combine(directory, "Program.cs");
        File.WriteAllText(programPath, string.Join('\n', lines));
        return new ConsoleProject(directory, programPath, index + 1, literal < 0 ? 0 : literal + 1);
    }

    /// <summary>
    /// A user's first Warren program: it subscribes a consumer, serves an RPC interface, publishes a message and calls
    /// the service, prints what came back, and deletes the queues it made.
    /// </summary>
    private static string Program(string queue, string messageAttribute) => $$"""
        using Warren;

        string uri = Environment.GetEnvironmentVariable("WARREN_AMQP_URI") is { Length: > 0 } configured
            ? configured
            : "amqp://guest:guest@localhost:5672/";
        var received = new TaskCompletionSource<Greeting>(TaskCreationOptions.RunContinuationsAsynchronously);

        await using (Bus bus = await Bus.ConnectAsync(new BusOptions { Uri = new Uri(uri) }))
        {
            await using Subscription consumer = await bus.SubscribeAsync(new GreetingConsumer(received));
            await using Subscription server = await bus.ServeAsync<IEcho>(new Echo());

            await bus.PublishAsync(new Greeting("hello from the package"));
            Greeting greeting = await received.Task.WaitAsync(TimeSpan.FromSeconds(30));
            Console.WriteLine($"consumer received: {greeting.Text}");

            string reply = await bus.CreateClient<IEcho>().ShoutAsync("ping");
            Console.WriteLine($"rpc replied: {reply}");
        }

        // The message's queue, its error queue and the service's queue would outlive the program: delete them.
        var factory = new RabbitMQ.Client.ConnectionFactory { Uri = new Uri(uri) };
        await using (RabbitMQ.Client.IConnection connection = await factory.CreateConnectionAsync())
        await using (RabbitMQ.Client.IChannel channel = await connection.CreateChannelAsync())
        {
            await channel.QueueDeleteAsync("{{queue}}", ifUnused: false, ifEmpty: false);
            await channel.QueueDeleteAsync("{{queue}}.error", ifUnused: false, ifEmpty: false);
            await channel.QueueDeleteAsync("{{queue}}.rpc", ifUnused: false, ifEmpty: false);
        }
        Console.WriteLine("queues deleted");
        return 0;

        {{messageAttribute}}
        public sealed record Greeting(string Text);

        [Consumer]
        public sealed class GreetingConsumer(TaskCompletionSource<Greeting> received) : IConsumer<Greeting>
        {
            public ValueTask HandleAsync(Greeting message, MessageContext context, CancellationToken cancellationToken)
            {
                received.TrySetResult(message);
                return ValueTask.CompletedTask;
            }
        }

        [RpcService("{{queue}}.rpc")]
        public interface IEcho
        {
            [RpcMethod]
            Task<string> ShoutAsync(string text, CancellationToken cancellationToken = default);
        }

        public sealed class Echo : IEcho
        {
            public Task<string> ShoutAsync(string text, CancellationToken cancellationToken = default) =>
                Task.FromResult(text.ToUpperInvariant() + "!");
        }

        """;

    /// <summary>Every <c>file(line,col): error CODE</c> the build reported for Program.cs, once each (MSBuild repeats them in its summary).</summary>
    public static IReadOnlyList<(int Line, int Column, string Code)> Errors(string buildOutput) =>
        System.Text.RegularExpressions.Regex
            .Matches(buildOutput, @"Program\.cs\((\d+),(\d+)\): error (\w+)")
            .Select(m => (int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
                          int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture),
                          m.Groups[3].Value))
            .Distinct()
            .ToList();
}
