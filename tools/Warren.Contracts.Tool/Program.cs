using System;
using System.Collections.Generic;
using System.IO;

namespace Warren.Contracts.Tool;

/// <summary>The command line: <c>Warren.Contracts.Tool &lt;assembly&gt; [--out &lt;folder&gt;] [--lock &lt;file&gt;]</c>.</summary>
internal static class Program
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int UsageError = 2;

    public const string Usage = """
        Usage: Warren.Contracts.Tool <assembly> [--out <folder>] [--lock <file>]
          Reads the contract documents Warren's generator compiled into <assembly> (without loading it) and writes them.
          --out <folder>  writes <AssemblyName>.asyncapi.json and <AssemblyName>.definitions.json into <folder>
          --lock <file>   writes the contract lock (warren.contracts.json) to <file>: accepts the current contracts
        Files whose content is unchanged are not touched. An assembly without contracts is not an error: nothing is written.
        Exit codes: 0 done, 1 failed, 2 bad command line.
        """;

    /// <summary>How errors start, so that MSBuild's Exec task reports them as build errors (canonical error format).</summary>
    private const string ErrorPrefix = "Warren.Contracts.Tool : error : ";

    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        if (args is ["-h" or "--help"])
        {
            output.WriteLine(Usage);
            return Success;
        }

        if (Parse(args) is not { } command)
        {
            error.WriteLine(Usage);
            return UsageError;
        }

        try
        {
            if (ContractDocuments.Read(command.Assembly) is not { } documents)
            {
                output.WriteLine($"Warren contracts: {command.Assembly} has no contracts; nothing written.");
                return Success;
            }

            var written = new List<string>();
            if (command.OutputFolder is not null)
            {
                written.AddRange(DocumentFiles.WriteDocuments(documents, command.OutputFolder));
            }

            if (command.LockFile is not null)
            {
                // The accept step: say so even when there was nothing to change, since the user asked for it.
                if (DocumentFiles.WriteIfChanged(command.LockFile, documents.Lock))
                {
                    written.Add(command.LockFile);
                }
                else
                {
                    output.WriteLine($"Warren contracts: {command.LockFile} already holds these contracts.");
                }
            }

            foreach (string path in written)
            {
                output.WriteLine($"Warren contracts: wrote {path}");
            }

            return Success;
        }
        catch (ContractToolException e)
        {
            error.WriteLine(ErrorPrefix + e.Message);
            return Failure;
        }
    }

    private sealed record Command(string Assembly, string? OutputFolder, string? LockFile);

    /// <summary>Null when the command line is not understood: no assembly, an unknown option, a missing value, nothing to write.</summary>
    private static Command? Parse(string[] args)
    {
        string? assembly = null, outputFolder = null, lockFile = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--out" when i + 1 < args.Length && outputFolder is null:
                    outputFolder = args[++i];
                    break;
                case "--lock" when i + 1 < args.Length && lockFile is null:
                    lockFile = args[++i];
                    break;
                case var argument when !argument.StartsWith('-') && assembly is null:
                    assembly = argument;
                    break;
                default:
                    return null;
            }
        }

        return assembly is null || (outputFolder is null && lockFile is null) ? null : new Command(assembly, outputFolder, lockFile);
    }
}
