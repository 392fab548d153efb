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
    /// <param name="configuration">Extra <c>rabbitmq.conf</c> lines, such as a TLS listener; none by default.</param>
    public static async Task<PrivateBroker> StartAsync(string? configuration = null)
    {
        var broker = new PrivateBroker(FreePortPair());
        if (Directory.Exists(broker._directory))
        {
            Directory.Delete(broker._directory, recursive: true);
        }

        Directory.CreateDirectory(broker._directory);
        await File.WriteAllTextAsync(Path.Combine(broker._directory, "enabled_plugins"), "[].");
        if (configuration is not null)
        {
            // RABBITMQ_CONFIG_FILE names it without its extension.
            await File.WriteAllTextAsync(Path.Combine(broker._directory, "rabbitmq.conf"), configuration);
        }

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

    /// <summary>The URI of this node with other credentials or another virtual host.</summary>
    public Uri UriFor(string user, string password, string virtualHost = "/") =>
        new UriBuilder("amqp", "127.0.0.1", Port, virtualHost == "/" ? "/" : "/" + Uri.EscapeDataString(virtualHost)) { UserName = user, Password = password }.Uri;

    /// <summary><c>rabbitmqctl close_all_connections</c>: the broker closes every client connection (CONNECTION_FORCED) and keeps running.</summary>
    public void CloseAllConnections(string reason) => Ctl("close_all_connections", reason);

    /// <summary>
    /// Fails every channel that has a consumer with a channel-level error (406 PRECONDITION_FAILED "unknown delivery tag"),
    /// as if its client had acked a tag twice; the connections and the other channels stay open. Returns how many failed.
    /// </summary>
    public int FailConsumerChannels()
    {
        string result = Ctl("eval",
            "[rabbit_channel:do(P, {'basic.ack', 99999, false}) || P <- rabbit_channel:list(), " +
            "proplists:get_value(consumer_count, rabbit_channel:info(P, [consumer_count])) > 0].");
        return result.Split("ok").Length - 1;
    }

    /// <summary><c>rabbitmqctl set_disk_free_limit</c>: a limit above the free space raises the disk alarm, which blocks publishers.</summary>
    public void SetDiskFreeLimit(string limit) => Ctl("set_disk_free_limit", limit);

    /// <summary>Kills the node's Erlang VM with SIGKILL, as a crash or the OOM killer would, and waits until it is gone.</summary>
    public async Task KillAsync()
    {
        string pid = (await File.ReadAllTextAsync(PidFile)).Trim();
        Process.Run("kill", "-9", pid);
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        // Gone, or a zombie nobody reaps (state Z in /proc/<pid>/stat): either way it holds no port and no file.
        while (File.Exists($"/proc/{pid}/stat") && !IsZombie(pid))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The broker process {pid} did not die within 30 s of SIGKILL.");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>
    /// SIGSTOP: the node freezes with every connection open and silent, as behind a stalled network; only heartbeats can
    /// tell. <see cref="Resume"/> continues it.
    /// </summary>
    public void Pause() => Process.Run("kill", "-STOP", File.ReadAllText(PidFile).Trim());

    /// <summary>SIGCONT after <see cref="Pause"/>.</summary>
    public void Resume() => Process.Run("kill", "-CONT", File.ReadAllText(PidFile).Trim());

    /// <summary>Starts the node again on the same data directory, after <see cref="KillAsync"/> or a stop.</summary>
    public Task RestartAsync()
    {
        // The killed node left its pid file behind; 'rabbitmqctl wait' would otherwise watch the dead process.
        File.Delete(PidFile);
        return StartNodeAsync();
    }

    /// <summary>The node's log so far (connections accepted and refused, channel errors, alarms).</summary>
    public string ReadLog()
    {
        string directory = Path.Combine(_directory, "log");
        var text = new System.Text.StringBuilder();
        foreach (string file in Directory.GetFiles(directory, $"{NodeName}@*.log"))
        {
            if (file.EndsWith("_upgrade.log", StringComparison.Ordinal))
            {
                continue;
            }

            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            text.Append(reader.ReadToEnd());
        }

        return text.ToString();
    }

    private static bool IsZombie(string pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            // "pid (comm) S ...": the state follows the command name in parentheses.
            int end = stat.LastIndexOf(')');
            return end > 0 && end + 2 < stat.Length && stat[end + 2] == 'Z';
        }
        catch (IOException)
        {
            return true;
        }
    }

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
