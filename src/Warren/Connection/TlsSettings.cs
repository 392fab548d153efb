using System;
using System.Linq;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using RabbitMQ.Client;

namespace Warren.Internal;

/// <summary>
/// TLS for an <c>amqps://</c> URI, stricter than the client's own URI handling (which accepts a certificate that names
/// another host): the certificate must name the host connected to and chain to a trusted root, the system's or one of
/// <see cref="BusOptions.TrustedCertificates"/>. It remembers why it last refused a certificate, for the exception.
/// </summary>
internal sealed class TlsSettings
{
    private readonly X509Certificate2Collection? _trusted;
    private readonly X509Certificate2? _client;
    private volatile string? _lastRefusal;

    private TlsSettings(X509Certificate2Collection? trusted, X509Certificate2? client)
    {
        _trusted = trusted is { Count: > 0 } ? trusted : null;
        _client = client;
    }

    /// <summary>Why the last certificate was refused; null while none was.</summary>
    public string? LastRefusal => _lastRefusal;

    /// <summary>The TLS options for <paramref name="options"/>, or null for a plain <c>amqp://</c> URI.</summary>
    public static TlsSettings? Configure(ConnectionFactory factory, BusOptions options)
    {
        bool tls = string.Equals(options.Uri.Scheme, "amqps", StringComparison.OrdinalIgnoreCase);
        if (!tls)
        {
            if (options.TrustedCertificates is { Count: > 0 } || options.ClientCertificate is not null)
            {
                throw new ArgumentException(
                    "BusOptions.TrustedCertificates or ClientCertificate is set, but the URI's scheme is amqp://, which does not use TLS; use amqps://.",
                    nameof(options));
            }

            return null;
        }

        var settings = new TlsSettings(options.TrustedCertificates, options.ClientCertificate);
        factory.Ssl = settings.For(options.Uri.IdnHost);
        return settings;
    }

    /// <summary>The TLS options of one endpoint: the certificate must name <paramref name="host"/>, the host connected to.</summary>
    public SslOption For(string host) => new()
    {
        Enabled = true,
        ServerName = host,
        // Let the OS choose the best version it supports.
        Version = SslProtocols.None,
        AcceptablePolicyErrors = SslPolicyErrors.None,
        CertificateValidationCallback = (_, certificate, chain, errors) => Validate(host, certificate, chain, errors),
        Certs = _client is { } client ? new X509CertificateCollection { client } : null,
    };

    private bool Validate(string host, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        string? refusal = Refusal(host, certificate, chain, errors);
        _lastRefusal = refusal;
        return refusal is null;
    }

    private string? Refusal(string host, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return null;
        }

        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return "the broker presented no certificate";
        }

        using var leaf = new X509Certificate2(certificate);
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            // Never accepted, even for a trusted certificate: it would let any holder of a trusted certificate impersonate this host.
            return $"it does not name the host connected to, '{host}' (it names '{leaf.GetNameInfo(X509NameType.DnsName, forIssuer: false)}', subject '{leaf.Subject}')";
        }

        string systemVerdict = ChainStatus(chain);
        if (_trusted is null)
        {
            return $"its chain is not trusted ({systemVerdict}); subject '{leaf.Subject}', issuer '{leaf.Issuer}'";
        }

        // Pinned: the broker's own certificate is one of the trusted ones.
        if (_trusted.Any(trusted => trusted.RawDataMemory.Span.SequenceEqual(leaf.RawDataMemory.Span)))
        {
            return null;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(_trusted);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            // The intermediates the broker sent.
            foreach (X509ChainElement element in chain.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return custom.Build(leaf)
            ? null
            : $"its chain leads to none of BusOptions.TrustedCertificates nor to a system root ({ChainStatus(custom)}); subject '{leaf.Subject}', issuer '{leaf.Issuer}'";
    }

    private static string ChainStatus(X509Chain? chain) =>
        chain is null || chain.ChainStatus.Length == 0
            ? "no chain"
            : string.Join("; ", chain.ChainStatus.Select(status => $"{status.Status}: {status.StatusInformation.Trim()}"));
}
