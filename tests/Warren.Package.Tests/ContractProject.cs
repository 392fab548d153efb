using System;
using System.IO;

namespace Warren.Package.Tests;

/// <summary>
/// A new class library that references the Warren package and declares contracts, as a team shares them: a topic message
/// with a routing-key template, a queue message, a consumer with its own queue, and an RPC service. Its source can be
/// edited between builds (<see cref="Edit"/>) to make breaking and additive changes.
/// </summary>
internal sealed class ContractProject
{
    private ContractProject(string name, string directory, string sourcePath)
    {
        Name = name;
        Directory = directory;
        SourcePath = sourcePath;
    }

    /// <summary>The project's (and its assembly's) name.</summary>
    public string Name { get; }

    public string Directory { get; }

    /// <summary>Contracts.cs, the file with every declaration.</summary>
    public string SourcePath { get; }

    /// <summary>warren.contracts.json beside the project file, where the accept step writes the lock.</summary>
    public string LockPath => Path.Combine(Directory, "warren.contracts.json");

    /// <summary>The build output folder of the Debug configuration, where the contract documents land.</summary>
    public string OutputFolder => Path.Combine(Directory, "bin", "Debug", "net10.0");

    public string AsyncApiPath => Path.Combine(OutputFolder, Name + ".asyncapi.json");

    public string DefinitionsPath => Path.Combine(OutputFolder, Name + ".definitions.json");

    /// <summary>Writes the project into a new folder <paramref name="name"/> under the package's temporary folder.</summary>
    public static ContractProject Create(PackedWarren package, string name)
    {
        string directory = System.IO.Directory.CreateDirectory(Path.Combine(package.Root, name)).FullName;
        File.WriteAllText(Path.Combine(directory, "nuget.config"), package.NuGetConfig());
        File.WriteAllText(Path.Combine(directory, name + ".csproj"), $$"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <Version>1.0.0-test</Version>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Warren" Version="{{package.Version}}" />
              </ItemGroup>
            </Project>
            """);
        string sourcePath = Path.Combine(directory, "Contracts.cs");
        File.WriteAllText(sourcePath, Source(package.UniqueName));
        return new ContractProject(name, directory, sourcePath);
    }

    /// <summary>Replaces <paramref name="before"/>, which must occur once in Contracts.cs, with <paramref name="after"/>.</summary>
    public void Edit(string before, string after)
    {
        string source = File.ReadAllText(SourcePath);
        int index = source.IndexOf(before, StringComparison.Ordinal);
        if (index < 0 || source.IndexOf(before, index + 1, StringComparison.Ordinal) >= 0)
        {
            throw new InvalidOperationException($"'{before}' does not occur exactly once in {SourcePath}:\n{source}");
        }

        File.WriteAllText(SourcePath, source[..index] + after + source[(index + before.Length)..]);
    }

    /// <summary>The 1-based line of Contracts.cs that holds <paramref name="text"/>.</summary>
    public int LineOf(string text)
    {
        string[] lines = File.ReadAllLines(SourcePath);
        int index = Array.FindIndex(lines, line => line.Contains(text, StringComparison.Ordinal));
        return index >= 0 ? index + 1 : throw new InvalidOperationException($"No line of {SourcePath} holds '{text}'.");
    }

    private static string Source(string prefix) => $$"""
        using Warren;

        namespace Shop.Contracts;

        [Topic("{{prefix}}.orders", RoutingKey = "{Region}.{Channel}")]
        public sealed record OrderPlaced(string OrderId, string Region, string Channel, decimal Total);

        [Queue("{{prefix}}.invoices")]
        public sealed record InvoiceRequested(string OrderId, decimal Amount);

        [Consumer(Queue = "{{prefix}}.audit"), Bind("eu.*")]
        public sealed class OrderAuditor : IConsumer<OrderPlaced>
        {
            public ValueTask HandleAsync(OrderPlaced message, MessageContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;
        }

        [RpcService("{{prefix}}.pricing")]
        public interface IPricing
        {
            [RpcMethod]
            Task<decimal> QuoteAsync(string sku, int quantity, CancellationToken cancellationToken = default);
        }

        """;
}
