using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;

namespace Warren.Generators.Benchmarks;

/// <summary>
/// What a real build of the synthetic project would use, found in the .NET installation that runs the benchmark: the
/// reference assemblies of Microsoft.NETCore.App.Ref (the targeting pack), System.Text.Json's source generator from the
/// same pack, and Warren with the assemblies its public API exposes.
/// </summary>
internal sealed record SdkFiles(string TargetingPack, string SystemTextJsonGenerator, ImmutableArray<MetadataReference> References)
{
    public static SdkFiles Locate(string? systemTextJsonGenerator)
    {
        string pack = FindTargetingPack();
        string generator = systemTextJsonGenerator ?? FindSystemTextJsonGenerator(pack);
        string framework = Directory.GetDirectories(Path.Combine(pack, "ref")).OrderByDescending(d => d, StringComparer.Ordinal).First();
        IEnumerable<string> warren =
        [
            typeof(Bus).Assembly.Location,
            typeof(RabbitMQ.Client.IConnection).Assembly.Location,
            typeof(Microsoft.Extensions.Logging.ILogger).Assembly.Location,
        ];
        ImmutableArray<MetadataReference> references = Directory.GetFiles(framework, "*.dll")
            .Concat(warren)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray();
        return new SdkFiles(pack, generator, references);
    }

    /// <summary>packs/Microsoft.NETCore.App.Ref/&lt;version&gt; of the running runtime's major.minor, the newest patch.</summary>
    private static string FindTargetingPack()
    {
        // The runtime lives in <dotnet root>/shared/Microsoft.NETCore.App/<version>/.
        string runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        string root = Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } env && Directory.Exists(Path.Combine(env, "packs"))
            ? env
            : Path.GetFullPath(Path.Combine(runtime, "..", "..", ".."));
        string packs = Path.Combine(root, "packs", "Microsoft.NETCore.App.Ref");
        string prefix = $"{Environment.Version.Major}.{Environment.Version.Minor}.";
        string? pack = Directory.Exists(packs)
            ? Directory.GetDirectories(packs)
                .Where(d => Path.GetFileName(d).StartsWith(prefix, StringComparison.Ordinal))
                .OrderByDescending(d => Version.TryParse(Path.GetFileName(d).Split('-')[0], out Version? v) ? v : new Version())
                .FirstOrDefault()
            : null;
        return pack ?? throw new InvalidOperationException(
            $"No Microsoft.NETCore.App.Ref {prefix}x targeting pack under {packs}; install the .NET SDK, or set DOTNET_ROOT to where it is.");
    }

    /// <summary>
    /// The pack's analyzers/dotnet/[roslynX.Y/]cs/System.Text.Json.SourceGeneration.dll, for the newest Roslyn not
    /// newer than the one loaded here (packs for several compilers carry one generator per Roslyn version).
    /// </summary>
    private static string FindSystemTextJsonGenerator(string pack)
    {
        Version roslyn = typeof(Compilation).Assembly.GetName().Version!;
        string analyzers = Path.Combine(pack, "analyzers");
        var candidates = Directory.Exists(analyzers)
            ? Directory.GetFiles(analyzers, "System.Text.Json.SourceGeneration.dll", SearchOption.AllDirectories)
                .Select(path => (Path: path, Roslyn: RoslynFolderVersion(path)))
                .Where(c => c.Roslyn <= roslyn)
                .OrderByDescending(c => c.Roslyn)
                .ToList()
            : [];
        return candidates.Count > 0
            ? candidates[0].Path
            : throw new InvalidOperationException($"No System.Text.Json.SourceGeneration.dll for Roslyn {roslyn} under {analyzers}; pass --stj <path>.");
    }

    /// <summary>The X.Y of a roslynX.Y folder in the path; 0.0 (any compiler) when there is none.</summary>
    private static Version RoslynFolderVersion(string path)
    {
        foreach (string part in path.Split(Path.DirectorySeparatorChar))
        {
            if (part.StartsWith("roslyn", StringComparison.Ordinal) && Version.TryParse(part["roslyn".Length..], out Version? version))
            {
                return version;
            }
        }
        return new Version(0, 0);
    }
}

/// <summary>System.Text.Json's incremental generator, loaded from the SDK by reflection (it is not a package the benchmark references).</summary>
internal static class SystemTextJsonGenerator
{
    public static Func<IIncrementalGenerator> Load(string path)
    {
        Assembly assembly = Assembly.LoadFrom(path);
        Type[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            types = e.Types.OfType<Type>().ToArray();
        }
        Type generator = types.SingleOrDefault(t =>
                typeof(IIncrementalGenerator).IsAssignableFrom(t) && !t.IsAbstract && t.GetCustomAttribute<GeneratorAttribute>() is not null)
            ?? throw new InvalidOperationException($"No incremental generator in {path}.");
        return () => (IIncrementalGenerator)Activator.CreateInstance(generator)!;
    }
}

internal static class Versions
{
    public static string Of(Type type) =>
        type.Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? type.Assembly.GetName().Version?.ToString()
        ?? "?";
}
