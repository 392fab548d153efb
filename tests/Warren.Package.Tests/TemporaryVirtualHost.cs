using System;
using System.Diagnostics;
using System.Text.Json;
using System.Threading.Tasks;

namespace Warren.Package.Tests;

/// <summary>
/// A virtual host of the test's own on the shared broker, made and deleted with <c>rabbitmqctl</c>: a program that uses
/// fixed names (a README example's <c>topic_logs</c> and <c>kernel</c>) runs in it without meeting anyone else's, and
/// deleting it removes every queue and exchange the program made.
/// </summary>
internal sealed class TemporaryVirtualHost : IDisposable
{
    private static readonly TimeSpan CtlTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The shared broker: <c>WARREN_AMQP_URI</c>, as for the other test projects, else the local one.</summary>
    private static readonly Uri BrokerUri =
        new(Environment.GetEnvironmentVariable("WARREN_AMQP_URI") is { Length: > 0 } uri ? uri : "amqp://guest:guest@localhost:5672/");

    private TemporaryVirtualHost(string name)
    {
        Name = name;
        Uri = new Uri(BrokerUri, "/" + Uri.EscapeDataString(name));
    }

    public string Name { get; }

    /// <summary>The broker's URI with this virtual host, user and password included.</summary>
    public Uri Uri { get; }

    public static TemporaryVirtualHost Create(string purpose)
    {
        var host = new TemporaryVirtualHost($"warren-pkgtest-{purpose}-{Guid.NewGuid():N}");
        Ctl("add_vhost", host.Name);
        Ctl("set_permissions", "-p", host.Name, BrokerUri.UserInfo.Split(':')[0], ".*", ".*", ".*");
        return host;
    }

    /// <summary>How many messages wait in <paramref name="queue"/> of this virtual host (ready or unacknowledged); null when there is no such queue.</summary>
    public long? MessageCount(string queue)
    {
        using JsonDocument queues = JsonDocument.Parse(Ctl("list_queues", "--quiet", "-p", Name, "--formatter", "json", "name", "messages"));
        foreach (JsonElement row in queues.RootElement.EnumerateArray())
        {
            if (row.GetProperty("name").GetString() == queue)
            {
                return row.GetProperty("messages").GetInt64();
            }
        }

        return null;
    }

    public void Dispose() => Ctl("delete_vhost", Name);

    /// <summary>Runs <c>rabbitmqctl</c> and returns what it printed; throws when it fails or hangs.</summary>
    private static string Ctl(params string[] arguments)
    {
        var info = new ProcessStartInfo("rabbitmqctl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        string command = "rabbitmqctl " + string.Join(' ', arguments);
        using Process process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {command}.");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(CtlTimeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"`{command}` did not finish within {CtlTimeout.TotalSeconds:F0} s.");
        }

        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"`{command}` exited with {process.ExitCode}:\n{error.Result}{output.Result}");
        }

        return output.Result;
    }
}
