using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Warren.IntegrationTests.Infrastructure;
using Warren.Reliability;
using Xunit;

namespace Warren.Cluster.Tests;

/// <summary>
/// The three-node cluster, started once for every test of the <see cref="ClusterSuite"/> collection (a start takes about
/// 40 s) and stopped when they are done; each test leaves every node running, and finds them so. The fault scenarios'
/// figures gather in <see cref="Report"/>, written to <c>artifacts/cluster-figures.md</c> at the end.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private readonly object _gate = new();

    /// <summary>The cluster.</summary>
    public BrokerCluster Cluster { get; private set; } = null!;

    /// <summary>Every scenario's figures, in the order they ran.</summary>
    public Report Report { get; } = new();

    /// <summary>Other tables (the RPC and server-named subscription failover), as markdown.</summary>
    public List<string> Tables { get; } = [];

    /// <summary>The URI of a node: also the bus's <see cref="BusOptions.Uri"/> (all nodes share the credentials and vhost).</summary>
    public Uri UriOf(int node) => Cluster.UriOf(node);

    /// <summary>Bus options with the three nodes as endpoints, tried in <paramref name="order"/>.</summary>
    public BusOptions Options(string clientName, params int[] order) => new()
    {
        Uri = UriOf(order[0]),
        Endpoints = order.Select(UriOf).ToList(),
        EndpointOrder = EndpointOrder.InOrder,
        ClientName = clientName,
        NetworkRecoveryInterval = TimeSpan.FromSeconds(1),
        ShutdownTimeout = TimeSpan.FromSeconds(5),
    };

    /// <summary>The node (1, 2 or 3) a bus is connected to, or null while it is not.</summary>
    public int? NodeOf(Bus bus) => bus.ConnectedNode is { } node ? Cluster.NodeOfPort(node.Port) : null;

    /// <summary>Restarts every node that is down (a test that failed half-way), so that the next test finds three.</summary>
    public void EnsureAllUp()
    {
        string[] lines = Cluster.Status().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        for (int node = 1; node <= 3; node++)
        {
            if (lines.Length >= node && !lines[node - 1].TrimEnd().EndsWith(" running", StringComparison.Ordinal))
            {
                Cluster.Restart(node);
            }
        }
    }

    /// <summary>Adds one scenario's row.</summary>
    public void Add(FaultFigures figures)
    {
        lock (_gate)
        {
            Report.Faults.Add(figures);
        }
    }

    /// <inheritdoc/>
    public async Task InitializeAsync() => Cluster = await BrokerCluster.StartAsync();

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        try
        {
            string markdown = Report.ToMarkdown() + string.Join(Environment.NewLine, Tables);
            string artifacts = Path.Combine(RepositoryRoot(), "artifacts");
            Directory.CreateDirectory(artifacts);
            await File.WriteAllTextAsync(Path.Combine(artifacts, "cluster-figures.md"), markdown);
            Console.WriteLine(markdown);
        }
        finally
        {
            if (Cluster is not null)
            {
                await Cluster.DisposeAsync();
            }
        }
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Framework.sln")))
            {
                return directory.FullName;
            }
        }

        return AppContext.BaseDirectory;
    }
}

/// <summary>The tests that share the <see cref="ClusterFixture"/>, one at a time: there is one cluster per machine.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterSuite : ICollectionFixture<ClusterFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Cluster fault suite";
}
