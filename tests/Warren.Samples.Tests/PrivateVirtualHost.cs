using System;
using Warren.IntegrationTests.Infrastructure;

namespace Warren.Samples.Tests;

/// <summary>
/// A virtual host of the test run's own on the shared broker (<c>WARREN_AMQP_URI</c>, else the local one), made and
/// deleted with <c>rabbitmqctl</c>: deleting it deletes every exchange and queue declared in it.
/// </summary>
public sealed class PrivateVirtualHost : IDisposable
{
    private PrivateVirtualHost(string name, Uri uri)
    {
        Name = name;
        Uri = uri;
    }

    public string Name { get; }

    /// <summary>The shared broker's URI with this virtual host.</summary>
    public Uri Uri { get; }

    public static PrivateVirtualHost Create(string purpose)
    {
        Uri broker = new BusOptions().Uri;
        string name = $"warren-test-{purpose}-{Guid.NewGuid():N}";
        Process.Run("rabbitmqctl", "add_vhost", name);
        Process.Run("rabbitmqctl", "set_permissions", "-p", name, Uri.UnescapeDataString(broker.UserInfo.Split(':')[0]), ".*", ".*", ".*");
        return new PrivateVirtualHost(name, new Uri(broker, "/" + Uri.EscapeDataString(name)));
    }

    public void Dispose() => Process.Run("rabbitmqctl", "delete_vhost", Name);
}
