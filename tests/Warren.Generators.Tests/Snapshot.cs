using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using Xunit;

namespace Warren.Generators.Tests;

/// <summary>
/// Compares generated files with the expected ones in <c>Snapshots/&lt;TestName&gt;.&lt;HintName&gt;</c>. With the environment
/// variable <c>WARREN_UPDATE_SNAPSHOTS=1</c> it writes the actual output as the new snapshot instead, and passes.
/// </summary>
internal static class Snapshot
{
    public const string UpdateVariable = "WARREN_UPDATE_SNAPSHOTS";

    public static void Verify(string actual, string hintName, [CallerMemberName] string testName = "", [CallerFilePath] string callerFile = "")
    {
        string fileName = testName + "." + hintName;
        string normalized = Normalize(actual);

        // Read from the source folder when the tests run where they were built, else from the copy in the output folder
        // (when source paths are mapped away); updates always go to the source folder.
        string sourceFolder = Path.Combine(Path.GetDirectoryName(callerFile) ?? ".", "Snapshots");
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            Directory.CreateDirectory(sourceFolder);
            File.WriteAllText(Path.Combine(sourceFolder, fileName), normalized, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            return;
        }

        string path = Path.Combine(ReadFolder(sourceFolder), fileName);
        if (!File.Exists(path))
        {
            Assert.Fail($"No snapshot '{fileName}'. Run the tests with {UpdateVariable}=1 to create it. Actual output:\n{normalized}");
        }

        string expected = Normalize(File.ReadAllText(path));
        if (expected != normalized)
        {
            Assert.Fail(Describe(fileName, expected, normalized));
        }
    }

    /// <summary>
    /// The snapshots of every file a test generates (<c>&lt;TestName&gt;.&lt;HintName&gt;</c>), by hint name. With
    /// <see cref="UpdateVariable"/> set, <paramref name="actual"/> replaces them first.
    /// </summary>
    public static IReadOnlyList<(string HintName, string Text)> All(string testName, Func<IEnumerable<(string HintName, string Text)>> actual, string callerFile)
    {
        string sourceFolder = Path.Combine(Path.GetDirectoryName(callerFile) ?? ".", "Snapshots");
        string prefix = testName + ".";
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            Directory.CreateDirectory(sourceFolder);
            foreach (string stale in Directory.GetFiles(sourceFolder, prefix + "*"))
            {
                File.Delete(stale);
            }

            foreach ((string hintName, string text) in actual())
            {
                File.WriteAllText(Path.Combine(sourceFolder, prefix + hintName), Normalize(text), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            }
        }

        return Directory.GetFiles(ReadFolder(sourceFolder), prefix + "*")
            .Select(path => (Path.GetFileName(path).Substring(prefix.Length), Normalize(File.ReadAllText(path))))
            .OrderBy(file => file.Item1, StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>The names of the snapshot files there are.</summary>
    public static string[] FileNames([CallerFilePath] string callerFile = "") =>
        Directory.GetFiles(ReadFolder(Path.Combine(Path.GetDirectoryName(callerFile) ?? ".", "Snapshots")))
            .Select(path => Path.GetFileName(path))
            .ToArray();

    private static string ReadFolder(string sourceFolder) =>
        Directory.Exists(sourceFolder) ? sourceFolder : Path.Combine(AppContext.BaseDirectory, "Snapshots");

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);

    /// <summary>The first line that differs, both ways, then the whole actual output.</summary>
    private static string Describe(string fileName, string expected, string actual)
    {
        string[] expectedLines = expected.Split('\n');
        string[] actualLines = actual.Split('\n');
        int line = 0;
        while (line < expectedLines.Length && line < actualLines.Length && expectedLines[line] == actualLines[line])
        {
            line++;
        }

        string Show(string[] lines) => line < lines.Length ? "\"" + lines[line] + "\"" : "(end of file)";
        return $"""
            Generated '{fileName}' differs from its snapshot at line {line + 1}:
              expected: {Show(expectedLines)}
              actual:   {Show(actualLines)}
            Run the tests with {UpdateVariable}=1 to accept the new output. Actual output:
            {actual}
            """;
    }
}
