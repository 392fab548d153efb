using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Warren.Internal;

namespace Warren.Runtime;

/// <summary>What a generated client proxy calls for each method: sends the request and waits for the reply.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class RpcCaller
{
    private readonly RpcServiceDescriptor _service;
    private readonly RpcCallSettings _settings;
    private readonly Func<CancellationToken, ValueTask<RpcReplyChannel>>? _connect;
    private IRpcTransport? _replies;

    /// <summary>A caller that sends through <paramref name="replies"/>: the bus's reply channel, or Warren.Testing's in-process broker.</summary>
    internal RpcCaller(RpcServiceDescriptor service, IRpcTransport replies, RpcClientOptions options)
        : this(service, options)
    {
        _replies = replies;
    }

    /// <summary>A caller whose reply channel comes later: a client made before the hosted bus connected waits for it on its first call.</summary>
    internal RpcCaller(RpcServiceDescriptor service, Func<CancellationToken, ValueTask<RpcReplyChannel>> connect, RpcClientOptions options)
        : this(service, options)
    {
        _connect = connect;
    }

    private RpcCaller(RpcServiceDescriptor service, RpcClientOptions options)
    {
        OptionProblems.ThrowIfAny(nameof(RpcClientOptions), options.Problems());
        _service = service;
        _settings = new RpcCallSettings(options.Timeout);
    }

    /// <summary>Calls a method that returns a result.</summary>
    public ValueTask<TResult> CallAsync<TArguments, TResult>(int method, TArguments arguments, CancellationToken cancellationToken)
        where TArguments : IRpcArguments =>
        Volatile.Read(ref _replies) is { } replies
            ? replies.CallAsync<TArguments, TResult>(_service, method, arguments, _settings, cancellationToken)
            : CallWhenConnectedAsync<TArguments, TResult>(method, arguments, cancellationToken);

    /// <summary>Calls a method that returns nothing; completes when the server has handled it.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask CallAsync<TArguments>(int method, TArguments arguments, CancellationToken cancellationToken)
        where TArguments : IRpcArguments =>
        await CallAsync<TArguments, NoResult>(method, arguments, cancellationToken).ConfigureAwait(false);

    private async ValueTask<TResult> CallWhenConnectedAsync<TArguments, TResult>(int method, TArguments arguments, CancellationToken cancellationToken)
        where TArguments : IRpcArguments
    {
        RpcReplyChannel replies = await _connect!(cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _replies, replies);
        return await replies.CallAsync<TArguments, TResult>(_service, method, arguments, _settings, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>Where a caller sends its requests and gets its replies, each matched to its call: the bus's reply channel, or Warren.Testing's broker.</summary>
internal interface IRpcTransport
{
    /// <summary>Sends one call and waits for its reply, its timeout (<see cref="System.TimeoutException"/>) or its cancellation.</summary>
    ValueTask<TResult> CallAsync<TArguments, TResult>(RpcServiceDescriptor service, int method, TArguments arguments, RpcCallSettings settings, CancellationToken cancellationToken)
        where TArguments : IRpcArguments;
}

/// <summary>The arguments of a method without parameters: an empty JSON object.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct NoArguments : IRpcArguments
{
    /// <inheritdoc/>
    public void Write(System.Text.Json.Utf8JsonWriter writer, RpcJson json)
    {
        writer.WriteStartObject();
        writer.WriteEndObject();
    }
}
