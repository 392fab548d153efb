using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace Warren.Contracts.Tool;

/// <summary>Writes the documents to files, touching only those whose content changed.</summary>
internal static class DocumentFiles
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>The AsyncAPI document's file name in the output folder: <c>&lt;AssemblyName&gt;.asyncapi.json</c>.</summary>
    public static string AsyncApiFileName(string assemblyName) => assemblyName + ".asyncapi.json";

    /// <summary>The RabbitMQ definitions' file name in the output folder: <c>&lt;AssemblyName&gt;.definitions.json</c>.</summary>
    public static string DefinitionsFileName(string assemblyName) => assemblyName + ".definitions.json";

    /// <summary>Writes both documents into <paramref name="folder"/>; returns the paths it (re)wrote.</summary>
    public static IReadOnlyList<string> WriteDocuments(ContractDocuments documents, string folder)
    {
        var written = new List<string>(2);
        WriteIfChanged(Path.Combine(folder, AsyncApiFileName(documents.AssemblyName)), documents.AsyncApi, written);
        WriteIfChanged(Path.Combine(folder, DefinitionsFileName(documents.AssemblyName)), documents.Definitions, written);
        return written;
    }

    /// <summary>Writes the lock file; returns the paths it (re)wrote (none when the lock already says the same).</summary>
    public static IReadOnlyList<string> WriteLock(ContractDocuments documents, string path)
    {
        var written = new List<string>(1);
        WriteIfChanged(path, documents.Lock, written);
        return written;
    }

    /// <summary>
    /// Leaves an unchanged file alone, so that its time stamp (an input of later builds and of incremental copies) stays;
    /// a changed one is written beside it and moved over it, so that a reader never sees half a file.
    /// </summary>
    private static void WriteIfChanged(string path, string content, List<string> written)
    {
        try
        {
            if (File.Exists(path) && File.ReadAllText(path, Utf8) == content)
            {
                return;
            }

            string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
            Directory.CreateDirectory(folder);
            string temporary = Path.Combine(folder, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
            File.WriteAllText(temporary, content, Utf8);
            File.Move(temporary, path, overwrite: true);
            written.Add(path);
        }
        catch (IOException e)
        {
            throw new ContractToolException($"Could not write '{path}': {e.Message}");
        }
        catch (UnauthorizedAccessException e)
        {
            throw new ContractToolException($"Could not write '{path}': {e.Message}");
        }
    }
}
