using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;

namespace Warren.Testing.Tests.Differential;

/// <summary>RPC: results, the server's exceptions, timeouts.</summary>
public static partial class Scenarios
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(300);

    private static IEnumerable<Scenario> Rpc()
    {
        yield return Define("rpc: a result", async d =>
        {
            await d.ServeCalcAsync();
            await d.CallAsync("add", Generous, async c => Text(await c.AddAsync(2, 3)));
        });
        yield return Define("rpc: concurrent calls each get their own result", async d =>
        {
            await d.ServeCalcAsync();
            await Task.WhenAll(Enumerable.Range(1, 5).Select(i => d.CallAsync($"add{i}", Generous, async c => Text(await c.AddAsync(i, i * 10)))));
        });
        yield return Define("rpc: a method without a result", async d =>
        {
            await d.ServeCalcAsync();
            await d.CallAsync("ping", Generous, async c =>
            {
                await c.PingAsync();
                return "done";
            });
        });
        yield return Define("rpc: the server throws InvalidOperationException", async d =>
        {
            await d.ServeCalcAsync();
            await d.CallAsync("invalid", Generous, c => c.FailAsync("invalid", "no such order"));
        });
        yield return Define("rpc: the server throws ArgumentException", async d =>
        {
            await d.ServeCalcAsync();
            await d.CallAsync("argument", Generous, c => c.FailAsync("argument", "bad amount"));
        });
        yield return Define("rpc: an overflow on the server", async d =>
        {
            await d.ServeCalcAsync();
            await d.CallAsync("overflow", Generous, async c => Text(await c.AddAsync(int.MaxValue, 1)));
        });
        yield return Define("rpc: a slow server outlasts the client's timeout", async d =>
        {
            await d.ServeCalcAsync();
            await d.CallAsync("slow", Short, async c => Text(await c.SlowAsync(1500)));
        });
        yield return Define("rpc: a server quick enough for the timeout", async d =>
        {
            await d.ServeCalcAsync();
            await d.CallAsync("quick", Generous, async c => Text(await c.SlowAsync(20)));
        });
        yield return Define("rpc: no server times out", d => d.CallAsync("nobody", Short, async c => Text(await c.AddAsync(1, 1))));
        yield return Define("rpc: a request waits in the queue for a server that comes later", async d =>
        {
            Task call = d.CallAsync("later", Generous, async c => Text(await c.AddAsync(20, 22)));
            await Task.Delay(100);
            await d.ServeCalcAsync();
            await call;
        });
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
