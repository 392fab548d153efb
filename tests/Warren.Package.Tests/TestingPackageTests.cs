using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit;
using Xunit.Abstractions;

namespace Warren.Package.Tests;

/// <summary>
/// The Warren.Testing package as a user meets it: an xunit project that references only Warren.Testing (and gets Warren,
/// its generator and build files through it) tests its own app's consumer, RPC service and error queue with no broker.
/// </summary>
[Collection(PackageCollection.Name)]
public sealed class TestingPackageTests(PackedWarren package, ITestOutputHelper output)
{
    private static readonly TimeSpan TestTimeout = TimeSpan.FromMinutes(5);

    [Fact]
    public void Testing_package_depends_on_exactly_the_Warren_it_was_built_with()
    {
        output.WriteLine(package.TestingPack.ToString());
        using ZipArchive zip = ZipFile.OpenRead(package.TestingPackage);
        string[] entries = zip.Entries.Select(e => e.FullName).ToArray();
        Assert.Contains("lib/net8.0/Warren.Testing.dll", entries);
        Assert.Contains("README.md", entries);

        XElement nuspec;
        using (Stream stream = zip.Entries.Single(e => e.FullName == "Warren.Testing.nuspec").Open())
        {
            nuspec = XDocument.Load(stream).Root!;
        }

        XElement[] dependencies = nuspec.Descendants().Where(e => e.Name.LocalName == "dependency").ToArray();
        XElement warren = Assert.Single(dependencies);
        Assert.Equal("Warren", warren.Attribute("id")?.Value);
        // The harness reaches Warren's internals: any other Warren version could break it at run time.
        Assert.Equal($"[{package.Version}]", warren.Attribute("version")?.Value);
    }

    [Fact]
    public void User_test_project_with_only_Warren_Testing_runs_its_consumer_rpc_and_error_queue_tests_without_a_broker()
    {
        string directory = Directory.CreateDirectory(Path.Combine(package.Root, "app-tests")).FullName;
        File.WriteAllText(Path.Combine(directory, "nuget.config"), package.NuGetConfig());
        File.WriteAllText(Path.Combine(directory, "app-tests.csproj"), Project());
        File.WriteAllText(Path.Combine(directory, "ShopTests.cs"), Tests(package.UniqueName));

        // No broker: an address nothing listens on, so anything that tried to reach one would fail.
        var environment = package.ProjectEnvironment.ToDictionary(p => p.Key, p => p.Value);
        environment["WARREN_AMQP_URI"] = "amqp://guest:guest@127.0.0.1:1/";
        CommandResult test = DotNetCli.Run(directory, TestTimeout, environment,
            "test", "--disable-build-servers", "-nodeReuse:false", "-tl:off", "--logger", "console;verbosity=normal");
        output.WriteLine(test.ToString());

        Assert.True(test.ExitCode == 0, "dotnet test failed:\n" + test);
        Assert.DoesNotMatch(new Regex(@": warning \w+"), test.Output);
        Assert.Matches(new Regex(@"Total tests: 3\s+Passed: 3\s"), test.Output);
        string assets = File.ReadAllText(Path.Combine(directory, "obj", "project.assets.json"));
        Assert.Contains($"\"Warren/{package.Version}\"", assets, StringComparison.Ordinal);
        Assert.Contains($"\"Warren.Testing/{package.Version}\"", assets, StringComparison.Ordinal);
    }

    /// <summary>A test project as a user makes it: xunit, warnings as errors, and Warren.Testing as its one Warren package.</summary>
    private string Project() => $$"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
            <ImplicitUsings>enable</ImplicitUsings>
            <Nullable>enable</Nullable>
            <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
            <IsPackable>false</IsPackable>
          </PropertyGroup>
          <ItemGroup>
            <PackageReference Include="Warren.Testing" Version="{{package.Version}}" />
            <PackageReference Include="Microsoft.NET.Test.Sdk" Version="{{RepositoryVersion("Microsoft.NET.Test.Sdk")}}" />
            <PackageReference Include="xunit" Version="{{RepositoryVersion("xunit")}}" />
            <PackageReference Include="xunit.runner.visualstudio" Version="{{RepositoryVersion("xunit.runner.visualstudio")}}" />
          </ItemGroup>
        </Project>
        """;

    /// <summary>The version the repository's central package management gives a package (the mirror serves it).</summary>
    private string RepositoryVersion(string id) =>
        XDocument.Load(Path.Combine(package.RepositoryRoot, "Directory.Packages.props"))
            .Descendants("PackageVersion")
            .Single(p => p.Attribute("Include")?.Value == id)
            .Attribute("Version")!.Value;

    private static string Tests(string prefix) => $$"""
        using Warren;
        using Warren.Testing;
        using Xunit;

        [Topic("{{prefix}}.orders", RoutingKey = "orders.{Region}")]
        public sealed record OrderPlaced(string Id, string Region, decimal Total);

        [Consumer(Queue = "{{prefix}}.billing"), Bind("orders.eu.#")]
        public sealed class Billing : IConsumer<OrderPlaced>
        {
            public ValueTask HandleAsync(OrderPlaced message, MessageContext context, CancellationToken cancellationToken) =>
                message.Total < 0 ? throw new InvalidOperationException("negative total") : ValueTask.CompletedTask;
        }

        [RpcService("{{prefix}}.prices")]
        public interface IPrices
        {
            [RpcMethod] Task<decimal> PriceAsync(string sku, CancellationToken cancellationToken = default);
        }

        public sealed class Prices : IPrices
        {
            public Task<decimal> PriceAsync(string sku, CancellationToken cancellationToken = default) =>
                sku == "apple" ? Task.FromResult(0.40m) : throw new KeyNotFoundException(sku);
        }

        /// <summary>The app's own code: it only knows IPublisher.</summary>
        public sealed class Checkout(IPublisher publisher)
        {
            public ValueTask PlaceAsync(OrderPlaced order) => publisher.PublishAsync(order);
        }

        public sealed class ShopTests
        {
            [Fact]
            public async Task Eu_orders_are_billed_and_others_are_not_routed_to_billing()
            {
                await using var harness = new WarrenTestHarness();
                await harness.SubscribeAsync(new Billing());

                await new Checkout(harness).PlaceAsync(new OrderPlaced("o1", "eu", 10m));
                await new Checkout(harness).PlaceAsync(new OrderPlaced("o2", "us", 10m));
                await harness.DrainAsync();

                Assert.Equal("orders.eu", Assert.Single(harness.Published<OrderPlaced>(o => o.Id == "o1")).RoutingKey);
                Assert.Equal("o1", Assert.Single(harness.Consumed<OrderPlaced>()).Message.Id);
                Assert.Equal("orders.us", Assert.Single(harness.Unrouted()).RoutingKey);
                Assert.False(Assert.Single(harness.Published<OrderPlaced>(o => o.Id == "o2")).Routed);
            }

            [Fact]
            public async Task A_failing_order_goes_to_the_error_queue_with_its_reason()
            {
                await using var harness = new WarrenTestHarness(new HarnessOptions { Bus = new BusOptions { Retry = new RetryPolicy { MaxRetries = 1 } } });
                await harness.SubscribeAsync(new Billing());

                await harness.PublishAsync(new OrderPlaced("o3", "eu", -1m));
                ErrorQueuedMessage<OrderPlaced> failed = Assert.Single(await harness.WaitForErrorQueuedAsync<OrderPlaced>());

                Assert.Equal("negative total", failed.Reason);
                Assert.Equal(2, failed.Attempts);
            }

            [Fact]
            public async Task The_generated_rpc_client_calls_the_service_and_surfaces_its_error()
            {
                await using var harness = new WarrenTestHarness();
                await harness.ServeAsync<IPrices>(new Prices());
                IPrices prices = harness.CreateClient<IPrices>();

                Assert.Equal(0.40m, await prices.PriceAsync("apple"));
                RpcException error = await Assert.ThrowsAsync<RpcException>(() => prices.PriceAsync("kiwi"));
                Assert.Contains("kiwi", error.Message);
            }
        }
        """;
}
