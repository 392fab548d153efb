using System;
using System.Diagnostics;
using System.Linq;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using Warren.IntegrationTests.Infrastructure;
using Xunit;

namespace Warren.IntegrationTests;

[Queue("warren.test.tls.items")]
public sealed record TlsItem(int Number);

[Queue("warren.test.tls.pinned")]
public sealed record TlsPinnedItem(int Number);

/// <summary>
/// A private node with a TLS listener whose certificate comes from a CA made for this run (openssl, in a temporary
/// directory): trusted by nobody until a test says so. The certificate names 127.0.0.1 and warren-test-broker, not localhost.
/// </summary>
public sealed class TlsBroker : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"warren-tls-{Guid.NewGuid():N}");

    public PrivateBroker Node { get; private set; } = null!;

    public int TlsPort { get; private set; }

    public X509Certificate2 AuthorityCertificate { get; private set; } = null!;

    public X509Certificate2 ServerCertificate { get; private set; } = null!;

    public Uri UriFor(string host) => new($"amqps://guest:guest@{host}:{TlsPort}/");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        string File(string name) => Path.Combine(_directory, name);
        await System.IO.File.WriteAllTextAsync(File("ca.cnf"), """
            [req]
            distinguished_name = dn
            x509_extensions = authority
            prompt = no
            [dn]
            CN = Warren Test CA
            [authority]
            basicConstraints = critical,CA:TRUE
            keyUsage = critical,keyCertSign,cRLSign
            subjectKeyIdentifier = hash
            """);
        await System.IO.File.WriteAllTextAsync(File("server.ext"), """
            subjectAltName = IP:127.0.0.1,DNS:warren-test-broker
            basicConstraints = CA:FALSE
            keyUsage = critical,digitalSignature,keyEncipherment
            extendedKeyUsage = serverAuth
            authorityKeyIdentifier = keyid
            """);
        Openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-config", File("ca.cnf"), "-keyout", File("ca.key"), "-out", File("ca.pem"));
        Openssl("req", "-new", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=warren-test-broker", "-keyout", File("server.key"), "-out", File("server.csr"));
        Openssl("x509", "-req", "-days", "2", "-in", File("server.csr"), "-CA", File("ca.pem"), "-CAkey", File("ca.key"), "-CAcreateserial",
            "-extfile", File("server.ext"), "-out", File("server.pem"));
        // The broker runs as the 'rabbitmq' user.
        Infrastructure.Process.Run("chmod", "-R", "a+rX", _directory);
        AuthorityCertificate = X509CertificateLoader.LoadCertificateFromFile(File("ca.pem"));
        ServerCertificate = X509CertificateLoader.LoadCertificateFromFile(File("server.pem"));

        TlsPort = FreePort();
        Node = await PrivateBroker.StartAsync($"""
            listeners.ssl.default = {TlsPort}
            ssl_options.cacertfile = {File("ca.pem")}
            ssl_options.certfile = {File("server.pem")}
            ssl_options.keyfile = {File("server.key")}
            ssl_options.verify = verify_none
            ssl_options.fail_if_no_peer_cert = false
            """);
    }

    public async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private static void Openssl(params string[] arguments) => Infrastructure.Process.Run("openssl", arguments);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

public sealed class TlsTests(TlsBroker broker) : IClassFixture<TlsBroker>
{
    [Fact]
    public async Task A_broker_certificate_nobody_trusts_fails_the_connect_within_seconds_with_a_typed_error_saying_why()
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var clock = Stopwatch.StartNew();

        BrokerCertificateException error = await Assert.ThrowsAsync<BrokerCertificateException>(
            () => Bus.ConnectAsync(new BusOptions { Uri = broker.UriFor("127.0.0.1"), ClientName = "tls-untrusted" }, patience.Token));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"refused after {clock.Elapsed}: an untrusted certificate must not be retried");
        Assert.Contains("not trusted", error.Reason);
        Assert.Contains("Warren Test CA", error.Reason);
        Assert.Contains("TrustedCertificates", error.Message);
        Assert.DoesNotContain("guest:guest", error.ToString());
    }

    [Fact]
    public async Task With_the_CA_in_TrustedCertificates_messages_are_published_and_consumed_over_TLS()
    {
        await using Bus bus = await ConnectAsync("127.0.0.1", [broker.AuthorityCertificate], "tls-trusted");
        var inbox = new Inbox<TlsItem>();
        await using Subscription subscription = await bus.SubscribeAsync<TlsItem>((m, c, _) => { inbox.Add(m, c); return default; });

        await bus.PublishAsync(new TlsItem(1));
        await bus.PublishAsync(new TlsItem(2));

        await inbox.WaitForAsync(2);
        Assert.Equal([1, 2], inbox.Messages.Select(m => m.Number).Order());
        Assert.Contains("true", broker.Node.Ctl("list_connections", "-q", "--no-table-headers", "ssl"));
    }

    [Fact]
    public async Task A_trusted_certificate_for_another_host_name_is_still_refused()
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        // RabbitMQ.Client on its own accepts a name mismatch for amqps:// URIs; Warren does not.
        BrokerCertificateException error = await Assert.ThrowsAsync<BrokerCertificateException>(() => Bus.ConnectAsync(
            new BusOptions { Uri = broker.UriFor("localhost"), ClientName = "tls-wrong-name", TrustedCertificates = [broker.AuthorityCertificate] },
            patience.Token));

        Assert.Contains("does not name the host", error.Reason);
    }

    [Fact]
    public async Task The_brokers_own_certificate_can_be_pinned_instead_of_its_CA()
    {
        await using Bus bus = await ConnectAsync("127.0.0.1", [broker.ServerCertificate], "tls-pinned");

        await bus.PublishAsync(new TlsPinnedItem(1));

        Assert.True(bus.IsConnected);
    }

    [Fact]
    public async Task Certificates_with_a_plain_amqp_uri_are_refused_rather_than_silently_ignored()
    {
        ArgumentException error = await Assert.ThrowsAsync<ArgumentException>(() => Bus.ConnectAsync(
            new BusOptions { Uri = broker.Node.Uri, TrustedCertificates = [broker.AuthorityCertificate] }));

        Assert.Contains("amqps://", error.Message);
    }

    private async Task<Bus> ConnectAsync(string host, X509Certificate2[] trusted, string clientName)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        return await Bus.ConnectAsync(
            new BusOptions { Uri = broker.UriFor(host), ClientName = clientName, TrustedCertificates = [.. trusted], ShutdownTimeout = TimeSpan.FromSeconds(5) },
            patience.Token);
    }
}
