using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;

namespace Warren.IntegrationTests.Infrastructure;

/// <summary>
/// A three-node RabbitMQ cluster on this machine (warren-c1@localhost .. warren-c3@localhost), started and stopped by
/// <c>scripts/cluster.sh</c>, for tests that crash a node under a client or move a quorum queue's leader. One per
/// machine: the nodes have fixed names and ports (5681-5683 unless <c>WARREN_CLUSTER_PORTS</c> says otherwise), so tests
/// that use it must not run side by side; put them in the <see cref="BrokerClusterCollection"/>.
/// </summary>
public sealed class BrokerCluster : IAsyncDisposable
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(180);
    private readonly string _script;

    private BrokerCluster(string script, IReadOnlyList<(string Node, Uri Uri)> nodes)
    {
        _script = script;
        NodeNames = nodes.Select(n => n.Node).ToArray();
        Uris = nodes.Select(n => n.Uri).ToArray();
    }

    /// <summary>The AMQP URIs of nodes 1, 2 and 3, in that order.</summary>
    public IReadOnlyList<Uri> Uris { get; }

    /// <summary>The Erlang node names of nodes 1, 2 and 3, in that order (warren-c1@localhost, ...).</summary>
    public IReadOnlyList<string> NodeNames { get; }

    /// <summary>The URI of node 1, 2 or 3.</summary>
    public Uri UriOf(int node) => Uris[Index(node)];

    /// <summary>The Erlang node name of node 1, 2 or 3.</summary>
    public string NodeNameOf(int node) => NodeNames[Index(node)];

    /// <summary>The node (1, 2 or 3) that listens on this AMQP port, or null.</summary>
    public int? NodeOfPort(int port)
    {
        for (int i = 0; i < Uris.Count; i++)
        {
            if (Uris[i].Port == port)
            {
                return i + 1;
            }
        }

        return null;
    }

    /// <summary>The node (1, 2 or 3) of an Erlang node name, or null.</summary>
    public int? NodeOfName(string nodeName)
    {
        int index = NodeNames.ToList().IndexOf(nodeName.Trim());
        return index < 0 ? null : index + 1;
    }

    /// <summary>Starts a fresh cluster (<c>cluster.sh start</c>) and waits until its three nodes run together.</summary>
    public static Task<BrokerCluster> StartAsync()
    {
        string script = Path.Combine(FindRepositoryRoot(), "scripts", "cluster.sh");
        string output;
        try
        {
            output = Process.Run("bash", [script, "start"], ScriptTimeout);
        }
        catch (Exception)
        {
            // A node that did start must not outlive the failed start.
            Process.Run("bash", [script, "stop"], ScriptTimeout);
            throw;
        }

        // "warren-c1@localhost amqp://guest:guest@127.0.0.1:5681/", one line a node.
        var nodes = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => !line.StartsWith("cluster:", StringComparison.Ordinal))
            .Select(line => line.Split(' ', 2))
            .Select(parts => (parts[0], new Uri(parts[1])))
            .ToArray();
        if (nodes.Length != 3)
        {
            Process.Run("bash", [script, "stop"], ScriptTimeout);
            throw new InvalidOperationException($"cluster.sh start printed no three nodes:\n{output}");
        }

        return Task.FromResult(new BrokerCluster(script, nodes));
    }

    /// <summary>SIGKILL of node 1, 2 or 3's Erlang VM, as a crash would; returns once the process is gone.</summary>
    public void Kill(int node) => Script("kill", Index(node) + 1 + "");

    /// <summary>Starts a killed node again on its data dir and waits until the cluster sees it running.</summary>
    public void Restart(int node) => Script("restart", Index(node) + 1 + "");

    /// <summary><c>cluster.sh status</c>: a line a node, with its port and whether it runs.</summary>
    public string Status() => Script("status");

    /// <summary><c>rabbitmqctl -n</c> that node.</summary>
    public string Ctl(int node, params string[] arguments) =>
        Process.Run("rabbitmqctl", ["-n", NodeNameOf(node), .. arguments], TimeSpan.FromSeconds(90));

    /// <summary>The node (1, 2 or 3) that leads this quorum queue, as node <paramref name="askedNode"/> sees it.</summary>
    public int LeaderOf(string queue, int askedNode = 1)
    {
        // "name<TAB>leader" lines, the leader a node name.
        string output = Ctl(askedNode, "list_queues", "name", "leader", "--quiet", "--no-table-headers");
        foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] columns = line.Split('\t');
            if (columns.Length == 2 && columns[0] == queue && NodeOfName(columns[1]) is int leader)
            {
                return leader;
            }
        }

        throw new InvalidOperationException($"No leader of quorum queue {queue} in:\n{output}");
    }

    /// <summary>The nodes (1, 2 or 3) that hold a member of this quorum queue, as node <paramref name="askedNode"/> sees it.</summary>
    public IReadOnlyList<int> MembersOf(string queue, int askedNode = 1)
    {
        string output = Ctl(askedNode, "list_queues", "name", "members", "--quiet", "--no-table-headers");
        foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] columns = line.Split('\t');
            if (columns.Length == 2 && columns[0] == queue)
            {
                // "[warren-c1@localhost, warren-c2@localhost, ...]"
                return columns[1].Trim('[', ']').Split(',')
                    .Select(name => NodeOfName(name) ?? throw new InvalidOperationException($"Unknown node {name} in {line}"))
                    .Order()
                    .ToArray();
            }
        }

        throw new InvalidOperationException($"No quorum queue {queue} in:\n{output}");
    }

    /// <summary><c>cluster.sh stop</c>: stops the three nodes and removes their data.</summary>
    public ValueTask DisposeAsync()
    {
        Script("stop");
        return ValueTask.CompletedTask;
    }

    private string Script(params string[] arguments) => Process.Run("bash", [_script, .. arguments], ScriptTimeout);

    private static int Index(int node) =>
        node is >= 1 and <= 3 ? node - 1 : throw new ArgumentOutOfRangeException(nameof(node), node, "The cluster has nodes 1, 2 and 3.");

    /// <summary>The folder holding Framework.sln, above the test assembly's.</summary>
    private static string FindRepositoryRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Framework.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Framework.sln in {AppContext.BaseDirectory} or any folder above it.");
    }
}

/// <summary>The tests that use the <see cref="BrokerCluster"/>, one at a time: there is one cluster per machine.</summary>
[Xunit.CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrokerClusterCollection
{
    public const string Name = "Broker cluster";
}
