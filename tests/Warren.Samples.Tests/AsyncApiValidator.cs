using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Threading;
using Warren.IntegrationTests.Infrastructure;

namespace Warren.Samples.Tests;

/// <summary>What the official AsyncAPI parser made of one document (tools/asyncapi-validate/validate.mjs).</summary>
internal sealed record AsyncApiResult(string File, bool Parsed, int Channels, int Operations, int Messages, IReadOnlyList<AsyncApiDiagnostic> Diagnostics);

internal sealed record AsyncApiDiagnostic(string Severity, string Code, string Message, string Path)
{
    public override string ToString() => $"{Severity} {Code} at '{Path}': {Message}";
}

/// <summary>
/// The official AsyncAPI parser (@asyncapi/parser, JSON schema validation and its default rules) run by Node.js from
/// tools/asyncapi-validate, installed there with <c>npm ci</c> from its package-lock.json on first use (scripts/node.sh
/// installs Node.js and npm). Later runs reuse the install until package-lock.json changes.
/// </summary>
internal static class AsyncApiValidator
{
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);
    private static readonly Lazy<string> Installed = new(Install, LazyThreadSafetyMode.ExecutionAndPublication);

    private static string Folder => Path.Combine(SampleOutput.RepositoryRoot, "tools", "asyncapi-validate");

    /// <summary>Parses every document in one Node.js process.</summary>
    public static IReadOnlyList<AsyncApiResult> Validate(IEnumerable<string> documents)
    {
        string folder = Installed.Value;
        var info = new System.Diagnostics.ProcessStartInfo("node")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("validate.mjs");
        foreach (string document in documents)
        {
            info.ArgumentList.Add(document);
        }

        // Exit code 1 means "a document has errors", which the caller asserts on: read the output either way.
        using System.Diagnostics.Process node = System.Diagnostics.Process.Start(info)!;
        System.Threading.Tasks.Task<string> error = node.StandardError.ReadToEndAsync();
        string output = node.StandardOutput.ReadToEnd();
        if (!node.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            node.Kill(entireProcessTree: true);
            throw new TimeoutException("node validate.mjs did not finish within 2 min.");
        }

        if (node.ExitCode is not (0 or 1))
        {
            throw new InvalidOperationException($"node validate.mjs exited with {node.ExitCode}:\n{error.Result}{output}");
        }

        return JsonSerializer.Deserialize<List<AsyncApiResult>>(output, new JsonSerializerOptions(JsonSerializerDefaults.Web))
            ?? throw new InvalidOperationException("node validate.mjs printed no results:\n" + output);
    }

    /// <summary>
    /// <c>npm ci</c>, unless node_modules already holds what package-lock.json says (npm writes its own copy of the lock,
    /// node_modules/.package-lock.json, at install: newer than package-lock.json means installed from it).
    /// </summary>
    private static string Install()
    {
        string installed = Path.Combine(Folder, "node_modules", ".package-lock.json");
        string parser = Path.Combine(Folder, "node_modules", "@asyncapi", "parser", "package.json");
        if (!File.Exists(installed) || !File.Exists(parser)
            || File.GetLastWriteTimeUtc(installed) < File.GetLastWriteTimeUtc(Path.Combine(Folder, "package-lock.json")))
        {
            Process.Run("npm", ["ci", "--prefix", Folder], InstallTimeout);
        }

        return Folder;
    }
}
