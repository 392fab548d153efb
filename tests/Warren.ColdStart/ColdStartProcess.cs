using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace Warren.ColdStart;

/// <summary>What <c>dotnet publish</c> of a cold-start app left: the program, the folder's size, and its IL/AOT warnings.</summary>
internal sealed record Publication(string Executable, long Bytes, long ExecutableBytes, string[] Warnings, string Output);

/// <summary>One start of a published cold-start app, timed from <c>Process.Start</c>.</summary>
internal sealed record StartTimes(double FirstMilliseconds, double AllMilliseconds, double ExitMilliseconds);

/// <summary>
/// Publishes and starts the apps of tests/Warren.ColdStart; shared (linked) by the benchmark and by tests/Warren.Aot.Tests,
/// which asserts that the NativeAOT publish has no warning and that the native program consumes its messages.
/// </summary>
internal static partial class ColdStartProcess
{
    /// <summary>The folder with Framework.sln, above the running program's build output.</summary>
    public static string RepositoryRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Framework.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Framework.sln above {AppContext.BaseDirectory}.");
    }

    /// <summary>
    /// <c>dotnet publish -c Release</c> of tests/Warren.ColdStart/<paramref name="folder"/> into its own bin folder
    /// (NativeAOT with <paramref name="aot"/>, ReadyToRun with <paramref name="readyToRun"/>); throws with the output when it fails.
    /// </summary>
    public static async Task<Publication> PublishAsync(string folder, bool aot, CancellationToken cancellationToken, bool readyToRun = false)
    {
        string project = $"Warren.ColdStart.{folder}";
        string path = Path.Combine(RepositoryRoot(), "tests", "Warren.ColdStart", folder, project + ".csproj");
        // The console logger without its live view, so that every warning is a plain line of the output.
        string[] arguments =
        [
            "publish", path, "-c", "Release", "-tl:off", .. aot ? new[] { "-p:WarrenAot=true" } : [], .. readyToRun ? new[] { "-p:ColdStartReadyToRun=true" } : [],
        ];
        (int exitCode, string output) = await RunAsync("dotnet", arguments, TimeSpan.FromMinutes(15), cancellationToken);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"dotnet {string.Join(' ', arguments)} failed ({exitCode}):\n{output}");
        }

        Match match = Regex.Matches(output, $@"{Regex.Escape(project)} -> (?<dir>\S+/publish/)\s*$", RegexOptions.Multiline).LastOrDefault()
            ?? throw new InvalidOperationException($"dotnet {string.Join(' ', arguments)} did not say where it published:\n{output}");
        string directory = match.Groups["dir"].Value;
        string executable = Path.Combine(directory, project);
        // What an app ships: the program and its libraries, not the symbols (.pdb, .dbg) or the documentation (.xml).
        long bytes = Directory.EnumerateFiles(directory)
            .Where(f => Path.GetExtension(f) is not (".pdb" or ".dbg" or ".xml"))
            .Sum(f => new FileInfo(f).Length);
        return new Publication(executable, bytes, new FileInfo(executable).Length, AotWarnings(output), output);
    }

    /// <summary>The trimming and AOT analysis warnings of a build's output, each once (MSBuild repeats them in its summary).</summary>
    public static string[] AotWarnings(string output) => [.. WarningLine().Matches(output).Select(m => m.Value.Trim()).Distinct()];

    /// <summary>Starts the program with the broker's URI and times its "first" and "all" lines; throws unless it consumed all 10.</summary>
    public static async Task<StartTimes> StartAsync(string executable, Uri broker, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(executable, [broker.ToString()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        long started = Stopwatch.GetTimestamp();
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"{executable} did not start.");
        Task<string> errors = process.StandardError.ReadToEndAsync(cancellationToken);
        double first = double.NaN, all = double.NaN;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            while (await process.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
            {
                double now = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (line.StartsWith("first", StringComparison.Ordinal))
                {
                    first = now;
                }
                else if (line == "all")
                {
                    all = now;
                }
            }

            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{executable} did not finish within {timeout.TotalSeconds:0} s.");
        }

        double exit = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (process.ExitCode != 0 || double.IsNaN(first) || double.IsNaN(all))
        {
            throw new InvalidOperationException($"{executable} exited with {process.ExitCode} without consuming its 10 messages:\n{await errors}");
        }

        return new StartTimes(first, all, exit);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string[] arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start.");
        Task<string> output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        Task<string> errors = process.StandardError.ReadToEndAsync(cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not finish within {timeout}.");
        }

        return (process.ExitCode, await output + await errors);
    }

    [GeneratedRegex(@"warning (IL\d+|AOT\d*)\b.*$", RegexOptions.Multiline)]
    private static partial Regex WarningLine();
}
