using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using RabbitMQ.Client;
using Warren.Runtime;

namespace Warren.Testing.Tests.Differential;

/// <summary>
/// What a scenario does, written once against <see cref="IBus"/>: both the harness and a real <see cref="Bus"/> implement
/// it, so subscribing, publishing, serving and calling are the same code on both backends. Only raw publishes, reading the
/// error queues, waiting for quiet and cleaning up differ (<see cref="HarnessDriver"/>, <see cref="BrokerDriver"/>).
/// </summary>
public abstract class ScenarioDriver(string prefix) : IAsyncDisposable
{
    private readonly List<string> _events = [];
    private readonly SortedSet<string> _errorQueues = new(StringComparer.Ordinal);

    protected abstract IBus Bus { get; }

    /// <summary>Every queue name this run made up, for clean-up.</summary>
    protected HashSet<string> Named { get; } = new(StringComparer.Ordinal);

    /// <summary>The error queues the outcome reports.</summary>
    protected IReadOnlyCollection<string> ErrorQueues => _errorQueues;

    /// <summary>A queue name of this run's own: the logical name behind a unique prefix, which the outcome strips.</summary>
    public string Queue(string logical)
    {
        string name = prefix + logical;
        Named.Add(name);
        return name;
    }

    /// <summary>Fast retries, so that the broker run does not wait for the default back-off; the count is what matters.</summary>
    public static RetryPolicy Retries(int count) => new() { MaxRetries = count, InitialDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(10) };

    /// <summary>Subscribes a handler delegate that records each message it handles, or throws as <paramref name="behaviour"/> says.</summary>
    public async Task SubscribeAsync<TMessage>(string consumer, Behaviour behaviour, SubscribeOptions? options = null)
        where TMessage : IIdentified
    {
        options ??= new SubscribeOptions();
        options.Retry ??= Retries(2);
        Subscription subscription = await Bus.SubscribeAsync<TMessage>((message, context, _) => Handle(consumer, behaviour, message, context), options);
        MessageDescriptor descriptor = WarrenRegistry.Messages.Single(m => m.ClrType == typeof(TMessage));
        WatchErrorQueue(options.ErrorQueue ?? ErrorQueueOf(descriptor, options.Queue is null ? null : subscription.Queue));
    }

    /// <summary>Subscribes the generated consumer class <see cref="AlertSink"/>, its bindings from its attributes.</summary>
    public async Task SubscribeSinkAsync(string consumer, Behaviour behaviour, string queue, int retries = 2)
    {
        var options = new SubscribeOptions { Queue = Queue(queue), Retry = Retries(retries) };
        Subscription subscription = await Bus.SubscribeAsync(new AlertSink((message, context) => Handle(consumer, behaviour, message, context)), options);
        WatchErrorQueue(subscription.Queue + global::Warren.ErrorQueues.Suffix);
    }

    public async Task PublishAsync<TMessage>(TMessage message, PublishOptions? options = null)
        where TMessage : IIdentified
    {
        try
        {
            if (options is null)
            {
                await Bus.PublishAsync(message);
            }
            else
            {
                await Bus.PublishAsync(message, options);
            }

            Record($"publish {message.Id}: ok");
        }
        catch (PublishReturnedException ex)
        {
            Record($"publish {message.Id}: {nameof(PublishReturnedException)} {ex.ReplyCode} {ex.ReplyText}");
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or System.Text.Json.JsonException or MessageLimitException)
        {
            Record($"publish {message.Id}: {ex.GetType().Name} | {ex.Message}");
        }
    }

    /// <summary>Publishes bytes as another client would: a body or type a consumer cannot read.</summary>
    public abstract Task PublishRawAsync(string exchange, string routingKey, byte[] body, BasicProperties properties);

    public Task ServeCalcAsync() => Bus.ServeAsync<IDiffCalc>(new DiffCalc());

    /// <summary>Calls the calculator through its generated proxy and records the result or the exception.</summary>
    public async Task CallAsync(string label, TimeSpan timeout, Func<IDiffCalc, Task<string>> call)
    {
        IDiffCalc client = Bus.CreateClient<IDiffCalc>(new RpcClientOptions { Timeout = timeout });
        try
        {
            Record($"rpc {label}: ok {await call(client)}");
        }
        catch (RpcException ex)
        {
            Record($"rpc {label}: {nameof(RpcException)} {ex.RemoteType} | {ex.RemoteMessage} | {ex.Message}");
        }
        catch (Exception ex) when (ex is TimeoutException or WarrenException)
        {
            Record($"rpc {label}: {ex.GetType().Name} | {ex.Message}");
        }
    }

    /// <summary>Waits until nothing more will happen: drained on the harness; on the broker, until it shows what <paramref name="expected"/> shows, then a little longer.</summary>
    public abstract Task SettleAsync(Outcome? expected);

    public async Task<Outcome> CaptureAsync()
    {
        var errors = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (string queue in _errorQueues)
        {
            IReadOnlyList<(IDictionary<string, object?>? Headers, ReadOnlyMemory<byte> Body)> copies = await ReadErrorQueueAsync(queue);
            errors[Logical(queue)] = copies.Select(Describe).Order(StringComparer.Ordinal).ToList();
        }

        return new Outcome(EventsNow(), errors);
    }

    /// <summary>The events so far, logical names, sorted.</summary>
    protected List<string> EventsNow()
    {
        lock (_events)
        {
            return _events.Select(Logical).Order(StringComparer.Ordinal).ToList();
        }
    }

    /// <summary>The copies in an error queue, taken out of it.</summary>
    protected abstract Task<IReadOnlyList<(IDictionary<string, object?>? Headers, ReadOnlyMemory<byte> Body)>> ReadErrorQueueAsync(string queue);

    public abstract ValueTask DisposeAsync();

    protected string Logical(string text) => text.Replace(prefix, string.Empty, StringComparison.Ordinal);

    private void WatchErrorQueue(string queue) => _errorQueues.Add(queue);

    private async ValueTask Handle(string consumer, Behaviour behaviour, IIdentified message, MessageContext context)
    {
        if (behaviour.Throws(message.Id, context.Attempt))
        {
            throw new InvalidOperationException($"{consumer} refuses {message.Id} (attempt {context.Attempt})");
        }

        if (behaviour.Relays)
        {
            await Bus.PublishAsync(new Alert("relay", "relayed-" + message.Id));
        }

        Record($"consumer {consumer}: {message.Id} attempt {context.Attempt} from '{context.Exchange}' with key '{context.RoutingKey}'" +
            $" correlation '{context.CorrelationId}'{(context.CausationId is null ? string.Empty : " with a cause")}");
    }

    private void Record(string line)
    {
        lock (_events)
        {
            _events.Add(line);
        }
    }

    /// <summary>Where the runtime sends a subscription's failures: the named queue's error queue, else the exchange's.</summary>
    private static string ErrorQueueOf(MessageDescriptor message, string? namedQueue) =>
        message.Kind == ExchangeKind.Queue ? message.Name + global::Warren.ErrorQueues.Suffix : (namedQueue ?? message.Exchange) + global::Warren.ErrorQueues.Suffix;

    private string Describe((IDictionary<string, object?>? Headers, ReadOnlyMemory<byte> Body) copy)
    {
        string Header(string name) => copy.Headers is not null && copy.Headers.TryGetValue(name, out object? value)
            ? value switch { byte[] bytes => Encoding.UTF8.GetString(bytes), null => "null", _ => value.ToString() ?? string.Empty }
            : "(none)";

        string queue = Header(global::Warren.ErrorQueues.OriginalQueueHeader);
        if (queue.StartsWith("amq.gen-", StringComparison.Ordinal))
        {
            // Server-named: the broker's and the harness's names differ by design.
            queue = "amq.gen-*";
        }

        return $"{BodyId(copy.Body)} {Header(global::Warren.ErrorQueues.ExceptionTypeHeader)} | {Header(global::Warren.ErrorQueues.ExceptionMessageHeader)} | " +
            $"attempts {Header(global::Warren.ErrorQueues.AttemptsHeader)} | from '{Logical(queue)}' via '{Header(global::Warren.ErrorQueues.OriginalExchangeHeader)}' key '{Header(global::Warren.ErrorQueues.OriginalRoutingKeyHeader)}'";
    }

    private static string BodyId(ReadOnlyMemory<byte> body)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("id", out JsonElement id))
            {
                return id.ToString();
            }
        }
        catch (JsonException)
        {
        }

        return "raw '" + Encoding.UTF8.GetString(body.Span) + "'";
    }
}
