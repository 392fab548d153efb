using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Warren.IntegrationTests.Infrastructure;

/// <summary>
/// A RabbitMQ node of the test's own, on a free port with its own data directory, so that a test can stop, restart or
/// kill it without disturbing the shared broker the other tests use. Same server package as the shared node.
/// </summary>
public sealed class PrivateBroker : IAsyncDisposable
{
    private readonly string _directory;
    private readonly Dictionary<string, string> _environment;

    private PrivateBroker(int port)
    {
        Port = port;
        NodeName = $"warren{port}";
        _directory = Path.Combine(Path.GetTempPath(), $"warren-broker-{port}");
        _environment = new Dictionary<string, string>
        {
            ["RABBITMQ_NODENAME"] = NodeName,
            ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_NODE_PORT"] = port.ToString(),
            ["RABBITMQ_DIST_PORT"] = (port + 10000).ToString(),
            ["RABBITMQ_MNESIA_BASE"] = Path.Combine(_directory, "mnesia"),
            ["RABBITMQ_LOG_BASE"] = Path.Combine(_directory, "log"),
            ["RABBITMQ_PID_FILE"] = PidFile,
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(_directory, "enabled_plugins"),
            ["RABBITMQ_CONFIG_FILE"] = Path.Combine(_directory, "rabbitmq"),
        };
    }

    public int Port { get; }

    public string NodeName { get; }

    public Uri Uri => new($"amqp://guest:guest@127.0.0.1:{Port}/");

    private string PidFile => Path.Combine(_directory, "node.pid");

    /// <summary>Starts a fresh node and waits until it accepts connections.</summary>
    public static async Task<PrivateBroker> StartAsync()
    {
        var broker = new PrivateBroker(FreePortPair());
        if (Directory.Exists(broker._directory))
        {
            Directory.Delete(broker._directory, recursive: true);
        }

        Directory.CreateDirectory(broker._directory);
        await File.WriteAllTextAsync(Path.Combine(broker._directory, "enabled_plugins"), "[].");
        // The server runs as the 'rabbitmq' user, which must own its data directory.
        Process.Run("chown", "-R", "rabbitmq:rabbitmq", broker._directory);
        await broker.StartNodeAsync();
        return broker;
    }

    /// <summary><c>rabbitmqctl stop_app</c>: the node stays up, the broker application stops and drops every connection.</summary>
    public void StopApp() => Ctl("stop_app");

    /// <summary><c>rabbitmqctl start_app</c>.</summary>
    public void StartApp()
    {
        Ctl("start_app");
        Ctl("await_startup");
    }

    public string Ctl(params string[] arguments) =>
        Process.Run("rabbitmqctl", ["-n", NodeName, .. arguments], TimeSpan.FromSeconds(90), _environment);

    private Task StartNodeAsync()
    {
        Process.Run("rabbitmq-server", ["-detached"], TimeSpan.FromSeconds(30), _environment);
        // 'wait' blocks until the pid file appears and the node has booted; await_startup alone returns early while the node is not yet registered.
        Ctl("wait", PidFile, "--timeout", "60");
        Ctl("await_startup");
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            Ctl("stop");
        }
        catch (Exception)
        {
            // Already stopped or killed by the test; nothing to stop.
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }

        return ValueTask.CompletedTask;
    }

    private static int s_nextOffset;

    /// <summary>A free AMQP port whose distribution port (+10000) is free too.</summary>
    private static int FreePortPair()
    {
        for (int attempt = 0; attempt < 200; attempt++)
        {
            int port = 5700 + (Interlocked.Increment(ref s_nextOffset) % 2000) + (Environment.ProcessId % 50) * 7;
            if (IsFree(port) && IsFree(port + 10000))
            {
                return port;
            }
        }

        throw new InvalidOperationException("No free port pair for a private broker.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
