using System.Text.RegularExpressions;
using Xunit;

namespace Warren.Package.Tests;

internal static class BuildAssert
{
    /// <summary>The build succeeded and its summary says 0 warnings and 0 errors, as a user reads it.</summary>
    public static void Clean(CommandResult build, string? hint = null)
    {
        string context = (hint is null ? "" : hint + "\n") + build;
        Assert.True(build.ExitCode == 0, "The build failed:\n" + context);
        Assert.True(Regex.IsMatch(build.Output, @"^\s*0 Warning\(s\)", RegexOptions.Multiline), "Expected \"0 Warning(s)\":\n" + context);
        Assert.True(Regex.IsMatch(build.Output, @"^\s*0 Error\(s\)", RegexOptions.Multiline), "Expected \"0 Error(s)\":\n" + context);
    }
}
