using System;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Warren.Contracts.Tool.Tests;

/// <summary>The tool run on assemblies compiled for the test: what it writes, what it leaves alone, how it fails.</summary>
public sealed class ToolTests : IDisposable
{
    private const string AsyncApi = "{\n  \"asyncapi\": \"3.0.0\",\n  \"info\": { \"title\": \"Shop \\\"orders\\\" – ünïcode ✓\" }\n}\n";
    private const string Definitions = "{\n  \"exchanges\": [],\n  \"queues\": [],\n  \"bindings\": []\n}\n";
    private const string Lock = "{\n  \"version\": 1,\n  \"messages\": []\n}\n";

    private readonly string _folder = Directory.CreateTempSubdirectory("warren-contracts-tool-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Writes_both_documents_named_after_the_assembly_with_the_constants_text_exactly()
    {
        string assembly = StandInAssembly.Compile(_folder, "Shop.Contracts", StandInAssembly.DocumentsClass(AsyncApi, Definitions, Lock));
        string output = Path.Combine(_folder, "out");

        (int exitCode, string stdout, string stderr) = Run(assembly, "--out", output);

        Assert.True(exitCode == Program.Success, stderr);
        Assert.Equal(AsyncApi, File.ReadAllText(Path.Combine(output, "Shop.Contracts.asyncapi.json")));
        Assert.Equal(Definitions, File.ReadAllText(Path.Combine(output, "Shop.Contracts.definitions.json")));
        Assert.Equal(["Shop.Contracts.asyncapi.json", "Shop.Contracts.definitions.json"], FileNames(output));
        Assert.Contains("Shop.Contracts.asyncapi.json", stdout, StringComparison.Ordinal);
        // UTF-8 without a byte order mark, as JSON wants.
        Assert.Equal((byte)'{', File.ReadAllBytes(Path.Combine(output, "Shop.Contracts.asyncapi.json"))[0]);
    }

    [Fact]
    public void Unchanged_documents_are_not_rewritten_and_changed_ones_are()
    {
        string output = Path.Combine(_folder, "out");
        string first = StandInAssembly.Compile(Directory.CreateDirectory(Path.Combine(_folder, "v1")).FullName, "App", StandInAssembly.DocumentsClass(AsyncApi, Definitions, Lock));
        Assert.Equal(Program.Success, Run(first, "--out", output).ExitCode);
        string asyncApiPath = Path.Combine(output, "App.asyncapi.json");
        string definitionsPath = Path.Combine(output, "App.definitions.json");
        var past = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(asyncApiPath, past);
        File.SetLastWriteTimeUtc(definitionsPath, past);

        (int exitCode, string stdout, _) = Run(first, "--out", output);
        Assert.Equal(Program.Success, exitCode);
        Assert.DoesNotContain("wrote", stdout, StringComparison.Ordinal);
        Assert.Equal(past, File.GetLastWriteTimeUtc(asyncApiPath));

        string changedDefinitions = Definitions.Replace("[]", "[{\"name\":\"orders\"}]", StringComparison.Ordinal);
        string second = StandInAssembly.Compile(Directory.CreateDirectory(Path.Combine(_folder, "v2")).FullName, "App", StandInAssembly.DocumentsClass(AsyncApi, changedDefinitions, Lock));
        Assert.Equal(Program.Success, Run(second, "--out", output).ExitCode);
        Assert.Equal(past, File.GetLastWriteTimeUtc(asyncApiPath));
        Assert.NotEqual(past, File.GetLastWriteTimeUtc(definitionsPath));
        Assert.Equal(changedDefinitions, File.ReadAllText(definitionsPath));
        Assert.Equal(["App.asyncapi.json", "App.definitions.json"], FileNames(output));
    }

    [Fact]
    public void The_lock_is_written_only_when_asked_for()
    {
        string assembly = StandInAssembly.Compile(_folder, "App", StandInAssembly.DocumentsClass(AsyncApi, Definitions, Lock));
        string lockFile = Path.Combine(_folder, "project", "warren.contracts.json");

        Assert.Equal(Program.Success, Run(assembly, "--out", Path.Combine(_folder, "out")).ExitCode);
        Assert.False(File.Exists(lockFile));

        Assert.Equal(Program.Success, Run(assembly, "--lock", lockFile).ExitCode);
        Assert.Equal(Lock, File.ReadAllText(lockFile));
    }

    [Fact]
    public void An_assembly_without_contracts_is_not_an_error_and_gets_no_files()
    {
        string assembly = StandInAssembly.Compile(_folder, "Plain", "namespace Warren.Generated { internal static class SomethingElse { public const string AsyncApi = \"{}\"; } }");
        string output = Path.Combine(_folder, "out");
        string lockFile = Path.Combine(_folder, "warren.contracts.json");

        (int exitCode, string stdout, string stderr) = Run(assembly, "--out", output, "--lock", lockFile);

        Assert.True(exitCode == Program.Success, stderr);
        Assert.Contains("has no contracts", stdout, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
        Assert.False(File.Exists(lockFile));
    }

    [Fact]
    public void The_assembly_is_read_not_loaded_so_references_that_cannot_be_resolved_do_not_matter()
    {
        // The documents' assembly derives a type from a library that is not beside it: loading it, or running any of
        // its code, would fail; reading its metadata does not.
        string library = StandInAssembly.Compile(Directory.CreateDirectory(Path.Combine(_folder, "elsewhere")).FullName, "Elsewhere", "public class Base { }");
        string assembly = StandInAssembly.Compile(_folder, "App", [MetadataReference.CreateFromFile(library)],
            StandInAssembly.DocumentsClass(AsyncApi, Definitions, Lock),
            "public sealed class Derived : Base { static Derived() { throw new System.Exception(); } }");

        Assert.Equal(Program.Success, Run(assembly, "--out", _folder).ExitCode);
        Assert.Equal(AsyncApi, File.ReadAllText(Path.Combine(_folder, "App.asyncapi.json")));
    }

    [Fact]
    public void A_documents_class_without_one_of_the_constants_fails_naming_it()
    {
        string assembly = StandInAssembly.Compile(_folder, "App", StandInAssembly.DocumentsClass(AsyncApi, Definitions, lockFile: null));
        string output = Path.Combine(_folder, "out");

        (int exitCode, _, string stderr) = Run(assembly, "--out", output);

        Assert.Equal(Program.Failure, exitCode);
        Assert.StartsWith("Warren.Contracts.Tool : error : ", stderr, StringComparison.Ordinal);
        Assert.Contains("'Lock'", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    [Theory]
    [InlineData("missing.dll", "does not exist")]
    [InlineData("notes.txt", "is not a .NET assembly")]
    public void A_missing_or_foreign_file_fails_with_one_error_line(string file, string expected)
    {
        File.WriteAllText(Path.Combine(_folder, "notes.txt"), "not an assembly");

        (int exitCode, string stdout, string stderr) = Run(Path.Combine(_folder, file), "--out", _folder);

        Assert.Equal(Program.Failure, exitCode);
        Assert.Equal("", stdout);
        string line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("Warren.Contracts.Tool : error : ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData]
    [InlineData("App.dll")]
    [InlineData("App.dll", "--out")]
    [InlineData("App.dll", "--output", "bin")]
    [InlineData("App.dll", "Other.dll", "--out", "bin")]
    [InlineData("--out", "bin")]
    public void A_command_line_it_does_not_understand_prints_the_usage_and_exits_with_2(params string[] args)
    {
        (int exitCode, string stdout, string stderr) = Run(args);

        Assert.Equal(Program.UsageError, exitCode);
        Assert.Equal("", stdout);
        Assert.StartsWith("Usage: Warren.Contracts.Tool", stderr, StringComparison.Ordinal);
    }

    private static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exitCode = Program.Run(args, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }

    private static string[] FileNames(string folder) =>
        [.. Directory.GetFiles(folder).Select(path => Path.GetFileName(path)).Order(StringComparer.Ordinal)];
}
