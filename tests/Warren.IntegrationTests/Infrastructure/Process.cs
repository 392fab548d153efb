using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading.Tasks;

namespace Warren.IntegrationTests.Infrastructure;

/// <summary>Runs a command-line tool (rabbitmqctl, rabbitmq-server) and returns its output; throws when it fails or hangs.</summary>
public static class Process
{
    public static string Run(string file, params string[] arguments) => Run(file, arguments, TimeSpan.FromSeconds(60));

    public static string Run(string file, string[] arguments, TimeSpan timeout, IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (KeyValuePair<string, string> variable in environment ?? new Dictionary<string, string>())
        {
            info.Environment[variable.Key] = variable.Value;
        }

        using System.Diagnostics.Process process = System.Diagnostics.Process.Start(info)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not finish within {timeout}.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}: {error.Result}{output.Result}");
        }

        return output.Result;
    }
}
