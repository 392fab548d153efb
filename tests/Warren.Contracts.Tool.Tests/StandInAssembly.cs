using System;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;

namespace Warren.Contracts.Tool.Tests;

/// <summary>Compiles C# into an assembly file, as a project's build would: the tool reads what the compiler wrote.</summary>
internal static class StandInAssembly
{
    /// <summary>
    /// The class the generator emits, with <paramref name="asyncApi"/>, <paramref name="definitions"/> and
    /// <paramref name="lockFile"/> as its constants; a null leaves that constant out.
    /// </summary>
    public static string DocumentsClass(string? asyncApi, string? definitions, string? lockFile) => $$"""
        namespace Warren.Generated
        {
            internal static class WarrenContractDocuments
            {
                {{Constant("AsyncApi", asyncApi)}}
                {{Constant("Definitions", definitions)}}
                {{Constant("Lock", lockFile)}}
            }
        }
        """;

    /// <summary>Compiles <paramref name="sources"/> into <c>&lt;folder&gt;/&lt;assemblyName&gt;.dll</c> and returns its path.</summary>
    public static string Compile(string folder, string assemblyName, params string[] sources) =>
        Compile(folder, assemblyName, [], sources);

    public static string Compile(string folder, string assemblyName, MetadataReference[] extraReferences, params string[] sources)
    {
        MetadataReference[] framework = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(path => Path.GetFileName(path) is "System.Runtime.dll" or "System.Private.CoreLib.dll")
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToArray();
        CSharpCompilation compilation = CSharpCompilation.Create(
            assemblyName,
            sources.Select(source => CSharpSyntaxTree.ParseText(source)),
            [.. framework, .. extraReferences],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        string path = Path.Combine(folder, assemblyName + ".dll");
        EmitResult result = compilation.Emit(path);
        if (!result.Success)
        {
            throw new InvalidOperationException("The stand-in did not compile:\n" + string.Join('\n', result.Diagnostics));
        }

        return path;
    }

    private static string Constant(string name, string? value) =>
        value is null ? "" : $"public const string {name} = {SymbolDisplay.FormatLiteral(value, quote: true)};";
}
