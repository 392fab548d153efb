using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Warren.IntegrationTests.Infrastructure;

namespace Warren.Reliability;

/// <summary>
/// Credentials and permissions: each case must fail at once with <see cref="BrokerAccessDeniedException"/> naming the
/// virtual host and the resource, after one attempt the broker can see (no retry storm), and with the password nowhere
/// in a log line, an exception or a ToString().
/// </summary>
internal static class Access
{
    private const string MissingVirtualHost = "warren-reliability-missing";
    private const string WrongPassword = "wrong password";
    private const string MissingVirtualHostCase = "virtual host does not exist";
    private const string NoVirtualHostAccess = "no permissions on the virtual host";
    private const string NoWritePermission = "no write permission on the exchange (publish)";
    private static readonly TimeSpan FailFast = TimeSpan.FromSeconds(5);

    /// <summary>The cases, in table order.</summary>
    public static IReadOnlyList<string> CaseNames => [WrongPassword, MissingVirtualHostCase, NoVirtualHostAccess, NoWritePermission];

    public static async Task<List<AccessFigures>> RunAsync(PrivateBroker node, Action<string> progress, CancellationToken cancellationToken)
    {
        string suffix = Guid.NewGuid().ToString("N")[..8];
        string reader = $"warren-reliability-reader-{suffix}";
        string readerPassword = $"Reader-Secret-{Guid.NewGuid():N}";
        string outsider = $"warren-reliability-outsider-{suffix}";
        string outsiderPassword = $"Outsider-Secret-{Guid.NewGuid():N}";
        string wrongPassword = $"Wrong-Secret-{Guid.NewGuid():N}";

        node.Ctl("add_user", reader, readerPassword);
        node.Ctl("add_user", outsider, outsiderPassword);
        try
        {
            // The reader may declare and read everything but write nowhere; the outsider has no permissions at all.
            node.Ctl("set_permissions", "-p", "/", reader, ".*", "^$", ".*");
            progress("access: wrong password, missing virtual host, no access to the virtual host, no write permission");
            return
            [
                await ConnectCaseAsync(node, WrongPassword, node.UriFor("guest", wrongPassword), wrongPassword, expectedVirtualHost: "/", cancellationToken),
                await ConnectCaseAsync(node, MissingVirtualHostCase, node.UriFor(reader, readerPassword, MissingVirtualHost), readerPassword, MissingVirtualHost, cancellationToken),
                await ConnectCaseAsync(node, NoVirtualHostAccess, node.UriFor(outsider, outsiderPassword), outsiderPassword, expectedVirtualHost: "/", cancellationToken),
                await PublishCaseAsync(node, node.UriFor(reader, readerPassword), readerPassword, cancellationToken),
            ];
        }
        finally
        {
            foreach (string user in new[] { reader, outsider })
            {
                try
                {
                    node.Ctl("delete_user", user);
                }
                catch (InvalidOperationException)
                {
                }
            }
        }
    }

    private static async Task<AccessFigures> ConnectCaseAsync(
        PrivateBroker node, string name, Uri uri, string password, string expectedVirtualHost, CancellationToken cancellationToken)
    {
        var figures = new AccessFigures { Case = name };
        var logs = new CapturingLoggerFactory();
        var options = new BusOptions { Uri = uri, ClientName = "reliability-access", LoggerFactory = logs };
        int before = Occurrences(node.ReadLog(), "accepting AMQP connection");
        var texts = new List<string> { options.ToString() };
        using var giveUp = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        giveUp.CancelAfter(TimeSpan.FromSeconds(20));
        var clock = Stopwatch.StartNew();
        try
        {
            Bus bus = await Bus.ConnectAsync(options, giveUp.Token);
            texts.Add(bus.ToString());
            await bus.DisposeAsync();
            figures.Violations.Add("the connection was accepted");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            figures.TimeToFail = clock.Elapsed;
            Judge(figures, ex, expectedVirtualHost, expectedResource: null);
            texts.Add(ex.ToString());
        }

        figures.BrokerAttempts = await SettledCountAsync(node, "accepting AMQP connection", before, cancellationToken);
        CheckAttemptsAndLeaks(figures, logs, texts, password);
        return figures;
    }

    private static async Task<AccessFigures> PublishCaseAsync(PrivateBroker node, Uri uri, string password, CancellationToken cancellationToken)
    {
        var figures = new AccessFigures { Case = NoWritePermission };
        var logs = new CapturingLoggerFactory();
        var options = new BusOptions { Uri = uri, ClientName = "reliability-access", LoggerFactory = logs, PublishTimeout = TimeSpan.FromSeconds(15) };
        var texts = new List<string> { options.ToString() };
        using var giveUp = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        giveUp.CancelAfter(TimeSpan.FromSeconds(20));
        await using Bus bus = await Bus.ConnectAsync(options, giveUp.Token);
        texts.Add(bus.ToString());
        int before = Occurrences(node.ReadLog(), "access_refused");
        var clock = Stopwatch.StartNew();
        try
        {
            await bus.PublishAsync(new AuditEvent("denied"), cancellationToken: giveUp.Token);
            figures.Violations.Add("the publish was confirmed although the user may not write to the exchange");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            figures.TimeToFail = clock.Elapsed;
            Judge(figures, ex, expectedVirtualHost: "/", expectedResource: $"exchange '{AuditEvent.ExchangeName}'");
            texts.Add(ex.ToString());
        }

        figures.BrokerAttempts = await SettledCountAsync(node, "access_refused", before, cancellationToken);
        texts.Add(bus.ToString());
        CheckAttemptsAndLeaks(figures, logs, texts, password);
        return figures;
    }

    private static void Judge(AccessFigures figures, Exception exception, string expectedVirtualHost, string? expectedResource)
    {
        if (exception is BrokerAccessDeniedException denied)
        {
            figures.Error = $"{nameof(BrokerAccessDeniedException)} {denied.ReplyCode}";
            figures.Names = denied.Resource.StartsWith("vhost", StringComparison.Ordinal) ? denied.Resource : $"{denied.Resource} in vhost '{denied.VirtualHost}'";
            if (denied.VirtualHost != expectedVirtualHost)
            {
                figures.Violations.Add($"names the virtual host '{denied.VirtualHost}', expected '{expectedVirtualHost}'");
            }

            if (expectedResource is not null && !denied.Resource.Contains(expectedResource, StringComparison.Ordinal))
            {
                figures.Violations.Add($"names the resource \"{denied.Resource}\", expected {expectedResource}");
            }
        }
        else
        {
            figures.Error = exception.GetType().Name;
            figures.Names = exception.Message.Length > 80 ? exception.Message[..77] + "..." : exception.Message;
            figures.Violations.Add($"expected {nameof(BrokerAccessDeniedException)}, got {exception.GetType().FullName}: {exception.Message}");
        }

        if (figures.TimeToFail > FailFast)
        {
            figures.Violations.Add($"took {Report.Seconds(figures.TimeToFail)} to fail: it was retried instead of failing at once");
        }
    }

    private static void CheckAttemptsAndLeaks(AccessFigures figures, CapturingLoggerFactory logs, List<string> texts, string password)
    {
        if (figures.BrokerAttempts > 1)
        {
            figures.Violations.Add($"the broker saw {figures.BrokerAttempts} attempts: a refused access must not be retried");
        }

        IEnumerable<string> everything = texts.Concat(logs.Entries.SelectMany(e => new[] { e.Message, e.Exception?.ToString() ?? string.Empty }));
        string? leak = everything.FirstOrDefault(t => t.Contains(password, StringComparison.Ordinal));
        figures.PasswordLeaked = leak is not null;
        if (leak is not null)
        {
            figures.Violations.Add($"the password appears in: {leak.Replace(password, "<PASSWORD>", StringComparison.Ordinal)[..Math.Min(200, leak.Length)]}");
        }

        if (logs.Entries.Count(e => e.Level >= LogLevel.Warning && e.EventId.Id == 2) > 0)
        {
            figures.Violations.Add("the bus logged connect retries for a refused access");
        }
    }

    /// <summary>How many times the broker's log says <paramref name="marker"/> since <paramref name="before"/>, once its log has caught up.</summary>
    private static async Task<int> SettledCountAsync(PrivateBroker node, string marker, int before, CancellationToken cancellationToken)
    {
        // The broker writes its log asynchronously: wait for the first line, then a moment for any retry to show.
        await Wait.UntilAsync(() => Occurrences(node.ReadLog(), marker) > before, TimeSpan.FromSeconds(3), cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        return Occurrences(node.ReadLog(), marker) - before;
    }

    private static int Occurrences(string text, string marker)
    {
        int count = 0;
        for (int at = text.IndexOf(marker, StringComparison.Ordinal); at >= 0; at = text.IndexOf(marker, at + marker.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
