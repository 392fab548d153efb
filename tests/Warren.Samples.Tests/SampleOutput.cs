using System;
using System.IO;

namespace Warren.Samples.Tests;

/// <summary>
/// Where the samples' build output is: samples/&lt;project&gt;/bin/&lt;configuration&gt;/&lt;framework&gt;/, in the
/// configuration and framework of this test run (read from its own output folder, bin/&lt;configuration&gt;/&lt;framework&gt;).
/// </summary>
internal static class SampleOutput
{
    private static readonly DirectoryInfo TestOutput = new(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));

    /// <summary>The folder holding Framework.sln.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>samples/&lt;project&gt;, the sample's project folder.</summary>
    public static string ProjectFolder(string project) => Path.Combine(RepositoryRoot, "samples", project);

    /// <summary>A file of the sample's build output; throws, saying what to build, when it is not there.</summary>
    public static string File(string project, string fileName)
    {
        string path = Path.Combine(ProjectFolder(project), "bin", TestOutput.Parent!.Name, TestOutput.Name, fileName);
        return System.IO.File.Exists(path) ? path : throw new FileNotFoundException($"Build samples/{project} first.", path);
    }

    /// <summary>The sample's assembly, which <c>dotnet &lt;assembly&gt;</c> runs.</summary>
    public static string Assembly(string project) => File(project, project + ".dll");

    private static string FindRepositoryRoot()
    {
        for (DirectoryInfo? directory = TestOutput; directory is not null; directory = directory.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(directory.FullName, "Framework.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Framework.sln in {TestOutput.FullName} or any folder above it.");
    }
}
