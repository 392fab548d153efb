using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;

namespace Warren.Package.Tests;

/// <summary>
/// Contracts as a user of the package meets them: the AsyncAPI document and definitions.json in the build output and in
/// the project's own package; the lock file written by the accept step; a breaking change failing the build with
/// WARREN023 at its declaration; an additive change building; accepting the break and building clean again.
/// </summary>
[Collection(PackageCollection.Name)]
public sealed class ContractTests(PackedWarren package, ITestOutputHelper output)
{
    [Fact]
    public void Build_writes_both_documents_into_the_output_and_pack_puts_them_under_contracts_for_the_virtual_host_given()
    {
        ContractProject project = ContractProject.Create(package, "shop-contracts-docs");

        BuildAssert.Clean(Run(project, "build"));
        using (JsonDocument asyncApi = JsonDocument.Parse(File.ReadAllText(project.AsyncApiPath)))
        {
            Assert.Equal("3.0.0", asyncApi.RootElement.GetProperty("asyncapi").GetString());
            string channels = asyncApi.RootElement.GetProperty("channels").GetRawText();
            Assert.Contains($"{package.UniqueName}.orders", channels, StringComparison.Ordinal);
            Assert.Contains($"{package.UniqueName}.invoices", channels, StringComparison.Ordinal);
        }
        using (JsonDocument definitions = JsonDocument.Parse(File.ReadAllText(project.DefinitionsPath)))
        {
            AssertDefinitions(definitions.RootElement, "/");
        }
        Assert.False(File.Exists(project.LockPath), "A plain build must not write the lock.");

        string packages = Path.Combine(project.Directory, "packages");
        CommandResult pack = Run(project, "pack", "-o", packages, "-p:WarrenVirtualHost=shop");
        // `dotnet pack` prints no warning and error counts: look for the diagnostics themselves.
        Assert.True(pack.ExitCode == 0 && !Regex.IsMatch(pack.Output, @": (warning|error) \w+"), "dotnet pack failed or warned:\n" + pack);
        using ZipArchive zip = ZipFile.OpenRead(Path.Combine(packages, $"{project.Name}.1.0.0-test.nupkg"));
        string[] contracts = zip.Entries.Select(e => e.FullName).Where(e => e.StartsWith("contracts/", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal([$"contracts/{project.Name}.asyncapi.json", $"contracts/{project.Name}.definitions.json"], contracts);
        using Stream packed = zip.GetEntry($"contracts/{project.Name}.definitions.json")!.Open();
        using JsonDocument packedDefinitions = JsonDocument.Parse(packed);
        AssertDefinitions(packedDefinitions.RootElement, "shop");
    }

    [Fact]
    public void The_lock_fails_breaking_changes_at_their_declaration_lets_additive_ones_through_and_the_accept_step_rewrites_it()
    {
        ContractProject project = ContractProject.Create(package, "shop-contracts-lock");
        string original = File.ReadAllText(project.SourcePath);

        // The accept step writes the lock; the builds after it compare against it.
        CommandResult accept = Run(project, "build", "-p:WarrenAcceptContracts=true");
        BuildAssert.Clean(accept);
        Assert.True(File.Exists(project.LockPath), "The accept build wrote no lock:\n" + accept);
        Assert.Contains($"wrote {project.LockPath}", accept.Output, StringComparison.Ordinal);
        string firstLock = File.ReadAllText(project.LockPath);
        using (JsonDocument.Parse(firstLock))
        {
            // The lock is JSON.
        }
        BuildAssert.Clean(Run(project, "build"), "The build right after accepting must pass.");

        // Breaking: a property removed from a message.
        project.Edit("string Channel, decimal Total)", "string Channel)");
        AssertBreaks(project, project.LineOf("[Topic("), "Total");
        File.WriteAllText(project.SourcePath, original);

        // Breaking: the routing-key template changed.
        project.Edit("RoutingKey = \"{Region}.{Channel}\"", "RoutingKey = \"{Channel}.{Region}\"");
        AssertBreaks(project, project.LineOf("[Topic("), "{Region}.{Channel}");
        File.WriteAllText(project.SourcePath, original);

        // Additive: an optional property, a new message and a new RPC method.
        project.Edit("decimal Total)", "decimal Total, string? Coupon = null)");
        project.Edit("[Queue(", $"[Queue(\"{package.UniqueName}.refunds\")]\npublic sealed record RefundRequested(string OrderId);\n\n[Queue(");
        project.Edit("    [RpcMethod]", "    [RpcMethod]\n    Task<int> StockAsync(string sku, CancellationToken cancellationToken = default);\n\n    [RpcMethod]");
        BuildAssert.Clean(Run(project, "build"), "Additive changes must not break the lock.");
        Assert.Equal(firstLock, File.ReadAllText(project.LockPath));

        // Accepting a breaking change rewrites the lock, and the next plain build passes.
        project.Edit("string Channel, decimal Total, string? Coupon = null)", "string Channel, string? Coupon = null)");
        AssertBreaks(project, project.LineOf("[Topic("), "Total");
        BuildAssert.Clean(Run(project, "build", "-p:WarrenAcceptContracts=true"));
        string secondLock = File.ReadAllText(project.LockPath);
        Assert.NotEqual(firstLock, secondLock);
        Assert.Contains("RefundRequested", secondLock, StringComparison.Ordinal);
        BuildAssert.Clean(Run(project, "build"), "The build after accepting the break must pass.");
    }

    /// <summary>
    /// The build fails with WARREN023 on <paramref name="line"/> of Contracts.cs (the message's routing attribute, where
    /// its declaration starts), naming <paramref name="change"/>, and with nothing else.
    /// </summary>
    private void AssertBreaks(ContractProject project, int line, string change)
    {
        CommandResult build = Run(project, "build");
        Assert.True(build.ExitCode != 0, $"The build succeeded; expected WARREN023 naming '{change}':\n{build}");
        string[] errors = Regex.Matches(build.Output, @"^.*: error \w+: .*$", RegexOptions.Multiline).Select(m => m.Value.Trim()).Distinct().ToArray();
        output.WriteLine("errors:\n" + string.Join('\n', errors));
        Assert.NotEmpty(errors);
        Assert.All(errors, error => Assert.Matches($@"Contracts\.cs\({line},\d+\): error WARREN023: Breaking contract change: ", error));
        Assert.Contains(errors, error => error.Contains(change, StringComparison.OrdinalIgnoreCase));
    }

    private void AssertDefinitions(JsonElement definitions, string virtualHost)
    {
        string[] exchanges = [.. definitions.GetProperty("exchanges").EnumerateArray().Select(e => e.GetProperty("name").GetString()!)];
        string[] queues = [.. definitions.GetProperty("queues").EnumerateArray().Select(e => e.GetProperty("name").GetString()!)];
        Assert.Contains($"{package.UniqueName}.orders", exchanges);
        Assert.Contains($"{package.UniqueName}.invoices", queues);
        Assert.Contains($"{package.UniqueName}.audit", queues);
        Assert.Contains($"{package.UniqueName}.pricing", queues);
        Assert.Contains(definitions.GetProperty("bindings").EnumerateArray(), b =>
            b.GetProperty("source").GetString() == $"{package.UniqueName}.orders"
            && b.GetProperty("destination").GetString() == $"{package.UniqueName}.audit"
            && b.GetProperty("routing_key").GetString() == "eu.*");
        foreach (string section in new[] { "exchanges", "queues", "bindings" })
        {
            Assert.All(definitions.GetProperty(section).EnumerateArray(), e => Assert.Equal(virtualHost, e.GetProperty("vhost").GetString()));
        }
    }

    private CommandResult Run(ContractProject project, params string[] command)
    {
        CommandResult result = DotNetCli.Run(project.Directory, PackedWarren.CommandTimeout, package.ProjectEnvironment,
            [.. command, "--disable-build-servers", "-nodeReuse:false", "-tl:off"]);
        output.WriteLine(result.ToString());
        return result;
    }
}
