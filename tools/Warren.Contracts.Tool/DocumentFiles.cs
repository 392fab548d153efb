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
        foreach ((string name, string content) in new[]
        {
            (AsyncApiFileName(documents.AssemblyName), documents.AsyncApi),
            (DefinitionsFileName(documents.AssemblyName), documents.Definitions),
        })
        {
            string path = Path.Combine(folder, name);
            if (WriteIfChanged(path, content))
            {
                written.Add(path);
            }
        }

        return written;
    }

    /// <summary>
    /// Leaves an unchanged file alone, so that its time stamp (an input of later builds and of incremental copies) stays;
    /// a changed one is written beside it and moved over it, so that a reader never sees half a file.
    /// </summary>
    /// <returns>False when the file already held <paramref name="content"/>.</returns>
    public static bool WriteIfChanged(string path, string content)
    {
        try
        {
            if (File.Exists(path) && File.ReadAllText(path, Utf8) == content)
            {
                return false;
            }

            string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
            Directory.CreateDirectory(folder);
            string temporary = Path.Combine(folder, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
            File.WriteAllText(temporary, content, Utf8);
            File.Move(temporary, path, overwrite: true);
            return true;
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
