using System.Threading;
using System.Threading.Tasks;

namespace Warren.Testing.Tests;

/// <summary>Every scenario message carries an id, which the outcome records.</summary>
public interface IIdentified
{
    string Id { get; }
}

[Queue("diff.work")]
public sealed record Work(string Id) : IIdentified;

[Direct("diff.direct", RoutingKey = "{Severity}")]
public sealed record Alert(string Severity, string Id) : IIdentified;

[Fanout("diff.fanout")]
public sealed record Broadcast(string Id) : IIdentified;

[Topic("diff.topic", RoutingKey = "{Key}")]
public sealed record Topical(string Key, string Id) : IIdentified;

[Topic("diff.urgent", RoutingKey = "{Key}", Mandatory = true)]
public sealed record Urgent(string Key, string Id) : IIdentified;

[Headers("diff.headers")]
public sealed record Shape([property: Header("color")] string? Color, [property: Header("size")] string? Size, string Id) : IIdentified;

/// <summary>A generated consumer class: its bindings come from the attributes, its behaviour from the scenario.</summary>
[Consumer(Queue = "diff.class.alerts"), Bind("error"), Bind("critical")]
public sealed class AlertSink(System.Func<Alert, MessageContext, ValueTask> handle) : IConsumer<Alert>
{
    public ValueTask HandleAsync(Alert message, MessageContext context, CancellationToken cancellationToken) => handle(message, context);
}

[RpcService("diff.rpc.calc")]
public interface IDiffCalc
{
    [RpcMethod] Task<int> AddAsync(int a, int b, CancellationToken cancellationToken = default);

    [RpcMethod] Task<string> FailAsync(string kind, string text, CancellationToken cancellationToken = default);

    [RpcMethod] Task<int> SlowAsync(int milliseconds, CancellationToken cancellationToken = default);

    [RpcMethod] Task PingAsync(CancellationToken cancellationToken = default);
}

/// <summary>The scenarios' server: adds, throws the exception asked for, or takes its time.</summary>
public sealed class DiffCalc : IDiffCalc
{
    public Task<int> AddAsync(int a, int b, CancellationToken cancellationToken = default) => Task.FromResult(checked(a + b));

    public Task<string> FailAsync(string kind, string text, CancellationToken cancellationToken = default) => kind switch
    {
        "argument" => throw new System.ArgumentException(text),
        "invalid" => throw new System.InvalidOperationException(text),
        "none" => Task.FromResult(text),
        _ => throw new System.NotSupportedException(text),
    };

    public async Task<int> SlowAsync(int milliseconds, CancellationToken cancellationToken = default)
    {
        await Task.Delay(milliseconds, cancellationToken);
        return milliseconds;
    }

    public Task PingAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;
}
