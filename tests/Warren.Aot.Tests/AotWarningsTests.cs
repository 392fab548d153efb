using Warren.ColdStart;
using Xunit;

namespace Warren.Aot.Tests;

/// <summary>The parsing the NativeAOT test relies on: every trimming/AOT warning shape of a publish's output is found, once.</summary>
public sealed class AotWarningsTests
{
    [Fact]
    public void Finds_compiler_and_ILCompiler_warnings_once_each_and_nothing_else()
    {
        const string output =
            """
              Warren.ColdStart.Warren -> /repo/bin/Release/net10.0/linux-x64/Warren.ColdStart.Warren.dll
            /repo/Program.cs(12,5): warning IL2026: Using member 'Json.Serialize' which has 'RequiresUnreferencedCodeAttribute' [/repo/App.csproj]
            ILC : AOT analysis warning IL3050: Warren.Foo.Bar(): Using member 'MakeGenericType' [/repo/App.csproj]
            /repo/Program.cs(3,1): warning CS8019: Unnecessary using directive. [/repo/App.csproj]
              Generating native code
            /repo/Program.cs(12,5): warning IL2026: Using member 'Json.Serialize' which has 'RequiresUnreferencedCodeAttribute' [/repo/App.csproj]
            """;

        string[] warnings = ColdStartProcess.AotWarnings(output);

        Assert.Equal(2, warnings.Length);
        Assert.StartsWith("warning IL2026:", warnings[0]);
        Assert.StartsWith("warning IL3050:", warnings[1]);
    }

    [Fact]
    public void A_clean_publish_has_none() =>
        Assert.Empty(ColdStartProcess.AotWarnings("  Generating native code\n  App -> /repo/bin/Release/net10.0/linux-x64/publish/\n"));
}
