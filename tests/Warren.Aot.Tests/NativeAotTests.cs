using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Warren.ColdStart;
using Warren.IntegrationTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Warren.Aot.Tests;

/// <summary>
/// The Warren cold-start app (tests/Warren.ColdStart/Warren: 10 consumers on 10 queues, one message to each) published
/// with NativeAOT: the publish must give no trimming or AOT warning at all, and the native program must consume its
/// messages from a real broker. One publish serves every assertion: it takes about a minute.
/// </summary>
public sealed class NativeAotTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Warren_app_publishes_with_NativeAOT_without_warnings_and_consumes_its_messages()
    {
        Publication publication = await ColdStartProcess.PublishAsync("Warren", aot: true, CancellationToken.None);

        Assert.Empty(publication.Warnings);
        // A native program: no IL assembly of the app beside it, and an ELF executable rather than a .NET apphost stub.
        string directory = Path.GetDirectoryName(publication.Executable)!;
        Assert.False(File.Exists(Path.Combine(directory, "Warren.ColdStart.Warren.dll")), "The publish left the app's IL assembly: it is not NativeAOT.");
        Assert.False(File.Exists(Path.Combine(directory, "Warren.dll")), "The publish left Warren.dll: it is not NativeAOT.");
        byte[] magic = new byte[4];
        await using (FileStream file = File.OpenRead(publication.Executable))
        {
            await file.ReadExactlyAsync(magic);
        }

        Assert.Equal("\u007fELF", System.Text.Encoding.ASCII.GetString(magic));

        // Its own virtual host: the app's queue names are fixed, and deleting the host removes all it declared.
        using TemporaryVirtualHost host = Broker.TemporaryVirtualHost("aot");
        StartTimes times = await ColdStartProcess.StartAsync(publication.Executable, host.Uri, TimeSpan.FromSeconds(60), CancellationToken.None);

        output.WriteLine($"NativeAOT binary {publication.ExecutableBytes / 1e6:0.0} MB; first message after {times.FirstMilliseconds:0.0} ms, " +
            $"all 10 after {times.AllMilliseconds:0.0} ms, exit after {times.ExitMilliseconds:0.0} ms");
        // Loose, for a busy CI machine: a JIT start of the same program takes 400 ms or more, a native one about 50 ms.
        Assert.True(times.FirstMilliseconds < 1000, $"The native program took {times.FirstMilliseconds:0} ms to its first message.");
        await using RawBroker raw = await host.RawAsync();
        foreach (int i in Enumerable.Range(0, 10))
        {
            Assert.Equal(0u, await raw.MessageCountAsync($"coldstart.warren.{i}"));
        }
    }
}
