using System;
using System.Diagnostics;

namespace Warren.Testing.Tests.Differential;

/// <summary>
/// The differential suite's own virtual host on the shared broker (made and deleted with <c>rabbitmqctl</c>): the
/// contracts' fixed exchange names meet no other test run's bindings, and deleting it removes whatever a failed scenario
/// left behind.
/// </summary>
public sealed class VirtualHostFixture : IDisposable
{
    private static readonly Uri BrokerUri =
        new(Environment.GetEnvironmentVariable("WARREN_AMQP_URI") is { Length: > 0 } uri ? uri : BusOptions.DefaultUri);

    public VirtualHostFixture()
    {
        Name = $"warren-diff-{Guid.NewGuid():N}";
        Uri = new Uri(BrokerUri, "/" + Uri.EscapeDataString(Name));
        Ctl("add_vhost", Name);
        Ctl("set_permissions", "-p", Name, BrokerUri.UserInfo.Split(':')[0], ".*", ".*", ".*");
    }

    public string Name { get; }

    public Uri Uri { get; }

    public void Dispose() => Ctl("delete_vhost", Name);

    private static void Ctl(params string[] arguments)
    {
        var info = new ProcessStartInfo("rabbitmqctl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(info) ?? throw new InvalidOperationException("Could not start rabbitmqctl.");
        string error = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)) || process.ExitCode != 0)
        {
            throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', arguments)} failed: {error}");
        }
    }
}
