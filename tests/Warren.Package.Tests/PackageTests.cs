using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit;
using Xunit.Abstractions;

namespace Warren.Package.Tests;

/// <summary>
/// The Warren package as a user meets it: packed with <c>dotnet pack</c>, added to a new console project from a local
/// feed, built with warnings as errors, run against the broker; restored and built for net8.0; and a mistake in a
/// routing-key template failing that build with WARREN001 at the line of the mistake.
/// </summary>
[Collection(PackageCollection.Name)]
public sealed class PackageTests(PackedWarren package, ITestOutputHelper output)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);

    /// <summary>What <c>dotnet pack</c> must put in the package, beyond the runtime assemblies.</summary>
    private static readonly string[] RequiredEntries =
    [
        "analyzers/dotnet/cs/Warren.Generators.dll",
        // The code fixes, beside the generator: IDEs load them, builds ignore them (README, "Code fixes").
        "analyzers/dotnet/cs/Warren.CodeFixes.dll",
        "build/Warren.props",
        "buildTransitive/Warren.props",
        "build/Warren.targets",
        "buildTransitive/Warren.targets",
        // The contracts tool Warren.targets runs after a build (README, "Contracts").
        "tools/contracts/Warren.Contracts.Tool.dll",
        "tools/contracts/Warren.Contracts.Tool.runtimeconfig.json",
        "README.md",
    ];

    /// <summary>
    /// The runtime's dependencies, exactly: RabbitMQ.Client, logging, and what the Generic Host integration (AddWarren,
    /// the hosted service, the health check) needs. The generator's (Roslyn) and the generator project itself must not appear.
    /// </summary>
    private static readonly string[] AllowedDependencies =
    [
        "RabbitMQ.Client",
        "Microsoft.Extensions.Logging.Abstractions",
        "Microsoft.Extensions.DependencyInjection.Abstractions",
        "Microsoft.Extensions.Hosting.Abstractions",
        "Microsoft.Extensions.Options",
        "Microsoft.Extensions.Configuration.Abstractions",
        "Microsoft.Extensions.Diagnostics.HealthChecks",
        // AddWarrenInstrumentation(): the provider builders live in the API package (no SDK).
        "OpenTelemetry.Api",
    ];

    [Fact]
    public void Package_holds_the_runtime_the_generator_and_its_metadata_and_depends_only_on_the_runtime_dependencies()
    {
        output.WriteLine(package.Pack.ToString());
        using ZipArchive zip = ZipFile.OpenRead(package.Package);
        string[] entries = zip.Entries.Select(e => e.FullName).ToArray();
        output.WriteLine(string.Join('\n', entries));

        string[] runtimeFrameworks = entries
            .Where(e => e.StartsWith("lib/", StringComparison.Ordinal) && e.EndsWith("/Warren.dll", StringComparison.Ordinal))
            .Select(e => e.Split('/')[1])
            .ToArray();
        Assert.Contains("net8.0", runtimeFrameworks);
        Assert.All(RequiredEntries, required => Assert.Contains(required, entries));
        Assert.DoesNotContain(entries, e => e.Contains("Microsoft.CodeAnalysis", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.Ordinal) && e.Contains("Warren.Generators", StringComparison.Ordinal));

        ZipArchiveEntry nuspecEntry = zip.Entries.Single(e => e.FullName == "Warren.nuspec");
        XElement nuspec;
        using (Stream stream = nuspecEntry.Open())
        {
            nuspec = XDocument.Load(stream).Root!;
        }
        XElement metadata = Child(nuspec, "metadata");
        Assert.Equal("Warren", Child(metadata, "id").Value);
        Assert.Equal(package.Version, Child(metadata, "version").Value);
        Assert.Equal("MIT", Child(metadata, "license").Value);
        Assert.Equal("expression", Child(metadata, "license").Attribute("type")?.Value);
        Assert.Equal("README.md", Child(metadata, "readme").Value);
        Assert.Equal("https://github.com/warren-messaging/warren", Child(metadata, "repository").Attribute("url")?.Value);
        Assert.Equal("https://github.com/warren-messaging/warren", Child(metadata, "projectUrl").Value);
        Assert.False(string.IsNullOrWhiteSpace(Child(metadata, "authors").Value));
        Assert.False(string.IsNullOrWhiteSpace(Child(metadata, "tags").Value));

        // One dependency group per runtime framework, each with exactly the runtime's dependencies.
        XElement[] groups = Child(metadata, "dependencies").Elements().Where(e => e.Name.LocalName == "group").ToArray();
        Assert.Equal(runtimeFrameworks.Order(), groups.Select(g => g.Attribute("targetFramework")?.Value ?? "").Order());
        foreach (XElement group in groups)
        {
            string[] dependencies = group.Elements().Select(d => d.Attribute("id")?.Value ?? "").Order().ToArray();
            Assert.Equal(AllowedDependencies.Order(), dependencies);
        }

        // The package's README (PACKAGE.md) tells users what they depend on: every dependency, by its id.
        string readme;
        using (var reader = new StreamReader(zip.Entries.Single(e => e.FullName == "README.md").Open()))
        {
            readme = reader.ReadToEnd();
        }
        Assert.All(AllowedDependencies, dependency => Assert.Contains(dependency, readme, StringComparison.Ordinal));

        // Symbols: a .snupkg with a PDB for each runtime assembly.
        Assert.True(File.Exists(package.SymbolsPackage), $"No symbols package {package.SymbolsPackage}");
        using ZipArchive symbols = ZipFile.OpenRead(package.SymbolsPackage);
        Assert.All(runtimeFrameworks, tfm => Assert.Contains($"lib/{tfm}/Warren.pdb", symbols.Entries.Select(e => e.FullName)));
    }

    [Fact]
    public void New_console_app_with_the_package_builds_without_warnings_and_exchanges_a_message_and_an_rpc_call_through_the_broker()
    {
        ConsoleProject app = ConsoleProject.Create(package, "app", $"[Queue(\"{package.UniqueName}\")]");

        BuildAssert.Clean(Build(app));

        // The package came from the local feed at this run's version, into this run's packages folder.
        string assets = File.ReadAllText(Path.Combine(app.Directory, "obj", "project.assets.json"));
        Assert.Contains($"\"Warren/{package.Version}\"", assets, StringComparison.Ordinal);
        Assert.True(Directory.Exists(Path.Combine(package.PackagesFolder, "warren", package.Version.ToLowerInvariant())),
            $"Warren {package.Version} is not in {package.PackagesFolder}");

        CommandResult run = DotNetCli.Run(app.Directory, RunTimeout, package.ProjectEnvironment, "run", "--no-build");
        output.WriteLine(run.ToString());
        Assert.True(run.ExitCode == 0, "The program failed:\n" + run);
        Assert.Contains("consumer received: hello from the package", run.Output, StringComparison.Ordinal);
        Assert.Contains("rpc replied: PING!", run.Output, StringComparison.Ordinal);
        Assert.Contains("queues deleted", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Net8_project_with_the_package_restores_and_builds_without_warnings()
    {
        // Built only: this machine has no .NET 8 runtime, but the SDK builds for net8.0 with its targeting pack, which
        // restore fetches like any package. The default language version there is C# 12, so the generated code must be too.
        ConsoleProject app = ConsoleProject.Create(package, "app-net8", $"[Queue(\"{package.UniqueName}\")]", targetFramework: "net8.0");

        BuildAssert.Clean(Build(app));
        string assets = File.ReadAllText(Path.Combine(app.Directory, "obj", "project.assets.json"));
        Assert.Contains($"\"Warren/{package.Version}\"", assets, StringComparison.Ordinal);
        Assert.Contains("lib/net8.0/Warren.dll", assets, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(app.Directory, "bin", "Debug", "net8.0", "app-net8.dll")), "No net8.0 assembly was built.");
    }

    [Fact]
    public void Routing_key_template_naming_a_missing_property_fails_the_build_with_WARREN001_at_its_line()
    {
        ConsoleProject app = ConsoleProject.Create(package, "app-warren001", "[Topic(\"warren.pkgtest.x\", RoutingKey = \"{Missing}\")]");

        CommandResult build = Build(app);
        Assert.True(build.ExitCode != 0, "The build succeeded; expected WARREN001:\n" + build);
        var errors = ConsoleProject.Errors(build.Output);
        output.WriteLine($"Program.cs errors: {string.Join(", ", errors)}; expected WARREN001 at ({app.MessageAttributeLine},{app.RoutingKeyColumn})");
        Assert.True(
            errors.Contains((app.MessageAttributeLine, app.RoutingKeyColumn, "WARREN001")),
            $"Expected Program.cs({app.MessageAttributeLine},{app.RoutingKeyColumn}): error WARREN001, at the template \"{{Missing}}\":\n{build}");

        // The mistake is reported once, as itself: no other error follows from it.
        string[] codes = Regex.Matches(build.Output, @": error (\w+)").Select(m => m.Groups[1].Value).Distinct().ToArray();
        Assert.True(codes.SequenceEqual(["WARREN001"]), $"Expected only WARREN001, got {string.Join(", ", codes)}:\n{build}");
    }

    private CommandResult Build(ConsoleProject app)
    {
        CommandResult build = DotNetCli.Run(app.Directory, PackedWarren.CommandTimeout, package.ProjectEnvironment,
            "build", "--disable-build-servers", "-nodeReuse:false", "-tl:off");
        output.WriteLine(build.ToString());
        return build;
    }

    private static XElement Child(XElement parent, string localName) =>
        parent.Elements().FirstOrDefault(e => e.Name.LocalName == localName)
        ?? throw new Xunit.Sdk.XunitException($"No <{localName}> in <{parent.Name.LocalName}>:\n{parent}");
}
