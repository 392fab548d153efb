using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Xml.Linq;

namespace Warren.Package.Tests;

/// <summary>
/// Packs Warren (and Warren.Testing) once for the tests of a run: from a copy of the repository's sources (no bin or obj, so nothing built
/// earlier can leak in) into a local folder feed, with a version of its own (0.1.0-test.&lt;time&gt;.&lt;process&gt;) that
/// no cache can hold already. Projects using the package restore into a packages folder of their own, so the machine's
/// NuGet cache never sees the test version. Everything lives under one temporary folder, deleted at the end.
/// </summary>
public sealed class PackedWarren : IDisposable
{
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(5);

    public PackedWarren()
    {
        RepositoryRoot = FindRepositoryRoot();
        string stamp = DateTime.UtcNow.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);
        Version = $"0.1.0-test.{stamp}.{System.Environment.ProcessId}";
        Root = Directory.CreateTempSubdirectory("warren-pkgtest-").FullName;
        Feed = Directory.CreateDirectory(Path.Combine(Root, "feed")).FullName;
        PackagesFolder = Directory.CreateDirectory(Path.Combine(Root, "packages")).FullName;
        UniqueName = "warren.pkgtest." + Guid.NewGuid().ToString("N")[..12];

        // Stops MSBuild and NuGet from looking above the temporary folder for Directory.Build.props and the like.
        File.WriteAllText(Path.Combine(Root, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(Root, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(Root, "Directory.Packages.props"), "<Project />\n");

        string sources = Path.Combine(Root, "sources");
        CopySources(RepositoryRoot, sources);
        Pack = DotNetCli.Run(sources, CommandTimeout, environment: null,
            "pack", Path.Combine(sources, "src", "Warren"), "-c", "Release", "-o", Feed, $"-p:Version={Version}",
            "--disable-build-servers", "-nodeReuse:false", "-tl:off");
        if (Pack.ExitCode != 0)
        {
            throw new InvalidOperationException("dotnet pack failed:\n" + Pack);
        }

        // Warren.Testing, the second package, at the same version (it depends on exactly this Warren).
        TestingPack = DotNetCli.Run(sources, CommandTimeout, environment: null,
            "pack", Path.Combine(sources, "src", "Warren.Testing"), "-c", "Release", "-o", Feed, $"-p:Version={Version}",
            "--disable-build-servers", "-nodeReuse:false", "-tl:off");
        if (TestingPack.ExitCode != 0)
        {
            throw new InvalidOperationException("dotnet pack of Warren.Testing failed:\n" + TestingPack);
        }

        TestingPackage = Path.Combine(Feed, $"Warren.Testing.{Version}.nupkg");
        Package = Path.Combine(Feed, $"Warren.{Version}.nupkg");
        SymbolsPackage = Path.Combine(Feed, $"Warren.{Version}.snupkg");
        if (!File.Exists(Package))
        {
            throw new InvalidOperationException($"dotnet pack made no {Package}:\n" + Pack);
        }
    }

    /// <summary>The folder holding Framework.sln.</summary>
    public string RepositoryRoot { get; }

    /// <summary>The version the package was packed with, unique to this run.</summary>
    public string Version { get; }

    public string Root { get; }

    /// <summary>The local folder feed the package was packed into.</summary>
    public string Feed { get; }

    /// <summary>The packages folder (NUGET_PACKAGES) of the projects that use the package.</summary>
    public string PackagesFolder { get; }

    /// <summary>A queue name no other run uses: <c>warren.pkgtest.&lt;12 hex digits&gt;</c>.</summary>
    public string UniqueName { get; }

    internal CommandResult Pack { get; }

    public string Package { get; }

    public string SymbolsPackage { get; }

    internal CommandResult TestingPack { get; }

    /// <summary>The Warren.Testing package, packed beside Warren at the same version.</summary>
    public string TestingPackage { get; }

    /// <summary>The environment of every command on a project that uses the package.</summary>
    public IReadOnlyDictionary<string, string> ProjectEnvironment => new Dictionary<string, string> { ["NUGET_PACKAGES"] = PackagesFolder };

    /// <summary>
    /// A nuget.config that puts the local feed first and then the sources of the repository's own nuget.config (where
    /// RabbitMQ.Client and the other dependencies come from).
    /// </summary>
    public string NuGetConfig()
    {
        XDocument repository = XDocument.Load(Path.Combine(RepositoryRoot, "nuget.config"));
        IEnumerable<XElement> sources = repository.Root?.Element("packageSources")?.Elements("add") ?? [];
        var config = new XElement("configuration",
            new XElement("packageSources",
                new XElement("clear"),
                new XElement("add", new XAttribute("key", "warren-local"), new XAttribute("value", Feed)),
                sources.Select(source => new XElement(source))));
        return new XDocument(new XDeclaration("1.0", "utf-8", null), config).ToString() + "\n";
    }

    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable("WARREN_PKGTEST_KEEP") == "1")
        {
            return;
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException e)
        {
            Trace.WriteLine($"Could not delete {Root}: {e.Message}");
        }
        catch (UnauthorizedAccessException e)
        {
            Trace.WriteLine($"Could not delete {Root}: {e.Message}");
        }
    }

    private static string FindRepositoryRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Framework.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Framework.sln in {AppContext.BaseDirectory} or any folder above it.");
    }

    /// <summary>
    /// What packing needs from the repository: its top-level files (Directory.Build.props, Directory.Packages.props,
    /// nuget.config, ...), the src and generators folders and the contracts tool, without build output.
    /// </summary>
    private static void CopySources(string repository, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (string file in Directory.GetFiles(repository))
        {
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)));
        }

        foreach (string folder in new[] { "src", "generators", Path.Combine("tools", "Warren.Contracts.Tool") })
        {
            CopyTree(Path.Combine(repository, folder), Path.Combine(destination, folder));
        }
    }

    private static void CopyTree(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (string file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)));
        }

        foreach (string folder in Directory.GetDirectories(source))
        {
            string name = Path.GetFileName(folder);
            if (name is not ("bin" or "obj" or ".vs" or "TestResults"))
            {
                CopyTree(folder, Path.Combine(destination, name));
            }
        }
    }
}
