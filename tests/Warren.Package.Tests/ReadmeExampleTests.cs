using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;

namespace Warren.Package.Tests;

/// <summary>
/// The first example of the repository's README and of the package's (src/Warren/PACKAGE.md, which nuget.org shows),
/// taken verbatim, as a reader pastes it into a new console app: it must build without warnings and print its message
/// on the first run.
/// </summary>
[Collection(PackageCollection.Name)]
public sealed class ReadmeExampleTests(PackedWarren package, ITestOutputHelper output)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);

    /// <summary>What the example's consumer prints for the one message it publishes.</summary>
    private const string ExpectedLine = " [x] kern.critical: disk on fire";

    [Theory]
    [InlineData("README.md", "readme")]
    [InlineData("src/Warren/PACKAGE.md", "package-readme")]
    public void First_example_builds_in_a_new_console_app_and_prints_its_message_on_the_first_run(string readme, string projectName)
    {
        string example = FirstCSharpBlock(Path.Combine(package.RepositoryRoot, readme));
        output.WriteLine($"The first C# block of {readme}:\n{example}");

        TemplateProject app = TemplateProject.Create(package, "console", projectName);
        // What the example may rely on, because `dotnet new console` turns it on.
        Assert.Equal("enable", app.Property("ImplicitUsings"));
        Assert.Equal("enable", app.Property("Nullable"));
        app.WriteFile("Program.cs", example);

        CommandResult build = app.Build();
        output.WriteLine(build.ToString());
        BuildAssert.Clean(build, $"The first C# block of {readme} does not build as a console app's Program.cs.");

        // The example uses fixed names (topic_logs, kernel) and the default options, which read WARREN_AMQP_URI: a
        // virtual host of its own keeps those names apart from everyone else's and makes this run a first run.
        using TemporaryVirtualHost broker = TemporaryVirtualHost.Create(projectName);
        var environment = new Dictionary<string, string>(package.ProjectEnvironment) { ["WARREN_AMQP_URI"] = broker.Uri.ToString() };
        CommandResult run = DotNetCli.Run(app.Directory, RunTimeout, environment, "run", "--no-build");
        output.WriteLine(run.ToString());

        Assert.True(run.ExitCode == 0, $"The example of {readme} failed:\n{run}");
        string[] lines = run.Output.Split('\n').Select(line => line.TrimEnd('\r')).ToArray();
        Assert.True(lines.Count(line => line == ExpectedLine) == 1, $"Expected the line \"{ExpectedLine}\" once:\n{run}");
    }

    /// <summary>The lines between the first <c>```csharp</c> fence of a Markdown file and the fence that closes it, as written.</summary>
    private static string FirstCSharpBlock(string markdownPath)
    {
        string markdown = File.ReadAllText(markdownPath).ReplaceLineEndings("\n");
        Match block = Regex.Match(markdown, @"^```csharp\n(.*?)^```$", RegexOptions.Multiline | RegexOptions.Singleline);
        Assert.True(block.Success, $"No ```csharp block in {markdownPath}");
        return block.Groups[1].Value;
    }
}
