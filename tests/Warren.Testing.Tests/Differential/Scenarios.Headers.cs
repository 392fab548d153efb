using System.Collections.Generic;
using System.Threading.Tasks;

namespace Warren.Testing.Tests.Differential;

/// <summary>The headers exchange: x-match all and any, missing headers, x- headers, several bindings.</summary>
public static partial class Scenarios
{
    private static IEnumerable<Scenario> Headers()
    {
        yield return Define("headers: all of color=red, size=big", d => HeadersAsync(d, ("c", [Bind(HeadersMatch.All, "color", "red", "size", "big")])));
        yield return Define("headers: any of color=red, size=big", d => HeadersAsync(d, ("c", [Bind(HeadersMatch.Any, "color", "red", "size", "big")])));
        yield return Define("headers: all of one header", d => HeadersAsync(d, ("c", [Bind(HeadersMatch.All, "color", "red")])));
        yield return Define("headers: a missing header fails all", d => HeadersAsync(d, ("c", [Bind(HeadersMatch.All, "size", "small")])));
        yield return Define("headers: x- binding headers are ignored by all", d => HeadersAsync(d, ("c", [Bind(HeadersMatch.All, "color", "red", "x-tag", "1")])));
        yield return Define("headers: any with only x- binding headers matches nothing", d => HeadersAsync(d, ("c", [Bind(HeadersMatch.Any, "x-tag", "1")])));
        yield return Define("headers: all with only x- binding headers matches everything", d => HeadersAsync(d, ("c", [Bind(HeadersMatch.All, "x-tag", "2")])));
        yield return Define("headers: a header set in PublishOptions routes too", d => HeadersAsync(d, ("c", [Bind(HeadersMatch.All, "shade", "dark")])));
        yield return Define("headers: two bindings on one queue deliver one copy", d => HeadersAsync(
            d, ("c", [Bind(HeadersMatch.All, "color", "red", "size", "big"), Bind(HeadersMatch.Any, "color", "blue", "size", "big")])));
        yield return Define("headers: two queues, all and any", d => HeadersAsync(
            d, ("all", [Bind(HeadersMatch.All, "color", "blue", "size", "small")]), ("any", [Bind(HeadersMatch.Any, "color", "blue", "size", "small")])));
        yield return Define("headers: no bindings subscribes to everything", async d =>
        {
            await d.SubscribeAsync<Shape>("everything", Behaviour.Succeed);
            await PublishShapesAsync(d);
        });
    }

    private static HeadersBinding Bind(HeadersMatch match, params string[] namesAndValues) => HeadersBinding.FromPairs(match, namesAndValues);

    private static async Task HeadersAsync(ScenarioDriver d, params (string Consumer, HeadersBinding[] Bindings)[] consumers)
    {
        foreach ((string consumer, HeadersBinding[] bindings) in consumers)
        {
            await d.SubscribeAsync<Shape>(consumer, Behaviour.Succeed, new SubscribeOptions { Queue = d.Queue(consumer), HeaderBindings = bindings });
        }

        await PublishShapesAsync(d);
    }

    private static async Task PublishShapesAsync(ScenarioDriver d)
    {
        await d.PublishAsync(new Shape("red", "big", "s1"));
        await d.PublishAsync(new Shape("red", "small", "s2"));
        await d.PublishAsync(new Shape("blue", "big", "s3"));
        await d.PublishAsync(new Shape("red", null, "s4"));
        await d.PublishAsync(new Shape(null, null, "s5"));
        await d.PublishAsync(new Shape("blue", "small", "s6"), new PublishOptions { Headers = new Dictionary<string, object?> { ["x-tag"] = "1" } });
        await d.PublishAsync(new Shape("green", "big", "s7"), new PublishOptions { Headers = new Dictionary<string, object?> { ["shade"] = "dark" } });
        await d.PublishAsync(new Shape("RED", "BIG", "s8"));
    }
}
