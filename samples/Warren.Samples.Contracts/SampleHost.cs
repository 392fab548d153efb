using System;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace Warren.Samples;

/// <summary>
/// What a sample program runs in: a bus connected to <c>WARREN_AMQP_URI</c> (else the local broker), declaring as
/// <c>WARREN_DECLARE_MODE</c> says (<c>Declare</c>, the default; <c>Verify</c> or <c>None</c> against a topology imported
/// from the samples' definitions.json), Warren's warnings on standard error, and a token that fires on Ctrl+C or SIGTERM
/// so the program can stop and dispose cleanly.
/// </summary>
public sealed class SampleHost : IAsyncDisposable
{
    /// <summary>How long to wait for a broker before giving up; Bus.ConnectAsync alone would retry forever.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The environment variable naming the <see cref="DeclareMode"/>.</summary>
    public const string DeclareModeVariable = "WARREN_DECLARE_MODE";

    private readonly CancellationTokenSource _stop;
    private readonly PosixSignalRegistration[] _signals;
    private readonly ILoggerFactory _logging;

    private SampleHost(CancellationTokenSource stop, PosixSignalRegistration[] signals, ILoggerFactory logging, Bus bus)
    {
        _stop = stop;
        _signals = signals;
        _logging = logging;
        Bus = bus;
    }

    /// <summary>The connected bus.</summary>
    public Bus Bus { get; }

    /// <summary>Fires on Ctrl+C (SIGINT) or SIGTERM.</summary>
    public CancellationToken Stopping => _stop.Token;

    /// <summary>Connects; throws <see cref="BrokerUnavailableException"/> when no broker answers within <see cref="ConnectTimeout"/>.</summary>
    /// <param name="clientName">The connection name the broker shows.</param>
    public static async Task<SampleHost> StartAsync(string clientName)
    {
        var stop = new CancellationTokenSource();
        PosixSignalRegistration[] signals =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
        ];
        // Standard output is the tutorials' " [x] ..." lines; Warren's own warnings and errors go to standard error.
        ILoggerFactory logging = LoggerFactory.Create(builder => builder
            .SetMinimumLevel(LogLevel.Warning)
            .AddSimpleConsole(console => console.SingleLine = true)
            .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace));
        var options = new BusOptions { ClientName = clientName, LoggerFactory = logging };
        try
        {
            options.DeclareMode = DeclareModeFromEnvironment();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
            timeout.CancelAfter(ConnectTimeout);
            try
            {
                Bus bus = await Bus.ConnectAsync(options, timeout.Token);
                return new SampleHost(stop, signals, logging, bus);
            }
            catch (OperationCanceledException) when (!stop.IsCancellationRequested)
            {
                throw new BrokerUnavailableException(
                    $"No RabbitMQ broker answered at {options.Uri.Host}:{options.Uri.Port} within {ConnectTimeout.TotalSeconds:0} s. " +
                    "Start one, or point WARREN_AMQP_URI at one (amqp://user:password@host:5672/).");
            }
            catch (BrokerAccessDeniedException ex)
            {
                // Wrong credentials or vhost: Warren does not retry those, and neither does the sample.
                throw new BrokerUnavailableException(ex.Message);
            }
        }
        catch
        {
            Release(stop, signals, logging);
            throw;
        }

        // The first signal stops the program gracefully (the process lives on until it has disposed its subscriptions);
        // a second one ends it at once, should the graceful stop take too long.
        void OnSignal(PosixSignalContext signal)
        {
            signal.Cancel = !stop.IsCancellationRequested;
            stop.Cancel();
        }
    }

    /// <summary>
    /// <c>WARREN_DECLARE_MODE</c> (any case), else <see cref="DeclareMode.Declare"/>; throws
    /// <see cref="BrokerUnavailableException"/>, reported in one line, for a value that is not a mode.
    /// </summary>
    private static DeclareMode DeclareModeFromEnvironment()
    {
        string? value = Environment.GetEnvironmentVariable(DeclareModeVariable);
        if (string.IsNullOrWhiteSpace(value))
        {
            return DeclareMode.Declare;
        }

        return Enum.TryParse(value.Trim(), ignoreCase: true, out DeclareMode mode) && Enum.IsDefined(mode)
            ? mode
            : throw new BrokerUnavailableException(
                $"{DeclareModeVariable}={value} is not a declare mode: use {string.Join(", ", Enum.GetNames<DeclareMode>())}.");
    }

    /// <summary>Disposes the bus (stopping any subscription still running), then the rest.</summary>
    public async ValueTask DisposeAsync()
    {
        await Bus.DisposeAsync();
        Release(_stop, _signals, _logging);
    }

    private static void Release(CancellationTokenSource stop, PosixSignalRegistration[] signals, ILoggerFactory logging)
    {
        foreach (PosixSignalRegistration signal in signals)
        {
            signal.Dispose();
        }

        // Disposing the factory flushes the console logger's queue.
        logging.Dispose();
        stop.Dispose();
    }
}

/// <summary>No broker answered in time.</summary>
public sealed class BrokerUnavailableException(string message) : Exception(message);
