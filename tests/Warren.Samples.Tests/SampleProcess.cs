using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace Warren.Samples.Tests;

/// <summary>
/// A tutorial program run as a user runs it (<c>dotnet samples/&lt;sample&gt;/bin/.../&lt;sample&gt;.dll &lt;verb&gt; ...</c>),
/// with its standard output collected line by line, stopped with Ctrl+C (SIGINT) as a receiver is.
/// </summary>
internal sealed class SampleProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly List<string> _errors = [];

    private SampleProcess(string description, Process process)
    {
        Description = description;
        _process = process;
    }

    public string Description { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>Starts <paramref name="sample"/> with <paramref name="arguments"/> and <paramref name="environment"/> added to this process's.</summary>
    public static SampleProcess Start(string sample, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (SigintIgnored())
        {
            // Started with SIGINT ignored (under nohup, or in the background of a shell without job control), a .NET
            // program keeps ignoring it and a receiver never sees Ctrl+C: restore the default before exec, as a terminal has it.
            info.FileName = "/usr/bin/python3";
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add("import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])");
            info.ArgumentList.Add("dotnet");
        }

        info.ArgumentList.Add(SampleOutput.Assembly(sample));
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach ((string name, string value) in environment)
        {
            info.Environment[name] = value;
        }

        var process = new Process { StartInfo = info };
        var sampleProcess = new SampleProcess($"{sample} {string.Join(' ', arguments)}", process);
        process.OutputDataReceived += (_, e) => sampleProcess.Add(sampleProcess._lines, e.Data);
        process.ErrorDataReceived += (_, e) => sampleProcess.Add(sampleProcess._errors, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return sampleProcess;
    }

    /// <summary>Waits until the program prints <paramref name="line"/> (trimmed); throws, with all it printed, after <paramref name="timeout"/>.</summary>
    public async Task WaitForLineAsync(string line, TimeSpan timeout)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!HasPrinted(line))
        {
            if (stopwatch.Elapsed > timeout || _process.HasExited && !HasPrinted(line))
            {
                throw new TimeoutException($"`{Description}` did not print '{line}' within {timeout.TotalSeconds:F0} s.\n{this}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Waits for the program to end by itself (a sender) and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"`{Description}` did not end within {timeout.TotalSeconds:F0} s.\n{this}");
        }

        return _process.ExitCode;
    }

    /// <summary>Ctrl+C, as a user stops a receiver; returns its exit code.</summary>
    public Task<int> InterruptAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            Warren.IntegrationTests.Infrastructure.Process.Run("kill", "-INT", _process.Id.ToString(CultureInfo.InvariantCulture));
        }

        return WaitForExitAsync(timeout);
    }

    /// <summary>Whether this process ignores SIGINT (bit 1 of SigIgn: signal 2), which its children inherit.</summary>
    private static bool SigintIgnored()
    {
        string? ignored = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return ignored is not null && (ulong.Parse(ignored["SigIgn:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture) & 0b10) != 0;
    }

    public bool HasPrinted(string line)
    {
        lock (_lines)
        {
            return _lines.Any(l => l.Trim() == line.Trim());
        }
    }

    /// <summary>The command and all it printed, for assertion messages.</summary>
    public override string ToString()
    {
        lock (_lines)
        {
            return $"$ {Description}\n{string.Join('\n', _lines)}\n(stderr)\n{string.Join('\n', _errors)}";
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private void Add(List<string> lines, string? line)
    {
        if (line is not null)
        {
            lock (_lines)
            {
                lines.Add(line);
            }
        }
    }
}
